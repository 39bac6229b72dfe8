import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The case of issue 20 as shipped in examples/xyz-iso.json (surface xyz = 1, isotropic noise, constant width). */
export function xyzIsoJson(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'xyz-iso.json'), 'utf8')) as Record<string, unknown>;
}

/** The same case at a chosen size (and other grid fields). */
export function xyzIsoCase(along: [number, number], across: number, extra: Record<string, unknown> = {}): unknown {
  const c = xyzIsoJson();
  return { ...c, name: 'xyz-iso-small', grid: { ...(c.grid as Record<string, unknown>), along, across, ...extra } };
}
