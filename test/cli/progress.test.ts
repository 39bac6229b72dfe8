import { describe, expect, it } from 'vitest';
import { createProgress, progressBar } from '../../src/cli/progress.js';
import { finding, formatRunSummary, fmt } from '../../src/cli/summary-text.js';

function sink(isTTY: boolean) {
  const out: string[] = [];
  return { stream: { write: (s: string) => out.push(s), isTTY, columns: 80 }, out };
}

describe('progress', () => {
  it('draws a bar of the fraction done', () => {
    expect(progressBar(0, 10)).toBe('[----------]   0%');
    expect(progressBar(0.37, 10)).toBe('[####------]  37%');
    expect(progressBar(1, 10)).toBe('[##########] 100%');
    expect(progressBar(2, 10)).toBe('[##########] 100%');
  });

  it('not a terminal: a plain line at most every 2 s, and once at 100 %', () => {
    let t = 0;
    const s = sink(false);
    const p = createProgress(s.stream, { now: () => t, label: 'run x' });
    for (const [time, f] of [[0, 0.1], [500, 0.2], [1999, 0.3], [2000, 0.4], [2500, 0.5], [2600, 1], [2700, 1]] as const) {
      t = time;
      p.update(f, `f = ${f}`);
    }
    p.done();
    expect(s.out).toEqual([
      `run x ${progressBar(0.1)} f = 0.1\n`,
      `run x ${progressBar(0.4)} f = 0.4\n`,
      `run x ${progressBar(1)} f = 1\n`,
    ]);
  });

  it('a terminal: redraws in place with \\r and ends with a newline', () => {
    let t = 0;
    const s = sink(true);
    const p = createProgress(s.stream, { now: () => t });
    p.update(0.2, 'a');
    t = 50;
    p.update(0.3, 'b'); // throttled
    t = 200;
    p.update(1, 'c');
    p.done();
    p.done();
    expect(s.out).toHaveLength(3);
    expect(s.out[0]!.startsWith('\r')).toBe(true);
    expect(s.out[1]).toContain('100%');
    expect(s.out[2]).toBe('\n');
  });

  it('quiet writes nothing', () => {
    const s = sink(true);
    const p = createProgress(s.stream, { quiet: true });
    p.update(1, 'x');
    p.done();
    expect(s.out).toEqual([]);
  });
});

describe('human summary', () => {
  it('formats numbers and tolerates missing fields', () => {
    expect(fmt(3e-15)).toBe('3.00e-15');
    expect(fmt(0.123456)).toBe('0.1235');
    expect(fmt(undefined)).toBe('—');
    const text = formatRunSummary({
      case: 'c',
      eta: 0.01,
      grid: { kind: 'tube', cells: 100, shape: [] },
      time: { end: 0.5, steps: 3, sgdSteps: 5000, scheme: 'tr-bdf2', rejected: 0 },
      wallSeconds: 2,
      mass: { initial: 1, relDriftMax: 1e-14 },
      density: { min: -1e-18 },
      outputs: [],
      along: { l1Li: [0, 0.02], l1Seed: [0, 0.3] },
    });
    expect(text).toContain('tube, 100 cells\n');
    expect(text).toContain('= 5000 SGD steps');
    expect(text).toContain('li 0.02, seed 0.3');
    expect(text).toContain('(none)');
  });

  it('states the finding: the formula followed, with both errors as shares of the move', () => {
    expect(finding(2.21e-5, 0.0795, 0.0683)).toBe('the motion along Γ follows Li–Wang–Arora (Li misses the mean by 0.032 % of the move, the seed formula by 120 %)');
    expect(finding(0.05, 0.001, 0.2)).toMatch(/^the motion along Γ follows the seed formula \(Li misses the mean by 25 %/);
    // Too close to call, or both far off: neither is named.
    expect(finding(0.01, 0.02, 0.2)).toMatch(/^neither formula/);
    expect(finding(0.05, 0.5, 0.2)).toMatch(/^neither formula/);
    expect(finding(0, 0, 0)).toMatch(/^neither formula/);
  });
});
