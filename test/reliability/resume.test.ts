/**
 * Checkpoints: a run killed with SIGKILL after a checkpoint and resumed with
 * `run --resume DIR` ends with the same summary.json numbers as an
 * uninterrupted run (to 1e-12 relative), and the same number of frames.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const main = join(root, 'dist', 'src', 'cli', 'main.js');
const run = promisify(execFile);

/** All numbers of a summary that describe the solution (not wall times, solver timings or file paths). */
function numbers(s: Record<string, unknown>): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (v: unknown, path: string) => {
    if (/wallSeconds|outputs|^solver|Seconds/.test(path)) return;
    if (typeof v === 'number') out.set(path, v);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(s, '');
  return out;
}

describe('checkpoint and resume', () => {
  it('SIGKILL after a checkpoint, then --resume: the same summary as an uninterrupted run', async () => {
    expect(existsSync(main), 'the compiled CLI (npm test builds it first)').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'gammafp-resume-'));
    try {
      const spec = JSON.parse(readFileSync(join(root, 'grids', 'hyperbola-label.json'), 'utf8'));
      spec.grid = { kind: 'tube', along: 256, across: 24, halfWidth: 8 };
      spec.output = { frames: 41 };
      const caseFile = join(dir, 'case.json');
      writeFileSync(caseFile, JSON.stringify(spec));
      const A = join(dir, 'A');
      const B = join(dir, 'B');
      await run(process.execPath, [main, 'run', caseFile, '--out', A, '--quiet'], { cwd: root });

      const child = spawn(process.execPath, [main, 'run', caseFile, '--out', B, '--quiet', '--checkpoint-every', '0.05'], { cwd: root, stdio: 'ignore' });
      const killedAt: string = await new Promise((resolve, reject) => {
        const poll = setInterval(() => {
          if (existsSync(join(B, 'checkpoint.json'))) {
            clearInterval(poll);
            child.kill('SIGKILL');
            resolve('after a checkpoint');
          }
        }, 20);
        child.on('exit', (code, sig) => {
          clearInterval(poll);
          if (sig !== 'SIGKILL') reject(new Error(`the run ended (${code}) before it could be killed`));
        });
      });
      await new Promise((r) => child.on('exit', r));
      expect(killedAt).toBe('after a checkpoint');
      expect(existsSync(join(B, 'summary.json'))).toBe(false);

      await run(process.execPath, [main, 'run', '--resume', B, '--quiet'], { cwd: root });
      const a = JSON.parse(readFileSync(join(A, 'summary.json'), 'utf8'));
      const b = JSON.parse(readFileSync(join(B, 'summary.json'), 'utf8'));
      expect(b.complete).toBe(true);
      expect(b.along.t.length).toBe(41);
      const na = numbers(a);
      const nb = numbers(b);
      expect([...nb.keys()].sort()).toEqual([...na.keys()].sort());
      let worst = 0;
      for (const [k, v] of na) {
        const w = nb.get(k)!;
        const rel = Math.abs(v - w) / Math.max(Math.abs(v), 1e-300);
        if (!(v === w || rel <= 1e-12)) worst = Math.max(worst, rel);
        expect(v === w || rel <= 1e-12, `${k}: ${v} vs ${w}`).toBe(true);
      }
      console.log(`resume: ${na.size} numbers compared, worst relative difference ${worst.toExponential(2)}`);
      expect(existsSync(join(B, 'checkpoint.json'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
