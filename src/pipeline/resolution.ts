/**
 * When verify's errors measure averaging and not the grid.
 *
 * verify's error at an η is the L1 distance between the FPE's marginal along Γ and an averaged solution; on
 * a grid of cell size h it is E(η) = A(η) + g(h), averaging plus grid. The resolution check runs the smallest
 * η again on a finer grid (or, past the cell budget, each direction twice or half) and measures the change
 * Δ of E. An error is *resolved* when Δ ≤ E/3 (RESOLVED_SHARE): with first-order grid convergence the change
 * from h to h/2 is the grid error left on h/2, and the error measured there is at least E − E/3 = 2E/3, so
 * the grid's part of it is at most half. Otherwise the grid, not averaging, sets the error and its order in η.
 *
 * The tube is scaled across in units of √(ηΩ) and the grid along Γ is the same for every η, so the grid's
 * part of the error is about the same at every η: Δ measured at the smallest η is used for the others too,
 * marked as estimated (`measured: false`).
 */
import type { CaseSpec } from '../case/types.js';

/**
 * Cells beyond which a resolution-check run is not made finer (the surface at 160² × 24 with twice the cells
 * both ways would need 4.9M cells and, at η = 0.005, many times as long as the whole η sweep; its check with
 * twice the cells across, 1.23M, is within it).
 */
export const RESOLUTION_CHECK_MAX_CELLS = 1_300_000;

/** Cells of a tube spec (a number across a 3D curve means a square n × n). */
export function tubeCells(g: { along: number | readonly number[]; across: number | readonly number[] }, dim: number): number {
  const count = (v: number | readonly number[]) => (typeof v === 'number' ? v : v.reduce((p, x) => p * x, 1));
  const alongDims = typeof g.along === 'number' ? 1 : g.along.length;
  const across = typeof g.across === 'number' && dim - alongDims === 2 ? g.across * g.across : count(g.across);
  return count(g.along) * across;
}

/** Resolved when the change on the refined grid is at most this share of the error (see above). */
export const RESOLVED_SHARE = 1 / 3;

/** At most this many refinements (each twice the cells along and across Γ) in `verify --refine`. */
export const MAX_REFINE_LEVELS = 3;

type Cells = number | [number, number];

/** One run of the check: the grid, its error at the smallest η and |ΔL1| against the case's grid. */
export interface CheckRow {
  changed: 'along+across' | 'along' | 'across';
  scale: 'twice' | 'half';
  along: Cells;
  across: Cells;
  l1Li: number;
  delta: number;
}

/** Whether the error at one η is resolved, on which grid (level 0: the case's; m: 2^m times the cells). */
export interface EtaResolution {
  eta: number;
  l1Li: number;
  level: number;
  along: Cells;
  across: Cells;
  /** The change it is judged by: measured at this η (the smallest of the sweep), or carried over from it. */
  change: number;
  measured: boolean;
  resolved: boolean;
}

/** A grid the estimate says would resolve the errors: `factor` times the cells along and across Γ. */
export interface GridSuggestion {
  factor: number;
  along: Cells;
  across: Cells;
  /** The scheme's order along Γ used for the estimate (summary.operator.alongOrder). */
  order: 1 | 2;
}

/**
 * The change a refinement (twice the cells) would make, from the check's rows: a twice-run's |ΔL1| as it is;
 * a half-run's divided by 2^q (with g ∝ h^q, g(2h) − g(h) = 2^q·(g(h) − g(h/2))), q the scheme's order along
 * Γ for the along direction and 1 across (the conservative reading). Directions add (an upper bound).
 */
export function refinementChange(rows: CheckRow[], alongOrder: 1 | 2): number {
  return rows.reduce((t, r) => t + (r.scale === 'twice' ? r.delta : r.delta / 2 ** (r.changed === 'along' ? alongOrder : 1)), 0);
}

/** The error at one η is resolved by a change Δ when Δ ≤ RESOLVED_SHARE · error. */
export function isResolved(change: number, error: number): boolean {
  return Number.isFinite(change) && Number.isFinite(error) && change <= RESOLVED_SHARE * error;
}

/** Cell counts scaled by 2^level (a pair scales both entries). */
export function scaledCells(v: Cells, level: number): Cells {
  const f = 2 ** level;
  return typeof v === 'number' ? v * f : [v[0] * f, v[1] * f];
}

/** The case with 2^level times the cells along and across Γ (a tube spec). */
export function refinedSpec(spec: CaseSpec, level: number): CaseSpec {
  const g = spec.grid;
  if (g.kind !== 'tube') return spec;
  return { ...spec, grid: { ...g, along: scaledCells(g.along, level), across: scaledCells(g.across, level) } };
}

/**
 * Per η on the case's grid (sorted largest first): resolved or not by the change measured at the smallest η.
 */
export function resolutionPerEta(etas: number[], l1Li: number[], change: number, spec: CaseSpec): EtaResolution[] {
  const g = spec.grid as Extract<CaseSpec['grid'], { kind: 'tube' }>;
  const last = etas.length - 1;
  return etas.map((eta, i) => ({ eta, l1Li: l1Li[i], level: 0, along: g.along, across: g.across, change, measured: i === last, resolved: isResolved(change, l1Li[i]) }));
}

/**
 * The grid that would resolve the smallest under-resolved error, estimated: the change shrinks by 2^q per
 * refinement (q the scheme's order along Γ), and the error it must stay under is the one measured on the
 * finer grid (`refinedError`; the errors there are what a resolved grid would show, at most). The smallest
 * factor 2^m (m ≥ 1) with Δ·2^{−qm} ≤ share · refinedError. Pre-asymptotic grids (the error falls faster
 * than h^q) often need less; `verify --refine` measures.
 */
export function suggestGrid(spec: CaseSpec, change: number, refinedError: number, alongOrder: 1 | 2): GridSuggestion | null {
  const g = spec.grid;
  if (g.kind !== 'tube' || !(refinedError > 0) || !Number.isFinite(change)) return null;
  let m = 1;
  while (m < 8 && change * 2 ** (-alongOrder * m) > RESOLVED_SHARE * refinedError) m++;
  return { factor: 2 ** m, along: scaledCells(g.along, m), across: scaledCells(g.across, m), order: alongOrder };
}

/** "512 × 96" or "[128, 128] × 24" for a tube grid. */
export function gridText(along: Cells, across: Cells): string {
  const c = (v: Cells) => (typeof v === 'number' ? String(v) : `${v[0]}×${v[1]}`);
  return `${c(along)} × ${c(across)}`;
}
