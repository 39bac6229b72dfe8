import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeInlineScript, jsonForScript, renderReportHtml } from '../../src/output/report-html.js';
import { buildFigures } from '../../src/output/figures.js';
import { decodeB64, type B64Array } from '../../src/output/typed-b64.js';
import { writeRunOutputs } from '../../src/output/write-outputs.js';
import { cartesianReport, tubeReport } from './synthetic.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function embeddedFigures(html: string): { id: string; frames?: { data: { z?: B64Array }[] }[] }[] {
  const m = html.match(/<script type="application\/json" id="gammafp-data">([\s\S]*?)<\/script>/);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]);
}

describe('renderReportHtml', () => {
  const data = cartesianReport();
  const html = renderReportHtml(data);

  it('is self-contained: plotly inline, no external script/link/img/css sources', () => {
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('plotly.js v4'); // the bundle's banner
    expect(html).not.toMatch(/<script[^>]*\bsrc\s*=/i);
    expect(html).not.toMatch(/<link[^>]*\bhref\s*=/i);
    expect(html).not.toMatch(/<(img|iframe)[^>]*\bsrc\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import/);
    // the only <script>s: plotly, the JSON data, the page script — and each closes once
    expect((html.match(/<script\b/gi) ?? []).length).toBe(3);
    expect((html.match(/<\/script/gi) ?? []).length).toBe(3);
  });

  it('stays under 20 MB with 80 frames of 128×96 (downsampled to 60 frames of 64×48)', () => {
    const bytes = Buffer.byteLength(html);
    console.log(`cartesian report: ${(bytes / 1e6).toFixed(2)} MB (plotly ~4.83 MB)`);
    expect(bytes).toBeLessThan(20e6);
    const figs = embeddedFigures(html);
    const dens = figs.find((f) => f.id === 'plot-density')!;
    expect(dens.frames!.length).toBe(60);
    const z0 = dens.frames![0].data[0].z!;
    expect(z0.shape).toBe('48,64');
    // frame 0 is the block average of the first full frame: total mass × (cells per block)⁻¹ preserved
    const full = data.density!.frames[0];
    let sFull = 0;
    for (let i = 0; i < full.length; i++) sFull += full[i];
    const red = decodeB64(z0);
    let sRed = 0;
    for (const v of red) sRed += v;
    expect(sRed * 4).toBeCloseTo(sFull, 2);
  });

  it('draws every section present and only those', () => {
    expect(buildFigures(data).map((f) => f.id)).toEqual([
      'plot-density', 'plot-marginal', 'plot-mean-along', 'plot-across-variance', 'plot-profiles', 'plot-verify',
    ]);
    expect(buildFigures(tubeReport()).map((f) => f.id)).toEqual(['plot-density', 'plot-marginal']);
    const bare = renderReportHtml({ meta: { case: 'empty', eta: 0.1, gridKind: 'cartesian', dim: 2, cells: 4 } });
    expect(embeddedFigures(bare)).toEqual([]);
    expect(bare).toContain('gammafp report — empty');
  });

  it('labels frames with t and the SGD step count n = t/η²', () => {
    const figs = buildFigures(data);
    const steps = (figs[0].layout.sliders as { steps: { label: string }[] }[])[0].steps;
    expect(steps[0].label).toBe('t = 0 (n = 0 SGD steps)');
    expect(steps[59].label).toBe('t = 1 (n = 400 SGD steps)');
  });

  it('escapes text and script-closing sequences', () => {
    const h = renderReportHtml({ meta: { case: '<b>x</b></script>', description: 'a & b', eta: 0.1, gridKind: 'cartesian', dim: 2, cells: 1 }, summary: { note: '</script><script>alert(1)</script>' } });
    expect(h).not.toContain('<b>x</b>');
    expect(h).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect((h.match(/<\/script/gi) ?? []).length).toBe(3);
    expect(escapeInlineScript('var a="</script>";// <!-- x')).toBe('var a="\\x3C/script>";// \\x3C!-- x');
    expect(JSON.parse(jsonForScript({ s: '</script>' }))).toEqual({ s: '</script>' });
    // the escaped JS still means the same
    expect(new Function(`return ${escapeInlineScript('"</script><!--"')}`)()).toBe('</script><!--');
    expect(new Function(`return ${escapeInlineScript('/<!--x/.test("<!--x")')}`)()).toBe(true);
  });
});

describe('writeRunOutputs', () => {
  it('writes report, summary (with outputs), case and one CSV per series', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gammafp-out-'));
    dirs.push(dir);
    const out = join(dir, 'run');
    const data = cartesianReport({ nx: 32, ny: 24, nt: 10 });
    const paths = await writeRunOutputs(out, data, { summary: { case: 'valley', eta: 0.05, bad: NaN }, caseJson: { name: 'valley', eta: 0.05 } });
    expect(readdirSync(out).sort()).toEqual(['case.json', 'report.html', 'series-along-mean.csv', 'series-mass.csv', 'summary.json']);
    expect(paths.map((p) => p.slice(out.length + 1)).sort()).toEqual(readdirSync(out).sort());
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary).toEqual({ case: 'valley', eta: 0.05, bad: null, outputs: paths });
    expect(JSON.parse(readFileSync(join(out, 'case.json'), 'utf8'))).toEqual({ name: 'valley', eta: 0.05 });
    const csv = readFileSync(join(out, 'series-mass.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('t,mass,relDrift');
    expect(csv.length).toBe(11);
    expect(csv[10].split(',').map(Number)).toEqual([1, 1, 1e-15]);
  });

  it('a rendering error writes nothing and keeps an earlier report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gammafp-out-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'report.html'), 'GOOD');
    const data = cartesianReport({ nx: 8, ny: 8, nt: 3 });
    data.series = { mass: { t: [0, 1], columns: { m: [1] } } }; // ragged column
    await expect(writeRunOutputs(dir, data, { summary: {}, caseJson: {} })).rejects.toThrow(/series\.mass\.columns\.m/);
    expect(readdirSync(dir)).toEqual(['report.html']);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe('GOOD');
  });
});
