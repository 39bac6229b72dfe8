/**
 * Checkpoints of a run: the complete state at a frame boundary (density,
 * stepper levels and statistics, the averaged problems, every tracker's
 * accumulators, the frames so far), written atomically as one JSON file with
 * typed arrays in base64, so `run --resume DIR` continues to the same result
 * as an uninterrupted run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseSpec } from '../case/types.js';
import { ensureDir, writeFileAtomic } from '../util/atomic-write.js';
import { InputError } from '../util/errors.js';

export const CHECKPOINT_FILE = 'checkpoint.json';
const VERSION = 1;

/** JSON with typed arrays and non-finite numbers preserved exactly. */
export function encodeState(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof Float64Array) return { __f8: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
    if (v instanceof Float32Array) return { __f4: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
    if (typeof v === 'number' && !Number.isFinite(v)) return { __num: String(v) };
    return v;
  });
}

export function decodeState<T>(text: string): T {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v && typeof v === 'object') {
      const o = v as Record<string, string>;
      if (typeof o.__f8 === 'string') {
        const b = Buffer.from(o.__f8, 'base64');
        return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
      }
      if (typeof o.__f4 === 'string') {
        const b = Buffer.from(o.__f4, 'base64');
        return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
      }
      if (typeof o.__num === 'string') return Number(o.__num);
    }
    return v;
  }) as T;
}

export interface Checkpoint<S = unknown> {
  version: number;
  spec: CaseSpec;
  eta: number;
  /** Index of the last frame recorded. */
  frame: number;
  t: number;
  state: S;
}

export async function writeCheckpoint<S>(dir: string, c: Omit<Checkpoint<S>, 'version'>): Promise<string> {
  const path = join(dir, CHECKPOINT_FILE);
  await ensureDir(dir);
  await writeFileAtomic(path, encodeState({ version: VERSION, ...c }));
  return path;
}

export function readCheckpoint<S>(dir: string): Checkpoint<S> {
  const path = join(dir, CHECKPOINT_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError('--resume', `no checkpoint in ${JSON.stringify(dir)} (expected ${CHECKPOINT_FILE}); run with --checkpoint-every T --out DIR first`);
  }
  let c: Checkpoint<S>;
  try {
    c = decodeState<Checkpoint<S>>(text);
  } catch (err) {
    throw new InputError('--resume', `${path} is not a readable checkpoint (${err instanceof Error ? err.message : String(err)})`);
  }
  if (c.version !== VERSION) throw new InputError('--resume', `${path} has checkpoint version ${String(c.version)}, this build reads ${VERSION}`);
  return c;
}
