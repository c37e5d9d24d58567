/**
 * Weight-stationary dataflow: for each output-channel tile, the weights of a group of `kb` (tap, step)
 * pairs are loaded into registers once and every output pixel streams by; partial sums go through the int32
 * (fp32) buffer in memory between step groups.
 *
 * @module
 */
import type { DataflowEmitter } from './emitter.js';
import { X_W } from './registers.js';

/** The weight-stationary emitter. */
export const weightStationary: DataflowEmitter = {
  defaults: () => ({ mb: 2, nb: 1 }),
  registers({ mb, kb, maxUnitsPerStep, free }) {
    const k = kb ?? Math.max(1, Math.floor((free - mb) / maxUnitsPerStep));
    return { kb: k, activations: mb, weights: k * maxUnitsPerStep };
  },
  psum: true,
  emit(e) {
    const { cb, wP } = e;
    const { taps } = e.job.tiles;
    const { kb, actBase, weightBase } = e.job.regs;
    e.channelLoops(0, (t) => {
      const flat = taps.flatMap((_, tap) => t.steps.map((s) => [tap, s] as [number, number]));
      for (let k0 = 0; k0 < flat.length; k0 += kb) {
        const group = flat.slice(k0, k0 + kb);
        const wregs = new Map<string, number>();
        let r = weightBase;
        for (const [tap, s] of group)
          for (const { u, off } of e.unitsAt(t, tap, s)) {
            cb.emit('vld', { d: r, s1: X_W, imm: wP.at(off) });
            wregs.set(`${tap}/${s}/${u.b}/${u.lane}`, r++);
          }
        const first = k0 === 0;
        const last = k0 + kb >= flat.length;
        e.pixelLoops(1, (m) => {
          e.initAcc(t, m, !first);
          for (const [tap, s] of group) {
            for (let p = 0; p < m; p++) e.loadAct(actBase + p, p, tap, s);
            for (const { u } of e.unitsAt(t, tap, s)) for (let p = 0; p < m; p++) e.mac(e.accReg(p, u.b), actBase + p, wregs.get(`${tap}/${s}/${u.b}/${u.lane}`)!, u);
          }
          if (last) e.epilogue(t, m);
          else e.storePsum(t, m);
        });
      }
    });
  },
};
