/**
 * Progress of a long `run` or `exec` on the terminal: nothing for the first second (most runs end before
 * then), then one line rewritten in place with the instructions executed, the elapsed time and the rate.
 * Shown only when the stream is a TTY, so logs and pipes stay clean; the line is erased when the run ends.
 *
 * @module
 */

/** Where progress goes: a writable stream that may be a terminal. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** `12.3 M`, `456 k`, `789`. */
export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)} k`;
  return String(n);
}

/** Reports a run's instruction count on a TTY after `afterMs` (default 1 s), every `everyMs` (default 250 ms). */
export class RunProgress {
  private readonly t0 = Date.now();
  private last = -Infinity;
  private shown = false;

  constructor(
    private readonly label: string,
    /** The run stops here (shown as the share done). */
    private readonly limit: number | undefined,
    private readonly stream: ProgressStream = process.stderr,
    private readonly afterMs = 1000,
    private readonly everyMs = 250,
  ) {}

  /** Called with the instructions executed so far; cheap when nothing is due. */
  update(instructions: number): void {
    if (this.stream.isTTY !== true) return;
    const now = Date.now();
    const ms = now - this.t0;
    if (ms < this.afterMs || now - this.last < this.everyMs) return;
    this.last = now;
    this.shown = true;
    const share = this.limit !== undefined && Number.isFinite(this.limit) ? ` of at most ${formatCount(this.limit)}` : '';
    const rate = instructions / (Math.max(ms, 1) / 1000);
    this.stream.write(`\r\x1b[K${this.label}: ${formatCount(instructions)}${share} instructions, ${(ms / 1000).toFixed(1)} s, ${formatCount(Math.round(rate))}/s`);
  }

  /** Erases the progress line, if one was shown. */
  done(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
