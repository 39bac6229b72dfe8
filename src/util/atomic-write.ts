/**
 * Atomic file writes: the data goes to a temporary file in the target's own
 * folder (same file system, so the final rename is atomic), is flushed to disk
 * with fsync, and only then renamed over the target. A failure at any point
 * (a throwing data source, a full disk, a target that cannot be replaced)
 * removes the temporary file and leaves whatever was at the target untouched:
 * a reader sees either the old complete file or the new complete file, never a
 * half-written one.
 */
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** What can be written: one string (UTF-8) or byte array, or an iterable of pieces written in order. */
export type AtomicData = string | Uint8Array | Iterable<string | Uint8Array>;

/** Create a folder and its parents; no error when it already exists. */
export async function ensureDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
}

/**
 * Write `data` to `path` atomically (temp file in the same folder → fsync →
 * rename). An iterable is consumed piece by piece, so a large file need not be
 * held as one string; if the iterable throws, the target is left as it was.
 */
export async function writeFileAtomic(path: string, data: AtomicData): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const pieces: Iterable<string | Uint8Array> =
    typeof data === 'string' || data instanceof Uint8Array ? [data] : data;
  let handle: Awaited<ReturnType<typeof open>> | null = null;
  try {
    handle = await open(tmp, 'wx', 0o644);
    for (const piece of pieces) {
      if (typeof piece === 'string') await handle.writeFile(piece, 'utf8');
      else await handle.writeFile(piece);
    }
    await handle.sync();
    await handle.close();
    handle = null;
    await rename(tmp, path);
  } catch (err) {
    if (handle !== null) await handle.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await syncDir(dir);
}

/** fsync a folder so the rename itself is durable (best effort: not every platform allows it). */
async function syncDir(dir: string): Promise<void> {
  try {
    const h = await open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    /* directories cannot be fsynced everywhere (e.g. Windows); the data itself is synced */
  }
}
