/**
 * The one place that wires the stages together:
 * case → landscape + noise → grid → operator → stepper → trackers → output.
 * (Being written by the lead; the signatures below are the contract for the CLI.)
 */
import type { CaseSpec } from './case/types.js';

export interface RunOptions {
  /** Override the case's η. */
  eta?: number;
  /** Output folder; nothing is written when absent. */
  outDir?: string;
  /** Progress callback (fraction in [0,1], short message). */
  progress?: (fraction: number, message: string) => void;
}

/** DESIGN.md §10 summary of one run (fields grow as the trackers land). */
export interface RunSummary {
  case: string;
  eta: number;
  grid: { kind: string; cells: number; shape: number[] };
  time: { end: number; steps: number; sgdSteps: number; scheme: string; rejected: number };
  wallSeconds: number;
  mass: { initial: number; relDriftMax: number };
  density: { min: number };
  outputs: string[];
  [key: string]: unknown;
}

export async function runCase(spec: CaseSpec, opts: RunOptions = {}): Promise<RunSummary> {
  void spec;
  void opts;
  throw new Error('runCase: not wired yet');
}
