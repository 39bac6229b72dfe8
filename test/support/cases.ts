import type { CaseSpec } from '../../src/case/types.js';

/** The valley on a Cartesian box (DESIGN.md §8), small enough for tests. */
export function valleyCartesian(overrides: Partial<CaseSpec> = {}, shape: [number, number] = [64, 32]): CaseSpec {
  return {
    name: 'valley-test',
    description: 'valley on a box',
    variables: ['x', 'y'],
    landscape: 'valley',
    noise: { kind: 'isotropic', sigma2: 1 },
    eta: 0.05,
    grid: { kind: 'cartesian', bounds: [[-2, 2], [-1, 1]], shape },
    initial: { kind: 'gaussian', mean: [0.7, 0.3], cov: [[0.04, 0], [0, 0.01]] },
    time: { end: 0.1, scheme: 'tr-bdf2' },
    output: { frames: 3 },
    ...overrides,
  };
}
