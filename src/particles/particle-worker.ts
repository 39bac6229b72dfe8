/**
 * Worker entry for particle blocks. Protocol (structured clone):
 *   workerData: ParticleJob
 *   → parent: { type: 'ready' } after compiling the case, or { type: 'error', error }
 *   ← parent: { type: 'block', block }       → parent: { type: 'sums', block, sums }
 *   ← parent: { type: 'stop' }               (the worker exits)
 * Errors are sent as plain data (kind, field, message, detail) and rebuilt as
 * InputError / NumericalError by the parent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildContext, runBlock, type KernelContext } from './block-kernel.js';
import { serialiseError } from './worker-errors.js';
import type { ParticleJob } from './types.js';

const port = parentPort;
if (!port) throw new Error('particle-worker must run in a worker thread');

let ctx: KernelContext | null = null;
try {
  ctx = buildContext(workerData as ParticleJob);
  port.postMessage({ type: 'ready' });
} catch (e) {
  port.postMessage({ type: 'error', error: serialiseError(e) });
}

port.on('message', (msg: { type: 'block'; block: number } | { type: 'stop' }) => {
  if (msg.type === 'stop') {
    port.close();
    return;
  }
  if (!ctx) return;
  try {
    const sums = runBlock(ctx, msg.block);
    port.postMessage({ type: 'sums', block: msg.block, sums }, [sums.buffer as ArrayBuffer]);
  } catch (e) {
    port.postMessage({ type: 'error', block: msg.block, error: serialiseError(e) });
  }
});
