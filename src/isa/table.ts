/**
 * The instruction table: one row per opcode, holding its mnemonic, operands (and so its encoding), the element
 * types it accepts, its instruction class, its memory behaviour, its semantics in words and its fast
 * semantics function. The assembler, disassembler, encoder, executor dispatch, static register read/write
 * sets and docs/isa-reference.md are all derived from this table; add an opcode here and they follow. Two
 * things are written apart on purpose: the independent reference semantics (`reference.ts`, a case of
 * `referenceStep`), which test/isa/descriptor.test.ts requires for every row, and the timing class's
 * latency and energy, which the instruction class (`cls`) selects.
 *
 * @module
 */
import type { InstrClassName } from './classes.js';
import type { EtypeName } from './etypes.js';
import type { ExecFn, OpDef, OperandSpec } from './instr.js';
import * as S from './semantics/scalar.js';
import * as D from './semantics/vdot.js';
import * as E from './semantics/velem.js';
import * as M from './semantics/vmem.js';

// Operand shorthands. Field d/s1/s2 are register slots; access says whether the register is read or written.
const vd: OperandSpec = { kind: 'vreg', name: 'vd', field: 'd', access: 'w' };
const vdRW: OperandSpec = { kind: 'vreg', name: 'vd', field: 'd', access: 'rw' };
// An accumulator: vd += ... (its read is timed as the `accumulator` operand: read-advance and forwarding rules).
const vdAcc: OperandSpec = { kind: 'vreg', name: 'vd', field: 'd', access: 'rw', accumulator: true };
const vsD: OperandSpec = { kind: 'vreg', name: 'vs', field: 'd', access: 'r' };
const vs1: OperandSpec = { kind: 'vreg', name: 'vs1', field: 's1', access: 'r' };
const vs2: OperandSpec = { kind: 'vreg', name: 'vs2', field: 's2', access: 'r' };
const xd: OperandSpec = { kind: 'xreg', name: 'xd', field: 'd', access: 'w' };
const xs1: OperandSpec = { kind: 'xreg', name: 'xs1', field: 's1', access: 'r' };
const xs2: OperandSpec = { kind: 'xreg', name: 'xs2', field: 's2', access: 'r' };
const ppd: OperandSpec = { kind: 'ppreg', name: 'ppK', field: 'd' };
const mem: OperandSpec = { kind: 'mem', name: 'imm(xs1)' };
const target: OperandSpec = { kind: 'target', name: 'label' };
const imm12: OperandSpec = { kind: 'simm', name: 'imm', field: 'imm', bits: 12 };
const imm32: OperandSpec = { kind: 'simm', name: 'imm', field: 'imm', bits: 32 };
const shamt: OperandSpec = { kind: 'uimm', name: 'shamt', field: 'imm', bits: 5 };
const lane: OperandSpec = { kind: 'uimm', name: 'lane', field: 'imm', bits: 4, writesLane: true };
const part: OperandSpec = { kind: 'uimm', name: 'part', field: 'imm', bits: 5 };
const part2: OperandSpec = { kind: 'uimm', name: 'part', field: 'imm2', bits: 5 };
const index: OperandSpec = { kind: 'uimm', name: 'index', field: 'imm', bits: 9 };
const width: OperandSpec = { kind: 'uimm', name: 'width', field: 'imm', bits: 4 };

const UINT: EtypeName[] = ['u1', 'u2', 'u4', 'u8', 'u16', 'u32'];
const SINT: EtypeName[] = ['s2', 's4', 's8', 's16', 's32'];
const INT: EtypeName[] = [...UINT, ...SINT];
const PAT: EtypeName[] = ['u', 's'];
const NARROWABLE: EtypeName[] = ['u1', 'u2', 'u4', 'u8', 'u16', 's2', 's4', 's8', 's16'];

interface RowOpts {
  etypes?: EtypeName[];
  needsPattern?: boolean;
  mem?: 'load' | 'store';
}

function row(
  mnemonic: string,
  operands: OperandSpec[],
  cls: InstrClassName,
  exec: ExecFn,
  summary: string,
  semantics: string,
  opts: RowOpts = {},
): OpDef {
  return Object.freeze({
    mnemonic,
    operands: Object.freeze(operands),
    etypes: Object.freeze(opts.etypes ?? []),
    needsPattern: opts.needsPattern ?? false,
    cls,
    mem: opts.mem ?? 'none',
    summary,
    semantics,
    exec,
  });
}

const R3 = [xd, xs1, xs2];
const RI = [xd, xs1, imm12];
const RS = [xd, xs1, shamt];
const B = [xs1, xs2, target];
const V3 = [vd, vs1, vs2];

/** Every opcode, in opcode-id order. Append new rows at the end so existing encodings stay valid. */
export const OPS: readonly OpDef[] = Object.freeze([
  // ---- control and scalar --------------------------------------------------------------------------------
  row('halt', [], 'misc', S.halt, 'stop the program', 'Stops execution; the executor returns.'),
  row('nop', [], 'misc', S.nop, 'do nothing', 'No effect.'),
  row('li', [xd, imm32], 'scalar-alu', S.li, 'load a 32-bit immediate', 'xd = imm (two encoding words).'),
  row('add', R3, 'scalar-alu', S.add, 'add', 'xd = xs1 + xs2, wrapping to 32 bits.'),
  row('sub', R3, 'scalar-alu', S.sub, 'subtract', 'xd = xs1 - xs2, wrapping.'),
  row('mul', R3, 'scalar-mul', S.mul, 'multiply', 'xd = low 32 bits of xs1 * xs2.'),
  row('and', R3, 'scalar-alu', S.and, 'bitwise and', 'xd = xs1 & xs2.'),
  row('or', R3, 'scalar-alu', S.or, 'bitwise or', 'xd = xs1 | xs2.'),
  row('xor', R3, 'scalar-alu', S.xor, 'bitwise xor', 'xd = xs1 ^ xs2.'),
  row('sll', R3, 'scalar-alu', S.sll, 'shift left', 'xd = xs1 << (xs2 & 31).'),
  row('srl', R3, 'scalar-alu', S.srl, 'shift right logical', 'xd = xs1 >>> (xs2 & 31).'),
  row('sra', R3, 'scalar-alu', S.sra, 'shift right arithmetic', 'xd = xs1 >> (xs2 & 31).'),
  row('slt', R3, 'scalar-alu', S.slt, 'set if less (signed)', 'xd = xs1 < xs2 ? 1 : 0, signed.'),
  row('sltu', R3, 'scalar-alu', S.sltu, 'set if less (unsigned)', 'xd = xs1 < xs2 ? 1 : 0, unsigned.'),
  row('addi', RI, 'scalar-alu', S.addi, 'add immediate', 'xd = xs1 + imm (12-bit signed).'),
  row('andi', RI, 'scalar-alu', S.andi, 'and immediate', 'xd = xs1 & imm.'),
  row('ori', RI, 'scalar-alu', S.ori, 'or immediate', 'xd = xs1 | imm.'),
  row('xori', RI, 'scalar-alu', S.xori, 'xor immediate', 'xd = xs1 ^ imm.'),
  row('slti', RI, 'scalar-alu', S.slti, 'set if less than immediate', 'xd = xs1 < imm ? 1 : 0, signed.'),
  row('slli', RS, 'scalar-alu', S.slli, 'shift left by immediate', 'xd = xs1 << shamt.'),
  row('srli', RS, 'scalar-alu', S.srli, 'shift right logical by immediate', 'xd = xs1 >>> shamt.'),
  row('srai', RS, 'scalar-alu', S.srai, 'shift right arithmetic by immediate', 'xd = xs1 >> shamt.'),
  row('lw', [xd, mem], 'scalar-load', S.lw, 'load word', 'xd = 32-bit word at xs1 + imm (4-byte aligned).', { mem: 'load' }),
  row('sw', [xs2, mem], 'scalar-store', S.sw, 'store word', 'Word at xs1 + imm (4-byte aligned) = xs2.', { mem: 'store' }),
  row('beq', B, 'branch', S.beq, 'branch if equal', 'If xs1 == xs2, continue at label.'),
  row('bne', B, 'branch', S.bne, 'branch if not equal', 'If xs1 != xs2, continue at label.'),
  row('blt', B, 'branch', S.blt, 'branch if less (signed)', 'If xs1 < xs2 (signed), continue at label.'),
  row('bge', B, 'branch', S.bge, 'branch if greater or equal (signed)', 'If xs1 >= xs2 (signed), continue at label.'),
  row('bltu', B, 'branch', S.bltu, 'branch if less (unsigned)', 'If xs1 < xs2 (unsigned), continue at label.'),
  row('bgeu', B, 'branch', S.bgeu, 'branch if greater or equal (unsigned)', 'If xs1 >= xs2 (unsigned), continue at label.'),

  // ---- precision patterns --------------------------------------------------------------------------------
  row('setpp', [ppd, xs1, xs2], 'pattern', S.setpp, 'write a pattern register', 'PPk = pattern decoded from descriptor words xs1 (runs 0-2) and xs2 (runs 3-5); faults if it does not tile VLEN, uses a width the mixed unit lacks, or has too many runs.'),
  row('setppi', [ppd, width], 'pattern', S.setppi, 'write a uniform pattern', 'PPk = VLEN/width elements of `width` bits (1, 2, 4 or 8).'),

  // ---- vector memory ------------------------------------------------------------------------------------
  row('vld', [vd, mem], 'vec-load', M.vld, 'load a vector', 'vd = VLEN/8 bytes at xs1 + imm (no alignment needed).', { mem: 'load' }),
  row('vst', [vsD, mem], 'vec-store', M.vst, 'store a vector', 'VLEN/8 bytes at xs1 + imm = vs.', { mem: 'store' }),
  row('vlds', [vd, mem, xs2], 'vec-load', M.vlds, 'strided load', 'Element k (8/16/32-bit) of vd = element at xs1 + imm + k * xs2; each element aligned to its size.', { mem: 'load', etypes: ['u8', 'u16', 'u32'] }),
  row('vsts', [vsD, mem, xs2], 'vec-store', M.vsts, 'strided store', 'Element at xs1 + imm + k * xs2 = element k of vs.', { mem: 'store', etypes: ['u8', 'u16', 'u32'] }),
  row('vldt', [vd, mem, xs2], 'vec-load', M.vldt, 'tail load', 'The first xs2 bytes (0..VLEN/8) of vd come from xs1 + imm; the rest are zero. For a partial last vector.', { mem: 'load' }),
  row('vstt', [vsD, mem, xs2], 'vec-store', M.vstt, 'tail store', 'The first xs2 bytes of vs are stored at xs1 + imm; nothing else is written.', { mem: 'store' }),

  // ---- vector logic ------------------------------------------------------------------------------------
  row('vand', V3, 'vec-logic', E.vand, 'bitwise and', 'vd = vs1 & vs2.'),
  row('vor', V3, 'vec-logic', E.vor, 'bitwise or', 'vd = vs1 | vs2.'),
  row('vxor', V3, 'vec-logic', E.vxor, 'bitwise xor', 'vd = vs1 ^ vs2.'),
  row('vxnor', V3, 'vec-logic', E.vxnor, 'bitwise xnor', 'vd = ~(vs1 ^ vs2): +1 where binary values agree.'),
  row('vandn', V3, 'vec-logic', E.vandn, 'and-not', 'vd = vs1 & ~vs2.'),
  row('vnot', [vd, vs1], 'vec-logic', E.vnot, 'bitwise not', 'vd = ~vs1.'),

  // ---- element-wise --------------------------------------------------------------------------------------
  row('vbcast', [vd, xs1], 'vec-permute', E.vbcast, 'broadcast a scalar', 'Every element of vd = the low w bits of xs1 (w = that element\'s width).', { etypes: [...INT, ...PAT] }),
  row('vsll', [vd, vs1, shamt], 'vec-shift', E.vsll, 'shift elements left', 'Each element = its bits << shamt, wrapping (0 when shamt >= width).', { etypes: [...UINT, ...PAT] }),
  row('vsrl', [vd, vs1, shamt], 'vec-shift', E.vsrl, 'shift elements right, logical', 'Each element = its bits >>> shamt (0 when shamt >= width).', { etypes: [...UINT, ...PAT] }),
  row('vsra', [vd, vs1, shamt], 'vec-shift', E.vsra, 'shift elements right, arithmetic', 'Each element read as two\'s complement >> shamt (sign fill when shamt >= width; a 1-bit element is unchanged).', { etypes: [...SINT, ...PAT] }),
  row('vpopc', [vd, vs1], 'vec-popcnt', E.vpopc, 'per-element popcount', 'Each element = number of set bits in it.', { etypes: [...UINT, 'u'] }),
  row('vadd', V3, 'vec-alu', E.vadd, 'add elements, wrapping', 'vd[i] = vs1[i] + vs2[i] modulo 2^w; f32: IEEE add, round to nearest even.', { etypes: [...INT, ...PAT, 'f32'] }),
  row('vsub', V3, 'vec-alu', E.vsub, 'subtract elements, wrapping', 'vd[i] = vs1[i] - vs2[i] modulo 2^w; f32: IEEE subtract.', { etypes: [...INT, ...PAT, 'f32'] }),
  row('vadds', V3, 'vec-alu', E.vadds, 'add elements, saturating', 'vd[i] = clamp(vs1[i] + vs2[i]) to the element type\'s range.', { etypes: [...INT, ...PAT] }),
  row('vsubs', V3, 'vec-alu', E.vsubs, 'subtract elements, saturating', 'vd[i] = clamp(vs1[i] - vs2[i]).', { etypes: [...INT, ...PAT] }),
  row('vmul', V3, 'vec-mul', E.vmul, 'multiply elements, wrapping', 'vd[i] = low w bits of vs1[i] * vs2[i]; f32: IEEE multiply.', { etypes: [...INT, ...PAT, 'f32'] }),
  row('vmuls', V3, 'vec-mul', E.vmuls, 'multiply elements, saturating', 'vd[i] = clamp(vs1[i] * vs2[i]).', { etypes: [...INT, ...PAT] }),
  row('vmin', V3, 'vec-alu', E.vmin, 'element minimum', 'vd[i] = min(vs1[i], vs2[i]) (signedness from the type; f32: NaN if either is NaN, -0 < +0).', { etypes: [...INT, ...PAT, 'f32'] }),
  row('vmax', V3, 'vec-alu', E.vmax, 'element maximum', 'vd[i] = max(vs1[i], vs2[i]).', { etypes: [...INT, ...PAT, 'f32'] }),
  row('vext', [xd, vs1, index], 'vec-permute', E.vext, 'extract an element', 'xd = element `index` of vs1, zero- or sign-extended (b1: -1/+1).', { etypes: [...INT, 'b1', ...PAT] }),
  row('vins', [vdRW, xs1, index], 'vec-permute', E.vins, 'insert an element', 'Element `index` of vd = the low w bits of xs1; other elements keep their value.', { etypes: [...INT, ...PAT] }),
  row('vwiden', [vd, vs1, part], 'vec-permute', E.vwiden, 'unpack to twice the width', 'Elements of half `part` (0 low, 1 high) of vs1 become elements of twice the width in vd, zero/sign-extended (b1 -> s2 as -1/+1).', { etypes: [...NARROWABLE, 'b1'] }),
  row('vnarrow', [vdRW, vs1, part], 'vec-permute', E.vnarrow, 'pack to half the width, saturating', 'Every element of vs1 (twice the type\'s width, same signedness) is clamped to the type and written to half `part` of vd; the other half keeps its value.', { etypes: NARROWABLE }),
  row('vredsum', [xd, vs1], 'vec-reduce', E.vredsum, 'sum all elements', 'xd = sum of all elements, wrapping to 32 bits.', { etypes: [...INT, ...PAT] }),
  row('vredmax', [xd, vs1], 'vec-reduce', E.vredmax, 'largest element', 'xd = largest element (u32: its bits).', { etypes: [...INT, ...PAT] }),
  row('vredmin', [xd, vs1], 'vec-reduce', E.vredmin, 'smallest element', 'xd = smallest element.', { etypes: [...INT, ...PAT] }),
  row('vrequant', [vdRW, vs1, shamt, part2], 'vec-requant', E.vrequant, 'requantise int32 lanes', 'For each int32 lane k of vs1: y = (x + 2^(shamt-1)) >> shamt (round half up; no bias when shamt = 0), clamped to the range of element part*L + k of vd (L = VLEN/32) and written there; other elements keep their value.', { etypes: ['u1', 'u2', 'u4', 'u8', 's2', 's4', 's8', ...PAT] }),
  row('vrequantv', [vdRW, vs1, vs2, part], 'vec-requant', E.vrequantv, 'requantise with per-lane shifts', 'As vrequant, with the shift of lane k taken from int32 lane k of vs2 (0..31).', { etypes: ['u1', 'u2', 'u4', 'u8', 's2', 's4', 's8', ...PAT] }),

  // ---- multiply-accumulate and dot products ---------------------------------------------------------------
  row('vwmacc', [vdAcc, vs1, vs2, part], 'vec-mac', D.vwmacc, 'widening multiply-accumulate', 'int32 lane k of vd += vs1[e] * vs2[e] with e = part*L + k (L = VLEN/32), wrapping.', { etypes: ['u2', 'u4', 'u8', 'u16', 's2', 's4', 's8', 's16'] }),
  row('vdot', [vdAcc, vs1, vs2], 'vec-dot8', D.vdot, 'int8 dot product (sdot/udot)', 'int32 lane k of vd += sum over j<4 of byte 4k+j of vs1 * byte 4k+j of vs2, both signed (.s8) or unsigned (.u8), wrapping.', { etypes: ['s8', 'u8'] }),
  row('vdotus', [vdAcc, vs1, vs2], 'vec-dot8', D.vdotus, 'u8 x s8 dot product (vpdpbusd)', 'As vdot with unsigned bytes of vs1 and signed bytes of vs2.'),
  row('vxdot', [vdAcc, vs1, vs2, lane], 'vec-xdot', D.vxdot, 'binary XNOR-popcount dot product', 'int32 lane `lane` of vd += sum over all bits of (vs1 XNOR vs2 ? +1 : -1) = 2 popcount(~(vs1 ^ vs2)) - VLEN.'),
  row('vmdot', [vdAcc, vs1, vs2, lane], 'vec-mdot', D.vmdot, 'mixed-precision dot product', 'int32 lane `lane` of vd += sum over elements i under PPk of a[i] * w[i]: activations a (vs1) unsigned, weights w (vs2) two\'s complement, 1-bit weights -1/+1; wrapping.', { needsPattern: true }),
  row('vmdots', [vdAcc, vs1, vs2, lane], 'vec-mdot', D.vmdots, 'mixed-precision dot product, saturating', 'As vmdot, with the int32 accumulation saturating.', { needsPattern: true }),
  row('vfma', [vdAcc, vs1, vs2], 'vec-fma', D.vfma, 'fp32 fused multiply-add', 'vd = vs1 * vs2 + vd per f32 lane, rounded once (round to nearest even); NaN results are 0x7fc00000.', { etypes: ['f32'] }),

  // ---- broadcast load (issue 14) --------------------------------------------------------------------------
  row('vldbc', [vd, mem], 'vec-load', M.vldbc, 'load one element to every element', 'Every element (8/16/32-bit) of vd = the element at xs1 + imm, aligned to its size: one memory access of one element (vbroadcastss, ld1r), not one per element as a stride-0 vlds.', { mem: 'load', etypes: ['u8', 'u16', 'u32', 'f32'] }),
]);

/** Opcode id of each mnemonic. */
export const OPCODE: ReadonlyMap<string, number> = new Map(OPS.map((o, i) => [o.mnemonic, i]));

/** The opcode id of a mnemonic; throws for an unknown one (for code that builds instructions by name). */
export function opcodeOf(mnemonic: string): number {
  const id = OPCODE.get(mnemonic);
  if (id === undefined) throw new Error(`unknown mnemonic '${mnemonic}'`);
  return id;
}
