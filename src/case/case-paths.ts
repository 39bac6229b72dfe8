/**
 * Where the shipped cases live: `<package root>/grids/*.json`. The package root is
 * found by walking up from this module's own folder to the first folder holding
 * `package.json`, so the same code works from `src/case/` (tsx, vitest) and from
 * the compiled `dist/src/case/`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/** The folder holding gammafp's `package.json`. */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return (cachedRoot = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** Absolute path of the shipped-cases folder (`grids/`). */
export function shippedCasesDir(): string {
  return resolve(packageRoot(), 'grids');
}

/** Names (file names without `.json`) of the shipped cases, sorted. */
export function shippedCaseNames(): string[] {
  const dir = shippedCasesDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}
