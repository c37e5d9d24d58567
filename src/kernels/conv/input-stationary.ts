/**
 * Input-stationary dataflow: for each tile of `mb` output pixels, the activations of a group of `kb`
 * (tap, step) pairs are loaded into registers once and every output-channel tile streams by, its weights
 * through the two rotating weight registers; partial sums go through memory between step groups.
 *
 * @module
 */
import type { DataflowEmitter } from './emitter.js';
import { X_W } from './registers.js';

/** The input-stationary emitter. */
export const inputStationary: DataflowEmitter = {
  defaults: () => ({ mb: 2, nb: 1 }),
  registers({ mb, kb, free }) {
    const k = kb ?? Math.max(1, Math.floor(free / mb));
    return { kb: k, activations: mb * k, weights: 0 };
  },
  psum: true,
  emit(e) {
    const { cb, wP } = e;
    const { tiles, mb } = e.job;
    const { kb, actBase } = e.job.regs;
    const allSteps = [...new Set(tiles.tiles.flatMap((t) => t.steps))].sort((a, b) => a - b);
    const flat = tiles.taps.flatMap((_, tap) => allSteps.map((s) => [tap, s] as [number, number]));
    e.pixelLoops(0, (m) => {
      for (let k0 = 0; k0 < flat.length; k0 += kb) {
        const group = flat.slice(k0, k0 + kb);
        group.forEach(([tap, s], gi) => {
          for (let p = 0; p < m; p++) e.loadAct(actBase + gi * mb + p, p, tap, s);
        });
        const first = k0 === 0;
        const last = k0 + kb >= flat.length;
        e.channelLoops(3, (t) => {
          e.initAcc(t, m, !first);
          group.forEach(([tap, s], gi) => {
            for (const { u, off } of e.unitsAt(t, tap, s)) {
              const w = e.nextWeightReg();
              cb.emit('vld', { d: w, s1: X_W, imm: wP.at(off) });
              for (let p = 0; p < m; p++) e.mac(e.accReg(p, u.b), actBase + gi * mb + p, w, u);
            }
          });
          if (last) e.epilogue(t, m);
          else e.storePsum(t, m);
        });
      }
    });
  },
};
