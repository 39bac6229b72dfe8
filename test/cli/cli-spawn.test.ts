/**
 * The CLI as a child process (`node --import tsx src/cli/main.ts …`, cwd = repo root):
 * exit codes, what goes to stdout and stderr, one-line errors without stack traces.
 * The spawns run concurrently (each costs ~1 s of tsx start-up).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { cwd: ROOT, env: { ...process.env, GAMMAFP_DEBUG: '' }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** stderr is exactly one line `gammafp: …` and carries no stack trace. */
function expectOneLineError(r: Result): string {
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]!.startsWith('gammafp: ')).toBe(true);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe('');
  return lines[0]!;
}

describe.concurrent('gammafp as a process', () => {
  it('list prints every shipped case with its description, exit 0', async () => {
    const r = await cli('list');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual([
      'hyperbola-iso', 'hyperbola-label', 'hyperbola-mixed', 'scalar-net', 'task-curved', 'task-interpolate', 'task-phase', 'twisted-curve', 'valley', 'valley-cartesian',
    ]);
    expect(r.stdout).toContain('L = ½(uv−1)² with label noise');
    expect(r.stderr).toBe('');
  });

  it('--help lists the commands with examples on stdout, exit 0', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    for (const c of ['run', 'verify', 'theory', 'bench', 'list']) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    expect(r.stdout).toContain('Examples:');
    expect(r.stderr).toBe('');
  });

  it('a malformed case file: exit 2, one line on stderr naming the field and value, no stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gammafp-cli-'));
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'bad',
        variables: ['x', 'y'],
        landscape: 'valley',
        noise: { kind: 'isotropic', sigma2: 1 },
        eta: 0.05,
        grid: { kind: 'cartesian', bounds: [[-2, 2], [-1, 1]], shape: [32, 1.5] },
        initial: { kind: 'gaussian', mean: [0, 0], cov: [[1, 0], [0, 1]] },
        time: { end: 0.5 },
      }),
    );
    const r = await cli('run', file, '--quiet');
    expect(r.code).toBe(2);
    const line = expectOneLineError(r);
    expect(line).toBe(`gammafp: grid.shape[1]: expected an integer ≥ 2, got 1.5 (in ${file})`);
  });

  it('an unknown command: exit 2, one line listing the commands', async () => {
    const r = await cli('frobnicate');
    expect(r.code).toBe(2);
    const line = expectOneLineError(r);
    expect(line).toContain('"frobnicate"');
    expect(line).toContain('run, verify, theory, particles, bench, list');
  });

  it('a bad --eta: exit 2 with the allowed range and the value given', async () => {
    const r = await cli('run', 'valley', '--eta', 'abc');
    expect(r.code).toBe(2);
    expect(expectOneLineError(r)).toBe('gammafp: --eta: expected a number in (0, 1], got "abc"');
  });
});
