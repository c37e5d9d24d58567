// Experiment, not part of the package: assembly/loop.ts line for line in JavaScript, written the way
// src/pipeline/inorder.ts is (run's arrays and carried variables copied to locals, written back at the end).
// `T.mem === null`: a fixed latency inline; otherwise `T.mem.access` (a MemoryPort).
const MAX_READS = 4, RS = 8, _F = 0, _D = 1, _I = 2, _R = 3;
export function runBatchJS(T, S, n) {
  const { rg, regVis, unitFree, poolBusy, lsqRet, xRet, vRet, bim, pcInfo, pcNReads, pcReads, pcWrite, pcLat, pcUnits, pcUnit, pcPool, pcOcc, pcU0, uList, uOccMul, uPool, bPc, bSize, bAddr, bStride, bPieces, bTaken, fw, dw, iw, rw, fq, rob, sch, lsq, xFree, vFree, feDelay, pen, memLat, lsqP, xP, vP, PM, mem } = T;
  let { memCount, xCount, vCount, j, lastF, lastD, lastI, lastR, fetchFloor, lastAccept, loads, stores, loadBytes, mispredicts, stallRob, stallSched, stallFE } = S;

  for (let q = 0; q < n; q++, j++) {
    const pc = bPc[q];
    const info = pcInfo[pc];
    const kb = (j & PM) * RS;
    let f = lastF > fetchFloor ? lastF : fetchFloor;
    const xf = rg[((j - fw) & PM) * RS + _F] + 1; if (xf > f) f = xf;
    const xq = rg[((j - fq) & PM) * RS + _D]; if (xq > f) f = xq;
    const size = bSize[q];
    if (size !== 0) {
      if ((info & 4) !== 0) { loads++; loadBytes += (size * bPieces[q]); } else { stores++; }
    }
    let misp = false;
    if ((info & 1) !== 0) {
      const e = pc & 4095;
      const ctr = bim[e];
      const taken = bTaken[q] === 1;
      if ((ctr >= 2) !== taken) { mispredicts++; misp = true; }
      bim[e] = (taken ? (ctr < 3 ? ctr + 1 : 3) : (ctr > 0 ? ctr - 1 : 0));
    }
    const fReady = f + feDelay;
    let dd = fReady;
    if (lastD > dd) dd = lastD;
    const xd = rg[((j - dw) & PM) * RS + _D] + 1; if (xd > dd) dd = xd;
    const tRob = rg[((j - rob) & PM) * RS + _R];
    const tSch = rg[((j - sch) & PM) * RS + _I];
    const isMem = (info & 2) !== 0;
    const tLsq = isMem && memCount >= lsq ? lsqRet[(memCount - lsq) & (lsqP - 1)] : 0;
    const tRegs = (info & 8) !== 0 && xCount >= xFree ? xRet[(xCount - xFree) & (xP - 1)] : (info & 16) !== 0 && vCount >= vFree ? vRet[(vCount - vFree) & (vP - 1)] : 0;
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
    const xi = rg[((j - iw) & PM) * RS + _I] + 1; if (xi > ti) ti = xi;
    const rb = pc * MAX_READS, nr = pcNReads[pc];
    for (let r = 0; r < nr; r++) { const x = regVis[pcReads[rb + r]]; if (x > ti) ti = x; }
    const un = pcUnits[pc];
    let unit = pcUnit[pc];
    const l = pcLat[pc];
    let occ = pcOcc[pc];
    if (un === 1) {
      const x = unitFree[unit]; if (x > ti) ti = x;
      poolBusy[pcPool[pc]] += occ;
    } else {
      const u0 = pcU0[pc];
      let minFree = Infinity, minK = 0, found = false, k = 0;
      for (let u = 0; u < un; u++) {
        const id = uList[u0 + u], x = unitFree[id];
        if (x <= ti) { unit = id; k = u; found = true; break; }
        if (x < minFree) { minFree = x; minK = u; }
      }
      if (!found) { ti = minFree; k = minK; unit = uList[u0 + k]; }
      occ = uOccMul[u0 + k];
      poolBusy[uPool[unit]] += occ;
    }
    unitFree[unit] = ti + occ;
    let done, vis;
    if (isMem && size !== 0) {
      const tm = ti > lastAccept ? ti : lastAccept;
      let ready = ti;
      const pieces = bPieces[q];
      if (mem === null) {
        for (let p = 0; p < pieces; p++) { const r = tm + memLat; if (r > ready) ready = r; }
      } else {
        const addr = bAddr[q], stride = bStride[q];
        for (let p = 0; p < pieces; p++) { const r = mem.access(addr + p * stride, size, (info & 4) !== 0 ? 0 : 1, tm, pc); if (r > ready) ready = r; }
      }
      lastAccept = tm;
      done = ready + l;
      vis = done > tm + 1 ? done : tm + 1;
    } else { done = ti + l; vis = done; }
    if (misp) { fetchFloor = ti + l + pen; }
    let rr = vis;
    if (lastR > rr) rr = lastR;
    const xr = rg[((j - rw) & PM) * RS + _R] + 1; if (xr > rr) rr = xr;
    const w = pcWrite[pc];
    if (w >= 0) regVis[w] = vis;
    if ((info & 8) !== 0) { xRet[xCount & (xP - 1)] = rr; xCount++; }
    else if ((info & 16) !== 0) { vRet[vCount & (vP - 1)] = rr; vCount++; }
    if (isMem) { lsqRet[memCount & (lsqP - 1)] = rr; memCount++; }
    rg[kb + _F] = f; rg[kb + _D] = dd; rg[kb + _I] = ti; rg[kb + _R] = rr;
    lastF = f; lastD = dd; lastI = ti; lastR = rr;
  }

  Object.assign(S, { memCount, xCount, vCount, j, lastF, lastD, lastI, lastR, fetchFloor, lastAccept, loads, stores, loadBytes, mispredicts, stallRob, stallSched, stallFE });
}
