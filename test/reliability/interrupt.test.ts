/**
 * SIGINT during a run: the process stops at a step boundary, writes what is
 * finished with `complete: false` in summary.json, exits 130, and leaves no
 * truncated or temporary file behind.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const main = join(root, 'dist', 'src', 'cli', 'main.js');

describe('interrupts', () => {
  it('SIGINT mid-run: exit 130, a valid partial summary.json (complete: false), no truncated file', async () => {
    expect(existsSync(main), 'the compiled CLI (npm test builds it first)').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'gammafp-sigint-'));
    try {
      const out = join(dir, 'out');
      // The shipped case on a finer uniform tube (65 536 cells, no particles), so that the signal lands while
      // the stepper runs: the shipped grid solves in about two seconds.
      const spec = JSON.parse(readFileSync(join(root, 'grids', 'hyperbola-label.json'), 'utf8'));
      spec.grid = { kind: 'tube', along: 1024, across: 64, halfWidth: 8 };
      delete spec.particles;
      const caseFile = join(dir, 'slow.json');
      writeFileSync(caseFile, JSON.stringify(spec));
      const child = spawn(process.execPath, [main, 'run', caseFile, '--out', out], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let sent = false;
      const code: number = await new Promise((resolve, reject) => {
        child.stderr.on('data', (b: Buffer) => {
          stderr += b.toString();
          // The first progress line with a time means the stepper is running.
          if (!sent && /t = \d/.test(stderr)) {
            sent = true;
            child.kill('SIGINT');
          }
        });
        child.on('error', reject);
        child.on('exit', (c) => resolve(c ?? -1));
      });
      expect(sent).toBe(true);
      expect(code).toBe(130);
      expect(stderr).toMatch(/SIGINT received/);
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { complete: boolean; stoppedAt: number; time: { end: number }; along: { t: number[] } };
      expect(summary.complete).toBe(false);
      expect(summary.stoppedAt).toBeGreaterThan(0);
      expect(summary.stoppedAt).toBeLessThan(summary.time.end);
      expect(summary.along.t.at(-1)).toBeCloseTo(summary.stoppedAt, 12);
      const files = readdirSync(out);
      expect(files).toContain('report.html');
      expect(files.filter((f) => /tmp|\.part/.test(f))).toEqual([]);
      JSON.parse(readFileSync(join(out, 'case.json'), 'utf8'));
      expect(readFileSync(join(out, 'report.html'), 'utf8').trimEnd().endsWith('</html>')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
