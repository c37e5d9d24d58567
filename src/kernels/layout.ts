/**
 * Data layouts of activations: where each channel of a pixel lives in memory, and which precision pattern
 * each VLEN-bit chunk of a pixel is read with.
 *
 * A pixel's channels are stored as one *pixel vector* of `pixelBytes` bytes (a whole number of vector
 * registers), tensors NHWC. For mixed precision, channels are *grouped* (SySMOL's channel grouping): sorted by
 * width, widest first, so each width is one contiguous run; the position of each original channel is
 * `posOf[c]` and `order[pos]` maps back (-1 for a padding position). Each group is padded with zero channels
 * to a multiple of `lcm(L, 8/w)` channels (L = VLEN/32 int32 lanes): 8/w so that runs are whole bytes, as
 * patterns require, and L so that any block of L consecutive positions has one width and starts at an
 * element index that `vrequant.u<w>` can address with its `part` operand. The last group is padded so the
 * pixel vector is whole registers. If the chunks need more distinct patterns than the core has pattern
 * registers (or more runs than `maxRuns`), group boundaries are moved to register boundaries, cheapest first.
 *
 * Worked example (docs/kernels.md has the figure): VLEN 256 (L = 8), 20 channels at 4 bits, 10 at 2 bits,
 * 40 at 1 bit. Groups: 4-bit 24 positions (96 bits), 2-bit 16 (32 bits), 1-bit 128 (40 real + 88 padding, to
 * fill the register): one chunk `4b x24 | 2b x16 | 1b x128`, one pattern register.
 *
 * The producing layer writes its outputs in the consumer's layout: its output channels are permuted by the
 * consumer's `order`, which is how the reordering is applied consistently to the producer's output channels.
 *
 * @module
 */
import type { IsaConfig } from '../isa/config.js';
import { formatPattern, type PatternRun } from '../isa/pattern.js';
import type { LayerPrecision } from './precision.js';

/** One VLEN-bit chunk of a pixel vector and the pattern register that describes it (-1: none needed). */
export interface LayoutChunk {
  readonly runs: readonly PatternRun[];
  readonly pp: number;
}

/** A contiguous group of positions of one width. */
export interface LayoutGroup {
  readonly widthBits: number;
  /** First position. */
  readonly start: number;
  /** Positions, padding included. */
  readonly count: number;
  /** Real channels in the group. */
  readonly real: number;
}

/** Where a block of L consecutive positions lives, for writing int32 results into it. */
export interface BlockPlace {
  /** Chunk (vector register) index within the pixel vector. */
  readonly chunk: number;
  /** Element width of the block (32 for fp32). */
  readonly widthBits: number;
  /** `part` operand of `vrequant.u<w>` (0 for fp32). */
  readonly part: number;
}

/** The layout of an activation tensor's channels (see the module comment). */
export interface ActivationLayout {
  readonly precision: LayerPrecision['kind'];
  /** Logical channels. */
  readonly channels: number;
  readonly vlenBits: number;
  /** int32 lanes per register (VLEN/32). */
  readonly lanes: number;
  /** Positions (channels plus padding); a multiple of `lanes`. */
  readonly positions: number;
  /** Original channel at each position, -1 for padding. */
  readonly order: Int32Array;
  /** Position of each original channel. */
  readonly posOf: Int32Array;
  /** Width in bits of each position (8 for int8, 1 for binary, 32 for fp32). */
  readonly widthAt: Uint8Array;
  /** Bit offset of each position within the pixel vector. */
  readonly bitAt: Int32Array;
  /** Bytes per pixel: a multiple of VLEN/8. */
  readonly pixelBytes: number;
  readonly groups: readonly LayoutGroup[];
  /** One entry per VLEN-bit chunk of the pixel vector. */
  readonly chunks: readonly LayoutChunk[];
  /** Distinct patterns; pattern register k holds `patterns[k]`. Empty unless the precision is mixed. */
  readonly patterns: readonly (readonly PatternRun[])[];
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function runsKey(runs: readonly PatternRun[]): string {
  return formatPattern(runs);
}

/** Splits groups into VLEN-bit chunks, returning each chunk's runs. */
function chunkRuns(groups: readonly LayoutGroup[], vlenBits: number): PatternRun[][] {
  const chunks: PatternRun[][] = [];
  let bit = 0;
  for (const g of groups) {
    let left = g.count * g.widthBits;
    while (left > 0) {
      const j = Math.floor(bit / vlenBits);
      const room = (j + 1) * vlenBits - bit;
      const take = Math.min(room, left);
      (chunks[j] ??= []).push({ widthBits: g.widthBits, count: take / g.widthBits });
      bit += take;
      left -= take;
    }
  }
  return chunks;
}

/**
 * The layout of `channels` channels at precision `p` on a core. Throws, with the reason, when the precision
 * cannot be laid out (a width the mixed unit lacks, or more widths than pattern registers).
 */
export function planLayout(p: LayerPrecision, channels: number, isa: IsaConfig): ActivationLayout {
  const V = isa.vlenBits;
  const L = V / 32;
  const round = (n: number, m: number) => Math.ceil(n / m) * m;
  let widthsByPos: { width: number; channels: number[]; count: number }[];
  switch (p.kind) {
    case 'fp32':
      widthsByPos = [{ width: 32, channels: range(channels), count: round(channels, L) }];
      break;
    case 'int8':
      widthsByPos = [{ width: 8, channels: range(channels), count: round(channels, V / 8) }];
      break;
    case 'binary':
      widthsByPos = [{ width: 1, channels: range(channels), count: round(channels, V) }];
      break;
    case 'mixed': {
      if (p.widths.length !== channels) throw new Error(`precision map has ${p.widths.length} widths for ${channels} channels`);
      const ws = [...new Set(p.widths)].sort((a, b) => b - a);
      for (const w of ws) if (!isa.mixedWidths.includes(w as 1 | 2 | 4 | 8)) throw new Error(`width ${w} is not supported by the mixed unit (isa.mixedWidths = ${isa.mixedWidths.join('/')})`);
      widthsByPos = ws.map((w) => {
        const chans = range(channels).filter((c) => p.widths[c] === w);
        const q = (L * (8 / Math.min(w, 8))) / gcd(L, 8 / Math.min(w, 8));
        return { width: w, channels: chans, count: round(chans.length, q) };
      });
      break;
    }
  }
  // Pad the last group so the pixel vector is whole registers.
  const padToVlen = () => {
    const bits = widthsByPos.reduce((s, g) => s + g.count * g.width, 0);
    const last = widthsByPos[widthsByPos.length - 1]!;
    last.count += (round(bits, V) - bits) / last.width;
  };
  padToVlen();
  const mkGroups = (): LayoutGroup[] => {
    let start = 0;
    return widthsByPos.map((g) => {
      const out = { widthBits: g.width, start, count: g.count, real: g.channels.length };
      start += g.count;
      return out;
    });
  };
  let groups = mkGroups();
  let chunkList = chunkRuns(groups, V);
  if (p.kind === 'mixed') {
    // Move group boundaries to register boundaries until the patterns fit the pattern registers and runs.
    const fits = (cs: PatternRun[][]) => new Set(cs.map(runsKey)).size <= isa.patternRegs && cs.every((r) => r.length <= isa.maxRuns);
    while (!fits(chunkList)) {
      let best = -1;
      let bestCost = Infinity;
      let bit = 0;
      for (let g = 0; g < widthsByPos.length - 1; g++) {
        bit += widthsByPos[g]!.count * widthsByPos[g]!.width;
        const cost = bit % V === 0 ? Infinity : V - (bit % V);
        if (cost < bestCost) {
          bestCost = cost;
          best = g;
        }
      }
      if (best < 0) {
        const need = new Set(chunkList.map(runsKey)).size;
        throw new Error(`the layout needs ${need} precision patterns (${[...new Set(chunkList.map(runsKey))].join('; ')}) but the core has ${isa.patternRegs} pattern registers (isa.patternRegs)`);
      }
      widthsByPos[best]!.count += bestCost / widthsByPos[best]!.width;
      padToVlen();
      groups = mkGroups();
      chunkList = chunkRuns(groups, V);
    }
  }
  const positions = groups.reduce((s, g) => s + g.count, 0);
  const order = new Int32Array(positions).fill(-1);
  const posOf = new Int32Array(channels);
  const widthAt = new Uint8Array(positions);
  const bitAt = new Int32Array(positions);
  let bit = 0;
  widthsByPos.forEach((g, gi) => {
    const start = groups[gi]!.start;
    for (let k = 0; k < g.count; k++) {
      const pos = start + k;
      widthAt[pos] = g.width;
      bitAt[pos] = bit;
      bit += g.width;
      if (k < g.channels.length) {
        order[pos] = g.channels[k]!;
        posOf[g.channels[k]!] = pos;
      }
    }
  });
  const pixelBytes = Math.ceil(bit / V) * (V / 8);
  const patterns: PatternRun[][] = [];
  const keys: string[] = [];
  const chunks: LayoutChunk[] = [];
  for (let j = 0; j < pixelBytes / (V / 8); j++) {
    if (p.kind !== 'mixed') {
      chunks.push({ runs: [], pp: -1 });
      continue;
    }
    const runs = chunkList[j]!;
    const key = runsKey(runs);
    let k = keys.indexOf(key);
    if (k < 0) {
      k = keys.length;
      keys.push(key);
      patterns.push(runs);
    }
    chunks.push({ runs, pp: k });
  }
  return Object.freeze({
    precision: p.kind,
    channels,
    vlenBits: V,
    lanes: L,
    positions,
    order,
    posOf,
    widthAt,
    bitAt,
    pixelBytes,
    groups,
    chunks,
    patterns,
  });
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Where the block of L positions starting at `pos` (a multiple of L) lives. */
export function blockPlace(layout: ActivationLayout, pos: number): BlockPlace {
  const V = layout.vlenBits;
  const L = layout.lanes;
  if (pos % L !== 0 || pos >= layout.positions) throw new Error(`block position ${pos} is not a multiple of ${L} inside ${layout.positions} positions`);
  const w = layout.widthAt[pos]!;
  const bit = layout.bitAt[pos]!;
  if (layout.precision === 'fp32') return { chunk: Math.floor(bit / V), widthBits: 32, part: 0 };
  return { chunk: Math.floor(bit / V), widthBits: w, part: (bit % V) / (w * L) };
}

/**
 * The bytes of one pixel: `values[c]` is channel c's value in the original order (unsigned codes for
 * int8/mixed; -1/+1 for binary; floats for fp32). Padding positions are 0 bits. Throws when a value does not
 * fit its width.
 */
export function packPixel(layout: ActivationLayout, values: ArrayLike<number>, out = new Uint8Array(layout.pixelBytes), at = 0): Uint8Array {
  if (layout.precision === 'fp32') {
    const dv = new DataView(out.buffer, out.byteOffset + at, layout.pixelBytes);
    for (let c = 0; c < layout.channels; c++) dv.setFloat32(4 * layout.posOf[c]!, values[c]!, true);
    return out;
  }
  for (let c = 0; c < layout.channels; c++) {
    const pos = layout.posOf[c]!;
    const w = layout.widthAt[pos]!;
    const v = values[c]!;
    let raw: number;
    if (layout.precision === 'binary') {
      if (v !== 1 && v !== -1) throw new RangeError(`channel ${c}: binary activation ${v} is not -1 or +1`);
      raw = v > 0 ? 1 : 0;
    } else {
      if (!Number.isInteger(v) || v < 0 || v >= 2 ** w) throw new RangeError(`channel ${c}: activation ${v} does not fit ${w} unsigned bits`);
      raw = v;
    }
    writeBits(out, at * 8 + layout.bitAt[pos]!, w, raw);
  }
  return out;
}

/** The channel values of one pixel (the inverse of {@link packPixel}). */
export function unpackPixel(layout: ActivationLayout, bytes: Uint8Array, at = 0): number[] {
  const out = new Array<number>(layout.channels);
  if (layout.precision === 'fp32') {
    const dv = new DataView(bytes.buffer, bytes.byteOffset + at, layout.pixelBytes);
    for (let c = 0; c < layout.channels; c++) out[c] = dv.getFloat32(4 * layout.posOf[c]!, true);
    return out;
  }
  for (let c = 0; c < layout.channels; c++) {
    const pos = layout.posOf[c]!;
    const raw = readBits(bytes, at * 8 + layout.bitAt[pos]!, layout.widthAt[pos]!);
    out[c] = layout.precision === 'binary' ? (raw === 1 ? 1 : -1) : raw;
  }
  return out;
}

/** Writes the low `w` bits of `raw` at bit `bit` of `out` (LSB first). */
export function writeBits(out: Uint8Array, bit: number, w: number, raw: number): void {
  for (let j = 0; j < w; j++) {
    const b = bit + j;
    const m = 1 << (b & 7);
    if (Math.floor(raw / 2 ** j) % 2 === 1) out[b >> 3]! |= m;
    else out[b >> 3]! &= ~m;
  }
}

/** Reads `w` bits at bit `bit` of `bytes` as an unsigned number (LSB first). */
export function readBits(bytes: Uint8Array, bit: number, w: number): number {
  let v = 0;
  for (let j = w - 1; j >= 0; j--) v = v * 2 + ((bytes[(bit + j) >> 3]! >> ((bit + j) & 7)) & 1);
  return v;
}

/** A human summary, e.g. `3 chunks: [4b x32] [4b x16 | 2b x64] [1b x256] (pp0..pp2)`. */
export function describeLayout(layout: ActivationLayout): string {
  const cs = layout.chunks.map((c) => (c.runs.length > 0 ? `[${formatPattern(c.runs)}]pp${c.pp}` : '[]')).join(' ');
  return `${layout.precision}, ${layout.channels} channels in ${layout.positions} positions, ${layout.pixelBytes} B/pixel: ${cs}`;
}
