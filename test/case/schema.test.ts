import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, showValue } from '../../src/util/errors.js';
import { loadCase, parseCase, resolveCaseFile, BUILTIN_LANDSCAPES, BUILTIN_LANDSCAPE_INFO } from '../../src/case/schema.js';
import { builtinGamma, builtinLandscapeInfo, builtinLandscapeNames } from '../../src/landscape/catalog.js';
import { shippedCaseNames, shippedCasesDir } from '../../src/case/case-paths.js';
import { parseJsonText, lineColumn } from '../../src/case/json-text.js';
import { symmetricEigenvalues } from '../../src/case/cross-checks.js';

const GRIDS = shippedCasesDir();

/** DESIGN.md §9's example, verbatim. */
const EXAMPLE = {
  name: 'hyperbola-label',
  description: 'L = ½(uv−1)² with label noise: q = u²−v² decays like e^(−ct)',
  variables: ['u', 'v'],
  loss: '0.5*(u*v - 1)^2',
  noise: { kind: 'label', output: 'u*v', c: 1 },
  gamma: { kind: 'curve', param: ['exp(s)', 'exp(-s)'], range: [-1.2, 1.2] },
  eta: 0.01,
  grid: { kind: 'tube', along: 256, across: 48, halfWidth: 8 },
  initial: { kind: 'on-gamma', at: 0.7, width: 0.05 },
  time: { end: 0.5, scheme: 'tr-bdf2' },
  output: { frames: 60 },
};

/** A valid Cartesian case to mutate. */
const CART = {
  name: 'box',
  variables: ['x', 'y'],
  landscape: 'valley',
  noise: { kind: 'isotropic', sigma2: 1 },
  eta: 0.05,
  grid: { kind: 'cartesian', bounds: [[-2, 2], [-1, 1]], shape: [32, 32] },
  initial: { kind: 'gaussian', mean: [0.5, 0.2], cov: [[0.04, 0], [0, 0.01]] },
  time: { end: 0.5 },
};

type Json = Record<string, any>;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
function mutate(base: Json, f: (c: Json) => void): Json {
  const c = clone(base);
  f(c);
  return c;
}

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    const e = err as InputError;
    expect(e.exitCode).toBe(2);
    expect(e.message).not.toContain('\n');
    return e;
  }
  throw new Error('expected an InputError, none was thrown');
}

describe('shipped cases (grids/)', () => {
  const files = readdirSync(GRIDS).filter((f) => f.endsWith('.json'));

  it('include every DESIGN.md §8 case and the Cartesian default', () => {
    expect(shippedCaseNames()).toEqual(
      ['hyperbola-iso', 'hyperbola-label', 'hyperbola-mixed', 'scalar-net', 'task-curved', 'task-interpolate', 'task-phase', 'twisted-curve', 'valley', 'valley-cartesian'].sort(),
    );
  });

  it.each(files)('%s parses, by path and by name, and its name is the file name', (file) => {
    const stem = file.replace(/\.json$/, '');
    const byPath = loadCase(join(GRIDS, file));
    const byName = loadCase(stem);
    expect(byName).toEqual(byPath);
    expect(byPath.name).toBe(stem);
    expect(byPath.description.length).toBeGreaterThan(10);
    // Every shipped case is solvable by the tube or Cartesian machinery.
    if (byPath.grid.kind === 'tube') expect(byPath.gamma).toBeDefined();
    expect(byPath.eta).toBeGreaterThan(0);
  });

  it('the resolved spec survives a JSON round trip unchanged (case.json in an output folder re-loads)', () => {
    for (const name of shippedCaseNames()) {
      const spec = loadCase(name);
      expect(parseCase(JSON.parse(JSON.stringify(spec)), name)).toEqual(spec);
    }
  });
});

describe('parseCase: defaults and resolution', () => {
  it('resolves the DESIGN.md §9 example with its defaults', () => {
    const spec = parseCase(clone(EXAMPLE), 'example');
    expect(spec.gamma).toEqual({ kind: 'curve', param: ['exp(s)', 'exp(-s)'], range: [-1.2, 1.2], closed: false });
    expect(spec.grid).toEqual({
      kind: 'tube', along: 256, across: 48, halfWidth: 8, grading: 1, crossSection: 'square', widthAlong: 'constant',
    });
    expect(spec.time).toEqual({ end: 0.5, scheme: 'tr-bdf2', rtol: 1e-3 });
    expect(spec.output).toEqual({ frames: 60 });
    expect(spec.loss).toBe('0.5*(u*v - 1)^2');
    expect(spec.landscape).toBeUndefined();
    expect(spec.expect).toBeUndefined();
  });

  it('fills output, description, scheme and rtol when absent; keeps optional fields when given', () => {
    const spec = parseCase(
      mutate(CART, (c) => {
        c.time = { end: 1, dt: 0.01, frames: 10, scheme: 'backward-euler' };
        c.expect = 'li';
      }),
      'x',
    );
    expect(spec.output).toEqual({ frames: 60 });
    expect(spec.description).toBe('');
    expect(spec.time).toEqual({ end: 1, scheme: 'backward-euler', dt: 0.01, rtol: 1e-3, frames: 10 });
    expect(spec.expect).toBe('li');
    expect(spec.gamma).toBeUndefined();
  });

  it('accepts a surface Γ with pairs for along, at and width, and a 3D curve with an across pair', () => {
    const surf = parseCase(JSON.parse(readFileSync(join(GRIDS, 'scalar-net.json'), 'utf8')), 's');
    expect(surf.grid.kind === 'tube' && surf.grid.along).toEqual([56, 68]);
    expect(surf.grid.kind === 'tube' && surf.grid.alongGrading).toEqual([{ focus: [-0.35, 0.7], ratio: 2 }, { focus: [-0.35, 0.3], ratio: 4 }]);
    const curve3 = loadCase('twisted-curve');
    expect(curve3.grid.kind === 'tube' && curve3.grid.across).toEqual([20, 20]);
  });

  it('a built-in landscape brings its own Γ: a tube grid and on-gamma need no gamma field', () => {
    const spec = parseCase(mutate(loadCase('scalar-net'), (c) => delete c.gamma), 'x');
    expect(spec.gamma).toBeUndefined();
    // …and its Γ's kind still decides whether `along` is a pair.
    const e = inputError(() =>
      parseCase(mutate(loadCase('scalar-net'), (c) => { delete c.gamma; c.grid.along = 32; }), 'x'),
    );
    expect(e.field).toBe('grid.along');
  });

  it('lists the built-in landscapes of the catalog, with their variables and kind of Γ', () => {
    expect([...BUILTIN_LANDSCAPES].sort()).toEqual(builtinLandscapeNames().sort());
    for (const name of BUILTIN_LANDSCAPES) {
      expect(BUILTIN_LANDSCAPE_INFO[name].variables).toEqual(builtinLandscapeInfo(name).variables);
      expect(BUILTIN_LANDSCAPE_INFO[name].gamma).toBe(builtinGamma(name).kind);
    }
  });
});

/**
 * Malformed cases: [title, case, JSON path the message must start with, text it must quote].
 * The quoted text is showValue(offending value) unless given.
 */
const MALFORMED: [string, Json, string, string][] = [
  ['eta of the wrong type', mutate(CART, (c) => (c.eta = '0.01')), 'eta', '"0.01"'],
  ['eta = 0', mutate(CART, (c) => (c.eta = 0)), 'eta', 'got 0'],
  ['eta < 0', mutate(CART, (c) => (c.eta = -0.1)), 'eta', 'got -0.1'],
  ['eta > 1', mutate(CART, (c) => (c.eta = 1.5)), 'eta', 'got 1.5'],
  ['unknown top-level field', mutate(CART, (c) => (c.etaa = 0.1)), 'etaa', '"etaa"'],
  ['unknown nested field', mutate(EXAMPLE, (c) => (c.grid.halfwidth = 4)), 'grid.halfwidth', '"halfwidth"'],
  ['unknown field inside noise', mutate(CART, (c) => (c.noise.sigma = 1)), 'noise.sigma', '"sigma"'],
  ['missing required field', mutate(CART, (c) => delete c.time), 'time', 'missing'],
  ['missing nested field', mutate(CART, (c) => delete c.time.end), 'time.end', 'missing'],
  ['bad noise kind', mutate(CART, (c) => (c.noise = { kind: 'gaussian', sigma2: 1 })), 'noise.kind', '"gaussian"'],
  ['missing noise kind', mutate(CART, (c) => (c.noise = { sigma2: 1 })), 'noise.kind', 'missing'],
  ['Sigma with a row too many', mutate(CART, (c) => (c.noise = { kind: 'constant', Sigma: [[1, 0], [0, 1], [0, 0]] })), 'noise.Sigma', '[[1,0],[0,1],[0,0]]'],
  ['Sigma with a short row', mutate(CART, (c) => (c.noise = { kind: 'constant', Sigma: [[1, 0], [0]] })), 'noise.Sigma[1]', '[0]'],
  ['Sigma with a string entry', mutate(CART, (c) => (c.noise = { kind: 'constant', Sigma: [[1, 0], [0, 'x']] })), 'noise.Sigma[1][1]', '"x"'],
  ['Sigma not positive semidefinite', mutate(CART, (c) => (c.noise = { kind: 'constant', Sigma: [[1, 2], [2, 1]] })), 'noise.Sigma', '[[1,2],[2,1]]'],
  ['formula Sigma of the wrong shape', mutate(CART, (c) => (c.noise = { kind: 'formula', Sigma: [['1', '0', '0'], ['0', '1', '0']] })), 'noise.Sigma[0]', '["1","0","0"]'],
  ['cov not symmetric', mutate(CART, (c) => (c.initial.cov = [[1, 0.2], [0.3, 1]])), 'initial.cov[1][0]', 'got 0.3'],
  ['cov not positive definite', mutate(CART, (c) => (c.initial.cov = [[1, 0], [0, 0]])), 'initial.cov', '[[1,0],[0,0]]'],
  ['mean of the wrong length', mutate(CART, (c) => (c.initial.mean = [1, 2, 3])), 'initial.mean', '[1,2,3]'],
  ['shape 1.5', mutate(CART, (c) => (c.grid.shape = [32, 1.5])), 'grid.shape[1]', 'got 1.5'],
  ['shape 1', mutate(CART, (c) => (c.grid.shape = [1, 32])), 'grid.shape[0]', 'got 1'],
  ['shape of the wrong length', mutate(CART, (c) => (c.grid.shape = [32, 32, 32])), 'grid.shape', '[32,32,32]'],
  ['bounds lo ≥ hi', mutate(CART, (c) => (c.grid.bounds = [[2, -2], [-1, 1]])), 'grid.bounds[0]', '[2,-2]'],
  ['bounds lo = hi', mutate(CART, (c) => (c.grid.bounds = [[-2, 2], [1, 1]])), 'grid.bounds[1]', '[1,1]'],
  ['along pair for a curve', mutate(EXAMPLE, (c) => (c.grid.along = [64, 64])), 'grid.along', '[64,64]'],
  ['along a number for a surface', mutate(JSON.parse(readFileSync(join(GRIDS, 'scalar-net.json'), 'utf8')), (c) => (c.grid.along = 64)), 'grid.along', 'got 64'],
  ['across pair around a 2D curve', mutate(EXAMPLE, (c) => (c.grid.across = [8, 8])), 'grid.across', '[8,8]'],
  ['along < 4', mutate(EXAMPLE, (c) => (c.grid.along = 3)), 'grid.along', 'got 3'],
  ['gamma.param of the wrong length', mutate(EXAMPLE, (c) => (c.gamma.param = ['exp(s)'])), 'gamma.param', '["exp(s)"]'],
  ['gamma.range reversed', mutate(EXAMPLE, (c) => (c.gamma.range = [1.2, -1.2])), 'gamma.range', '[1.2,-1.2]'],
  ['surface Γ in 2D', mutate(EXAMPLE, (c) => (c.gamma = { kind: 'surface', param: ['a', 'b', '0'], range: [[0, 1], [0, 1]] })), 'gamma.kind', '"surface"'],
  ['tube grid without gamma', mutate(EXAMPLE, (c) => delete c.gamma), 'gamma', 'missing'],
  ['initial.at outside gamma.range', mutate(EXAMPLE, (c) => (c.initial.at = 2)), 'initial.at', 'got 2'],
  ['initial.width ≤ 0', mutate(EXAMPLE, (c) => (c.initial.width = 0)), 'initial.width', 'got 0'],
  ['initial.width a pair on a curve', mutate(EXAMPLE, (c) => (c.initial.width = [0.1, 0.1])), 'initial.width', '[0.1,0.1]'],
  ['initial.at a pair on a curve', mutate(EXAMPLE, (c) => (c.initial.at = [0.1, 0.1])), 'initial.at', '[0.1,0.1]'],
  ['one initial.at on a surface outside a range', mutate(JSON.parse(readFileSync(join(GRIDS, 'scalar-net.json'), 'utf8')), (c) => (c.initial.at = 5)), 'initial.at', 'got 5'],
  ['both loss and landscape', mutate(EXAMPLE, (c) => (c.landscape = 'hyperbola')), 'landscape', '"hyperbola"'],
  ['neither loss nor landscape', mutate(EXAMPLE, (c) => delete c.loss), 'loss', 'missing'],
  ['unknown built-in landscape', mutate(CART, (c) => (c.landscape = 'valey')), 'landscape', '"valey"'],
  ['built-in landscape of another dimension', mutate(CART, (c) => (c.landscape = 'scalar-net')), 'variables', '["x","y"]'],
  ['built-in landscape with other variable names', mutate(CART, (c) => (c.variables = ['a', 'b'])), 'variables', '["a","b"]'],
  ['one variable', mutate(CART, (c) => (c.variables = ['x'])), 'variables', '["x"]'],
  ['repeated variable', mutate(CART, (c) => (c.variables = ['x', 'x'])), 'variables[1]', '"x"'],
  ['a constant as a variable', mutate(CART, (c) => (c.variables = ['x', 'e'])), 'variables[1]', '"e"'],
  ['name not a slug', mutate(CART, (c) => (c.name = 'My Case')), 'name', '"My Case"'],
  ['bad time scheme', mutate(CART, (c) => (c.time.scheme = 'rk4')), 'time.scheme', '"rk4"'],
  ['dt longer than end', mutate(CART, (c) => (c.time.dt = 2)), 'time.dt', 'got 2'],
  ['frames out of range', mutate(CART, (c) => (c.output = { frames: 1000 })), 'output.frames', 'got 1000'],
  ['grading < 1', mutate(EXAMPLE, (c) => (c.grid.grading = 0.5)), 'grid.grading', 'got 0.5'],
  ['closed not a boolean', mutate(EXAMPLE, (c) => (c.gamma.closed = 'yes')), 'gamma.closed', '"yes"'],
  ['traced length not around 0', mutate(CART, (c) => (c.gamma = { kind: 'traced', seed: [0, 0], length: [1, 2] })), 'gamma.length', '[1,2]'],
  ['bad expect', mutate(CART, (c) => (c.expect = 'both')), 'expect', '"both"'],
];

describe('parseCase: one number for initial.at / initial.width on a surface Γ', () => {
  it('means the same value in both chart directions', () => {
    const net = JSON.parse(readFileSync(join(GRIDS, 'scalar-net.json'), 'utf8'));
    const one = parseCase(mutate(net, (c) => ((c.initial.width = 0.07), (c.initial.at = 0.1))), 'one.json');
    const pair = parseCase(mutate(net, (c) => ((c.initial.width = [0.07, 0.07]), (c.initial.at = [0.1, 0.1]))), 'pair.json');
    expect(one.initial).toEqual({ kind: 'on-gamma', at: [0.1, 0.1], width: [0.07, 0.07] });
    expect(one.initial).toEqual(pair.initial);
  });
});

describe('parseCase: malformed cases give one-line InputErrors at the JSON path, quoting the value', () => {
  it.each(MALFORMED)('%s', (_title, json, path, quoted) => {
    const e = inputError(() => parseCase(json, 'bad.json'));
    expect(e.field).toBe(path);
    expect(e.message.startsWith(`${path}: `)).toBe(true);
    expect(e.message).toContain(quoted);
    expect(e.message).toContain('(in bad.json)');
  });

  it('says what is allowed: shape 1.5 reads "expected an integer ≥ 2, got 1.5"', () => {
    const e = inputError(() => parseCase(mutate(CART, (c) => (c.grid.shape = [32, 1.5])), 'f.json'));
    expect(e.message).toBe('grid.shape[1]: expected an integer ≥ 2, got 1.5 (in f.json)');
  });

  it('suggests the field meant by a misspelt one and lists the allowed ones', () => {
    const e = inputError(() => parseCase(mutate(EXAMPLE, (c) => (c.grid.halfwidth = 4)), 'f.json'));
    expect(e.message).toContain('did you mean "halfWidth"?');
    expect(e.message).toContain('allowed: kind, along, across, halfWidth');
  });

  it('lists the allowed kinds for a bad noise kind', () => {
    const e = inputError(() => parseCase(mutate(CART, (c) => (c.noise = { kind: 'gaussian' })), 'f.json'));
    expect(e.message).toBe(
      'noise.kind: expected one of "isotropic", "label", "constant", "formula", got "gaussian" (in f.json)',
    );
  });

  it.each([
    ['an array', [1, 2]],
    ['a number', 3],
    ['null', null],
    ['a string', 'valley'],
  ])('refuses %s at the top level, naming the source', (_t, json) => {
    const e = inputError(() => parseCase(json, 'top.json'));
    expect(e.field).toBe('top.json');
    expect(e.message).toContain(showValue(json).slice(0, 10));
  });
});

describe('loadCase: files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gammafp-case-'));
  const write = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('reads a valid file', () => {
    const p = write('ok.json', JSON.stringify(CART));
    expect(loadCase(p).name).toBe('box');
  });

  it('an empty file', () => {
    const p = write('empty.json', '  \n');
    const e = inputError(() => loadCase(p));
    expect(e.field).toBe(p);
    expect(e.message).toContain('empty file');
  });

  it('text that is not JSON, with line and column', () => {
    const p = write('bad.json', '{\n  "name": "x",\n}\n');
    const e = inputError(() => loadCase(p));
    expect(e.field).toBe(p);
    expect(e.message).toContain('not valid JSON at line 3, column 1');
    expect(e.message).toContain('got "}\\n"');
  });

  it('truncated JSON', () => {
    const p = write('cut.json', '{"name": "x", "eta": ');
    expect(inputError(() => loadCase(p)).message).toContain('not valid JSON');
  });

  it('JSON that is not an object', () => {
    const p = write('arr.json', '[1, 2, 3]');
    const e = inputError(() => loadCase(p));
    expect(e.message.startsWith(`${p}: expected a JSON object`)).toBe(true);
    expect(e.message).toContain('[1,2,3]');
  });

  it('a schema error names the file', () => {
    const p = write('shape.json', JSON.stringify(mutate(CART, (c) => (c.grid.shape = [2, 1.5]))));
    expect(inputError(() => loadCase(p)).message).toBe(`grid.shape[1]: expected an integer ≥ 2, got 1.5 (in ${p})`);
  });

  it('a missing file lists the shipped cases', () => {
    const e = inputError(() => loadCase(join(dir, 'nope.json')));
    expect(e.field).toBe('case');
    expect(e.message).toContain('nope.json');
    expect(e.message).toContain('valley-cartesian');
  });

  it('a shipped name with or without .json resolves into grids/', () => {
    expect(resolveCaseFile('valley')).toBe(join(GRIDS, 'valley.json'));
    expect(resolveCaseFile('valley.json')).toBe(join(GRIDS, 'valley.json'));
  });
});

describe('helpers', () => {
  it('lineColumn counts 1-based lines and columns', () => {
    expect(lineColumn('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('ab\ncd\nef', 6)).toEqual({ line: 3, column: 1 });
  });

  it('parseJsonText tolerates a byte-order mark', () => {
    expect(parseJsonText('\ufeff{"a": 1}', 'x')).toEqual({ a: 1 });
  });

  it('symmetricEigenvalues matches closed forms', () => {
    // [[2,1],[1,2]] → 1, 3;  [[2,-1,0],[-1,2,-1],[0,-1,2]] → 2−√2, 2, 2+√2
    const a = symmetricEigenvalues([[2, 1], [1, 2]]);
    expect(a[0]).toBeCloseTo(1, 14);
    expect(a[1]).toBeCloseTo(3, 14);
    const b = symmetricEigenvalues([[2, -1, 0], [-1, 2, -1], [0, -1, 2]]);
    [2 - Math.SQRT2, 2, 2 + Math.SQRT2].forEach((x, i) => expect(b[i]).toBeCloseTo(x, 13));
  });
});
