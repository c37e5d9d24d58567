/**
 * Progress of a sweep on the terminal: a bar with points done, rate and ETA when the output is a TTY (via
 * cli-progress), a plain line every few seconds otherwise (logs of batch jobs), nothing when quiet.
 *
 * @module
 */
import cliProgress from 'cli-progress';
import type { SweepProgress } from './sweep.js';

/** How progress is shown. */
export type ProgressMode = 'bar' | 'lines' | 'quiet';

/** Receives progress updates; `stop` ends the display. */
export interface ProgressReporter {
  update(p: SweepProgress): void;
  stop(): void;
}

/** `1m05s`, `12s`, or `-` when unknown. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** One line describing progress: `120/468 (25.6%) 34.1 points/s ETA 10s, 2 failed`. */
export function progressLine(p: SweepProgress): string {
  const pct = p.total ? ` (${((100 * p.done) / p.total).toFixed(1)}%)` : '';
  const extra = [p.reused ? `${p.reused} from store` : '', p.failed ? `${p.failed} failed` : '', p.invalid ? `${p.invalid} invalid` : '']
    .filter(Boolean)
    .join(', ');
  return `${p.done}${p.total !== undefined ? '/' + p.total : ''}${pct} ${p.rate.toFixed(1)} points/s ETA ${formatDuration(p.etaMs)}${extra ? ', ' + extra : ''}`;
}

/** A reporter for `mode`, writing to `stream` (default stderr); `everyMs` spaces plain lines (default 5000). */
export function createProgressReporter(mode: ProgressMode, stream: NodeJS.WriteStream = process.stderr, everyMs = 5000): ProgressReporter {
  switch (mode) {
    case 'quiet':
      return { update: () => {}, stop: () => {} };
    case 'lines': {
      let last = -Infinity;
      let latest: SweepProgress | undefined;
      return {
        update(p) {
          latest = p;
          if (p.elapsedMs - last >= everyMs) {
            last = p.elapsedMs;
            stream.write(`sweep: ${progressLine(p)}\n`);
          }
        },
        stop() {
          if (latest && latest.elapsedMs !== last) stream.write(`sweep: ${progressLine(latest)}\n`);
        },
      };
    }
    case 'bar': {
      const bar = new cliProgress.SingleBar(
        { format: 'sweep [{bar}] {value}/{total} {percentage}% | {rate} points/s | ETA {eta_text}{extra}', stream, hideCursor: true, clearOnComplete: false },
        cliProgress.Presets.shades_classic,
      );
      let started = false;
      return {
        update(p) {
          const payload = { rate: p.rate.toFixed(1), eta_text: formatDuration(p.etaMs), extra: p.failed ? ` | ${p.failed} failed` : '' };
          if (!started) {
            bar.start(p.total ?? p.done, p.done, payload);
            started = true;
          } else {
            if (p.total === undefined || p.done > p.total) bar.setTotal(Math.max(p.done, p.total ?? 0));
            bar.update(p.done, payload);
          }
        },
        stop: () => {
          if (started) bar.stop();
        },
      };
    }
    default: {
      const never: never = mode;
      throw new Error(`unknown progress mode ${String(never)}`);
    }
  }
}

/** The mode for a stream: `quiet` when asked, `bar` on a TTY, `lines` otherwise. */
export function progressModeFor(stream: NodeJS.WriteStream, quiet: boolean): ProgressMode {
  return quiet ? 'quiet' : stream.isTTY ? 'bar' : 'lines';
}
