/**
 * The code-emission context every dataflow emitter works with: the five data pointers, the tile
 * primitives (load a step's activations, multiply-accumulate a unit, initialise, spill and finish a tile's
 * accumulators) and the two loop nests (over output-channel tiles and over output pixels) that move the
 * pointers. A dataflow is an {@link DataflowEmitter} that arranges these; it never emits addresses itself.
 *
 * @module
 */
import { encodePattern } from '../../isa/pattern.js';
import { CodeBuilder, Ptr } from '../builder.js';
import type { ActivationLayout } from '../layout.js';
import type { ConvShape } from '../spec.js';
import { imagePitch, rowPitch } from '../tensor.js';
import type { ReductionForm } from './forms.js';
import { R_TMP, R_W, R_ZERO, X_A, X_B, X_CNT0, X_O, X_P, X_PP, X_S, X_W, type RegisterAllocation, type RegisterDemand } from './registers.js';
import { unitsAt, type Tile, type TilePlan, type Unit } from './tiles.js';
import type { WeightStream } from './weights.js';
import type { ConvPlacement, LoopOrder, OutputSpec } from './types.js';

/** Everything planned about a layer before its code is emitted. */
export interface ConvJob {
  readonly shape: ConvShape;
  readonly form: ReductionForm;
  readonly inL: ActivationLayout;
  readonly outL: ActivationLayout;
  readonly out: OutputSpec;
  readonly place: ConvPlacement;
  readonly vlenBits: number;
  /** Output pixels per full tile. */
  readonly mb: number;
  readonly loopOrder: LoopOrder;
  readonly tiles: TilePlan;
  readonly weights: WeightStream;
  readonly regs: RegisterAllocation;
}

/** What the generator asks of a dataflow's emitter. */
export interface DataflowEmitter {
  /** Tile size when the options do not give one: `mb` output pixels, `nb` blocks of output channels. */
  defaults(form: ReductionForm): { readonly mb: number; readonly nb: number };
  /**
   * Vector registers the dataflow keeps besides the reserved ones and the `mb x nb` accumulators; `kb` is the
   * user's choice (if any), `free` the registers left after the accumulators.
   */
  registers(r: { readonly mb: number; readonly nb: number; readonly kb?: number; readonly maxUnitsPerStep: number; readonly free: number }): RegisterDemand;
  /** Whether partial sums go through the memory buffer between step groups. */
  readonly psum: boolean;
  /** Emits the layer's loop nests and tile bodies (between the prologue and `halt`). */
  emit(e: ConvEmitter): void;
}

/** The emission context of one layer (see the module comment). */
export class ConvEmitter {
  readonly cb = new CodeBuilder(31);
  /** Activation pointer. */
  readonly aP = new Ptr(this.cb, X_A);
  /** Weight-stream pointer. */
  readonly wP = new Ptr(this.cb, X_W);
  /** Output pointer. */
  readonly oP = new Ptr(this.cb, X_O);
  /** Bias pointer. */
  readonly bP = new Ptr(this.cb, X_B);
  /** Partial-sum pointer. */
  readonly pP = new Ptr(this.cb, X_P);
  private readonly ptrs = [this.aP, this.wP, this.oP, this.bP, this.pP];
  /** Bytes per vector register. */
  readonly VB: number;
  private wRot = 0;
  /** Bytes between two rows of the input tensor. */
  readonly inRow: number;
  private readonly outRow: number;
  /** Bytes of one partial-sum pixel. */
  private readonly psPix: number;

  constructor(readonly job: ConvJob) {
    this.VB = job.vlenBits / 8;
    this.inRow = rowPitch(job.place.input);
    this.outRow = rowPitch(job.place.output);
    this.psPix = job.outL.positions * 4;
  }

  /** Pattern registers, the zero register when needed, and every pointer at its origin. */
  prologue(): void {
    const { cb, job } = this;
    job.inL.patterns.forEach((runs, k) => {
      const [lo, hi] = encodePattern(runs);
      cb.emit('li', { d: X_PP, imm: lo | 0 });
      cb.emit('li', { d: X_S, imm: hi | 0 });
      cb.emit('setpp', { d: k, s1: X_PP, s2: X_S });
    });
    if (job.out.kind === 'fp32' && job.out.relu) cb.emit('vxor', { d: R_ZERO, s1: R_ZERO, s2: R_ZERO });
    const { place, shape } = job;
    const Cb = job.inL.pixelBytes;
    const CbOut = job.outL.pixelBytes;
    this.aP.set(place.input.addr + place.input.padH * this.inRow + place.input.padW * Cb - shape.pH * this.inRow - shape.pW * Cb);
    this.wP.set(place.weights);
    this.oP.set(place.output.addr + place.output.padH * this.outRow + place.output.padW * CbOut);
    this.bP.set(place.bias);
    this.pP.set(place.psum);
  }

  /** Accumulator register of tile pixel `p`, tile block `b`. */
  accReg(p: number, b: number): number {
    return this.job.regs.accReg(p, b);
  }

  /** The next of the rotating weight registers. */
  nextWeightReg(): number {
    return R_W[this.wRot++ & 1]!;
  }

  /** Weight units of `t` for (tap, step) with their byte offsets from the tile's weight origin. */
  unitsAt(t: Tile, tap: number, s: number): { u: Unit; off: number }[] {
    return unitsAt(t, tap, s, this.VB);
  }

  /** Activations of tile pixel `p` at `tap`, step `s` into register `r`. */
  loadAct(r: number, p: number, tap: number, s: number): void {
    const { shape, form, inL } = this.job;
    const [ky, kx] = this.job.tiles.taps[tap]!;
    const off = ky * shape.dH * this.inRow + (p * shape.sW + kx * shape.dW) * inL.pixelBytes + form.stepOffset(s, this.VB);
    form.loadActivation(this.cb, r, this.aP.at(off));
  }

  /** acc += act . w for unit `u`. */
  mac(acc: number, act: number, w: number, u: Unit): void {
    this.job.form.mac(this.cb, acc, act, w, u.lane, u.step, this.job.inL);
  }

  /** Loads a tile's accumulators: biases, or partial sums of earlier step groups. */
  initAcc(t: Tile, m: number, fromPsum: boolean): void {
    const { cb, VB } = this;
    for (let p = 0; p < m; p++)
      t.blocks.forEach((_, bi) => {
        if (fromPsum) cb.emit('vld', { d: this.accReg(p, bi), s1: X_P, imm: this.pP.at(p * this.psPix + bi * VB) });
        else cb.emit('vld', { d: this.accReg(p, bi), s1: X_B, imm: this.bP.at(bi * VB) });
      });
  }

  /** Spills a tile's accumulators to the partial-sum buffer. */
  storePsum(t: Tile, m: number): void {
    for (let p = 0; p < m; p++) t.blocks.forEach((_, bi) => this.cb.emit('vst', { d: this.accReg(p, bi), s1: X_P, imm: this.pP.at(p * this.psPix + bi * this.VB) }));
  }

  /** Writes a tile's results: stored as int32/fp32 (ReLU first when asked), or requantised into the output layout. */
  epilogue(t: Tile, m: number): void {
    const { cb, VB, oP } = this;
    const { out, outL, tiles } = this.job;
    const CbOut = outL.pixelBytes;
    for (let p = 0; p < m; p++) {
      if (out.kind !== 'requant') {
        t.blocks.forEach((b, bi) => {
          const r = this.accReg(p, bi);
          if (out.kind === 'fp32' && out.relu) cb.emit('vmax', { d: r, s1: r, s2: R_ZERO, et: 'f32' });
          cb.emit('vst', { d: r, s1: X_O, imm: oP.at(p * CbOut + (tiles.blockPlaces[b]!.chunk - t.chunk0) * VB) });
        });
        continue;
      }
      const byChunk = new Map<number, number[]>();
      t.blocks.forEach((b, bi) => {
        const c = tiles.blockPlaces[b]!.chunk;
        byChunk.set(c, [...(byChunk.get(c) ?? []), bi]);
      });
      for (const [c, bis] of byChunk) {
        const off = p * CbOut + (c - t.chunk0) * VB;
        if (bis.length < tiles.blocksInChunk.get(c)!) cb.emit('vld', { d: R_TMP, s1: X_O, imm: oP.at(off) });
        for (const bi of bis) {
          const pl = tiles.blockPlaces[t.blocks[bi]!]!;
          cb.emit('vrequant', { d: R_TMP, s1: this.accReg(p, bi), imm: out.shift, imm2: pl.part, et: `u${pl.widthBits}` });
        }
        cb.emit('vst', { d: R_TMP, s1: X_O, imm: oP.at(off) });
      }
    }
  }

  /**
   * Loops over the tiles of every run (loop counter at `depth`), pointers at each run's origins; `body(t)`
   * emits one tile (the run's first: the others differ only by pointer offsets).
   */
  channelLoops(depth: number, body: (t: Tile) => void): void {
    const { cb, VB, aP, wP, bP, oP, pP } = this;
    const { tiles: tp, weights } = this.job;
    const nb = tp.nb;
    for (const r of tp.runs) {
      const t0 = r.tiles[0]!;
      const st = {
        w: weights.tileBytes[r.first]!,
        b: nb * VB,
        o: r.tiles.length > 1 ? (r.tiles[1]!.chunk0 - r.tiles[0]!.chunk0) * VB : 0,
        p: nb * VB,
      };
      wP.reorigin(weights.tileOffset[r.first]!);
      bP.reorigin(r.first * nb * VB);
      oP.reorigin(t0.chunk0 * VB);
      pP.reorigin(r.first * nb * VB);
      for (const q of this.ptrs) q.shift(0);
      cb.loop(X_CNT0 + depth, r.tiles.length, () => {
        body(t0);
        wP.shift(st.w);
        bP.shift(st.b);
        oP.shift(st.o);
        pP.shift(st.p);
        aP.shift(0);
      });
      aP.afterLoop(r.tiles.length, 0);
      wP.afterLoop(r.tiles.length, st.w);
      bP.afterLoop(r.tiles.length, st.b);
      oP.afterLoop(r.tiles.length, st.o);
      pP.afterLoop(r.tiles.length, st.p);
      wP.reorigin(-weights.tileOffset[r.first]!);
      bP.reorigin(-r.first * nb * VB);
      oP.reorigin(-t0.chunk0 * VB);
      pP.reorigin(-r.first * nb * VB);
    }
  }

  /**
   * Loops over images, output rows and tiles of `mb` pixels along a row (then the remainder), loop counters
   * from `depth`; `body(m)` emits a tile of `m` pixels.
   */
  pixelLoops(depth: number, body: (m: number) => void): void {
    const { cb, ptrs } = this;
    const { shape, place, mb, inL, outL } = this.job;
    const full = Math.floor(shape.outW / mb);
    const rem = shape.outW - full * mb;
    const psRow = shape.outW * this.psPix;
    const steps = {
      n: [imagePitch(place.input), 0, imagePitch(place.output), 0, shape.outH * psRow],
      y: [shape.sH * this.inRow, 0, this.outRow, 0, psRow],
      x: [mb * shape.sW * inL.pixelBytes, 0, mb * outL.pixelBytes, 0, mb * this.psPix],
    };
    const level = (d: number, count: number, st: number[], inner: () => void) => {
      for (const q of ptrs) q.shift(0);
      cb.loop(X_CNT0 + d, count, () => {
        inner();
        ptrs.forEach((q, i) => q.shift(st[i]!));
      });
      ptrs.forEach((q, i) => q.afterLoop(count, st[i]!));
    };
    level(depth, shape.batch, steps.n, () =>
      level(depth + 1, shape.outH, steps.y, () => {
        level(depth + 2, full, steps.x, () => body(mb));
        if (rem > 0) {
          ptrs.forEach((q, i) => q.reorigin(full * steps.x[i]!));
          body(rem);
          ptrs.forEach((q, i) => q.reorigin(-full * steps.x[i]!));
        }
      }),
    );
  }
}
