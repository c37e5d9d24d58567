/**
 * The assembler: text to {@link Program}. Syntax (documented in docs/isa.md):
 *
 * ```
 *  # comment (also ; and //)
 *  loop:  vld v1, 0(x1)              # label, mnemonic, operands
 *         vmdot.pp2 v8, v1, v2, 3     # suffixes: element type (.s4, .u.pp1) and pattern register (.pp2)
 *         addi x1, x1, 32
 *         bne x1, x2, loop
 *         halt
 *  .data 0x1000                       # data mode, at an address (default: where the last data ended)
 *  w:     .byte 1, 2, 0x7f            # also .half, .word, .space n[, fill], .align n, .org addr
 *  pat:   .pattern 4x16, 2x32, 1x128  # a precision-pattern descriptor: two words
 *  .text                              # back to code
 *  .equ N, 64                         # a named constant
 * ```
 * Immediates are decimal, `0x` hex or `0b` binary, optionally negative, or a label or constant with an
 * optional `+`/`-` offset; `%pp(4x16, 2x32, 1x128)` and `%pphi(...)` give a pattern's descriptor words.
 * Every error is collected (line, column, the text at fault, what was expected) and thrown together.
 *
 * @module
 */
import { ETYPES, etypeCode, isPatternType, type EtypeName } from './etypes.js';
import type { Instr, OperandSpec } from './instr.js';
import { encodePattern, type PatternRun } from './pattern.js';
import { makeProgram, type DataBlock, type Program } from './program.js';
import { OPCODE, OPS } from './table.js';

/** One assembly error, located. */
export interface AsmProblem {
  readonly line: number;
  readonly column: number;
  /** The text at fault. */
  readonly text: string;
  readonly message: string;
}

/** Thrown by {@link assemble} with every problem found. */
export class AssemblyError extends Error {
  constructor(
    readonly problems: readonly AsmProblem[],
    readonly source = '<input>',
  ) {
    super(problems.map((p) => `${source}:${p.line}:${p.column}: ${p.message} (at '${p.text}')`).join('\n'));
    this.name = 'AssemblyError';
  }
}

/** Options of {@link assemble}. */
export interface AssembleOptions {
  /** Name used in error messages (a file name). Default `<input>`. */
  readonly source?: string;
}

class LineError extends Error {
  constructor(
    message: string,
    readonly text: string,
  ) {
    super(message);
  }
}

interface PendingInstr {
  readonly line: number;
  readonly column: number;
  readonly text: string;
  readonly mnemonic: string;
  readonly operands: readonly { text: string; column: number }[];
}

interface PendingData {
  readonly line: number;
  readonly column: number;
  readonly addr: number;
  readonly size: 1 | 2 | 4;
  readonly expr: string;
}

const NUM = /^[-+]?(0x[0-9a-f_]+|0b[01_]+|[0-9_]+)$/i;
const IDENT = /^[A-Za-z_.$][A-Za-z0-9_.$]*$/;

/** Parses an integer literal, or returns null. */
export function parseIntLiteral(s: string): number | null {
  const t = s.trim();
  if (!NUM.test(t)) return null;
  const neg = t.startsWith('-');
  const body = t.replace(/^[-+]/, '').replace(/_/g, '').toLowerCase();
  const v = body.startsWith('0x') ? parseInt(body.slice(2), 16) : body.startsWith('0b') ? parseInt(body.slice(2), 2) : parseInt(body, 10);
  return neg ? -v : v;
}

function parseRuns(s: string): PatternRun[] {
  return s.split(',').map((part) => {
    const m = /^\s*(\d+)\s*x\s*(\d+)\s*$/i.exec(part);
    if (!m) throw new LineError(`pattern run must be WIDTHxCOUNT, e.g. 4x16`, part.trim());
    return { widthBits: Number(m[1]), count: Number(m[2]) };
  });
}

/** Assembles text into a program; throws {@link AssemblyError} listing every problem. */
export function assemble(text: string, options: AssembleOptions = {}): Program {
  const problems: AsmProblem[] = [];
  const labels = new Map<string, number>();
  const dataLabels = new Map<string, number>();
  const consts = new Map<string, number>();
  const pending: PendingInstr[] = [];
  const pendingData: PendingData[] = [];
  const image = new Map<number, number>(); // data address -> byte
  let inData = false;
  let dataAddr = 0;

  const fail = (line: number, column: number, text: string, message: string) => problems.push({ line, column, text, message });

  const evalExpr = (expr: string, allowLabels: boolean): number => {
    const e = expr.trim();
    const lit = parseIntLiteral(e);
    if (lit !== null) return lit;
    const fn = /^%(pp|pphi)\((.*)\)$/i.exec(e);
    if (fn) {
      let words: [number, number];
      try {
        words = encodePattern(parseRuns(fn[2]!));
      } catch (err) {
        if (err instanceof LineError) throw err;
        throw new LineError((err as Error).message, e);
      }
      return fn[1]!.toLowerCase() === 'pp' ? words[0] | 0 : words[1] | 0;
    }
    const m = /^([A-Za-z_.$][A-Za-z0-9_.$]*)\s*(?:([+-])\s*(.+))?$/.exec(e);
    if (m) {
      const name = m[1]!;
      let base = consts.get(name) ?? dataLabels.get(name);
      if (base === undefined && allowLabels) base = labels.get(name);
      if (base === undefined) throw new LineError(`unknown symbol '${name}' (expected a number, a label or an .equ constant)`, e);
      if (m[2] === undefined) return base;
      const off = parseIntLiteral(m[3]!);
      if (off === null) throw new LineError(`offset must be an integer literal`, m[3]!);
      return m[2] === '+' ? base + off : base - off;
    }
    throw new LineError(`expected an integer, a label, a constant, or %pp(...)`, e);
  };

  const lines = text.split(/\r?\n/);
  // Pass 1: labels, directives and data; instructions are kept for pass 2 once every label is known.
  lines.forEach((raw, idx) => {
    const lineNo = idx + 1;
    let body = raw.replace(/(#|;|\/\/).*$/, '');
    let col = 1;
    for (;;) {
      const lm = /^(\s*)([A-Za-z_.$][A-Za-z0-9_.$]*)\s*:/.exec(body);
      if (!lm) break;
      const name = lm[2]!;
      const c = col + lm[1]!.length;
      if (labels.has(name) || dataLabels.has(name) || consts.has(name)) fail(lineNo, c, name, `label '${name}' is defined twice`);
      else if (inData) dataLabels.set(name, dataAddr);
      else labels.set(name, pending.length);
      col += lm[0].length;
      body = body.slice(lm[0].length);
    }
    const lead = /^\s*/.exec(body)![0].length;
    const stmt = body.trim();
    if (stmt === '') return;
    const c0 = col + lead;
    const sp = stmt.search(/\s/);
    const head = sp < 0 ? stmt : stmt.slice(0, sp);
    const rest = sp < 0 ? '' : stmt.slice(sp).trim();
    const restCol = c0 + (sp < 0 ? stmt.length : stmt.indexOf(rest, sp));
    try {
      if (head.startsWith('.')) {
        directive(head.toLowerCase(), rest, lineNo, restCol);
        return;
      }
      if (inData) throw new LineError(`instruction '${head}' in the .data section (expected a data directive or .text)`, head);
      pending.push({ line: lineNo, column: c0, text: stmt, mnemonic: head, operands: splitOperands(rest, restCol) });
    } catch (err) {
      if (!(err instanceof LineError)) throw err;
      fail(lineNo, c0, err.text, err.message);
    }
  });

  function directive(name: string, rest: string, lineNo: number, col: number): void {
    const args = rest === '' ? [] : splitOperands(rest, col).map((a) => a.text);
    const need = (n: number) => {
      if (args.length !== n) throw new LineError(`${name} takes ${n} argument${n === 1 ? '' : 's'}, got ${args.length}`, rest || name);
    };
    switch (name) {
      case '.text':
        need(0);
        inData = false;
        return;
      case '.data':
        if (args.length > 1) throw new LineError(`.data takes at most one address`, rest);
        inData = true;
        if (args.length === 1) dataAddr = nonNegative(evalExpr(args[0]!, false), args[0]!);
        return;
      case '.org':
        need(1);
        requireData(name);
        dataAddr = nonNegative(evalExpr(args[0]!, false), args[0]!);
        return;
      case '.align': {
        need(1);
        requireData(name);
        const a = evalExpr(args[0]!, false);
        if (a <= 0 || (a & (a - 1)) !== 0) throw new LineError(`.align needs a power of two, got ${a}`, args[0]!);
        dataAddr = Math.ceil(dataAddr / a) * a;
        return;
      }
      case '.equ': {
        need(2);
        const n = args[0]!;
        if (!IDENT.test(n)) throw new LineError(`.equ needs a name first`, n);
        if (consts.has(n) || labels.has(n) || dataLabels.has(n)) throw new LineError(`'${n}' is defined twice`, n);
        consts.set(n, evalExpr(args[1]!, false));
        return;
      }
      case '.byte':
      case '.half':
      case '.word': {
        requireData(name);
        if (args.length === 0) throw new LineError(`${name} needs at least one value`, name);
        const size = name === '.byte' ? 1 : name === '.half' ? 2 : 4;
        for (const a of args) {
          pendingData.push({ line: lineNo, column: col, addr: dataAddr, size, expr: a });
          dataAddr += size;
        }
        return;
      }
      case '.space': {
        requireData(name);
        if (args.length < 1 || args.length > 2) throw new LineError(`.space takes a size and an optional fill byte`, rest);
        const n = nonNegative(evalExpr(args[0]!, false), args[0]!);
        const fill = args.length === 2 ? evalExpr(args[1]!, false) & 0xff : 0;
        for (let k = 0; k < n; k++) image.set(dataAddr + k, fill);
        dataAddr += n;
        return;
      }
      case '.pattern': {
        requireData(name);
        let words: [number, number];
        try {
          words = encodePattern(parseRuns(rest));
        } catch (err) {
          if (err instanceof LineError) throw err;
          throw new LineError((err as Error).message, rest);
        }
        for (const w of words) {
          for (let k = 0; k < 4; k++) image.set(dataAddr + k, (w >>> (8 * k)) & 0xff);
          dataAddr += 4;
        }
        return;
      }
      default:
        throw new LineError(`unknown directive (expected .text, .data, .org, .align, .equ, .byte, .half, .word, .space or .pattern)`, name);
    }
  }

  function requireData(name: string): void {
    if (!inData) throw new LineError(`${name} is only allowed after .data`, name);
  }

  function nonNegative(v: number, text: string): number {
    if (v < 0) throw new LineError(`address must not be negative`, text);
    return v;
  }

  // Pass 2: data values that may name labels, then instructions.
  for (const d of pendingData) {
    try {
      const v = evalExpr(d.expr, true);
      const lo = d.size === 4 ? -(2 ** 31) : -(2 ** (8 * d.size - 1));
      const hi = 2 ** (8 * d.size) - 1;
      if (v < lo || v > hi) throw new LineError(`value ${v} does not fit ${d.size} byte${d.size > 1 ? 's' : ''}`, d.expr);
      for (let k = 0; k < d.size; k++) image.set(d.addr + k, Math.floor(v / 2 ** (8 * k)) & 0xff);
    } catch (err) {
      if (!(err instanceof LineError)) throw err;
      fail(d.line, d.column, err.text, err.message);
    }
  }

  const instrs: Instr[] = [];
  const srcLines: number[] = [];
  pending.forEach((p, pc) => {
    try {
      instrs.push(parseInstr(p, pc, evalExpr, labels));
      srcLines.push(p.line);
    } catch (err) {
      if (!(err instanceof LineError)) throw err;
      fail(p.line, p.column, err.text, err.message);
    }
  });

  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new AssemblyError(problems, options.source);
  }
  return makeProgram(instrs, imageToBlocks(image), labels, dataLabels, srcLines);
}

function splitOperands(s: string, col: number): { text: string; column: number }[] {
  if (s.trim() === '') return [];
  const out: { text: string; column: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    const ch = s[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    if (i === s.length || (ch === ',' && depth === 0)) {
      const piece = s.slice(start, i);
      const lead = piece.length - piece.trimStart().length;
      out.push({ text: piece.trim(), column: col + start + lead });
      start = i + 1;
    }
  }
  return out;
}

/** Merges a sparse byte image into contiguous blocks. */
function imageToBlocks(image: Map<number, number>): DataBlock[] {
  const addrs = [...image.keys()].sort((a, b) => a - b);
  const blocks: DataBlock[] = [];
  let i = 0;
  while (i < addrs.length) {
    let j = i;
    while (j + 1 < addrs.length && addrs[j + 1] === addrs[j]! + 1) j++;
    const bytes = new Uint8Array(j - i + 1);
    for (let k = i; k <= j; k++) bytes[k - i] = image.get(addrs[k]!)!;
    blocks.push({ addr: addrs[i]!, bytes });
    i = j + 1;
  }
  return blocks;
}

function regNumber(text: string, prefix: 'x' | 'v' | 'pp', max: number): number {
  const t = text.trim().toLowerCase();
  if (prefix === 'x' && t === 'zero') return 0;
  const m = new RegExp(`^${prefix}(\\d+)$`).exec(t);
  const n = m ? Number(m[1]) : -1;
  if (!m || n >= max) throw new LineError(`expected a ${prefix === 'x' ? 'scalar' : prefix === 'v' ? 'vector' : 'pattern'} register ${prefix}0..${prefix}${max - 1}`, text);
  return n;
}

function parseInstr(
  p: PendingInstr,
  pc: number,
  evalExpr: (e: string, allowLabels: boolean) => number,
  labels: ReadonlyMap<string, number>,
): Instr {
  const parts = p.mnemonic.toLowerCase().split('.');
  const base = parts[0]!;
  const op = OPCODE.get(base);
  if (op === undefined) throw new LineError(`unknown mnemonic '${base}'`, p.mnemonic);
  const row = OPS[op]!;
  const ins: Instr = { op, d: 0, s1: 0, s2: 0, et: -1, pp: -1, imm: 0, imm2: 0 };
  for (const sfx of parts.slice(1)) {
    const pm = /^pp(\d)$/.exec(sfx);
    if (pm) {
      if (ins.pp >= 0) throw new LineError(`two pattern suffixes`, p.mnemonic);
      ins.pp = Number(pm[1]);
      if (ins.pp > 7) throw new LineError(`pattern register must be pp0..pp7`, sfx);
      continue;
    }
    const code = etypeCode(sfx);
    if (code < 0) throw new LineError(`unknown suffix '.${sfx}' (expected an element type ${ETYPES.join('/')} or .ppN)`, p.mnemonic);
    if (ins.et >= 0) throw new LineError(`two element-type suffixes`, p.mnemonic);
    if (!row.etypes.includes(sfx as EtypeName)) {
      throw new LineError(row.etypes.length === 0 ? `${base} takes no element type` : `${base} takes element types ${row.etypes.join(', ')}, not ${sfx}`, p.mnemonic);
    }
    ins.et = code;
  }
  if (row.etypes.length > 0 && ins.et < 0) throw new LineError(`${base} needs an element type suffix: one of .${row.etypes.join(', .')}`, p.mnemonic);
  const wantsPattern = row.needsPattern || (ins.et >= 0 && isPatternType(ins.et));
  if (wantsPattern && ins.pp < 0) throw new LineError(`${p.mnemonic} needs a pattern register suffix .pp0...pp7`, p.mnemonic);
  if (!wantsPattern && ins.pp >= 0) throw new LineError(`${base} with a uniform element type takes no pattern register`, p.mnemonic);

  const specs = row.operands;
  if (p.operands.length !== specs.length) {
    throw new LineError(`${base} takes ${specs.length} operand${specs.length === 1 ? '' : 's'} (${specs.map((s) => s.name).join(', ') || 'none'}), got ${p.operands.length}`, p.text);
  }
  specs.forEach((spec: OperandSpec, k) => {
    const t = p.operands[k]!.text;
    switch (spec.kind) {
      case 'vreg':
        ins[spec.field] = regNumber(t, 'v', 32);
        break;
      case 'xreg':
        ins[spec.field] = regNumber(t, 'x', 32);
        break;
      case 'ppreg':
        ins.d = regNumber(t, 'pp', 8);
        break;
      case 'simm':
      case 'uimm': {
        let v = evalExpr(t, spec.bits === 32);
        if (spec.bits === 32) {
          if (v < -(2 ** 31) || v > 2 ** 32 - 1) throw new LineError(`immediate ${v} does not fit 32 bits`, t);
          v |= 0;
        } else checkRange(v, spec.bits, spec.kind === 'simm', t);
        ins[spec.field] = v;
        break;
      }
      case 'mem': {
        const m = /^(.*)\(\s*([^)]*)\s*\)$/.exec(t);
        if (!m) throw new LineError(`expected a memory operand offset(xN)`, t);
        ins.s1 = regNumber(m[2]!, 'x', 32);
        const v = m[1]!.trim() === '' ? 0 : evalExpr(m[1]!, false);
        checkRange(v, 12, true, t);
        ins.imm = v;
        break;
      }
      case 'target': {
        const lit = parseIntLiteral(t);
        const target = lit ?? labels.get(t.trim());
        if (target === undefined) throw new LineError(`unknown label '${t}'`, t);
        if (target < 0) throw new LineError(`branch target must not be negative`, t);
        checkRange(target - pc, 15, true, t);
        ins.imm = target;
        break;
      }
      default: {
        const never: never = spec;
        throw new Error(`unhandled operand ${JSON.stringify(never)}`);
      }
    }
  });
  return ins;
}

function checkRange(v: number, bits: number, signed: boolean, text: string): void {
  const lo = signed ? -(2 ** (bits - 1)) : 0;
  const hi = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  if (v < lo || v > hi) throw new LineError(`value ${v} is outside ${lo}..${hi} (${signed ? 'signed' : 'unsigned'} ${bits} bits)`, text);
}
