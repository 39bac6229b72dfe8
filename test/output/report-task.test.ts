/**
 * The report's "learning task" section (issue 17): the model, its rows, the derived L and Σ, and Σ at five
 * points of Γ. task-phase has a closed form on Γ = {v = 0} (its description; hand derivation in
 * test/task/derive.test.ts): with b = 2 + cos u, Σ = ¼ [[1/8, −¼ b sin 3u], [−¼ b sin 3u, ½ b²]].
 */
import { describe, expect, it } from 'vitest';
import { loadCase } from '../../src/case/schema.js';
import { reportTask } from '../../src/pipeline/report-data.js';
import { renderReportHtml } from '../../src/output/report-html.js';
import { cartesianReport } from './synthetic.js';

describe('report: the learning task section', () => {
  const spec = loadCase('task-phase');
  const task = reportTask(spec)!;

  it('Σ on Γ equals the closed form at five points to round-off', () => {
    expect(task.onGamma).toHaveLength(5);
    for (const p of task.onGamma!) {
      const u = p.at[0]!;
      expect(p.theta).toEqual([u, 0]);
      const b = 2 + Math.cos(u);
      const exact = [1 / 32, -(b * Math.sin(3 * u)) / 16, -(b * Math.sin(3 * u)) / 16, (b * b) / 8];
      p.sigma.forEach((v, k) => expect(Math.abs(v - exact[k]!)).toBeLessThanOrEqual(1e-13));
    }
  });

  it('the page shows the model, every row, L and the upper triangle of Σ; a case without a task shows none', () => {
    const data = cartesianReport();
    const html = renderReportHtml({ ...data, meta: { ...data.meta, variables: spec.variables, task } });
    const section = html.match(/<section id="task">[\s\S]*?<\/section>/)?.[0] ?? '';
    expect(section).toContain('cos(u - x) + v*(2 + cos(u))');
    expect(section).toContain('batch 2 of 3 without replacement');
    expect((section.match(/<tr><td>/g) ?? []).length).toBe(3 + 5); // 3 data rows, 5 points of Γ
    expect(section).toContain('L = <code>');
    for (const name of ['Σ[u][u]', 'Σ[u][v]', 'Σ[v][v]']) expect(section).toContain(name);
    expect(section).not.toContain('Σ[v][u]');
    expect(renderReportHtml(data)).not.toContain('<section id="task">');
    expect(reportTask(loadCase('hyperbola-label'))).toBeUndefined();
  });
});
