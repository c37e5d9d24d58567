/**
 * Generates the instruction reference (docs/isa-reference.md) from the instruction table, so the document can
 * never disagree with what the assembler accepts and the executor does. A test fails when the committed file
 * is stale; `npm run docs:isa` rewrites it.
 *
 * @module
 */
import { INSTR_CLASSES } from './classes.js';
import { LAYOUTS, OPCODE_BITS } from './encoding.js';
import type { OperandSpec } from './instr.js';
import { OPS } from './table.js';

function syntax(mnemonic: string, operands: readonly OperandSpec[], etypes: readonly string[], needsPattern: boolean): string {
  let m = mnemonic;
  if (etypes.length > 0) m += '.T';
  if (needsPattern) m += '.ppK';
  return operands.length === 0 ? m : `${m} ${operands.map((o) => o.name).join(', ')}`;
}

function encodingOf(op: number): string {
  const L = LAYOUTS[op]!;
  const parts = [`op[${OPCODE_BITS - 1}:0]=${op}`];
  for (const s of L.slots) {
    const word = s.pos >= 32 ? 1 : 0;
    const lo = s.pos - 32 * word;
    parts.push(`${s.field}${s.signed ? '(s)' : ''}${s.relative ? '(pc-rel)' : ''}@w${word}[${lo + s.bits - 1}:${lo}]`);
  }
  return parts.join(' ');
}

/** The instruction reference as Markdown. */
export function isaReferenceMarkdown(): string {
  const out: string[] = [
    '# Instruction reference',
    '',
    'Generated from the instruction table (`src/isa/table.ts`) by `npm run docs:isa`; do not edit by hand.',
    'The decisions behind these instructions are in [isa.md](isa.md).',
    '',
    'Syntax: `.T` is an element-type suffix (listed per instruction; `u`/`s` mean pattern-typed elements and',
    'need a `.ppK` suffix too, as in `vadd.u.pp1`), `.ppK` a precision-pattern register. Encoding: the opcode in',
    'bits 6..0 of word 0, then each field as `name@wWORD[hi:lo]`; `(s)` marks a signed field.',
    '',
    '| opcode | syntax | class | memory | words | element types | semantics |',
    '|---:|---|---|---|---:|---|---|',
  ];
  OPS.forEach((o, i) => {
    out.push(
      `| ${i} | \`${syntax(o.mnemonic, o.operands, o.etypes, o.needsPattern)}\` | ${o.cls} | ${o.mem} | ${LAYOUTS[i]!.words} | ${o.etypes.join(' ') || '-'} | ${o.semantics.replace(/\|/g, '\\|')} |`,
    );
  });
  out.push('', '## Encodings', '', '| mnemonic | fields |', '|---|---|');
  OPS.forEach((o, i) => out.push(`| ${o.mnemonic} | \`${encodingOf(i)}\` |`));
  out.push('', '## Instruction classes', '', INSTR_CLASSES.map((c) => `\`${c}\``).join(', '), '');
  return out.join('\n');
}
