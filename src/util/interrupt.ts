/**
 * Cooperative stop requests (SIGINT/SIGTERM): the command line sets the flag,
 * the run loop checks it at every step boundary, finishes what is complete
 * (frames so far, trackers, the report) with `complete: false` and returns.
 */
let requested: string | null = null;

export function requestStop(reason: string): void {
  requested ??= reason;
}

export function stopRequested(): string | null {
  return requested;
}

export function clearStop(): void {
  requested = null;
}

/** Thrown from a step callback to leave the stepper at a step boundary. */
export class StopSignal extends Error {
  readonly t: number;
  constructor(t: number) {
    super(`stopped at t = ${t}`);
    this.t = t;
  }
}
