/** Allowed values and defaults of the case-file fields (DESIGN.md §9). */

/**
 * Names accepted by `"landscape"`. Keep in sync with `builtinLandscapeNames()`
 * in `src/landscape/catalog.ts` (not imported: the case layer stays below the landscape layer).
 */
export const BUILTIN_LANDSCAPES = ['valley', 'hyperbola', 'scalar-net', 'twisted-curve'] as const;
export type BuiltinLandscapeName = (typeof BUILTIN_LANDSCAPES)[number];
/**
 * Variables of each built-in landscape (the case's `variables` must be exactly these) and the
 * kind of its own Γ (used when a case names a built-in landscape and gives no `gamma`).
 * Keep in sync with the catalog in `src/landscape/catalog.ts`.
 */
export const BUILTIN_LANDSCAPE_INFO: Readonly<
  Record<BuiltinLandscapeName, { readonly variables: readonly string[]; readonly gamma: 'curve' | 'surface' }>
> = {
  valley: { variables: ['x', 'y'], gamma: 'curve' },
  hyperbola: { variables: ['u', 'v'], gamma: 'curve' },
  'scalar-net': { variables: ['x', 'y', 'z'], gamma: 'surface' },
  'twisted-curve': { variables: ['x', 'y', 'z'], gamma: 'curve' },
};

export const NOISE_KINDS = ['isotropic', 'label', 'constant', 'formula'] as const;
export const GAMMA_KINDS = ['curve', 'surface', 'traced'] as const;
export const GRID_KINDS = ['tube', 'cartesian'] as const;
export const INITIAL_KINDS = ['gaussian', 'on-gamma', 'density'] as const;
export const TIME_SCHEMES = ['tr-bdf2', 'backward-euler'] as const;
export const CROSS_SECTIONS = ['square', 'disc'] as const;
export const EXPECT_VALUES = ['li', 'seed'] as const;
/** Bounds of `output.frames` and `time.frames`. */
export const MIN_FRAMES = 2;
export const MAX_FRAMES = 400;
export const DEFAULT_FRAMES = 60;
export const DEFAULT_HALF_WIDTH = 8;
export const DEFAULT_RTOL = 1e-3;
