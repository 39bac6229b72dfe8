/**
 * `verify --collect`: the verdict of `verify` from run summaries written by separate processes (`gammafp run
 * --json > s.json`, or the summary.json of `run --out DIR`), so an η sweep can be sharded by any job scheduler.
 * The summaries go through the same `verdictFromRuns` as an in-process verify, so the errors, orders and verdict
 * are the same numbers.
 *
 * Each summary is sorted into an η run (the case's grid: its cell count) or a run of the resolution check (a
 * grid of `resolutionCheckGrids`, made by `gammafp run --check-grid K`, at the smallest η). With every check
 * grid present the resolution check is made as in verify; with none it is reported as not checked (resolved:
 * null), and the verdict's words say so. `--refine` cannot be collected (it decides its runs from results).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CaseSpec } from '../case/types.js';
import { InputError } from '../util/errors.js';
import type { ParticleRunOptions, RunSummary } from './types.js';
import { tubeCells } from './resolution.js';
import { type CollectedInfo, type ResolutionCheckGrid, type VerifyResult, resolutionCheckGrids, verdictFromRuns } from './verify.js';

/** One summary read from disk, with the file it came from and the case.json beside it (when there is one). */
interface Collected {
  file: string;
  summary: RunSummary;
  caseJson: Record<string, unknown> | null;
}

/** The summary files a path names: a file; a folder's summary.json; else the summary.json of each subfolder. */
export function summaryFiles(path: string): string[] {
  if (!existsSync(path)) throw new InputError(path, 'no such file or folder; give summary files (gammafp run --json > FILE) or output folders (gammafp run --out DIR)');
  if (!statSync(path).isDirectory()) return [path];
  const own = join(path, 'summary.json');
  if (existsSync(own)) return [own];
  const inside = readdirSync(path, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(path, e.name, 'summary.json')))
    .map((e) => join(path, e.name, 'summary.json'))
    .sort();
  if (inside.length === 0) throw new InputError(path, 'holds no summary.json, nor do its subfolders; give the folders written by gammafp run --out DIR, or summary files');
  return inside;
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(file, `cannot read it as JSON (${e instanceof Error ? e.message : String(e)}); give the ${what}`);
  }
}

function readSummary(file: string): Collected {
  const s = readJson(file, 'summary written by gammafp run --json or run --out') as RunSummary;
  if (typeof s !== 'object' || s === null || typeof s.case !== 'string' || typeof s.eta !== 'number' || typeof s.grid?.cells !== 'number') {
    throw new InputError(`${file}: case`, 'not a run summary (no case, eta and grid.cells); give the output of gammafp run --json, or its summary.json');
  }
  const beside = join(dirname(file), 'case.json');
  const caseJson = file.endsWith('summary.json') && existsSync(beside) ? (readJson(beside, 'case.json written by gammafp run --out') as Record<string, unknown>) : null;
  return { file, summary: s, caseJson };
}

/** JSON with sorted keys, for comparing two case specs field by field. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The case a summary's run solved, against the one being verified: name, time settings, and case.json's fields. */
function checkSameCase(c: Collected, spec: CaseSpec, gridSpec: CaseSpec['grid']): void {
  const s = c.summary;
  const differs = (field: string, got: unknown, want: unknown, fix: string) =>
    new InputError(`${c.file}: ${field}`, `${JSON.stringify(got)} differs from the case being verified (${JSON.stringify(want)}); ${fix}`);
  if (s.case !== spec.name) throw differs('case', s.case, spec.name, 'collect the summaries of one case');
  if (s.time?.end !== spec.time.end) throw differs('time.end', s.time?.end, spec.time.end, 'run every η with the same case file');
  if (s.time?.scheme !== spec.time.scheme) throw differs('time.scheme', s.time?.scheme, spec.time.scheme, 'run every η with the same case file');
  if (!c.caseJson) return;
  const want: Record<string, unknown> = { ...(spec as unknown as Record<string, unknown>), grid: gridSpec };
  const keys = new Set([...Object.keys(want), ...Object.keys(c.caseJson)].filter((k) => k !== 'eta'));
  for (const k of [...keys].sort()) {
    const a = JSON.parse(JSON.stringify(c.caseJson[k] ?? null));
    const b = JSON.parse(JSON.stringify(want[k] ?? null));
    if (canonical(a) !== canonical(b)) throw new InputError(`${join(dirname(c.file), 'case.json')}: ${k}`, `${JSON.stringify(a)} differs from the case being verified (${JSON.stringify(b)}); run every η with the same case file`);
  }
}

/**
 * The verdict of verify from the summaries at `paths` (files or folders, see summaryFiles). Refuses, with the
 * field, the value and the fix: summaries of another case or other settings, a repeated η, fewer than two η,
 * an incomplete run, a run without the comparison along Γ, a grid that is neither the case's nor a check grid.
 */
export async function collectVerify(spec: CaseSpec, paths: string[]): Promise<VerifyResult & { collected: CollectedInfo }> {
  const t0 = performance.now();
  if (spec.grid.kind !== 'tube') {
    throw new InputError('grid.kind', `verify compares the motion along Γ and needs a grid around Γ: got "${spec.grid.kind}"; use grid.kind "tube"`);
  }
  if (paths.length === 0) throw new InputError('--collect', 'needs summary files or output folders after the case: gammafp verify CASE --collect out/eta-*');
  const dim = spec.variables.length;
  const caseCells = tubeCells(spec.grid, dim);
  const checks: ResolutionCheckGrid[] = resolutionCheckGrids(spec) ?? [];
  const all = paths.flatMap(summaryFiles).map(readSummary);
  const runs: Collected[] = [];
  const checkRuns: (Collected | null)[] = checks.map(() => null);
  for (const c of all) {
    const s = c.summary;
    if (s.complete === false) {
      throw new InputError(
        `${c.file}: complete`,
        `false: the run at η = ${s.eta} stopped at t = ${s.stoppedAt ?? '?'} of ${s.time?.end} (${s.stopReason ?? 'stopped'}); finish it (gammafp run --resume DIR) or run it again`,
      );
    }
    const k = checks.findIndex((ch) => tubeCells(ch.spec.grid as typeof spec.grid, dim) === s.grid.cells);
    if (s.grid.cells !== caseCells && k < 0) {
      const known = [`the case's ${caseCells}`, ...checks.map((ch, i) => `--check-grid ${i + 1}: ${tubeCells(ch.spec.grid as typeof spec.grid, dim)}`)].join(', ');
      throw new InputError(`${c.file}: grid.cells`, `${s.grid.cells} is neither the case's grid nor a resolution-check grid (cells: ${known}); run it with the case file as it is, or with --check-grid`);
    }
    checkSameCase(c, spec, k >= 0 && s.grid.cells !== caseCells ? checks[k].spec.grid : spec.grid);
    if (!s.along?.l1Li || !s.along.l1Seed) {
      throw new InputError(`${c.file}: along`, 'missing: the run has no comparison along Γ; verify needs runs on a tube grid around Γ with a Γ to average on');
    }
    if (s.grid.cells === caseCells) {
      const twin = runs.find((r) => r.summary.eta === s.eta);
      if (twin) throw new InputError(`${c.file}: eta`, `${s.eta} is also the η of ${twin.file}; give each η once`);
      runs.push(c);
    } else {
      if (checkRuns[k]) throw new InputError(`${c.file}: grid.cells`, `a second run on resolution-check grid ${k + 1} (the first: ${checkRuns[k]!.file}); give it once`);
      checkRuns[k] = c;
    }
  }
  if (runs.length < 2) {
    throw new InputError('--collect', `needs runs at two or more values of η on the case's grid to fit an order, got ${runs.length}${runs.length ? ` (η = ${runs.map((r) => r.summary.eta).join(', ')})` : ''}; add the other η's summaries`);
  }
  runs.sort((a, b) => b.summary.eta - a.summary.eta);
  const etas = runs.map((r) => r.summary.eta);
  const smallest = etas[etas.length - 1];
  for (const c of checkRuns) {
    if (c && c.summary.eta !== smallest) {
      throw new InputError(`${c.file}: eta`, `${c.summary.eta}: the resolution check runs at the smallest η of the sweep (${smallest}); run it with --eta ${smallest}`);
    }
  }
  const complete = checks.length > 0 && checkRuns.every((c) => c !== null);
  const missing = checks.map((_, i) => i + 1).filter((i) => !checkRuns[i - 1]);
  const note = complete
    ? ''
    : checks.length === 0
      ? ' Resolution not checked: this case has no resolution-check grid.'
      : ` Resolution not checked: no summary of the resolution check (gammafp run CASE --eta ${smallest} --check-grid ${missing.join(' and --check-grid ')}) among the collected runs, so resolved is null and the order is fitted over all η.`;
  const particles = particleSettings(runs.map((r) => r.summary));
  const found = await verdictFromRuns(
    spec,
    { etas, runs: runs.map((r) => r.summary), checks: complete ? checks : [], checkRuns: complete ? checkRuns.map((c) => c!.summary) : [] },
    { ...(particles ? { particles } : {}), note },
  );
  const used = [...runs, ...(complete ? (checkRuns as Collected[]) : [])];
  return {
    ...found,
    workers: 0,
    wallSeconds: (performance.now() - t0) / 1000,
    collected: {
      files: runs.map((r) => r.file),
      checkFiles: complete ? (checkRuns as Collected[]).map((c) => c.file) : [],
      runWallSeconds: used.reduce((t, c) => t + (c.summary.wallSeconds ?? 0), 0),
      resolutionCheck: complete ? 'checked' : 'not checked',
    },
  };
}

/** The particle settings shared by every run (then verify's particle columns are built), else none. */
function particleSettings(runs: RunSummary[]): ParticleRunOptions | undefined {
  const p = runs.map((r) => r.particles);
  const first = p[0];
  if (!first || p.some((q) => !q || q.mode !== first.mode || q.n !== first.n || q.seed !== first.seed || q.sdeScheme !== first.sdeScheme)) return undefined;
  return { mode: first.mode, n: first.n, seed: first.seed, ...(first.sdeScheme ? { sdeScheme: first.sdeScheme } : {}) };
}
