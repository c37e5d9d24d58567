/**
 * Tile planning: what a convolution's reduction and output channels are cut into, before any code exists.
 *
 * The reduction runs over taps (ky, kx) and, within a tap, over the reduction form's *steps*. Output
 * channels are in the output layout's position order (the next layer's channel grouping), in blocks of
 * L = VLEN/32; a *tile* is `nb` consecutive blocks (times `mb` output pixels, chosen by the dataflow). A
 * tile lists its weight *units* per step in stream order; a step is skipped for a block when none of its
 * channels belongs to the block's groups (grouped and depthwise convolutions), so structurally zero weights
 * cost nothing but lane waste. Consecutive tiles with one shape and a constant output stride form a *run*
 * that the code loops over.
 *
 * @module
 */
import type { IsaConfig } from '../../isa/config.js';
import { blockPlace, type ActivationLayout, type BlockPlace } from '../layout.js';
import type { ConvShape } from '../spec.js';
import type { ReductionForm } from './forms.js';

/** One weight unit of a tile (see the forms). */
export interface Unit {
  /** Block index within the tile. */
  readonly b: number;
  /** Lane (lane-reducing forms) or 0. */
  readonly lane: number;
  readonly step: number;
}

/** A tile of `nb` output-channel blocks. */
export interface Tile {
  readonly blocks: readonly number[];
  /** Relevant steps, ascending. */
  readonly steps: readonly number[];
  /** Weight units of one tap, in stream order. */
  readonly units: readonly Unit[];
  /** Output chunk of the first block. */
  readonly chunk0: number;
  /** Equal for tiles whose code is identical up to pointer offsets. */
  readonly sig: string;
}

/** Consecutive tiles with one signature and a constant output stride: one loop in the code. */
export interface TileRun {
  readonly tiles: readonly Tile[];
  /** Index of the run's first tile. */
  readonly first: number;
}

/** The tiling of one layer. */
export interface TilePlan {
  /** Output-channel blocks per tile. */
  readonly nb: number;
  /** Int32 lanes per register (output channels per block). */
  readonly L: number;
  readonly taps: readonly (readonly [number, number])[];
  /** Input positions read by each step. */
  readonly stepPos: readonly (readonly number[])[];
  readonly blockPlaces: readonly BlockPlace[];
  /** Blocks whose results land in each output chunk. */
  readonly blocksInChunk: ReadonlyMap<number, number>;
  readonly tiles: readonly Tile[];
  readonly runs: readonly TileRun[];
  /** Most units any tile has in one step (at least 1). */
  readonly maxUnitsPerStep: number;
}

/** The output channel at position `pos` of the output layout, or -1 (padding). */
export function outputChannelAt(outL: ActivationLayout, pos: number): number {
  return pos < outL.positions ? outL.order[pos]! : -1;
}

/** Plans the tiles of a layer whose input is in `inL` and output in `outL`. */
export function planTiles(shape: ConvShape, form: ReductionForm, inL: ActivationLayout, outL: ActivationLayout, nb: number, isa: IsaConfig): TilePlan {
  const V = isa.vlenBits;
  const L = V / 32;
  const Cg = shape.inC / shape.groups;
  const Og = shape.outC / shape.groups;
  const nSteps = form.stepCount(inL);
  const stepPos = Array.from({ length: nSteps }, (_, s) => form.stepPositions(inL, s, V));
  // groups of input channels present in each step
  const stepGroups = stepPos.map((ps) => new Set(ps.filter((q) => inL.order[q]! >= 0).map((q) => Math.floor(inL.order[q]! / Cg))));
  const relevant = (ocPos: number, s: number) => {
    const oc = outputChannelAt(outL, ocPos);
    return oc >= 0 && stepGroups[s]!.has(Math.floor(oc / Og));
  };

  const nBlocks = outL.positions / L;
  const blockPlaces = Array.from({ length: nBlocks }, (_, b) => blockPlace(outL, b * L));
  const blocksInChunk = new Map<number, number>();
  for (const pl of blockPlaces) blocksInChunk.set(pl.chunk, (blocksInChunk.get(pl.chunk) ?? 0) + 1);
  const tiles: Tile[] = [];
  for (let b0 = 0; b0 < nBlocks; b0 += nb) {
    const blocks = Array.from({ length: Math.min(nb, nBlocks - b0) }, (_, i) => b0 + i);
    const units: Unit[] = [];
    const steps: number[] = [];
    for (let s = 0; s < nSteps; s++) {
      blocks.forEach((b, bi) => {
        if (form.laneReducing) {
          for (let l = 0; l < L; l++) if (relevant(b * L + l, s)) units.push({ b: bi, lane: l, step: s });
        } else {
          let rel = false;
          for (let l = 0; l < L; l++) rel ||= relevant(b * L + l, s);
          if (rel) units.push({ b: bi, lane: 0, step: s });
        }
      });
      if (units.length > 0 && units[units.length - 1]!.step === s) steps.push(s);
    }
    const chunk0 = blockPlaces[b0]!.chunk;
    const places = blocks.map((b) => {
      const pl = blockPlaces[b]!;
      return [pl.chunk - chunk0, pl.widthBits, pl.part, blocksInChunk.get(pl.chunk)];
    });
    tiles.push({ blocks, steps, units, chunk0, sig: JSON.stringify([units.map((u) => [u.b, u.lane, u.step]), places]) });
  }
  const taps: [number, number][] = [];
  for (let ky = 0; ky < shape.kH; ky++) for (let kx = 0; kx < shape.kW; kx++) taps.push([ky, kx]);
  const maxUnitsPerStep = Math.max(1, ...tiles.map((t) => Math.max(0, ...t.steps.map((s) => t.units.filter((u) => u.step === s).length))));
  return { nb, L, taps, stepPos, blockPlaces, blocksInChunk, tiles, runs: tileRuns(tiles), maxUnitsPerStep };
}

/** Groups consecutive tiles with one signature and a constant chunk stride into runs. */
function tileRuns(tiles: readonly Tile[]): TileRun[] {
  const runs: { tiles: Tile[]; first: number }[] = [];
  tiles.forEach((t, ti) => {
    const r = runs[runs.length - 1];
    if (r && r.tiles[0]!.sig === t.sig) {
      const prev = r.tiles[r.tiles.length - 1]!;
      const d0 = r.tiles.length > 1 ? r.tiles[1]!.chunk0 - r.tiles[0]!.chunk0 : t.chunk0 - prev.chunk0;
      if (t.chunk0 - prev.chunk0 === d0) {
        r.tiles.push(t);
        return;
      }
    }
    runs.push({ tiles: [t], first: ti });
  });
  return runs;
}

/** Weight units of `t` for (tap, step) with their byte offset from the tile's weight origin. */
export function unitsAt(t: Tile, tap: number, s: number, vlenBytes: number): { u: Unit; off: number }[] {
  return t.units.map((u, ui) => ({ u, off: (tap * t.units.length + ui) * vlenBytes })).filter((x) => x.u.step === s);
}
