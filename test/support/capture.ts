/** In-memory stdout/stderr for runCli (stderr is not a TTY; the clock stands still). */
export function captureIo(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s), isTTY: false },
      env,
      now: () => 0,
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}
