/**
 * Progress on stderr. On a terminal: one bar redrawn in place with `\r` (at most
 * every `ttyIntervalMs`). Elsewhere (CI logs, pipes): a plain line at most every
 * `plainIntervalMs` (~2 s) and once at 100 %. `quiet` silences it.
 */

export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** Report `fraction` ∈ [0, 1] done, with a short message (e.g. `t = 0.21, step 130`). */
  update: (fraction: number, message: string) => void;
  /** End the bar (a newline on a terminal). Safe to call twice. */
  done: () => void;
}

export interface ProgressOptions {
  quiet?: boolean;
  /** Prefix, e.g. `run valley`. */
  label?: string;
  now?: () => number;
  ttyIntervalMs?: number;
  plainIntervalMs?: number;
}

const BAR = 24;

/** `[#########---------------]  37%` */
export function progressBar(fraction: number, width = BAR): string {
  const f = Math.min(1, Math.max(0, fraction));
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${String(Math.floor(f * 100)).padStart(3)}%`;
}

export function createProgress(stream: ProgressStream, opts: ProgressOptions = {}): Progress {
  if (opts.quiet) return { update: () => {}, done: () => {} };
  const now = opts.now ?? (() => Date.now());
  const tty = stream.isTTY === true;
  const interval = tty ? (opts.ttyIntervalMs ?? 100) : (opts.plainIntervalMs ?? 2000);
  const prefix = opts.label ? `${opts.label} ` : '';
  let last = -Infinity;
  let drawn = false;
  let finished = false;
  let closed = false;
  return {
    update(fraction, message) {
      if (closed || !Number.isFinite(fraction)) return;
      const complete = fraction >= 1;
      if (complete && finished) return;
      const t = now();
      if (!complete && t - last < interval) return;
      last = t;
      if (complete) finished = true;
      const text = `${prefix}${progressBar(fraction)} ${message}`.replace(/\s+$/, '');
      if (tty) {
        const cols = stream.columns ?? 100;
        stream.write(`\r${text.slice(0, Math.max(20, cols - 1))}\x1b[K`);
        drawn = true;
      } else {
        stream.write(`${text}\n`);
      }
    },
    done() {
      if (closed) return;
      closed = true;
      if (tty && drawn) stream.write('\n');
    },
  };
}
