/**
 * `gammafp run <file>` on malformed case files, in-process through runCli with
 * the real pipeline (no stand-in): every one must exit 2, print exactly one
 * line on stderr (`gammafp: <field>: …`) that names the JSON path of the field
 * to fix and quotes the offending value, print no stack trace, and write no
 * output folder. Two of them also through the compiled CLI as a real process
 * (`node dist/src/cli/main.js run <file>`), for the process exit code.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../support/capture.js';
import { runCli } from '../../src/cli/cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIR = mkdtempSync(join(tmpdir(), 'gammafp-malformed-'));

/** A small valid Cartesian case (the valley on a 16×16 box) to break one field at a time. */
const BASE = {
  name: 'box',
  variables: ['x', 'y'],
  loss: '0.5*(1.5 + sin(x))*y^2',
  noise: { kind: 'isotropic', sigma2: 1 },
  eta: 0.05,
  grid: { kind: 'cartesian', bounds: [[-2, 2], [-1, 1]], shape: [16, 16] },
  initial: { kind: 'gaussian', mean: [0.5, 0.2], cov: [[0.04, 0], [0, 0.01]] },
  time: { end: 0.01 },
  output: { frames: 2 },
};
type Json = Record<string, any>;
const variant = (f: (c: Json) => void): string => {
  const c = structuredClone(BASE) as Json;
  f(c);
  return JSON.stringify(c, null, 2);
};

interface Malformed {
  name: string;
  text: string;
  /** The JSON path the message must start with (`null`: the file itself, named by its path). */
  field: string | null;
  /** Text the message must quote: the offending value (or what is wrong with the file). */
  quote: string;
}

const CASES: Malformed[] = [
  { name: 'eta-is-a-string', text: variant((c) => (c.eta = '0.05')), field: 'eta', quote: '"0.05"' },
  { name: 'shape-entry-is-a-string', text: variant((c) => (c.grid.shape = [16, '16'])), field: 'grid.shape[1]', quote: '"16"' },
  { name: 'unknown-top-level-field', text: variant((c) => (c.colour = 'red')), field: 'colour', quote: '"colour"' },
  { name: 'unknown-nested-field', text: variant((c) => (c.grid.spacing = 0.1)), field: 'grid.spacing', quote: '"spacing"' },
  {
    name: 'misspelt-noise-field',
    text: variant((c) => (c.noise = { kind: 'isotropic', sigma: 1 })),
    field: 'noise.sigma',
    quote: '"sigma"',
  },
  { name: 'missing-time', text: variant((c) => delete c.time), field: 'time', quote: 'missing' },
  { name: 'mean-of-wrong-length', text: variant((c) => (c.initial.mean = [0.5, 0.2, 0.1])), field: 'initial.mean', quote: '[0.5,0.2,0.1]' },
  { name: 'loss-does-not-parse', text: variant((c) => (c.loss = '0.5*(x +* y')), field: 'loss', quote: '"0.5*(x +* y"' },
  { name: 'loss-names-unknown-variable', text: variant((c) => (c.loss = '0.5*z^2 + y^2')), field: 'loss', quote: '"z"' },
  {
    name: 'label-output-names-unknown-variable',
    text: variant((c) => (c.noise = { kind: 'label', output: 'u*v', c: 1 })),
    field: 'noise.output',
    quote: '"u"',
  },
  {
    name: 'unknown-builtin-landscape',
    text: variant((c) => {
      delete c.loss;
      c.landscape = 'banana';
    }),
    field: 'landscape',
    quote: '"banana"',
  },
  {
    // The hyperbola uv = 1 has curvature up to 1/√2 at s = 0: a tube of half-width 5 folds over.
    name: 'tube-wider-than-curvature-radius',
    text: variant((c) => {
      c.variables = ['u', 'v'];
      delete c.loss;
      c.landscape = 'hyperbola';
      c.gamma = { kind: 'curve', param: ['exp(s)', 'exp(-s)'], range: [-1.2, 1.2] };
      c.grid = { kind: 'tube', along: 32, across: 8, halfWidthAbs: 5 };
      c.initial = { kind: 'on-gamma', at: 0, width: 0.1 };
    }),
    field: 'grid.halfWidth',
    quote: '5',
  },
  {
    name: 'constant-sigma-not-psd',
    text: variant((c) => (c.noise = { kind: 'constant', Sigma: [[1, 2], [2, 1]] })),
    field: 'noise.Sigma',
    quote: '[[1,2],[2,1]]',
  },
  {
    // Σ = [[1, 2cos x], [2cos x, 1]] has eigenvalue 1 − 2|cos x| < 0 near x = 0.
    name: 'formula-sigma-not-psd',
    text: variant((c) => (c.noise = { kind: 'formula', Sigma: [['1', '2*cos(x)'], ['2*cos(x)', '1']] })),
    field: 'noise.Sigma',
    quote: '2*cos(x)',
  },
  {
    // x ranges over [−2, 2]: log(x) is NaN on half the box.
    name: 'loss-nan-on-the-grid',
    text: variant((c) => (c.loss = 'log(x) + y^2')),
    field: 'loss',
    quote: 'log(x) + y^2',
  },
  {
    // 10¹⁰ cells: refused as input, not an internal error from a typed-array allocation.
    name: 'grid-too-large',
    text: variant((c) => (c.grid.shape = [100000, 100000])),
    field: 'grid.shape',
    quote: '100000',
  },
  { name: 'empty-file', text: '', field: null, quote: 'empty file' },
  { name: 'not-json', text: '{"name": "box", "eta": 0.05,\n  "variables": [x, y]\n}', field: null, quote: 'line 2' },
  { name: 'json-array-not-object', text: '[1, 2]', field: null, quote: '[1,2]' },
];


const fileOf = (m: Malformed) => join(DIR, `${m.name}.json`);
const outOf = (m: Malformed) => join(DIR, 'out', m.name);

beforeAll(() => {
  for (const m of CASES) writeFileSync(fileOf(m), m.text);
});

/** The one stderr line, without the `gammafp: ` prefix; checks field, quote and no stack. */
function checkMessage(stderr: string, m: Malformed): string {
  const lines = stderr.split('\n').filter((l) => l !== '');
  expect(lines, `stderr: ${JSON.stringify(stderr)}`).toHaveLength(1);
  const line = lines[0]!;
  expect(line.startsWith('gammafp: ')).toBe(true);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(line).not.toContain('internal error');
  const msg = line.slice('gammafp: '.length);
  if (m.field !== null) expect(msg.startsWith(`${m.field}:`) || msg.startsWith(`${m.field}.`) || msg.startsWith(`${m.field}[`), msg).toBe(true);
  else expect(msg).toContain(fileOf(m));
  expect(msg).toContain(m.quote);
  return msg;
}

describe('gammafp run on malformed case files (in-process, real pipeline)', () => {
  it('covers at least 12 malformed files', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(12);
  });

  it.each(CASES.map((m) => [m.name, m] as const))('%s: exit 2, one line naming the field and the value, no output', async (_n, m) => {
    const c = captureIo();
    const code = await runCli(['run', fileOf(m), '--quiet', '--out', outOf(m)], c.io);
    const msg = checkMessage(c.stderr(), m);
    expect(code, msg).toBe(2);
    expect(c.stdout()).toBe('');
    expect(existsSync(outOf(m)) ? readdirSync(outOf(m)) : [], 'output written for a malformed case').toEqual([]);
  });

  it('a fixed time.dt that does not divide the output interval is refused as input, or honoured — never a numerical failure', async () => {
    // end 0.01 over 1 interval (frames 2) with dt 0.003: 3.33 steps.
    const m: Malformed = {
      name: 'dt-not-dividing',
      text: variant((c) => (c.time = { end: 0.01, dt: 0.003, scheme: 'backward-euler' })),
      field: 'time.dt',
      quote: '0.003',
    };
    writeFileSync(fileOf(m), m.text);
    const c = captureIo();
    const code = await runCli(['run', fileOf(m), '--quiet', '--out', outOf(m)], c.io);
    if (code === 0) {
      expect(c.stderr()).toBe('');
    } else {
      checkMessage(c.stderr(), m);
      expect(code).toBe(2);
    }
  });
});

// ---------------------------------------------------------------- the compiled CLI as a process
const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');

/** Newest modification time of the .ts files under src/. */
function newestSource(dir = join(ROOT, 'src')): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestSource(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

function spawnMain(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { cwd: ROOT, env: { ...process.env, GAMMAFP_DEBUG: '' }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

describe('the compiled CLI (node dist/src/cli/main.js) on malformed files', () => {
  beforeAll(() => {
    // `npm test` compiles first; build here only when dist/ is missing or older than src/.
    if (!existsSync(MAIN) || statSync(MAIN).mtimeMs < newestSource()) {
      try {
        execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'pipe' });
      } catch {
        // Type errors elsewhere still emit JavaScript; main.js is checked below.
      }
    }
    expect(existsSync(MAIN), `${MAIN} missing: run npx tsc -p tsconfig.json`).toBe(true);
  }, 120_000);

  const pick = ['unknown-nested-field', 'constant-sigma-not-psd'];
  it.each(pick)('%s: the process exits with code 2 and one line on stderr', async (name) => {
    const m = CASES.find((x) => x.name === name)!;
    const r = await spawnMain(['run', fileOf(m), '--quiet', '--out', outOf(m)]);
    checkMessage(r.stderr, m);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(existsSync(outOf(m))).toBe(false);
  });
});
