/**
 * The short human summary `gammafp run` prints without `--json`. Defensive about
 * missing fields: the summary grows as trackers land (DESIGN.md §10).
 */
import { sdeSchemeLabel, type SdeScheme } from '../particles/types.js';
import type { RunSummary } from '../pipeline.js';
import { finding } from '../pipeline/verdict.js';

export { finding };

/** A number for humans: 4 significant digits, exponent form when tiny or huge. */
export function fmt(x: unknown): string {
  if (typeof x !== 'number') return '—';
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e6) return String(Number(x.toPrecision(4)));
  return x.toExponential(2);
}

function get(obj: unknown, ...keys: string[]): unknown {
  let v = obj;
  for (const k of keys) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

function lastOf(v: unknown): unknown {
  return Array.isArray(v) && v.length > 0 ? v[v.length - 1] : undefined;
}

/** The linear solver in a line: its name, solves, and the solver-ladder rungs that finished them. */
function solverLine(v: unknown): string | null {
  if (v === null || typeof v !== 'object') return null;
  const s = v as Partial<RunSummary['solver']>;
  if (typeof s.name !== 'string') return null;
  const rungs = s.solvesByRung ? Object.entries(s.solvesByRung).map(([r, n]) => `${r} ${n}`).join(', ') : '';
  const fell = typeof s.fallbacks === 'number' && s.fallbacks > 0 ? `, ${s.fallbacks} by a fallback` : '';
  return `${s.name}, ${s.solves ?? '?'} solves, ${fmt(s.iterationsPerSolve)} iterations each${rungs ? ` (rungs: ${rungs}${fell})` : ''}`;
}

/** Lines of `label  value`, the label column padded. */
export function formatRunSummary(s: RunSummary): string {
  const rows: [string, string][] = [];
  rows.push(['case', s.case]);
  rows.push(['η', fmt(s.eta)]);
  const shape = Array.isArray(s.grid?.shape) && s.grid.shape.length > 0 ? ` (${s.grid.shape.join(' × ')})` : '';
  rows.push(['grid', `${s.grid?.kind ?? '?'}, ${s.grid?.cells ?? '?'} cells${shape}`]);
  const rejected = s.time?.rejected ? `, ${s.time.rejected} rejected` : '';
  rows.push([
    'time',
    `t = ${fmt(s.time?.end)} in ${s.time?.steps ?? '?'} steps${rejected} (${s.time?.scheme ?? '?'}) = ${fmt(s.time?.sgdSteps)} SGD steps`,
  ]);
  rows.push(['wall time', `${fmt(s.wallSeconds)} s`]);
  rows.push(['mass drift', `${fmt(s.mass?.relDriftMax)} (max relative)`]);
  rows.push(['min density', fmt(s.density?.min)]);
  const solver = solverLine(s.solver);
  if (solver) rows.push(['solver', solver]);
  const varErr = get(s, 'across', 'varRelErrMax');
  const pooled = get(s, 'across', 'varRelErrPooled');
  if (typeof varErr === 'number') {
    rows.push(['across Γ', `variance vs ηΩ: pooled rel. error ${typeof pooled === 'number' ? fmt(pooled) : '—'}, station max ${fmt(varErr)}`]);
  }
  const endLi = get(s, 'along', 'endErrLi');
  const endSeed = get(s, 'along', 'endErrSeed');
  const trav = get(s, 'along', 'travelled');
  if (typeof endLi === 'number' && typeof endSeed === 'number' && typeof trav === 'number') {
    rows.push(['mean along Γ', `moved ${fmt(trav)}; error of the prediction: li ${fmt(endLi)}, seed ${fmt(endSeed)}`]);
  }
  const l1Li = lastOf(get(s, 'along', 'l1Li'));
  const l1Seed = lastOf(get(s, 'along', 'l1Seed'));
  if (typeof l1Li === 'number' || typeof l1Seed === 'number') {
    rows.push(['along Γ', `L1 at t end: li ${fmt(l1Li)}, seed ${fmt(l1Seed)}`]);
  }
  const pe = get(s, 'particles', 'end') as { mean?: number; se?: number; zMeanFpe?: number; zMeanLi?: number | null; w1Fpe?: number | null } | undefined;
  if (pe && typeof pe.mean === 'number') {
    const P = s.particles as { mode: string; n: number; sdeScheme?: string };
    rows.push([
      'particles',
      `${P.mode}${P.sdeScheme ? ` (${sdeSchemeLabel(P.sdeScheme as SdeScheme)})` : ''}, n = ${P.n}: mean along Γ ${fmt(pe.mean)} ± ${fmt(pe.se)}; z vs FPE ${fmt(pe.zMeanFpe)}, vs Li ${fmt(pe.zMeanLi)}; W1 vs FPE ${fmt(pe.w1Fpe)}` +
        (P.mode === 'sgd' && typeof pe.zMeanFpe === 'number' && Math.abs(pe.zMeanFpe) > 3
          ? ' (the learning rule is Euler–Maruyama with dt = η²: it differs from the FPE by O(η); see the report)'
          : ''),
    ]);
  }
  if (typeof endLi === 'number' && typeof endSeed === 'number' && typeof trav === 'number') rows.push(['finding', finding(endLi, endSeed, trav)]);
  const warnings = Array.isArray(s.warnings) ? (s.warnings as unknown[]) : [];
  for (const w of warnings) rows.push(['warning', String(w)]);
  const outputs = Array.isArray(s.outputs) ? s.outputs : [];
  rows.push(['outputs', outputs.length ? outputs[0]! : '(none)']);
  for (const o of outputs.slice(1)) rows.push(['', o]);
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n') + '\n';
}
