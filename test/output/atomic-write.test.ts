import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDir, writeFileAtomic } from '../../src/util/atomic-write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gammafp-atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes strings, bytes and pieces exactly, replacing an old file', async () => {
    const p = join(dir, 'a.txt');
    await writeFileAtomic(p, 'old contents that are longer than the new');
    await writeFileAtomic(p, 'héllo Γ');
    expect(readFileSync(p, 'utf8')).toBe('héllo Γ');
    await writeFileAtomic(p, new Uint8Array([0, 255, 7]));
    expect([...readFileSync(p)]).toEqual([0, 255, 7]);
    await writeFileAtomic(p, ['ab', new TextEncoder().encode('cd'), 'ef']);
    expect(readFileSync(p, 'utf8')).toBe('abcdef');
    expect(readdirSync(dir)).toEqual(['a.txt']); // no temp file left behind
  });

  it('a data source that fails mid-way leaves the old file intact and no temp file', async () => {
    const p = join(dir, 'report.html');
    writeFileSync(p, 'GOOD OLD REPORT');
    function* failing(): Generator<string> {
      yield 'half of a new rep';
      throw new Error('renderer crashed');
    }
    await expect(writeFileAtomic(p, failing())).rejects.toThrow('renderer crashed');
    expect(readFileSync(p, 'utf8')).toBe('GOOD OLD REPORT');
    expect(readdirSync(dir)).toEqual(['report.html']);
  });

  it('a target that cannot be replaced (a non-empty folder) fails, leaves it alone and cleans up', async () => {
    const p = join(dir, 'summary.json');
    mkdirSync(p);
    writeFileSync(join(p, 'inside'), 'x');
    await expect(writeFileAtomic(p, '{}')).rejects.toThrow();
    expect(readFileSync(join(p, 'inside'), 'utf8')).toBe('x');
    expect(readdirSync(dir)).toEqual(['summary.json']);
  });

  it('fails when the folder does not exist; ensureDir creates nested folders idempotently', async () => {
    const sub = join(dir, 'x', 'y');
    await expect(writeFileAtomic(join(sub, 'f'), 'z')).rejects.toThrow();
    await ensureDir(sub);
    await ensureDir(sub);
    await writeFileAtomic(join(sub, 'f'), 'z');
    expect(readFileSync(join(sub, 'f'), 'utf8')).toBe('z');
  });
});
