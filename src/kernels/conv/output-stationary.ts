/**
 * Output-stationary dataflow: a tile's accumulators stay in registers over the whole reduction; the
 * activations of the tile's `mb` pixels are reused across its output channels, each weight unit across its
 * pixels. Weights stream through the two rotating weight registers.
 *
 * Broadcasting forms over many channels loop over groups of {@link STEP_UNROLL} steps when every step has
 * the same units (dense layers), and layers with large kernels loop over kernel rows, so that code size
 * stays within the branch range.
 *
 * @module
 */
import type { ConvEmitter, DataflowEmitter } from './emitter.js';
import { X_CNT0, X_W } from './registers.js';
import type { Tile } from './tiles.js';

/** Steps unrolled per iteration of a broadcasting kernel's step loop. */
export const STEP_UNROLL = 8;

/** The tile body: `m` pixels of tile `t`, pointers at the tile's origins. */
function tileBody(e: ConvEmitter, t: Tile, m: number): void {
  const { cb, aP, wP, VB } = e;
  const { shape, form, tiles } = e.job;
  const taps = tiles.taps;
  const actBase = e.job.regs.actBase;
  e.initAcc(t, m, false);
  const tapsPerRow = shape.kW;
  const stepBody = (tap: number, s: number) => {
    for (let p = 0; p < m; p++) e.loadAct(actBase + p, p, tap, s);
    for (const { u, off } of e.unitsAt(t, tap, s)) {
      const w = e.nextWeightReg();
      cb.emit('vld', { d: w, s1: X_W, imm: wP.at(off) });
      for (let p = 0; p < m; p++) e.mac(e.accReg(p, u.b), actBase + p, w, u);
    }
  };
  // Activations move 4 bytes and weights one step of units per step.
  const perStep = t.steps.length > 0 ? t.units.filter((u) => u.step === t.steps[0]).map((u) => u.b) : [];
  const uniformSteps =
    !form.laneReducing &&
    t.steps.length > 2 * STEP_UNROLL &&
    t.steps.every((s, i) => s === t.steps[0]! + i) &&
    t.steps.every((s) => JSON.stringify(t.units.filter((u) => u.step === s).map((u) => u.b)) === JSON.stringify(perStep));
  const rowBody = (kyTaps: number[]) => {
    for (const tap of kyTaps) {
      if (!uniformSteps) {
        for (const s of t.steps) stepBody(tap, s);
        continue;
      }
      const groups = Math.floor(t.steps.length / STEP_UNROLL);
      const dA = STEP_UNROLL * 4;
      const dW = STEP_UNROLL * perStep.length * VB;
      aP.shift(0);
      wP.shift(0);
      cb.loop(X_CNT0 + 4, groups, () => {
        for (let i = 0; i < STEP_UNROLL; i++) stepBody(tap, t.steps[i]!);
        aP.shift(dA);
        wP.shift(dW);
      });
      aP.afterLoop(groups, dA);
      wP.afterLoop(groups, dW);
      aP.reorigin(groups * dA);
      wP.reorigin(groups * dW);
      for (let i = groups * STEP_UNROLL; i < t.steps.length; i++) stepBody(tap, t.steps[i]! - groups * STEP_UNROLL);
      aP.reorigin(-groups * dA);
      wP.reorigin(-groups * dW);
    }
  };
  if (shape.kH > 1 && taps.length * t.steps.length * (m + t.units.length * (1 + m)) > 4000) {
    // Loop over kernel rows: each iteration reads one row of taps; pointers move one dilated input row.
    const rowTaps = Array.from({ length: tapsPerRow }, (_, i) => i);
    const rowBytes = shape.dH * e.inRow;
    aP.shift(0);
    wP.shift(0);
    cb.loop(X_CNT0 + 5, shape.kH, () => {
      rowBody(rowTaps);
      aP.shift(rowBytes);
      wP.shift(tapsPerRow * t.units.length * VB);
    });
    aP.afterLoop(shape.kH, rowBytes);
    wP.afterLoop(shape.kH, tapsPerRow * t.units.length * VB);
  } else rowBody(taps.map((_, i) => i));
  e.epilogue(t, m);
}

/** The output-stationary emitter. */
export const outputStationary: DataflowEmitter = {
  defaults: (form) => ({ mb: 4, nb: form.laneReducing ? 2 : 4 }),
  registers: ({ mb }) => ({ activations: mb, weights: 0 }),
  psum: false,
  emit(e) {
    const body = (t: Tile, m: number) => tileBody(e, t, m);
    if (e.job.loopOrder === 'channels-outer') e.channelLoops(0, (t) => e.pixelLoops(1, (m) => body(t, m)));
    else e.pixelLoops(0, (m) => e.channelLoops(3, (t) => body(t, m)));
  },
};
