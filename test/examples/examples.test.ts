/** Every example in examples/ runs to completion with small settings and prints its key numbers. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts'));

describe('examples', () => {
  it('there are examples to run', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });
  for (const file of examples) {
    it(`${file} runs with --small`, async () => {
      const out = mkdtempSync(join(tmpdir(), 'gammafp-example-'));
      try {
        const { stdout } = await run(process.execPath, ['--import', 'tsx', join('examples', file), join(out, 'o'), '--small'], { cwd: root, timeout: 240_000 });
        expect(stdout.length).toBeGreaterThan(0);
        if (file === 'hyperbola-label.ts') expect(stdout).toMatch(/wrote \d+ files/);
        if (file === 'eta-sweep.ts') expect(stdout).toMatch(/verdict: (li|seed|neither)/);
        if (file === 'custom-landscape.ts') expect(stdout).toMatch(/full equation: moved/);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }, 300_000);
  }
});
