/**
 * Child process of `gammafp bench`: runs one `benchSteps` job in a process of its own, so every benchmark
 * starts from a fresh heap (no garbage of the previous ones collected inside its timed steps) and its peak
 * memory is its own.
 */
import { benchSteps, type BenchJob } from './bench.js';

process.once('message', (job: BenchJob) => {
  let reply: { ok: true; result: ReturnType<typeof benchSteps> } | { ok: false; error: string };
  try {
    reply = { ok: true, result: benchSteps(job.name, job.spec, job.scheme, job.dt, job.steps, job.warmup) };
  } catch (e) {
    reply = { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  process.send!(reply, () => process.exit(reply.ok ? 0 : 1));
});
