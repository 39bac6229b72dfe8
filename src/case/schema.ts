/**
 * The case-file schema (DESIGN.md §9) in zod 4, and the two entry points that
 * turn a JSON value or a file into a validated `CaseSpec` with defaults applied.
 *
 * Every object is strict: an unknown field is an error naming its JSON path.
 * Every failure is one `InputError` whose message starts with the JSON path
 * (`grid.shape[1]: expected an integer ≥ 2, got 1.5 (in my-case.json)`).
 * Checks that need the number of variables d (matrix shapes, Γ's dimension,
 * grid/Γ consistency) run after the zod pass, in `cross-checks.ts`.
 * Formula syntax is *not* checked here (the landscape module parses formulas).
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from '../util/errors.js';
import type { CaseSpec, GammaSpec, GridSpec, InitialSpec, NoiseSpec, TaskSpec } from './types.js';
import { shippedCaseNames, shippedCasesDir } from './case-paths.js';
import { parseJsonText } from './json-text.js';
import { firstIssueError } from './zod-issues.js';
import { crossCheck } from './cross-checks.js';
import {
  BUILTIN_LANDSCAPES,
  CROSS_SECTIONS,
  DEFAULT_FRAMES,
  DEFAULT_HALF_WIDTH,
  DEFAULT_RTOL,
  EXPECT_VALUES,
  GAMMA_KINDS,
  GRID_KINDS,
  INITIAL_KINDS,
  MAX_FRAMES,
  MIN_FRAMES,
  NOISE_KINDS,
  TIME_SCHEMES,
} from './constants.js';

export * from './constants.js';

/** Names a variable may not take: mathjs constants. */
const RESERVED_NAMES = new Set([
  'e', 'E', 'i', 'pi', 'PI', 'tau', 'phi', 'Infinity', 'NaN', 'null', 'true', 'false', 'undefined',
  'LN2', 'LN10', 'LOG2E', 'LOG10E', 'SQRT1_2', 'SQRT2', 'version',
]);

// ---------------------------------------------------------------- building blocks
/** Every leaf reports "expected <what is allowed>"; the issue formatter appends ", got <value>". */
const want = (desc: string) => ({ error: `expected ${desc}` });
const quoteList = (xs: readonly string[]) => xs.map((x) => JSON.stringify(x)).join(', ');

const num = (desc = 'a number') => z.number(want(desc));
const positive = (desc = 'a number > 0') => z.number(want(desc)).gt(0, want(desc));
const intMin = (k: number) => {
  const d = `an integer ≥ ${k}`;
  return z.number(want(d)).int(want(d)).min(k, want(d));
};
const intRange = (lo: number, hi: number) => {
  const d = `an integer from ${lo} to ${hi}`;
  return z.number(want(d)).int(want(d)).min(lo, want(d)).max(hi, want(d));
};
const formula = (desc = 'a formula (string)') =>
  z.string(want(desc)).refine((s) => s.trim() !== '', want(`${desc}, not empty`));
const oneOf = <T extends readonly [string, ...string[]]>(xs: T) => z.enum(xs, want(`one of ${quoteList(xs)}`));
/** [lo, hi] with lo < hi. */
const interval = (desc = 'a pair [lo, hi] of numbers with lo < hi') =>
  z.tuple([num(), num()], want(desc)).refine(([a, b]) => a < b, want(desc));
/** n or [n1, n2], integers ≥ k. */
const countOrPair = (k: number) =>
  z.union([intMin(k), z.tuple([intMin(k), intMin(k)])], want(`an integer ≥ ${k}, or a pair of them`));
const numberArray = (desc: string) => z.array(num(), want(desc));
const numberMatrix = (desc: string) => z.array(z.array(num(), want('a row: an array of numbers')), want(desc));
const formulaMatrix = (desc: string) =>
  z.array(z.array(formula(), want('a row: an array of formula strings')), want(desc));

/** Strict object: unknown fields are errors listing the allowed ones (with a did-you-mean). */
function strict<S extends z.ZodRawShape>(shape: S, desc: string) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') {
        const key = iss.keys[0] ?? '';
        const near = closest(key, allowed);
        return `unknown field ${JSON.stringify(key)}; ${near ? `did you mean ${JSON.stringify(near)}? ` : ''}allowed: ${allowed.join(', ')}`;
      }
      return `expected ${desc}`;
    },
  });
}

/** Discriminated union on `kind`, with "expected one of …" for a bad or missing kind. */
function byKind<T extends readonly [string, ...string[]]>(kinds: T, desc: string) {
  return {
    error: (iss: { code: string }) =>
      iss.code === 'invalid_union' ? `expected one of ${quoteList(kinds)}` : `expected ${desc}`,
  };
}

/** The allowed field name nearest to a misspelt one (edit distance ≤ 2, or same letters ignoring case). */
function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const a of allowed) {
    const d = a.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, a);
    if (d < bestD) {
      bestD = d;
      best = a;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}

// ---------------------------------------------------------------- the schema
const noiseSchema = z.discriminatedUnion(
  'kind',
  [
    strict({ kind: z.literal('isotropic'), sigma2: positive() }, 'an object {kind: "isotropic", sigma2}'),
    strict({ kind: z.literal('label'), output: formula(), c: positive() }, 'an object {kind: "label", output, c}'),
    strict(
      { kind: z.literal('constant'), Sigma: numberMatrix('a d×d matrix of numbers') },
      'an object {kind: "constant", Sigma}',
    ),
    strict(
      { kind: z.literal('formula'), Sigma: formulaMatrix('a d×d matrix of formula strings') },
      'an object {kind: "formula", Sigma}',
    ),
  ],
  byKind(NOISE_KINDS, 'an object {kind, ...} with kind one of ' + quoteList(NOISE_KINDS)),
);

/** A learning task (issue 17): cross-field checks (input names, p ≥ B, parameters) are in cross-checks.ts. */
const dataRow = strict(
  {
    x: z.union([num(), z.array(num(), want('an array of numbers'))], want('a number or an array of numbers (the input)')),
    y: num('a number (the label)'),
  },
  'a row {x, y}: the input (a number or an array) and its label',
);
const NAME_LIST = 'an array of distinct identifiers';
const taskSchema = strict(
  {
    inputs: z.array(z.string(want('an identifier')), want(NAME_LIST)).optional(),
    data: z.array(dataRow, want('an array of rows {x, y}')).min(1, want('at least one row {x, y}')).max(4096, want('at most 4096 rows')),
    model: formula('a formula in the variables and the inputs'),
    loss: oneOf(['squared'] as const).default('squared'),
    batch: strict(
      { size: intMin(1), replacement: z.boolean(want('true or false')) },
      'an object {size, replacement}',
    ).optional(),
    labelNoise: positive('a number > 0 (the variance of the label noise)').optional(),
    dropconnect: strict(
      {
        q: z.number(want('a number in (0, 1]')).gt(0, want('a number in (0, 1]')).lte(1, want('a number in (0, 1]')),
        params: z.array(z.string(want('a variable name')), want('an array of variable names')).min(1, want('at least one variable name')),
      },
      'an object {q, params}',
    ).optional(),
  },
  'an object {data, model, inputs?, loss?, batch?, labelNoise?, dropconnect?}',
);

const formulaList = (desc: string) => z.array(formula(), want(desc));
const gammaSchema = z.discriminatedUnion(
  'kind',
  [
    strict(
      {
        kind: z.literal('curve'),
        param: formulaList('an array of d formulas in s'),
        range: interval('a pair [s0, s1] of numbers with s0 < s1'),
        closed: z.boolean(want('true or false')).default(false),
      },
      'an object {kind: "curve", param, range, closed?}',
    ),
    strict(
      {
        kind: z.literal('surface'),
        param: formulaList('an array of 3 formulas in a and b'),
        range: z.tuple(
          [interval('a pair [a0, a1] with a0 < a1'), interval('a pair [b0, b1] with b0 < b1')],
          want('a pair of ranges [[a0, a1], [b0, b1]]'),
        ),
      },
      'an object {kind: "surface", param, range}',
    ),
    strict(
      {
        kind: z.literal('traced'),
        seed: numberArray('an array of d numbers (a point near Γ)'),
        length: z
          .tuple([num(), num()], want('a pair [neg, pos] of arclengths with neg ≤ 0 ≤ pos and neg < pos'))
          .refine(
            ([a, b]) => a <= 0 && b >= 0 && a < b,
            want('a pair [neg, pos] of arclengths with neg ≤ 0 ≤ pos and neg < pos'),
          ),
      },
      'an object {kind: "traced", seed, length}',
    ),
  ],
  byKind(GAMMA_KINDS, 'an object {kind, ...} with kind one of ' + quoteList(GAMMA_KINDS)),
);

/** Stations along Γ concentrated on a chart interval (grid/grading.ts `focusedEdges`). */
const alongFocus = strict(
  {
    focus: interval('a pair [lo, hi] of chart coordinates with lo < hi'),
    ratio: z.number(want('a number ≥ 1')).min(1, want('a number ≥ 1')),
    transition: positive().optional(),
  },
  'an object {focus: [lo, hi], ratio, transition?}',
);

const gridSchema = z.discriminatedUnion(
  'kind',
  [
    strict(
      {
        kind: z.literal('tube'),
        along: countOrPair(4),
        across: countOrPair(4),
        halfWidth: positive().default(DEFAULT_HALF_WIDTH),
        halfWidthAbs: positive().optional(),
        grading: z.number(want('a number ≥ 1')).min(1, want('a number ≥ 1')).default(1),
        alongGrading: z
          .union([alongFocus, z.tuple([alongFocus.nullable(), alongFocus.nullable()])], want('{focus: [lo, hi], ratio, transition?} for a curve, or a pair of them (null: uniform) for a surface'))
          .optional(),
        crossSection: oneOf(CROSS_SECTIONS).default('square'),
        widthAlong: oneOf(['constant', 'local'] as const).default('constant'),
      },
      'an object {kind: "tube", along, across, halfWidth?, halfWidthAbs?, grading?, alongGrading?, crossSection?, widthAlong?}',
    ),
    strict(
      {
        kind: z.literal('cartesian'),
        bounds: z.array(interval(), want('an array of d pairs [lo, hi], one per variable')),
        shape: z.array(intMin(2), want('an array of d integers ≥ 2, one per variable')),
      },
      'an object {kind: "cartesian", bounds, shape}',
    ),
  ],
  byKind(GRID_KINDS, 'an object {kind, ...} with kind one of ' + quoteList(GRID_KINDS)),
);

const initialSchema = z.discriminatedUnion(
  'kind',
  [
    strict(
      {
        kind: z.literal('gaussian'),
        mean: numberArray('an array of d numbers'),
        cov: numberMatrix('a d×d symmetric positive definite matrix'),
      },
      'an object {kind: "gaussian", mean, cov}',
    ),
    strict(
      {
        kind: z.literal('on-gamma'),
        at: z.union([num(), z.tuple([num(), num()])], want('a number (or a pair [a, b] on a surface; one number there means the same in both)')),
        width: z.union(
          [positive(), z.tuple([positive(), positive()])],
          want('a number > 0 (or a pair of them on a surface; one number there means the same in both)'),
        ),
      },
      'an object {kind: "on-gamma", at, width}',
    ),
    strict({ kind: z.literal('density'), formula: formula() }, 'an object {kind: "density", formula}'),
  ],
  byKind(INITIAL_KINDS, 'an object {kind, ...} with kind one of ' + quoteList(INITIAL_KINDS)),
);

const timeSchema = strict(
  {
    end: positive(),
    scheme: oneOf(TIME_SCHEMES).default('tr-bdf2'),
    dt: positive().optional(),
    rtol: z.number(want('a number in (0, 1)')).gt(0, want('a number in (0, 1)')).lt(1, want('a number in (0, 1)')).default(DEFAULT_RTOL),
    frames: intRange(MIN_FRAMES, MAX_FRAMES).optional(),
  },
  'an object {end, scheme?, dt?, rtol?, frames?}',
);

const outputSchema = strict(
  { frames: intRange(MIN_FRAMES, MAX_FRAMES).default(DEFAULT_FRAMES) },
  'an object {frames?}',
).default({ frames: DEFAULT_FRAMES });

/** Particles run beside the FPE by `gammafp run` (and `verify --particles`); see particles/simulate.ts. */
const particlesSchema = strict(
  {
    mode: oneOf(['sde', 'sgd'] as const).default('sgd'),
    n: intRange(2, 100_000_000),
    seed: intRange(0, Number.MAX_SAFE_INTEGER).default(1),
    dtFactor: z.number(want('a number in (0, 1]')).gt(0, want('a number in (0, 1]')).lte(1, want('a number in (0, 1]')).optional(),
  },
  'an object {mode?, n, seed?, dtFactor?}',
);

const NAME_DESC = 'a slug: lower-case letters, digits, "-" or "_", starting with a letter or digit';
const VAR_DESC = 'an identifier (a letter, then letters, digits or "_"), not a constant such as e or pi';
const etaDesc = 'a number in (0, 1]';

/** The whole case file. Cross-field constraints are in `cross-checks.ts`. */
export const caseFileSchema = strict(
  {
    name: z.string(want(NAME_DESC)).regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, want(NAME_DESC)),
    description: z.string(want('a string')).default(''),
    variables: z
      .array(
        z
          .string(want(VAR_DESC))
          .regex(/^[\p{L}][\p{L}\p{N}_]*$/u, want(VAR_DESC))
          .refine((s) => !RESERVED_NAMES.has(s), want(VAR_DESC)),
        want('an array of 2 or 3 distinct variable names'),
      )
      .min(2, want('an array of 2 or 3 distinct variable names'))
      .max(3, want('an array of 2 or 3 distinct variable names')),
    loss: formula('a formula (string) in the variables').optional(),
    landscape: oneOf(BUILTIN_LANDSCAPES).optional(),
    noise: noiseSchema.optional(),
    task: taskSchema.optional(),
    gamma: gammaSchema.optional(),
    eta: z.number(want(etaDesc)).gt(0, want(etaDesc)).lte(1, want(etaDesc)),
    grid: gridSchema,
    initial: initialSchema,
    time: timeSchema,
    output: outputSchema,
    particles: particlesSchema.optional(),
    expect: oneOf(EXPECT_VALUES).optional(),
  },
  'a JSON object describing a case',
);

/** The zod output: shapes are checked, dimensions not yet. */
export type CaseFile = z.output<typeof caseFileSchema>;

// ---------------------------------------------------------------- entry points
/**
 * Validate a parsed JSON value as a case and resolve defaults.
 * `source` (a file path or a label) is named in every error message.
 * @throws InputError whose message starts with the JSON path of the offending field.
 */
export function parseCase(json: unknown, source: string): CaseSpec {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InputError(
      source,
      `expected a JSON object describing a case (fields name, variables, loss or landscape with noise, or task, eta, grid, initial, time), got ${describeRoot(json)}`,
    );
  }
  const r = caseFileSchema.safeParse(json);
  if (!r.success) throw firstIssueError(r.error.issues, json, source);
  const c = r.data;
  crossCheck(c, source);
  return toCaseSpec(c);
}

function describeRoot(v: unknown): string {
  if (Array.isArray(v)) return `an array ${JSON.stringify(v).slice(0, 40)}`;
  if (v === null) return 'null';
  return `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}

/**
 * Load a case from a file path, or by the name of a shipped case (`grids/<name>.json`).
 * An existing file wins over a shipped name.
 * @throws InputError for a missing file (listing the shipped cases), an empty file,
 *   text that is not JSON (with line and column) and any schema violation.
 */
export function loadCase(pathOrName: string): CaseSpec {
  const file = resolveCaseFile(pathOrName);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(file, `cannot read the case file: ${(err as Error).message}`);
  }
  return parseCase(parseJsonText(text, file), file);
}

/** The file a case argument names: an existing file, else `grids/<name>.json` (`.json` optional). */
export function resolveCaseFile(pathOrName: string): string {
  if (pathOrName.trim() === '') {
    throw new InputError('case', `expected a case file path or a shipped case name, got ""; shipped cases: ${shippedCaseNames().join(', ')}`);
  }
  if (isFile(pathOrName)) return resolve(pathOrName);
  const stem = basename(pathOrName).replace(/\.json$/, '');
  if (stem === pathOrName.replace(/\.json$/, '') && shippedCaseNames().includes(stem)) {
    return resolve(shippedCasesDir(), `${stem}.json`);
  }
  throw new InputError(
    'case',
    `no such case file or shipped case, got ${JSON.stringify(pathOrName)}; shipped cases: ${shippedCaseNames().join(', ')}`,
  );
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- resolution
function toCaseSpec(c: CaseFile): CaseSpec {
  // Key order is the file's order: `case.json` in an output folder is this object.
  return {
    name: c.name,
    description: c.description,
    variables: [...c.variables],
    ...(c.loss !== undefined ? { loss: c.loss } : {}),
    ...(c.landscape !== undefined ? { landscape: c.landscape } : {}),
    ...(c.noise !== undefined ? { noise: toNoise(c.noise) } : {}),
    ...(c.task !== undefined ? { task: toTask(c.task) } : {}),
    ...(c.gamma !== undefined ? { gamma: toGamma(c.gamma) } : {}),
    eta: c.eta,
    grid: toGrid(c.grid),
    initial: toInitial(c.initial, c.gamma?.kind === 'surface'),
    time: {
      end: c.time.end,
      scheme: c.time.scheme,
      ...(c.time.dt !== undefined ? { dt: c.time.dt } : {}),
      rtol: c.time.rtol,
      ...(c.time.frames !== undefined ? { frames: c.time.frames } : {}),
    },
    output: { frames: c.output.frames },
    ...(c.particles !== undefined
      ? { particles: { mode: c.particles.mode, n: c.particles.n, seed: c.particles.seed, ...(c.particles.dtFactor !== undefined ? { dtFactor: c.particles.dtFactor } : {}) } }
      : {}),
    ...(c.expect !== undefined ? { expect: c.expect } : {}),
  };
}

function toNoise(n: NonNullable<CaseFile['noise']>): NoiseSpec {
  switch (n.kind) {
    case 'isotropic':
      return { kind: 'isotropic', sigma2: n.sigma2 };
    case 'label':
      return { kind: 'label', output: n.output, c: n.c };
    case 'constant':
      return { kind: 'constant', Sigma: n.Sigma.map((r) => [...r]) };
    case 'formula':
      return { kind: 'formula', Sigma: n.Sigma.map((r) => [...r]) };
  }
}

function toTask(t: NonNullable<CaseFile['task']>): TaskSpec {
  const data = t.data.map((r) => ({ x: typeof r.x === 'number' ? [r.x] : [...r.x], y: r.y }));
  const k = data[0]!.x.length;
  const inputs = t.inputs ? [...t.inputs] : k === 1 ? ['x'] : Array.from({ length: k }, (_, i) => `x${i + 1}`);
  return {
    inputs,
    data,
    model: t.model,
    loss: t.loss,
    ...(t.batch !== undefined ? { batch: { size: t.batch.size, replacement: t.batch.replacement } } : {}),
    ...(t.labelNoise !== undefined ? { labelNoise: t.labelNoise } : {}),
    ...(t.dropconnect !== undefined ? { dropconnect: { q: t.dropconnect.q, params: [...t.dropconnect.params] } } : {}),
  };
}

function toGamma(g: NonNullable<CaseFile['gamma']>): GammaSpec {
  switch (g.kind) {
    case 'curve':
      return { kind: 'curve', param: [...g.param], range: [g.range[0], g.range[1]], closed: g.closed };
    case 'surface':
      return {
        kind: 'surface',
        param: [...g.param],
        range: [
          [g.range[0][0], g.range[0][1]],
          [g.range[1][0], g.range[1][1]],
        ],
      };
    case 'traced':
      return { kind: 'traced', seed: [...g.seed], length: [g.length[0], g.length[1]] };
  }
}

function toGrid(g: CaseFile['grid']): GridSpec {
  if (g.kind === 'cartesian') {
    return { kind: 'cartesian', bounds: g.bounds.map((b) => [b[0], b[1]] as [number, number]), shape: [...g.shape] };
  }
  const pairOr = (v: number | [number, number]): number | [number, number] =>
    typeof v === 'number' ? v : [v[0], v[1]];
  const out: GridSpec = {
    kind: 'tube',
    along: pairOr(g.along),
    across: pairOr(g.across),
    halfWidth: g.halfWidth,
    grading: g.grading,
    crossSection: g.crossSection,
    widthAlong: g.widthAlong,
  };
  if (g.halfWidthAbs !== undefined) out.halfWidthAbs = g.halfWidthAbs;
  if (g.alongGrading !== undefined) {
    const f = (x: { focus: [number, number]; ratio: number; transition?: number } | null) =>
      x === null ? null : { focus: [x.focus[0], x.focus[1]] as [number, number], ratio: x.ratio, ...(x.transition !== undefined ? { transition: x.transition } : {}) };
    const ag = g.alongGrading;
    out.alongGrading = Array.isArray(ag) ? [f(ag[0]), f(ag[1])] : f(ag)!;
  }
  return out;
}

/** On a surface Γ a single number for `at` or `width` means the same value in both chart directions. */
function toInitial(i: CaseFile['initial'], surface: boolean): InitialSpec {
  const pairOn = (v: number | [number, number]): number | [number, number] =>
    typeof v === 'number' ? (surface ? [v, v] : v) : [v[0], v[1]];
  switch (i.kind) {
    case 'gaussian':
      return { kind: 'gaussian', mean: [...i.mean], cov: i.cov.map((r) => [...r]) };
    case 'on-gamma':
      return {
        kind: 'on-gamma',
        at: pairOn(i.at),
        width: pairOn(i.width),
      };
    case 'density':
      return { kind: 'density', formula: i.formula };
  }
}
