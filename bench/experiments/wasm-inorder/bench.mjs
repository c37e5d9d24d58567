// Experiment, not part of the package (see README.md): the stripped in-order loop as WebAssembly
// (assembly/loop.ts, compiled to build/loop.wasm) against the same loop in JavaScript (js-loop.mjs), on the
// pipeline benchmark's kernel loop recorded once, sysmol preset, in order.
//   node bench.mjs js|wasm fixed|port|cache
// fixed: memory latency 4 computed inside the loop; port: FixedLatencyMemory(4) called as a MemoryPort;
// cache: the default two-level MemoryHierarchy. Prints the best rate of 6 runs (M instructions/s) and the
// last retire cycle, which must be the same for js and wasm.
import fs from 'node:fs';
import { runBatchJS } from './js-loop.mjs';

const here = new URL('.', import.meta.url);
const m = await import(new URL('../../../dist/index.js', here).href);
const { mixedDotLoop } = await import(new URL('../../../build/bench/kernel-loop.js', here).href);
const [which = 'wasm', memKind = 'fixed'] = process.argv.slice(2);
if (!['js', 'wasm'].includes(which) || !['fixed', 'port', 'cache'].includes(memKind)) throw new Error('usage: node bench.mjs js|wasm fixed|port|cache');

const prog = m.assemble(mixedDotLoop(256, 60000, true));
const rec = new m.Executor(prog, { memoryBytes: 1 << 16 });
const recorded = [];
for (;;) { const b = new m.TraceBuffer(4096); if (rec.runBatch(b) === 0) break; recorded.push(b); }
const N = recorded.reduce((s, b) => s + b.count, 0);

// Per-PC tables, as src/pipeline/inorder.ts builds them; a multi-unit PC gets its own run of the unit list.
const core = m.resolveCoreConfig({ ...m.presetByName('sysmol').core, model: 'inOrder' });
const t = new m.DescriptorTable(core);
const s = prog.static, nPc = s.length;
const desc = t.indexProgram(s), facts = m.programFacts(s);
const P = { lat: [], units: [], unit: [], pool: [], occ: [], u0: [] }, list = [], listOcc = [];
for (let pc = 0; pc < nPc; pc++) {
  const d = desc[pc], l = t.latency[d], th = t.throughput[d], u = t.unitList[t.unitsStart[d]];
  const occOf = (id) => (t.unitPipelined[id] === 1 ? th : Math.max(l, th));
  P.lat.push(l); P.units.push(t.unitsCount[d]); P.unit.push(u); P.pool.push(t.unitPool[u]); P.occ.push(occOf(u)); P.u0.push(list.length);
  for (let k = 0; k < t.unitsCount[d]; k++) { const id = t.unitList[t.unitsStart[d] + k]; list.push(id); listOcc.push(occOf(id)); }
}
const c = core;
const cfg = [c.fetchWidth, c.dispatchWidth, c.issueWidth, c.retireWidth, c.fetchQueueSize, c.robSize, c.schedulerSize, c.lsqSize, c.physScalarRegs - 32, c.physVectorRegs - 32, Math.max(1, c.frontEndStages), c.mispredictPenaltyCycles, memKind === 'fixed' ? 4 : -1];
const newMemory = () => (memKind === 'cache' ? new m.MemoryHierarchy(m.resolveMemoryConfig({}), new m.StatsRegistry()) : new m.FixedLatencyMemory(4));
const ringSize = (n) => { let p = 1; while (p < n) p *= 2; return p; };

function fillBuffers(x, b) {
  b.pc.set(x.pc.subarray(0, x.count)); b.size.set(x.size.subarray(0, x.count)); b.addr.set(x.addr.subarray(0, x.count));
  b.stride.set(x.stride.subarray(0, x.count)); b.pieces.set(x.pieces.subarray(0, x.count)); b.taken.set(x.taken.subarray(0, x.count));
}

function runWasm() {
  const mem = newMemory();
  const bytes = fs.readFileSync(new URL('build/loop.wasm', here));
  const w = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    env: { abort() { throw new Error('wasm abort'); }, access: (a, sz, k, cy, pc) => mem.access(a, sz, k, cy, pc) },
  }).exports;
  const buf = () => w.memory.buffer;
  const cfgA = w.newCfg(cfg.length);
  new Float64Array(buf(), cfgA, cfg.length).set(cfg);
  w.setup(nPc, t.numUnits, t.poolCount.length, list.length, 4096, cfgA);
  // Exported globals hold the arrays' addresses in the module's memory.
  const view = (g, T, n) => new T(buf(), g.value, n);
  view(w.pcInfo, Uint8Array, nPc).set(facts.info); view(w.pcNReads, Int32Array, nPc).set(facts.nReads);
  view(w.pcReads, Int32Array, nPc * 4).set(facts.reads.subarray(0, nPc * 4)); view(w.pcWrite, Int32Array, nPc).set(s.writes);
  view(w.pcLat, Float64Array, nPc).set(P.lat); view(w.pcUnits, Int32Array, nPc).set(P.units); view(w.pcUnit, Int32Array, nPc).set(P.unit);
  view(w.pcPool, Int32Array, nPc).set(P.pool); view(w.pcOcc, Float64Array, nPc).set(P.occ); view(w.pcU0, Int32Array, nPc).set(P.u0);
  view(w.uList, Int32Array, list.length).set(list); view(w.uOccMul, Float64Array, list.length).set(listOcc); view(w.uPool, Int32Array, t.numUnits).set(t.unitPool);
  const b = { pc: view(w.bPc, Int32Array, 4096), size: view(w.bSize, Int32Array, 4096), addr: view(w.bAddr, Int32Array, 4096), stride: view(w.bStride, Int32Array, 4096), pieces: view(w.bPieces, Int32Array, 4096), taken: view(w.bTaken, Uint8Array, 4096) };
  const t0 = performance.now();
  for (const x of recorded) { fillBuffers(x, b); w.runBatch(x.count); }
  return { ms: performance.now() - t0, lastR: w.getLastR() };
}

function runJs() {
  const m0 = Math.max(...cfg.slice(0, 7));
  const PP = ringSize(2 * m0 + 4);
  const rg = new Float64Array(PP * 8);
  for (let i = 0; i < PP; i++) rg[i * 8] = -1;
  const lsqP = ringSize(cfg[7]), xP = ringSize(cfg[8]), vP = ringSize(cfg[9]);
  const T = {
    rg, regVis: new Float64Array(512), unitFree: new Float64Array(t.numUnits), poolBusy: new Float64Array(t.poolCount.length),
    lsqRet: new Float64Array(lsqP), xRet: new Float64Array(xP), vRet: new Float64Array(vP), bim: new Uint8Array(4096),
    pcInfo: Uint8Array.from(facts.info), pcNReads: Int32Array.from(facts.nReads), pcReads: Int32Array.from(facts.reads), pcWrite: Int32Array.from(s.writes),
    pcLat: Float64Array.from(P.lat), pcUnits: Int32Array.from(P.units), pcUnit: Int32Array.from(P.unit), pcPool: Int32Array.from(P.pool),
    pcOcc: Float64Array.from(P.occ), pcU0: Int32Array.from(P.u0), uList: Int32Array.from(list), uOccMul: Float64Array.from(listOcc), uPool: Int32Array.from(t.unitPool),
    bPc: new Int32Array(4096), bSize: new Int32Array(4096), bAddr: new Int32Array(4096), bStride: new Int32Array(4096), bPieces: new Int32Array(4096), bTaken: new Uint8Array(4096),
    fw: cfg[0], dw: cfg[1], iw: cfg[2], rw: cfg[3], fq: cfg[4], rob: cfg[5], sch: cfg[6], lsq: cfg[7], xFree: cfg[8], vFree: cfg[9], feDelay: cfg[10], pen: cfg[11], memLat: cfg[12],
    lsqP, xP, vP, PM: PP - 1, mem: memKind === 'fixed' ? null : newMemory(),
  };
  const S = { memCount: 0, xCount: 0, vCount: 0, j: 0, lastF: 0, lastD: -1, lastI: 0, lastR: 0, fetchFloor: 0, lastAccept: 0, loads: 0, stores: 0, loadBytes: 0, mispredicts: 0, stallRob: 0, stallSched: 0, stallFE: 0 };
  const b = { pc: T.bPc, size: T.bSize, addr: T.bAddr, stride: T.bStride, pieces: T.bPieces, taken: T.bTaken };
  const t0 = performance.now();
  for (const x of recorded) { fillBuffers(x, b); runBatchJS(T, S, x.count); }
  return { ms: performance.now() - t0, lastR: S.lastR };
}

let best = 0, lastR = 0;
for (let r = 0; r < 6; r++) {
  const res = which === 'wasm' ? runWasm() : runJs();
  best = Math.max(best, N / res.ms / 1e3);
  lastR = res.lastR;
}
console.log(`${which} ${memKind}: ${best.toFixed(1)} M instructions/s (best of 6 runs of ${N}), last retire cycle ${lastR}`);
