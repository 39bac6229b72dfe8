/** Worker thread for `verify`: runs one case at one η and posts the summary. */
import { parentPort, workerData } from 'node:worker_threads';
import type { CaseSpec } from '../case/types.js';
import { runCase } from '../pipeline.js';
import { GammaError } from '../util/errors.js';

const { spec, eta } = workerData as { spec: CaseSpec; eta: number };
try {
  const summary = await runCase(spec, { eta });
  parentPort!.postMessage({ ok: true, summary });
} catch (err) {
  const exitCode = err instanceof GammaError ? err.exitCode : 70;
  parentPort!.postMessage({ ok: false, error: { message: err instanceof Error ? err.message : String(err), exitCode } });
}
