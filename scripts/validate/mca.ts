/**
 * llvm-mca as a reference: finding the installed versions and measuring steady-state cycles per iteration
 * of a loop body. llvm-mca simulates the block as if it were repeated `-iterations` times (it takes no
 * branch and models no cache: every load hits L1), so two runs of different lengths give, by their
 * difference, the cycles of one iteration with the pipeline fill cancelled.
 *
 * llvm-mca comes from Debian's `llvm` package (version 14 on Debian 12) or a versioned one (`llvm-19`).
 *
 * @module
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** One installed llvm-mca. */
export interface Mca {
  /** Path of the executable. */
  readonly path: string;
  /** Its LLVM major version. */
  readonly major: number;
  /** Its full version text (`14.0.6`). */
  readonly version: string;
}

function versionOf(path: string): Mca | null {
  const r = spawnSync(path, ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const m = /LLVM version (\d+)\.(\d+)\.(\d+)/.exec(r.stdout);
  return m === null ? null : { path, major: Number(m[1]), version: `${m[1]}.${m[2]}.${m[3]}` };
}

/**
 * Every llvm-mca found, newest first: `$LLVM_MCA` if set (then only that one), else `llvm-mca` and
 * `llvm-mca-N` on the PATH and in /usr/lib/llvm-N/bin, one per major version.
 */
export function findMca(env: NodeJS.ProcessEnv = process.env): Mca[] {
  if (env.LLVM_MCA) {
    const one = versionOf(env.LLVM_MCA);
    if (one === null) throw new Error(`LLVM_MCA=${env.LLVM_MCA} does not run as llvm-mca --version`);
    return [one];
  }
  const candidates: string[] = [];
  for (const dir of (env.PATH ?? '').split(delimiter).filter((d) => d !== '')) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (/^llvm-mca(-\d+)?$/.test(f)) candidates.push(join(dir, f));
  }
  if (existsSync('/usr/lib')) {
    for (const d of readdirSync('/usr/lib')) if (/^llvm-\d+$/.test(d)) candidates.push(join('/usr/lib', d, 'bin', 'llvm-mca'));
  }
  const byMajor = new Map<number, Mca>();
  for (const c of candidates) {
    if (!existsSync(c)) continue;
    const v = versionOf(c);
    if (v !== null && !byMajor.has(v.major)) byMajor.set(v.major, v);
  }
  return [...byMajor.values()].sort((a, b) => b.major - a.major);
}

/** A processor model: target triple and `-mcpu`. */
export interface McaTarget {
  readonly triple: string;
  readonly mcpu: string;
}

/** What llvm-mca measured for one loop on one processor model. */
export interface McaResult {
  /** Steady-state cycles per iteration. */
  readonly cyclesPerIteration: number;
  /** Instructions per iteration (as llvm-mca counts them). */
  readonly instructions: number;
  /** The resources (units) of the scheduling model, as llvm-mca lists them: which model it really used. */
  readonly resources: readonly string[];
}

/** Iteration counts of the two runs whose difference is measured. */
export const MCA_ITERATIONS: readonly [number, number] = [1000, 2000];

function runMca(mca: Mca, target: McaTarget, file: string, iterations: number): string {
  try {
    return execFileSync(mca.path, [`-mtriple=${target.triple}`, `-mcpu=${target.mcpu}`, `-iterations=${iterations}`, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`llvm-mca ${mca.version} -mcpu=${target.mcpu} ${file}: ${(err.stderr ?? err.message).trim().split('\n').slice(0, 4).join(' | ')}`);
  }
}

function field(out: string, name: string, file: string): number {
  const m = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(out);
  if (m === null) throw new Error(`llvm-mca output for ${file} has no '${name}:' line`);
  return Number(m[1]);
}

/** Steady-state cycles per iteration of the loop in `file` on `target`. */
export function measureMca(mca: Mca, target: McaTarget, file: string): McaResult {
  const [n1, n2] = MCA_ITERATIONS;
  const a = runMca(mca, target, file, n1);
  const b = runMca(mca, target, file, n2);
  const resources: string[] = [];
  const block = /\nResources:\n([\s\S]*?)\n\n/.exec(b);
  if (block !== null) for (const line of block[1]!.split('\n')) resources.push(line.replace(/^\[[\d.]+\]\s*-\s*/, '').trim());
  return {
    cyclesPerIteration: (field(b, 'Total Cycles', file) - field(a, 'Total Cycles', file)) / (n2 - n1),
    instructions: field(b, 'Instructions', file) / n2,
    resources,
  };
}
