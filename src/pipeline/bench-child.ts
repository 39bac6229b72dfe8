/**
 * Child process of `gammafp bench`: runs one job in a process of its own, so every benchmark starts from a
 * fresh heap (no garbage of the previous ones collected inside its timed steps) and its peak memory is its own.
 * Jobs: a `benchSteps` job, or `{ verify: … }`, the serial verify of the bench's one-core measurement (the
 * parent starts this process under `taskset`, so it and V8's helper threads share one CPU).
 */
import { benchSteps, type BenchJob } from './bench.js';
import { verifyCase } from './verify.js';

type Job = BenchJob | { verify: { spec: BenchJob['spec']; etas: number[] } };

process.once('message', async (job: Job) => {
  let reply: { ok: true; result: unknown } | { ok: false; error: string };
  try {
    if ('verify' in job) {
      const r = await verifyCase(job.verify.spec, job.verify.etas, { workers: 1, resolutionCheck: false, inProcess: false });
      reply = { ok: true, result: { wallSeconds: r.wallSeconds, errors: r.errors } };
    } else reply = { ok: true, result: benchSteps(job.name, job.spec, job.scheme, job.dt, job.steps, job.warmup) };
  } catch (e) {
    reply = { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  process.send!(reply, () => process.exit(reply.ok ? 0 : 1));
});
