// Experiment, not part of the package: the in-order core's per-instruction loop (src/pipeline/inorder.ts,
// runBatch) stripped of CPI accounting, the store buffer and the observer, with a bimodal predictor inlined,
// compiled by AssemblyScript. js-loop.mjs is the same loop in JavaScript; bench.mjs runs both on the same
// recorded stream and checks they end on the same cycle. Memory: a fixed latency inline (memLat >= 0), or the
// imported `access` (the package's MemoryHierarchy or FixedLatencyMemory, called across the Wasm/JS boundary).
@external("env", "access")
declare function memAccess(addr: f64, size: i32, kind: i32, cycle: f64, pc: i32): f64;
const MAX_READS: i32 = 4;
const RS: i32 = 8;
const _F: i32 = 0, _D: i32 = 1, _I: i32 = 2, _R: i32 = 3;

let P: i32 = 0; let PM: i32 = 0;
let rg: StaticArray<f64> = new StaticArray<f64>(0);
let regVis: StaticArray<f64> = new StaticArray<f64>(0);
let unitFree: StaticArray<f64> = new StaticArray<f64>(0);
let poolBusy: StaticArray<f64> = new StaticArray<f64>(0);
let lsqRet: StaticArray<f64> = new StaticArray<f64>(0);
let xRet: StaticArray<f64> = new StaticArray<f64>(0);
let vRet: StaticArray<f64> = new StaticArray<f64>(0);
let bim: StaticArray<u8> = new StaticArray<u8>(0);
// per PC
export let pcInfo: StaticArray<u8> = new StaticArray<u8>(0);
export let pcNReads: StaticArray<i32> = new StaticArray<i32>(0);
export let pcReads: StaticArray<i32> = new StaticArray<i32>(0);
export let pcWrite: StaticArray<i32> = new StaticArray<i32>(0);
export let pcLat: StaticArray<f64> = new StaticArray<f64>(0);
export let pcUnits: StaticArray<i32> = new StaticArray<i32>(0);
export let pcUnit: StaticArray<i32> = new StaticArray<i32>(0);
export let pcPool: StaticArray<i32> = new StaticArray<i32>(0);
export let pcOcc: StaticArray<f64> = new StaticArray<f64>(0);
export let pcU0: StaticArray<i32> = new StaticArray<i32>(0);
export let uList: StaticArray<i32> = new StaticArray<i32>(0);
export let uOccMul: StaticArray<f64> = new StaticArray<f64>(0); // occupancy per (pc, unit k) for multi-unit
export let uPool: StaticArray<i32> = new StaticArray<i32>(0);
// trace
export let bPc: StaticArray<i32> = new StaticArray<i32>(0);
export let bSize: StaticArray<i32> = new StaticArray<i32>(0);
export let bAddr: StaticArray<i32> = new StaticArray<i32>(0);
export let bStride: StaticArray<i32> = new StaticArray<i32>(0);
export let bPieces: StaticArray<i32> = new StaticArray<i32>(0);
export let bTaken: StaticArray<u8> = new StaticArray<u8>(0);

let fw: i32, dw: i32, iw: i32, rw: i32, fq: i32, rob: i32, sch: i32, lsq: i32, xFree: i32, vFree: i32;
let feDelay: f64, pen: f64, memLat: f64;
let lsqP: i32, xP: i32, vP: i32;
// carried
let memCount: i32 = 0, xCount: i32 = 0, vCount: i32 = 0, j: i32 = 0;
let lastF: f64 = 0, lastD: f64 = -1, lastI: f64 = 0, lastR: f64 = 0, fetchFloor: f64 = 0, lastAccept: f64 = 0;
export let loads: f64 = 0, stores: f64 = 0, loadBytes: f64 = 0, mispredicts: f64 = 0, stallRob: f64 = 0, stallSched: f64 = 0, stallFE: f64 = 0;

function ringSize(n: i32): i32 { let p = 1; while (p < n) p *= 2; return p; }

export function setup(nPc: i32, nUnits: i32, nPools: i32, uListLen: i32, batch: i32, cfg: StaticArray<f64>): void {
  fw = <i32>cfg[0]; dw = <i32>cfg[1]; iw = <i32>cfg[2]; rw = <i32>cfg[3]; fq = <i32>cfg[4]; rob = <i32>cfg[5]; sch = <i32>cfg[6]; lsq = <i32>cfg[7];
  xFree = <i32>cfg[8]; vFree = <i32>cfg[9]; feDelay = cfg[10]; pen = cfg[11]; memLat = cfg[12];
  let m = fw; if (dw > m) m = dw; if (iw > m) m = iw; if (rw > m) m = rw; if (fq > m) m = fq; if (rob > m) m = rob; if (sch > m) m = sch;
  P = ringSize(2 * m + 4); PM = P - 1;
  rg = new StaticArray<f64>(P * RS);
  for (let i = 0; i < P; i++) rg[i * RS + _F] = -1;
  regVis = new StaticArray<f64>(512);
  unitFree = new StaticArray<f64>(nUnits);
  poolBusy = new StaticArray<f64>(nPools);
  lsqP = ringSize(lsq); xP = ringSize(xFree); vP = ringSize(vFree);
  lsqRet = new StaticArray<f64>(lsqP); xRet = new StaticArray<f64>(xP); vRet = new StaticArray<f64>(vP);
  bim = new StaticArray<u8>(4096);
  pcInfo = new StaticArray<u8>(nPc); pcNReads = new StaticArray<i32>(nPc); pcReads = new StaticArray<i32>(nPc * MAX_READS);
  pcWrite = new StaticArray<i32>(nPc); pcLat = new StaticArray<f64>(nPc); pcUnits = new StaticArray<i32>(nPc);
  pcUnit = new StaticArray<i32>(nPc); pcPool = new StaticArray<i32>(nPc); pcOcc = new StaticArray<f64>(nPc); pcU0 = new StaticArray<i32>(nPc);
  uList = new StaticArray<i32>(uListLen); uOccMul = new StaticArray<f64>(uListLen); uPool = new StaticArray<i32>(nUnits);
  bPc = new StaticArray<i32>(batch); bSize = new StaticArray<i32>(batch); bAddr = new StaticArray<i32>(batch);
  bStride = new StaticArray<i32>(batch); bPieces = new StaticArray<i32>(batch); bTaken = new StaticArray<u8>(batch);
}
export function newCfg(n: i32): StaticArray<f64> { return new StaticArray<f64>(n); }
export function getLastR(): f64 { return lastR; }

export function runBatch(n: i32): void {
  for (let q = 0; q < n; q++, j++) {
    const pc = unchecked(bPc[q]);
    const info = <i32>unchecked(pcInfo[pc]);
    const kb = (j & PM) * RS;
    let f = lastF > fetchFloor ? lastF : fetchFloor;
    const xf = unchecked(rg[((j - fw) & PM) * RS + _F]) + 1; if (xf > f) f = xf;
    const xq = unchecked(rg[((j - fq) & PM) * RS + _D]); if (xq > f) f = xq;
    const size = unchecked(bSize[q]);
    if (size != 0) {
      if ((info & 4) != 0) { loads++; loadBytes += <f64>(size * unchecked(bPieces[q])); } else { stores++; }
    }
    let misp = false;
    if ((info & 1) != 0) {
      const e = pc & 4095;
      const ctr = <i32>unchecked(bim[e]);
      const taken = unchecked(bTaken[q]) == 1;
      if ((ctr >= 2) != taken) { mispredicts++; misp = true; }
      unchecked(bim[e] = <u8>(taken ? (ctr < 3 ? ctr + 1 : 3) : (ctr > 0 ? ctr - 1 : 0)));
    }
    const fReady = f + feDelay;
    let dd = fReady;
    if (lastD > dd) dd = lastD;
    const xd = unchecked(rg[((j - dw) & PM) * RS + _D]) + 1; if (xd > dd) dd = xd;
    const tRob = unchecked(rg[((j - rob) & PM) * RS + _R]);
    const tSch = unchecked(rg[((j - sch) & PM) * RS + _I]);
    const isMem = (info & 2) != 0;
    const tLsq = isMem && memCount >= lsq ? unchecked(lsqRet[(memCount - lsq) & (lsqP - 1)]) : 0;
    const tRegs = (info & 8) != 0 && xCount >= xFree ? unchecked(xRet[(xCount - xFree) & (xP - 1)]) : (info & 16) != 0 && vCount >= vFree ? unchecked(vRet[(vCount - vFree) & (vP - 1)]) : 0;
    if (tRob > dd) dd = tRob;
    if (tSch > dd) dd = tSch;
    if (tLsq > dd) dd = tLsq;
    if (tRegs > dd) dd = tRegs;
    let cur = lastD + 1;
    if (fReady > cur) { stallFE += fReady - cur; cur = fReady; }
    if (tRob > cur) { stallRob += tRob - cur; cur = tRob; }
    if (tSch > cur) { stallSched += tSch - cur; cur = tSch; }
    let ti = dd + 1;
    if (lastI > ti) ti = lastI;
    const xi = unchecked(rg[((j - iw) & PM) * RS + _I]) + 1; if (xi > ti) ti = xi;
    const rb = pc * MAX_READS, nr = unchecked(pcNReads[pc]);
    for (let r = 0; r < nr; r++) { const x = unchecked(regVis[unchecked(pcReads[rb + r])]); if (x > ti) ti = x; }
    const un = unchecked(pcUnits[pc]);
    let unit = unchecked(pcUnit[pc]);
    const l = unchecked(pcLat[pc]);
    let occ = unchecked(pcOcc[pc]);
    if (un == 1) {
      const x = unchecked(unitFree[unit]); if (x > ti) ti = x;
      unchecked(poolBusy[unchecked(pcPool[pc])] += occ);
    } else {
      const u0 = unchecked(pcU0[pc]);
      let minFree = Infinity, minK = 0, found = false, k = 0;
      for (let u = 0; u < un; u++) {
        const id = unchecked(uList[u0 + u]), x = unchecked(unitFree[id]);
        if (x <= ti) { unit = id; k = u; found = true; break; }
        if (x < minFree) { minFree = x; minK = u; }
      }
      if (!found) { ti = minFree; k = minK; unit = unchecked(uList[u0 + k]); }
      occ = unchecked(uOccMul[u0 + k]);
      unchecked(poolBusy[unchecked(uPool[unit])] += occ);
    }
    unchecked(unitFree[unit] = ti + occ);
    let done: f64, vis: f64;
    if (isMem && size != 0) {
      const tm = ti > lastAccept ? ti : lastAccept;
      let ready = ti;
      const pieces = unchecked(bPieces[q]);
      if (memLat >= 0) {
        for (let p = 0; p < pieces; p++) { const r = tm + memLat; if (r > ready) ready = r; }
      } else {
        const addr = <f64>unchecked(bAddr[q]), stride = <f64>unchecked(bStride[q]);
        for (let p = 0; p < pieces; p++) { const r = memAccess(addr + <f64>p * stride, size, (info & 4) != 0 ? 0 : 1, tm, pc); if (r > ready) ready = r; }
      }
      lastAccept = tm;
      done = ready + l;
      vis = done > tm + 1 ? done : tm + 1;
    } else { done = ti + l; vis = done; }
    if (misp) { fetchFloor = ti + l + pen; }
    let rr = vis;
    if (lastR > rr) rr = lastR;
    const xr = unchecked(rg[((j - rw) & PM) * RS + _R]) + 1; if (xr > rr) rr = xr;
    const w = unchecked(pcWrite[pc]);
    if (w >= 0) unchecked(regVis[w] = vis);
    if ((info & 8) != 0) { unchecked(xRet[xCount & (xP - 1)] = rr); xCount++; }
    else if ((info & 16) != 0) { unchecked(vRet[vCount & (vP - 1)] = rr); vCount++; }
    if (isMem) { unchecked(lsqRet[memCount & (lsqP - 1)] = rr); memCount++; }
    unchecked(rg[kb + _F] = f); unchecked(rg[kb + _D] = dd); unchecked(rg[kb + _I] = ti); unchecked(rg[kb + _R] = rr);
    lastF = f; lastD = dd; lastI = ti; lastR = rr;
  }
}
