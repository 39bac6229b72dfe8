/// <reference lib="dom" />
/**
 * Real-browser test of report.html: Debian's headless Chromium driven by
 * playwright-core (no browser download). Checks that every plot rendered with
 * no console or page error, that the density animation has the expected frame
 * count, and that moving the slider changes the picture; keeps one screenshot.
 * Without /usr/bin/chromium the test fails under CI and is skipped otherwise.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { writeRunOutputs } from '../../src/output/write-outputs.js';
import type { ReportData } from '../../src/output/types.js';
import { cartesianReport, tubeReport } from './synthetic.js';
import { loadCase } from '../../src/case/schema.js';
import { solveCase } from '../../src/pipeline.js';

const CHROMIUM = '/usr/bin/chromium';
const have = existsSync(CHROMIUM);
const inCI = Boolean(process.env.CI);
const SHOT_DIR = process.env.GAMMAFP_SCREENSHOT_DIR ?? join(tmpdir(), 'gammafp-screenshots');

interface PageState {
  ready: boolean;
  errors: string[];
  plots: Record<string, { frames: number }>;
}

describe.skipIf(!have && !inCI)('report.html in headless Chromium', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    if (!have) {
      throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) — the browser test must run under CI`);
    }
    dir = mkdtempSync(join(tmpdir(), 'gammafp-browser-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(name: string, data: ReportData): Promise<{ page: Page; problems: string[]; state: PageState }> {
    const out = join(dir, name);
    await writeRunOutputs(out, data, { summary: { case: data.meta.case }, caseJson: { name: data.meta.case } });
    const file = join(out, 'report.html');
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`network request: ${r.url()}`);
    });
    const t0 = Date.now();
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => (window as unknown as { __gammafp?: PageState }).__gammafp?.ready === true, null, { timeout: 120_000 });
    console.log(`${name}: report.html ${(statSync(file).size / 1e6).toFixed(2)} MB, loaded and drawn in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const state = await page.evaluate(() => (window as unknown as { __gammafp: PageState }).__gammafp);
    return { page, problems, state };
  }

  /**
   * The verdict block opens the report: it ends inside the first 900 pixels of a 1400-pixel-wide window, and
   * every number of its table is the summary.json value its key names, shown as the formatted text.
   */
  async function checkVerdictBlock(page: Page, summary: Record<string, unknown>): Promise<void> {
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = await page.locator('#verdict').boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y + box!.height).toBeLessThanOrEqual(900);
    const firstSection = await page.locator('main > section').first().getAttribute('id');
    expect(firstSection).toBe('verdict');
    expect(await page.locator('#summary-table details').getAttribute('open')).toBeNull();
    const cells = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#verdict td[data-key]')).map((td) => ({ key: td.getAttribute('data-key')!, value: Number(td.getAttribute('data-value')), text: td.textContent ?? '' })),
    );
    expect(cells.length).toBeGreaterThanOrEqual(8);
    const at = (key: string): unknown =>
      key.split('.').reduce<unknown>((v, k) => (Array.isArray(v) && k === '-1' ? v[v.length - 1] : (v as Record<string, unknown> | undefined)?.[k]), summary);
    for (const c of cells) {
      const want = at(c.key);
      expect(typeof want, c.key).toBe('number');
      expect(c.value, c.key).toBe(want);
      // The text shows the number (as a percentage where the row is a share).
      const shown = Number(c.text.replace(/[\s(].*$/, '').replace('%', ''));
      const scale = c.text.trim().split(' ')[1] === '%' ? 100 : 1;
      expect(Math.abs(shown - scale * (want as number)), `${c.key}: ${c.text}`).toBeLessThanOrEqual(5e-3 * Math.abs(scale * (want as number)) + 1e-300);
    }
    for (const key of ['along.travelled', 'along.endErrLi', 'along.endErrSeed', 'along.driftProfile.errLi', 'along.driftProfile.errSeed', 'across.varRelErrMax', 'mass.relDriftMax', 'time.rejected', 'time.beFallbacks']) {
      expect(cells.map((c) => c.key)).toContain(key);
    }
  }

  /** Every plot div has plotly's SVG; returns their ids. */
  async function renderedPlots(page: Page): Promise<{ ids: string[]; withSvg: string[] }> {
    return page.evaluate(() => {
      const divs = Array.from(document.querySelectorAll('div.plot'));
      return { ids: divs.map((d) => d.id), withSvg: divs.filter((d) => d.querySelector('.main-svg') !== null).map((d) => d.id) };
    });
  }

  async function frameCount(page: Page, id: string): Promise<number> {
    return page.evaluate((i) => {
      const gd = document.getElementById(i) as unknown as { _transitionData?: { _frames?: unknown[] } };
      return gd._transitionData?._frames?.length ?? -1;
    }, id);
  }

  async function heatmapPicture(page: Page): Promise<string> {
    return page.evaluate(() => {
      const img = document.querySelector('#plot-density .hm image');
      return img?.getAttribute('href') ?? img?.getAttribute('xlink:href') ?? '';
    });
  }

  it('Cartesian 2D report: all six plots render, 60 frames, the slider changes the picture', async () => {
    const { page, problems, state } = await open('cartesian', cartesianReport());
    expect(state.errors).toEqual([]);
    const plots = await renderedPlots(page);
    expect(plots.ids).toEqual(['plot-density', 'plot-marginal', 'plot-mean-along', 'plot-across-variance', 'plot-profiles', 'plot-verify']);
    expect(plots.withSvg).toEqual(plots.ids);
    expect(state.plots['plot-density'].frames).toBe(60);
    expect(await frameCount(page, 'plot-density')).toBe(60);
    expect(await frameCount(page, 'plot-marginal')).toBe(60);

    // move the density slider with the mouse: click at 75 % of the rail
    const density = page.locator('#plot-density');
    const before = await heatmapPicture(page);
    const shotBefore = await density.screenshot();
    const rail = await page.locator('#plot-density .slider-rail-rect').boundingBox();
    expect(rail).not.toBeNull();
    await page.mouse.click(rail!.x + 0.75 * rail!.width, rail!.y + rail!.height / 2);
    await page.waitForFunction(() => {
      const gd = document.getElementById('plot-density') as unknown as { layout: { sliders: { active: number }[] } };
      return gd.layout.sliders[0].active > 30;
    }, null, { timeout: 20_000 });
    await page.waitForTimeout(300);
    const after = await heatmapPicture(page);
    expect(before.length).toBeGreaterThan(100);
    expect(after).not.toBe(before);
    expect(Buffer.compare(shotBefore, await density.screenshot())).not.toBe(0);

    // the marginal's animation moves its curve too
    const path = () => page.evaluate(() => document.querySelector('#plot-marginal .scatterlayer .trace path.js-line')?.getAttribute('d') ?? '');
    const p0 = await path();
    await page.evaluate(() =>
      (window as unknown as { Plotly: { animate: (...a: unknown[]) => Promise<void> } }).Plotly.animate('plot-marginal', ['f59'], { mode: 'immediate', frame: { duration: 0, redraw: false }, transition: { duration: 0 } }),
    );
    expect(await path()).not.toBe(p0);

    mkdirSync(SHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SHOT_DIR, 'report.png'), fullPage: true });
    console.log(`screenshot: ${join(SHOT_DIR, 'report.png')}`);
    expect(problems).toEqual([]);
    await page.close();
  }, 240_000);

  it('tube report: the curvilinear density is drawn in physical coordinates, 30 frames, slider works', async () => {
    const { page, problems, state } = await open('tube', tubeReport());
    expect(state.errors).toEqual([]);
    const plots = await renderedPlots(page);
    expect(plots.withSvg).toEqual(['plot-density', 'plot-marginal']);
    expect(await frameCount(page, 'plot-density')).toBe(30);
    await page.close();
    expect(problems).toEqual([]);
  }, 240_000);

  it('the report of a real run (hyperbola, label noise, tube grid): every plot renders, 21 frames, the slider moves the density', async () => {
    const spec = loadCase('hyperbola-label');
    spec.grid = { kind: 'tube', along: 128, across: 24, halfWidth: 8 };
    spec.output = { frames: 21 };
    spec.particles = { mode: 'sgd', n: 4000, seed: 2 };
    const run = await solveCase(spec);
    const { page, problems, state } = await open('real-run', run.report);
    expect(state.errors).toEqual([]);
    const plots = await renderedPlots(page);
    expect(plots.ids).toEqual(['plot-density', 'plot-marginal', 'plot-mean-along', 'plot-drift-profile', 'plot-across-variance', 'plot-profiles']);
    expect(plots.withSvg).toEqual(plots.ids);
    expect(await frameCount(page, 'plot-density')).toBe(21);
    expect(await frameCount(page, 'plot-marginal')).toBe(21);
    // The particles: a histogram trace over the marginal, error bars on the mean, the table.
    const traces = await page.evaluate(() => ['plot-marginal', 'plot-mean-along'].map((id) => (document.getElementById(id) as unknown as { data: { name: string }[] }).data.map((d) => d.name)));
    expect(traces[0]).toEqual(['full FPE', 'averaged (Li)', 'averaged (seed)', 'particles: learning rule, n = 4,000']);
    expect(traces[1].at(-1)).toBe('particles: learning rule, n = 4,000 (±2 SE)');
    expect(await page.locator('#plot-mean-along .errorbar').count()).toBeGreaterThan(10);
    expect(await page.locator('h3', { hasText: 'Particles against the FPE' }).count()).toBe(1);
    await checkVerdictBlock(page, run.summary as unknown as Record<string, unknown>);
    // The drift profile: the measured curve and both formulas, drawn as lines of as many points as the summary has.
    const drift = await page.evaluate(() =>
      (document.getElementById('plot-drift-profile') as unknown as { data: { name: string; x: number[] }[] }).data.map((d) => [d.name, d.x.length] as [string, number]),
    );
    const nDrift = run.summary.along!.driftProfile!.s.length;
    expect(nDrift).toBeGreaterThan(5);
    expect(drift).toEqual([['measured (full FPE)', nDrift], ['Li–Wang–Arora', nDrift], ['seed', nDrift]]);
    expect(await page.locator('#plot-drift-profile .scatterlayer .trace path.js-line').count()).toBe(3);
    const before = await heatmapPicture(page);
    await page.evaluate(() =>
      (window as unknown as { Plotly: { animate: (...a: unknown[]) => Promise<void> } }).Plotly.animate('plot-density', ['f20'], { mode: 'immediate', frame: { duration: 0, redraw: true }, transition: { duration: 0 } }),
    );
    await page.waitForTimeout(300);
    expect(await heatmapPicture(page)).not.toBe(before);
    const active = await page.evaluate(() => (document.getElementById('plot-density') as unknown as { layout: { sliders: { active: number }[] } }).layout.sliders[0].active);
    expect(active).toBe(20);
    mkdirSync(SHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SHOT_DIR, 'report-real-run.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 240_000);
});
