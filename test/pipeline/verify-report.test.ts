/**
 * verify's one report for all η: the verdict block first (its numbers are summary.json's, by key), the error–η
 * plot, and every η's measured drift profile on one plot, whose error against Li shrinks with η on the valley
 * (the averaging error is O(η)).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCase } from '../../src/case/schema.js';
import { verifyCase } from '../../src/pipeline/verify.js';
import { writeVerifyOutputs } from '../../src/pipeline/verify-report.js';

describe('verify report', () => {
  it('valley at η = 0.04, 0.02: verdict block, error–η plot, both drift profiles on one plot', async () => {
    const spec = loadCase('valley');
    spec.grid = { kind: 'tube', along: 128, across: 24, halfWidth: 8 };
    spec.output = { frames: 11 };
    const r = await verifyCase(spec, [0.04, 0.02], { workers: 1, resolutionCheck: false });
    const dir = mkdtempSync(join(tmpdir(), 'gammafp-verify-report-'));
    try {
      await writeVerifyOutputs(dir, spec, r);
      const html = readFileSync(join(dir, 'report.html'), 'utf8');
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
      // The verdict block comes before the first plot and the collapsed summary table after the last.
      const at = (needle: string) => html.indexOf(needle);
      expect(at('id="verdict"')).toBeGreaterThan(0);
      expect(at('id="verdict"')).toBeLessThan(at('class="plot"'));
      expect(at('id="summary-table"')).toBeGreaterThan(html.lastIndexOf('class="plot"'));
      const cells = [...html.matchAll(/data-key="([^"]+)" data-value="([^"]+)"/g)].map((m) => [m[1], Number(m[2])] as const);
      expect(cells.length).toBeGreaterThanOrEqual(6);
      const lookup = (key: string): unknown => key.split('.').reduce<unknown>((v, k) => (Array.isArray(v) && k === '-1' ? v[v.length - 1] : (v as Record<string, unknown>)?.[k]), summary);
      for (const [key, value] of cells) expect(lookup(key), key).toBe(value);
      expect(cells.map((c) => c[0])).toContain('runs.-1.along.driftProfile.errLi');
      // One measured profile per η, then Li and the seed.
      const figs = JSON.parse(html.slice(at('id="gammafp-data">') + 'id="gammafp-data">'.length, html.lastIndexOf('</script>', html.indexOf('<script>', at('id="gammafp-data"')))));
      const drift = (figs as { id: string; data: { name: string }[] }[]).find((f) => f.id === 'plot-drift-profiles');
      expect(drift?.data.map((d) => d.name.replace(/ \(Li .*\)$/, ''))).toEqual(['measured, η = 0.04', 'measured, η = 0.02', 'Li–Wang–Arora', 'seed']);
      const [e04, e02] = r.runs.map((run) => run.along!.driftProfile!.errLi);
      expect(e02).toBeLessThan(e04);
      expect(r.runs[1].along!.driftProfile!.errSeed).toBeGreaterThan(5 * e02);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
