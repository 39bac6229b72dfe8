/**
 * report.html: one self-contained file (plotly.js inlined, the data embedded as
 * JSON with base64 typed arrays), readable with no network. The page exposes
 * `window.__gammafp = { ready, errors, plots: { <div id>: { frames } } }` so a
 * headless browser can check that every plot rendered.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ReportData, ReportTask, VerdictData, VerifyData } from './types.js';
import { buildFigures, fmtNum, type FigureOptions, type FigureSpec } from './figures.js';

let plotlyCache: string | null = null;

/** The plotly.js-dist-min bundle, escaped for an inline <script> (read once). */
export function inlinePlotly(): string {
  if (plotlyCache === null) {
    const file = createRequire(import.meta.url).resolve('plotly.js-dist-min');
    plotlyCache = escapeInlineScript(readFileSync(file, 'utf8'));
  }
  return plotlyCache;
}

/**
 * Make JavaScript source safe inside <script>…</script>: `</script` and `<!--`
 * would end or confuse the element, so their `<` becomes `\x3C`, which means the
 * same character in every place it can occur in JS source (string, template and
 * regular-expression literals; comments).
 */
export function escapeInlineScript(js: string): string {
  return js.replace(/<(\/script|!--)/gi, '\\x3C$1');
}

/** JSON for a <script type="application/json">: every `<` escaped, so no tag can close early. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Flatten an object to dotted keys → short printable values (arrays abbreviated). */
export function flattenSummary(obj: Record<string, unknown>, prefix = '', out: [string, string][] = []): [string, string][] {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)) {
      flattenSummary(v as Record<string, unknown>, key, out);
    } else {
      out.push([key, showCell(v)]);
    }
  }
  return out;
}

function showCell(v: unknown): string {
  if (typeof v === 'number') return fmtNum(v, 6);
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const a = Array.from(v as ArrayLike<unknown>);
    const f = (x: unknown): string => (typeof x === 'number' ? fmtNum(x, 4) : Array.isArray(x) ? `[${x.map(f).join(', ')}]` : x !== null && typeof x === 'object' ? JSON.stringify(x) : String(x));
    if (a.length <= 6) return `[${a.map(f).join(', ')}]`;
    return `[${a.length} values: ${f(a[0])}, ${f(a[1])}, …, ${f(a[a.length - 1])}]`;
  }
  return String(v);
}

function table(columns: string[], rows: (string | number)[][]): string {
  const cell = (c: string | number) => `<td>${escapeHtml(typeof c === 'number' ? fmtNum(c, 5) : c)}</td>`;
  return `<table><thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map(cell).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function verifyTable(v: VerifyData): string {
  if (v.table) return table(v.table.columns, v.table.rows);
  const rows: (string | number)[][] = Array.from(v.eta, (e, k) => [e, v.errLi[k], v.errSeed[k]]);
  rows.push(['fitted order', v.orderLi, v.orderSeed]);
  return table(['η', 'error (Li)', 'error (seed)'], rows);
}

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#fafafa}
main{max-width:1100px;margin:0 auto;padding:20px 28px 60px}
h1{font-size:1.6em;margin:.2em 0}
h2{font-size:1.2em;margin:1.6em 0 .3em;border-bottom:1px solid #ddd;padding-bottom:.2em}
.desc{color:#555;margin:.2em 0 .8em}
.chips span{display:inline-block;background:#e8eef6;border-radius:12px;padding:2px 10px;margin:2px 6px 2px 0;font-size:.9em}
.chips span.verdict{background:#ffe9b3;font-weight:600}
.note{color:#555;font-size:.92em;margin:.2em 0 .5em}
.plot{background:#fff;border:1px solid #e3e3e3;border-radius:6px}
table{border-collapse:collapse;font-size:.88em;background:#fff}
td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}
th{background:#f0f0f0}
details{margin:.5em 0}
.verdict-block{background:#fff;border:1px solid #e3c46a;border-left:5px solid #e3a21a;border-radius:6px;padding:4px 16px 10px;margin:.8em 0}
.verdict-block h2{border:0;margin:.4em 0 .2em}
.verdict-block p.finding{margin:.3em 0;font-size:1.02em}
.verdict-block table{margin-top:.5em}
.verdict-block th{background:#fafafa;font-weight:normal}
.verdict-block td.num{font-variant-numeric:tabular-nums;font-weight:600}
.warn{color:#a33;font-size:.92em}
.warnings{background:#fff4e0;border:1px solid #f0c36d;border-radius:6px;padding:.4em 1em;margin:1em 0}
.warnings h2{border:0;margin:.3em 0}
ul.formulas code{font-size:.85em;word-break:break-all}
footer{color:#888;font-size:.8em;margin-top:3em}
`;

/** Runs in the page: draw every figure, record errors and frame counts in window.__gammafp. */
const PAGE_SCRIPT = `
(function () {
  var G = (window.__gammafp = { ready: false, errors: [], plots: {} });
  window.addEventListener('error', function (e) { G.errors.push(String(e.message || e)); });
  window.addEventListener('unhandledrejection', function (e) { G.errors.push(String(e.reason)); });
  var figs;
  try {
    figs = JSON.parse(document.getElementById('gammafp-data').textContent);
  } catch (e) { G.errors.push('data: ' + e); G.ready = true; return; }
  var config = { responsive: true, displaylogo: false };
  var jobs = figs.map(function (f) {
    var el = document.getElementById(f.id);
    return Plotly.newPlot(el, { data: f.data, layout: f.layout, frames: f.frames || [], config: config }).then(function () {
      G.plots[f.id] = { frames: (f.frames || []).length };
    });
  });
  Promise.all(jobs).then(function () { G.ready = true; }, function (e) { G.errors.push(String(e)); G.ready = true; });
})();
`;

/**
 * The finding first: its sentences, a small table whose every number carries the summary.json key it shows
 * (`data-key`, `data-value`: the browser test reads them back), and the run's warnings.
 */
function verdictBlock(v: VerdictData): string {
  const rows = v.rows
    .map((r) => `<tr><th>${escapeHtml(r.label)}</th><td class="num" data-key="${escapeHtml(r.key)}" data-value="${String(r.value)}">${escapeHtml(r.text)}</td></tr>`)
    .join('');
  const warnings = (v.warnings ?? []).map((w) => `<p class="warn">${escapeHtml(w)}</p>`).join('');
  return `<section id="verdict" class="verdict-block"><h2>Finding</h2>${v.sentences.map((t) => `<p class="finding">${escapeHtml(t)}</p>`).join('')}<table class="verdict-table"><tbody>${rows}</tbody></table>${warnings}</section>`;
}

/** The summary's warnings (a solver fallback, skipped particles, a rerun) as a box above the summary; '' when none. */
function warningsHtml(w: unknown): string {
  if (!Array.isArray(w) || w.length === 0) return '';
  return `<div class="warnings"><h2>Warnings</h2><ul>${w.map((x) => `<li>${escapeHtml(String(x))}</li>`).join('')}</ul></div>`;
}

/**
 * A task case: the model and its rows, then the mean loss L and the noise covariance Σ derived from them
 * (task/derive.ts) — the L and Σ the Fokker–Planck equation was solved with. Long Σ entries are folded.
 */
function taskSection(t: ReportTask, variables: string[]): string {
  const rows = t.data.map((r, k) => [String(k + 1), ...r.x.map((x) => fmtNum(x, 6)), fmtNum(r.y, 6)]);
  const code = (x: string) => `<code>${escapeHtml(x)}</code>`;
  const sigma = t.sigma
    .flatMap((row, i) => row.map((e, j) => ({ i, j, e })))
    .filter(({ i, j }) => j >= i)
    .map(({ i, j, e }) => {
      const name = `Σ[${variables[i] ?? `θ${i + 1}`}][${variables[j] ?? `θ${j + 1}`}]`;
      return e.length <= 160 ? `<li>${escapeHtml(name)} = ${code(e)}</li>` : `<li><details><summary>${escapeHtml(name)}: a long formula</summary>${code(e)}</details></li>`;
    })
    .join('');
  const loss = `${t.loss}${t.lossConstant ? ` + ${fmtNum(t.lossConstant, 6)}` : ''}`;
  return (
    `<section id="task"><h2>The learning task</h2>` +
    `<p>Model f = ${code(t.model)}, squared loss ℓ = ½(f − y)², noise: ${escapeHtml(t.noise)}.</p>` +
    `<details><summary>${t.data.length} data rows</summary>${table(['row', ...t.inputs, 'y'], rows)}</details>` +
    `<p class="note">Derived exactly from the task (the mean over every batch, mask and label draw): the mean loss L and the covariance Σ of one step's gradient noise, the L and Σ of the Fokker–Planck equation solved here.</p>` +
    `<ul class="formulas"><li>L = ${code(loss)}</li>${sigma}</ul>${sigmaOnGamma(t, variables)}</section>`
  );
}

/** Σ's entries (upper triangle) at a few points of Γ: the numbers behind the formulas. */
function sigmaOnGamma(t: ReportTask, variables: string[]): string {
  if (!t.onGamma?.length) return '';
  const d = t.onGamma[0]!.theta.length;
  const pairs: [number, number][] = [];
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) pairs.push([i, j]);
  const v = (i: number) => variables[i] ?? `θ${i + 1}`;
  const columns = ['on Γ at', 'θ', ...pairs.map(([i, j]) => `Σ[${v(i)}][${v(j)}]`)];
  const rows = t.onGamma.map((p) => [p.at.map((a) => fmtNum(a, 4)).join(', '), `(${p.theta.map((x) => fmtNum(x, 4)).join(', ')})`, ...pairs.map(([i, j]) => fmtNum(p.sigma[i * d + j]!, 5))]);
  return `<p class="note">Σ on Γ:</p>${table(columns, rows)}`;
}

/** The whole report as one HTML string. */
export function renderReportHtml(data: ReportData, opts: FigureOptions = {}): string {
  const m = data.meta;
  const figs: FigureSpec[] = buildFigures(data, opts);
  const chips = [
    `η = ${fmtNum(m.eta)}`,
    `grid: ${m.gridKind}, ${m.dim}D, ${m.cells.toLocaleString('en-US')} cells`,
    ...(m.wallSeconds !== undefined ? [`wall time ${fmtNum(m.wallSeconds, 3)} s`] : []),
  ]
    .map((c) => `<span>${escapeHtml(c)}</span>`)
    .join('');
  const verdict = m.verdict !== undefined ? `<span class="verdict">verdict: ${escapeHtml(m.verdict)}</span>` : '';
  // With a verdict block the warnings are shown in it; otherwise in a box of their own.
  const warnings = data.verdict ? '' : warningsHtml(data.summary?.warnings);
  const summary = data.summary
    ? `<section id="summary-table"><h2>All numbers</h2><details><summary>every number of summary.json (${flattenSummary(data.summary).length} rows)</summary>${table(['quantity', 'value'], flattenSummary(data.summary))}</details></section>`
    : '';
  const sections = figs
    .map(
      (f) =>
        `<section><h2>${escapeHtml(f.heading)}</h2><p class="note">${escapeHtml(f.note)}</p><div id="${f.id}" class="plot"></div>${
          f.id === 'plot-verify' && data.verify ? `<h3>Verdict: ${escapeHtml(data.verify.verdict)}</h3>${verifyTable(data.verify)}` : ''
        }${
          f.id === 'plot-mean-along' && data.particles?.table
            ? `<h3>Particles against the FPE and the averaged solutions</h3>${data.particles.note ? `<p class="note">${escapeHtml(data.particles.note)}</p>` : ''}${table(data.particles.table.columns, data.particles.table.rows)}`
            : ''
        }</section>`,
    )
    .join('\n');
  const parts = [
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
    `<title>gammafp — ${escapeHtml(m.case)}</title>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<style>${CSS}</style>`,
    '<script>',
    inlinePlotly(),
    '</script></head><body><main>',
    `<h1>gammafp report — ${escapeHtml(m.case)}</h1>`,
    m.description ? `<p class="desc">${escapeHtml(m.description)}</p>` : '',
    `<div class="chips">${chips}${verdict}</div>`,
    data.verdict ? verdictBlock(data.verdict) : '',
    `<p class="note">Time is the slow time t; the SGD step count is n = t/η² = t × ${fmtNum(1 / (m.eta * m.eta))}.</p>`,
    warnings,
    m.task ? taskSection(m.task, m.variables ?? []) : '',
    sections,
    summary,
    '<footer>Written by gammafp. Self-contained: works offline.</footer></main>',
    `<script type="application/json" id="gammafp-data">${jsonForScript(figs)}</script>`,
    `<script>${PAGE_SCRIPT}</script>`,
    '</body></html>\n',
  ];
  return parts.join('\n');
}
