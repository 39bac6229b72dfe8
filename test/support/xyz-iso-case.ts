/** The case of issue 20 (surface xyz = 1, isotropic noise, tube with constant width) at a chosen size. */
export function xyzIsoCase(along: [number, number], across: number, extra: Record<string, unknown> = {}): unknown {
  return {
    name: 'xyz-iso-small', variables: ['x', 'y', 'z'], loss: '0.5*(x*y*z - 1)^2',
    noise: { kind: 'isotropic', sigma2: 1 },
    gamma: { kind: 'surface', param: ['exp(a)', 'exp(b)', 'exp(-a-b)'], range: [[-1, 1], [-1, 1]] },
    eta: 0.01, grid: { kind: 'tube', along, across, halfWidth: 8, ...extra },
    initial: { kind: 'on-gamma', at: [0.4, 0.2], width: [0.05, 0.05] },
    time: { end: 0.15, scheme: 'tr-bdf2' }, output: { frames: 15 },
  };
}
