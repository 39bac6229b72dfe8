/**
 * `verify --refine`: the η whose errors are under-resolved on the case's grid run again on grids with 2^m
 * times the cells along and across Γ, level by level, until each is resolved (resolution.ts) or the cell
 * budget ends. At level m the smallest η runs on level m + 1 too: the change between the two is the check of
 * level m, judged against each η's error there (measured at the smallest η, carried over to the others as
 * on the case's grid). The order in η is then fitted on each η's error on the coarsest grid that resolves it.
 */
import type { CaseSpec } from '../case/types.js';
import type { RunSummary } from '../pipeline.js';
import { type EtaResolution, MAX_REFINE_LEVELS, RESOLUTION_CHECK_MAX_CELLS, isResolved, refinedSpec, tubeCells } from './resolution.js';
import { type VerifyErrors, fitOrderWhere, verifyErrors } from './verify-errors.js';

/** One level of refinement: its grid, the η run on it, and its check (the smallest η on the next level). */
export interface RefineLevel {
  level: number;
  along: number | [number, number];
  across: number | [number, number];
  cells: number;
  etas: number[];
  /** L1 (Li) at the smallest η on this level and on the next, and their difference. */
  l1Li: number;
  l1LiNext: number;
  change: number;
}

export interface RefineResult {
  levels: RefineLevel[];
  /** Per η (largest first): the grid its final error comes from and whether it is resolved there. */
  perEta: EtaResolution[];
  /** The error table with each η's final error. */
  errors: VerifyErrors;
  /** Fitted over the resolved final errors (NaN with fewer than two). */
  order: { li: number; seed: number; meanLi: number; meanSeed: number };
  /** Why refinement ended with errors still under-resolved (null when all are resolved). */
  stopped: string | null;
}

export type RunMany = (jobs: { spec: CaseSpec; eta: number }[]) => Promise<RunSummary[]>;

/** Copies entry i of one error table row into another. */
function setRow(into: VerifyErrors, i: number, from: VerifyErrors, j: number): void {
  for (const k of Object.keys(into) as (keyof VerifyErrors)[]) into[k][i] = from[k][j];
}

/**
 * Refines from the case's grid: `perEta` is the resolution on it, `firstCheck` the run of the smallest η with
 * twice the cells along and across Γ (the check's own run, reused as level 1).
 */
export async function refineUnresolved(spec: CaseSpec, etas: number[], base: VerifyErrors, perEta: EtaResolution[], firstCheck: RunSummary, run: RunMany): Promise<RefineResult> {
  const errors: VerifyErrors = structuredClone(base);
  const state = perEta.map((r) => ({ ...r }));
  const levels: RefineLevel[] = [];
  const last = etas.length - 1;
  const dim = spec.variables.length;
  let smallest = firstCheck;
  let stopped: string | null = null;
  for (let m = 1; state.some((r) => !r.resolved); m++) {
    const here = refinedSpec(spec, m);
    const next = refinedSpec(spec, m + 1);
    const nextCells = tubeCells(next.grid as Extract<CaseSpec['grid'], { kind: 'tube' }>, dim);
    if (m > MAX_REFINE_LEVELS || nextCells > RESOLUTION_CHECK_MAX_CELLS) {
      stopped = m > MAX_REFINE_LEVELS ? `${MAX_REFINE_LEVELS} levels refined` : `the check of level ${m} would need ${nextCells.toLocaleString('en-US')} cells (budget ${RESOLUTION_CHECK_MAX_CELLS.toLocaleString('en-US')})`;
      break;
    }
    const todo = state.map((r, i) => i).filter((i) => !state[i].resolved && i !== last);
    const runs = await run([...todo.map((i) => ({ spec: here, eta: etas[i] })), { spec: next, eta: etas[last] }]);
    const fresh = verifyErrors([...runs.slice(0, todo.length), smallest]);
    const smallestNext = runs[todo.length];
    const l1Li = fresh.li[todo.length];
    const l1LiNext = verifyErrors([smallestNext]).li[0];
    const change = Math.abs(l1Li - l1LiNext);
    const g = here.grid as Extract<CaseSpec['grid'], { kind: 'tube' }>;
    const onLevel = [...todo, ...(state[last].resolved ? [] : [last])];
    onLevel.forEach((i) => {
      const j = i === last ? todo.length : todo.indexOf(i);
      setRow(errors, i, fresh, j);
      state[i] = { eta: etas[i], l1Li: errors.li[i], level: m, along: g.along, across: g.across, change, measured: i === last, resolved: isResolved(change, errors.li[i]) };
    });
    levels.push({ level: m, along: g.along, across: g.across, cells: tubeCells(g, dim), etas: onLevel.map((i) => etas[i]), l1Li, l1LiNext, change });
    smallest = smallestNext;
  }
  const keep = state.map((r) => r.resolved);
  const order = {
    li: fitOrderWhere(etas, errors.li, keep),
    seed: fitOrderWhere(etas, errors.seed, keep),
    meanLi: fitOrderWhere(etas, errors.meanLi, keep),
    meanSeed: fitOrderWhere(etas, errors.meanSeed, keep),
  };
  return { levels, perEta: state, errors, order, stopped };
}
