/**
 * Worker thread for `verify`: stays alive for a lane of jobs; each message
 * {spec, eta} runs one case and posts back the summary (or the error).
 * Starting a worker costs 1–5 s (module loading), so one worker serves a lane.
 */
import { parentPort } from 'node:worker_threads';
import type { CaseSpec } from '../case/types.js';
import { runCase, type ParticleRunOptions } from '../pipeline.js';
import { GammaError } from '../util/errors.js';

parentPort!.on('message', async (job: { spec: CaseSpec; eta: number; particles: ParticleRunOptions | false } | null) => {
  if (job === null) {
    parentPort!.close();
    return;
  }
  try {
    const summary = await runCase(job.spec, { eta: job.eta, particles: job.particles });
    parentPort!.postMessage({ ok: true, summary });
  } catch (err) {
    const exitCode = err instanceof GammaError ? err.exitCode : 70;
    parentPort!.postMessage({ ok: false, error: { message: err instanceof Error ? err.message : String(err), exitCode } });
  }
});
