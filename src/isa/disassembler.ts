/**
 * The disassembler: instructions back to the assembler's syntax, so that `assemble(disassemble(p))` gives
 * the same instructions and the same data image. Branch targets become labels `L<index>`.
 *
 * @module
 */
import { ETYPES } from './etypes.js';
import { usesPattern } from './encoding.js';
import type { Instr } from './instr.js';
import type { Program } from './program.js';
import { OPS } from './table.js';

/** The mnemonic with its suffixes, e.g. `vadd.u.pp1`, `vmdot.pp2`, `vadd.s4`. */
export function mnemonicOf(ins: Instr): string {
  const row = OPS[ins.op];
  if (row === undefined) return `<unknown opcode ${ins.op}>`;
  let m = row.mnemonic;
  if (ins.et >= 0) m += `.${ETYPES[ins.et]}`;
  if (usesPattern(ins)) m += `.pp${ins.pp}`;
  return m;
}

/** One instruction as text; `label` names branch targets (default `L<index>`). */
export function formatInstr(ins: Instr, label: (target: number) => string = (t) => `L${t}`): string {
  const row = OPS[ins.op];
  if (row === undefined) return `<unknown opcode ${ins.op}>`;
  const ops = row.operands.map((o) => {
    switch (o.kind) {
      case 'vreg':
        return `v${ins[o.field]}`;
      case 'xreg':
        return `x${ins[o.field]}`;
      case 'ppreg':
        return `pp${ins.d}`;
      case 'simm':
      case 'uimm':
        return String(ins[o.field]);
      case 'mem':
        return `${ins.imm}(x${ins.s1})`;
      case 'target':
        return label(ins.imm);
      default: {
        const never: never = o;
        return String(never);
      }
    }
  });
  const m = mnemonicOf(ins);
  return ops.length === 0 ? m : `${m} ${ops.join(', ')}`;
}

/** A whole program as assembler text: code with labels at branch targets, then its data image. */
export function disassemble(p: Program): string {
  const targets = new Set<number>();
  for (const ins of p.instrs) if (OPS[ins.op]?.operands.some((o) => o.kind === 'target')) targets.add(ins.imm);
  const out: string[] = [];
  // Targets past the end cannot carry a label line, so they stay numeric.
  const label = (t: number) => (t <= p.instrs.length ? `L${t}` : String(t));
  p.instrs.forEach((ins, pc) => {
    if (targets.has(pc)) out.push(`L${pc}:`);
    out.push(`    ${formatInstr(ins, label)}`);
  });
  if (targets.has(p.instrs.length)) out.push(`L${p.instrs.length}:`);
  if (p.data.length > 0) {
    out.push('.data');
    for (const b of p.data) {
      out.push(`.org 0x${b.addr.toString(16)}`);
      for (let k = 0; k < b.bytes.length; k += 16) {
        out.push(`    .byte ${[...b.bytes.subarray(k, k + 16)].map((x) => `0x${x.toString(16).padStart(2, '0')}`).join(', ')}`);
      }
    }
  }
  return out.join('\n') + '\n';
}
