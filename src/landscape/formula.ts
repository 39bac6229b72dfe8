/**
 * Formulas in mathjs syntax → exact derivatives → plain JavaScript, compiled once.
 *
 * Pipeline: `mathjs.parse` → validation (only the allowed variables, the constants
 * `pi`, `e`, numbers, `+ - * / ^`, unary minus and the functions in
 * {@link FORMULA_FUNCTIONS}) → a small folded expression tree ({@link Expr}) →
 * derivatives by `mathjs.derivative` (symbolic, exact; the folded tree is turned
 * back into a mathjs node before each differentiation so trees stay small) →
 * a JS code generator with common-subexpression elimination → `new Function`.
 * mathjs trees are never evaluated in loops.
 *
 * Generated functions read the point as `x[0..d-1]` in the order of the variable
 * list, and vector/tensor functions write into `out` (row-major, see
 * landscape/types.ts) and allocate nothing.
 *
 * Folding is exact algebra only (0·a = 0, 1·a = a, a − a = 0, constant
 * arithmetic, a^1 = a, a^0 = 1, small integer powers expanded to products); a
 * removable singularity such as 0/a is folded to 0, so derivatives of e.g.
 * `abs(x)` are as mathjs states them (`abs(x)/x`, NaN at 0).
 */
import { createRequire } from 'node:module';
import type { MathNode } from 'mathjs';
import { InputError, showValue } from '../util/errors.js';
import type { Vec } from './types.js';

// mathjs's single-file build (the package exports it as lib/browser/math.js): the same functions as the
// package's main entry, loaded in 0.37 s instead of 1.2–1.5 s (node -e, this machine) — every CLI run and every
// verify worker thread pays this once. The types are the package's own.
const { parse, derivative, ConstantNode, SymbolNode, OperatorNode, FunctionNode } = createRequire(import.meta.url)(
  'mathjs/lib/browser/math.js',
) as typeof import('mathjs');

/** Functions a formula may call (one argument each), with their JS implementation. */
export const FORMULA_FUNCTIONS: Readonly<Record<string, string>> = {
  sin: 'Math.sin',
  cos: 'Math.cos',
  tan: 'Math.tan',
  sec: '__sec',
  csc: '__csc',
  cot: '__cot',
  asin: 'Math.asin',
  acos: 'Math.acos',
  atan: 'Math.atan',
  acot: '__acot',
  sinh: 'Math.sinh',
  cosh: 'Math.cosh',
  tanh: 'Math.tanh',
  sech: '__sech',
  csch: '__csch',
  coth: '__coth',
  asinh: 'Math.asinh',
  acosh: 'Math.acosh',
  atanh: 'Math.atanh',
  exp: 'Math.exp',
  log: 'Math.log',
  log10: 'Math.log10',
  sqrt: 'Math.sqrt',
  abs: 'Math.abs',
};

/** Named constants a formula may use. */
export const FORMULA_CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E };

const HELPERS: Record<string, (a: number) => number> = {
  __sec: (a) => 1 / Math.cos(a),
  __csc: (a) => 1 / Math.sin(a),
  __cot: (a) => 1 / Math.tan(a),
  __acot: (a) => Math.atan(1 / a),
  __sech: (a) => 1 / Math.cosh(a),
  __csch: (a) => 1 / Math.sinh(a),
  __coth: (a) => 1 / Math.tanh(a),
};

const HELPER_PRELUDE =
  'const __sec = H.__sec, __csc = H.__csc, __cot = H.__cot, __acot = H.__acot, ' +
  '__sech = H.__sech, __csch = H.__csch, __coth = H.__coth;\n';

/** Evaluate a formula function on a number (used for constant folding). */
function applyFunction(name: string, a: number): number {
  const js = FORMULA_FUNCTIONS[name];
  if (js.startsWith('Math.')) return (Math as unknown as Record<string, (v: number) => number>)[js.slice(5)](a);
  return HELPERS[js](a);
}

// ---------------------------------------------------------------------------
// Expression tree

/** A folded expression tree; `key` is a canonical string used for equality and CSE. */
export type Expr =
  | { readonly k: 'num'; readonly v: number; readonly key: string }
  | { readonly k: 'var'; readonly i: number; readonly key: string }
  | { readonly k: 'neg'; readonly a: Expr; readonly key: string }
  | { readonly k: 'bin'; readonly op: '+' | '-' | '*' | '/' | '^'; readonly a: Expr; readonly b: Expr; readonly key: string }
  | { readonly k: 'fn'; readonly name: string; readonly a: Expr; readonly key: string };

export function num(v: number): Expr {
  return { k: 'num', v, key: numKey(v) };
}
function numKey(v: number): string {
  return Object.is(v, -0) ? '0' : String(v);
}
function variable(i: number): Expr {
  return { k: 'var', i, key: `x${i}` };
}
const ZERO = num(0);
const ONE = num(1);
const isNum = (e: Expr, v?: number): boolean => e.k === 'num' && (v === undefined || e.v === v);

export function neg(a: Expr): Expr {
  if (a.k === 'num') return num(-a.v);
  if (a.k === 'neg') return a.a;
  return { k: 'neg', a, key: `(-${a.key})` };
}
function bin(op: '+' | '-' | '*' | '/' | '^', a: Expr, b: Expr): Expr {
  return { k: 'bin', op, a, b, key: `(${a.key}${op}${b.key})` };
}
export function add(a: Expr, b: Expr): Expr {
  if (a.k === 'num' && b.k === 'num') return num(a.v + b.v);
  if (isNum(a, 0)) return b;
  if (isNum(b, 0)) return a;
  if (b.k === 'neg') return sub(a, b.a);
  if (a.k === 'neg') return sub(b, a.a);
  if (a.key === b.key) return mul(num(2), a);
  return a.key <= b.key ? bin('+', a, b) : bin('+', b, a);
}
export function sub(a: Expr, b: Expr): Expr {
  if (a.k === 'num' && b.k === 'num') return num(a.v - b.v);
  if (isNum(b, 0)) return a;
  if (isNum(a, 0)) return neg(b);
  if (a.key === b.key) return ZERO;
  if (b.k === 'neg') return add(a, b.a);
  return bin('-', a, b);
}
export function mul(a: Expr, b: Expr): Expr {
  if (a.k === 'num' && b.k === 'num') return num(a.v * b.v);
  if (b.k === 'num') [a, b] = [b, a];
  if (a.k === 'num') {
    if (a.v === 0) return ZERO;
    if (a.v === 1) return b;
    if (a.v === -1) return neg(b);
    if (b.k === 'bin' && b.op === '*' && b.a.k === 'num') return mul(num(a.v * b.a.v), b.b);
    if (b.k === 'neg') return mul(num(-a.v), b.a);
  }
  if (a.k === 'neg') return neg(mul(a.a, b));
  if (b.k === 'neg') return neg(mul(a, b.a));
  if (a.k === 'num') return bin('*', a, b);
  return a.key <= b.key ? bin('*', a, b) : bin('*', b, a);
}
export function div(a: Expr, b: Expr): Expr {
  if (a.k === 'num' && b.k === 'num') return num(a.v / b.v);
  if (isNum(a, 0)) return ZERO;
  if (isNum(b, 1)) return a;
  if (isNum(b, -1)) return neg(a);
  if (a.k === 'neg') return neg(div(a.a, b));
  if (b.k === 'neg') return neg(div(a, b.a));
  return bin('/', a, b);
}
export function pow(a: Expr, b: Expr): Expr {
  if (a.k === 'num' && b.k === 'num') return num(Math.pow(a.v, b.v));
  if (isNum(b, 0)) return ONE;
  if (isNum(b, 1)) return a;
  if (isNum(a, 1)) return ONE;
  return bin('^', a, b);
}
export function fn(name: string, a: Expr): Expr {
  if (a.k === 'num') return num(applyFunction(name, a.v));
  return { k: 'fn', name, a, key: `${name}(${a.key})` };
}

// ---------------------------------------------------------------------------
// Parsing and validation

/** A validated formula: its text, variables, the field path it came from, and its folded tree. */
export interface Formula {
  readonly text: string;
  readonly variables: readonly string[];
  readonly field: string;
  readonly expr: Expr;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Check a variable list: distinct identifiers that are not function or constant names.
 * Throws InputError(field) otherwise.
 */
export function checkVariableNames(variables: readonly string[], field: string): void {
  if (!Array.isArray(variables)) throw new InputError(field, `expected an array of variable names, got ${showValue(variables)}`);
  const seen = new Set<string>();
  for (let i = 0; i < variables.length; i++) {
    const v = variables[i];
    if (typeof v !== 'string' || !NAME_RE.test(v))
      throw new InputError(`${field}[${i}]`, `${showValue(v)} is not a variable name; use letters, digits and _, e.g. "x"`);
    if (v in FORMULA_FUNCTIONS || v in FORMULA_CONSTANTS || ['true', 'false', 'null', 'Infinity', 'NaN'].includes(v))
      throw new InputError(`${field}[${i}]`, `${showValue(v)} is a reserved name (function or constant); choose another variable name`);
    if (seen.has(v)) throw new InputError(`${field}[${i}]`, `variable ${showValue(v)} appears twice in ${showValue(variables)}`);
    seen.add(v);
  }
}

function allowedText(variables: readonly string[]): string {
  return `allowed variables: ${variables.length ? variables.join(', ') : '(none)'}; constants: pi, e; functions: ${Object.keys(FORMULA_FUNCTIONS).join(', ')}; operators + - * / ^`;
}

/** Parse and validate a formula in the given variables; `field` is the JSON path used in errors. */
export function parseFormula(text: string, variables: readonly string[], field: string): Formula {
  if (typeof text !== 'string' || text.trim() === '')
    throw new InputError(field, `expected a formula string in mathjs syntax (e.g. "0.5*(u*v - 1)^2"), got ${showValue(text)}`);
  let node: MathNode;
  try {
    node = parse(text);
  } catch (e) {
    throw new InputError(field, `cannot parse formula ${showValue(text)}: ${(e as Error).message}; write it in mathjs syntax, e.g. "0.5*(u*v - 1)^2"`);
  }
  const index = new Map<string, number>();
  variables.forEach((v, i) => index.set(v, i));
  const expr = fromMath(node, (msg) => new InputError(field, `${msg} in formula ${showValue(text)}; ${allowedText(variables)}`), index);
  return { text, variables, field, expr };
}

type Fail = (msg: string) => Error;

/** mathjs node → folded Expr, validating every node. */
function fromMath(node: MathNode, fail: Fail, index: ReadonlyMap<string, number>): Expr {
  const n = node as unknown as Record<string, unknown> & { type: string };
  switch (n.type) {
    case 'ParenthesisNode':
      return fromMath(n.content as MathNode, fail, index);
    case 'ConstantNode': {
      const v = n.value;
      if (typeof v !== 'number') throw fail(`constant ${showValue(v)} is not a number`);
      return num(v);
    }
    case 'SymbolNode': {
      const name = n.name as string;
      const i = index.get(name);
      if (i !== undefined) return variable(i);
      if (name in FORMULA_CONSTANTS) return num(FORMULA_CONSTANTS[name]);
      throw fail(`unknown symbol ${showValue(name)}`);
    }
    case 'OperatorNode': {
      const args = (n.args as MathNode[]).map((a) => fromMath(a, fail, index));
      const f = n.fn as string;
      if (args.length === 1) {
        if (f === 'unaryMinus') return neg(args[0]);
        if (f === 'unaryPlus') return args[0];
      } else if (args.length === 2) {
        const [a, b] = args;
        switch (f) {
          case 'add': return add(a, b);
          case 'subtract': return sub(a, b);
          case 'multiply': return mul(a, b);
          case 'divide': return div(a, b);
          case 'pow': return pow(a, b);
        }
      }
      throw fail(`operator ${showValue(n.op)} is not allowed`);
    }
    case 'FunctionNode': {
      const fnNode = n.fn as unknown as { type: string; name?: string };
      const name = fnNode.type === 'SymbolNode' ? (fnNode.name as string) : '?';
      if (!(name in FORMULA_FUNCTIONS)) throw fail(`unknown function ${showValue(name)}`);
      const args = n.args as MathNode[];
      if (args.length !== 1) throw fail(`function ${name} takes one argument, got ${args.length}`);
      return fn(name, fromMath(args[0], fail, index));
    }
    default:
      throw fail(`expression of type ${n.type} (${showValue(String((node as { toString(): string }).toString()))}) is not allowed`);
  }
}

/** Folded Expr → mathjs node (variables named x0, x1, … internally). */
function toMath(e: Expr): MathNode {
  switch (e.k) {
    case 'num':
      return e.v < 0 ? new OperatorNode('-', 'unaryMinus', [new ConstantNode(-e.v)]) : new ConstantNode(e.v);
    case 'var':
      return new SymbolNode(`x${e.i}`);
    case 'neg':
      return new OperatorNode('-', 'unaryMinus', [toMath(e.a)]);
    case 'bin': {
      const fnName = { '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide', '^': 'pow' }[e.op];
      return new OperatorNode(e.op as '+', fnName as 'add', [toMath(e.a), toMath(e.b)]);
    }
    case 'fn':
      return new FunctionNode(new SymbolNode(e.name), [toMath(e.a)]);
  }
}

const INTERNAL_INDEX = new Map(Array.from({ length: 16 }, (_, i) => [`x${i}`, i] as [string, number]));

/** ∂e/∂x_i, exactly, by mathjs.derivative; the result is folded. */
export function diffExpr(e: Expr, i: number): Expr {
  if (e.k === 'num') return ZERO;
  if (!dependsOn(e, i)) return ZERO;
  const d = derivative(toMath(e), `x${i}`, { simplify: false });
  return fromMath(d, (msg) => new Error(`internal: derivative produced ${msg}`), INTERNAL_INDEX);
}

/** True when e contains the variable x_i. */
export function dependsOn(e: Expr, i: number): boolean {
  switch (e.k) {
    case 'num': return false;
    case 'var': return e.i === i;
    case 'neg': case 'fn': return dependsOn(e.a, i);
    case 'bin': return dependsOn(e.a, i) || dependsOn(e.b, i);
  }
}

/** Derivative of a formula with respect to the variable named `v`. */
export function differentiate(f: Formula, v: string): Formula {
  const i = f.variables.indexOf(v);
  if (i < 0) throw new Error(`internal: ${v} is not a variable of ${f.text}`);
  return { text: `d(${f.text})/d${v}`, variables: f.variables, field: f.field, expr: diffExpr(f.expr, i) };
}

/**
 * The tree as mathjs text in the given variable names (for display and case.json): fully bracketed
 * where precedence needs it, numbers as JavaScript prints them (they parse back to the same double).
 */
export function exprText(e: Expr, names: readonly string[]): string {
  const prec = (x: Expr): number =>
    x.k === 'bin' ? ({ '+': 1, '-': 1, '*': 2, '/': 2, '^': 4 } as const)[x.op] : x.k === 'neg' || (x.k === 'num' && x.v < 0) ? 3 : 5;
  const wrap = (x: Expr, p: number) => (prec(x) < p ? `(${exprText(x, names)})` : exprText(x, names));
  switch (e.k) {
    case 'num':
      return String(e.v);
    case 'var':
      return names[e.i] ?? `x${e.i}`;
    case 'neg':
      return `-${wrap(e.a, 4)}`;
    case 'fn':
      return `${e.name}(${exprText(e.a, names)})`;
    case 'bin': {
      const p = prec(e);
      if (e.op === '^') return `${wrap(e.a, 5)}^${wrap(e.b, 5)}`;
      return `${wrap(e.a, p)} ${e.op} ${wrap(e.b, e.op === '-' || e.op === '/' ? p + 1 : p)}`;
    }
  }
}

// ---------------------------------------------------------------------------
// Code generation

/** Emits JS statements with common-subexpression elimination; returns the code of each expression. */
class CodeGen {
  readonly lines: string[] = [];
  private readonly temps = new Map<string, string>();
  private count = 0;
  private readonly usedVars = new Set<number>();

  emit(e: Expr): string {
    switch (e.k) {
      case 'num':
        return e.v < 0 || Object.is(e.v, -0) ? `(${e.v})` : Number.isFinite(e.v) ? String(e.v) : `(${e.v})`;
      case 'var':
        this.usedVars.add(e.i);
        return `x${e.i}`;
    }
    const hit = this.temps.get(e.key);
    if (hit) return hit;
    let code: string;
    if (e.k === 'neg') code = `-${this.emit(e.a)}`;
    else if (e.k === 'fn') code = `${FORMULA_FUNCTIONS[e.name]}(${this.emit(e.a)})`;
    else if (e.op === '^') code = this.powCode(e.a, e.b);
    else code = `${this.emit(e.a)} ${e.op} ${this.emit(e.b)}`;
    const t = `t${this.count++}`;
    this.lines.push(`const ${t} = ${code};`);
    this.temps.set(e.key, t);
    return t;
  }

  private powCode(a: Expr, b: Expr): string {
    const base = this.emit(a);
    if (b.k === 'num') {
      const n = b.v;
      if (n === 2) return `${base} * ${base}`;
      if (n === 3) return `${base} * ${base} * ${base}`;
      if (n === 4) return `(${base} * ${base}) * (${base} * ${base})`;
      if (n === -1) return `1 / ${base}`;
      if (n === -2) return `1 / (${base} * ${base})`;
      if (n === 0.5) return `Math.sqrt(${base})`;
    }
    return `Math.pow(${base}, ${this.emit(b)})`;
  }

  /** Declarations of the variables read from `x`. */
  header(): string {
    return [...this.usedVars].sort((p, q) => p - q).map((i) => `const x${i} = x[${i}];`).join('\n');
  }
}

/**
 * Compiled functions by their source, per thread. The generated functions are pure (they read x and the fixed
 * helpers, write only `out`), so one closure can serve every landscape with the same formula. Reusing it keeps
 * the callers' optimised code: a fresh closure per run made V8 deoptimise every caller of a formula ("wrong
 * call target") and compile it again — 150–575 ms of optimising-compiler work a run after the first on
 * hyperbola-label, which in a verify lane competes with the other lane for the second core.
 */
const compiled = new Map<string, unknown>();
/** Sources kept at most (a sweep over many formulas drops the oldest). */
const COMPILED_MAX = 512;

function build<T>(params: string[], body: string): { fn: T; source: string } {
  const source = `(${params.join(', ')}) => {\n${body}\n}`;
  const hit = compiled.get(source);
  if (hit !== undefined) return { fn: hit as T, source };
  const factory = new Function('H', `${HELPER_PRELUDE}return ${source};`) as (h: typeof HELPERS) => T;
  const fn = factory(HELPERS);
  if (compiled.size >= COMPILED_MAX) compiled.delete(compiled.keys().next().value!);
  compiled.set(source, fn);
  return { fn, source };
}

/** A compiled scalar function of the point x. */
export interface CompiledScalar {
  f(x: Vec): number;
  /** The generated JavaScript. */
  readonly source: string;
}

/** A compiled function filling `out` (length n) from x. */
export interface CompiledVector {
  fill(x: Vec, out: Float64Array): Float64Array;
  readonly source: string;
  /** Number of entries written. */
  readonly length: number;
}

/** Compile one expression to `f(x)`. */
export function compileExpr(e: Expr): CompiledScalar {
  const g = new CodeGen();
  const r = g.emit(e);
  const { fn, source } = build<(x: Vec) => number>(['x'], `${g.header()}\n${g.lines.join('\n')}\nreturn ${r};`);
  return { f: fn, source };
}

/**
 * Compile many expressions into one function writing `out[slot] = expr` for every
 * slot listed; `slots[k]` lists the output indices that receive `exprs[k]` (so a
 * symmetric tensor is computed once per unique entry and copied).
 */
export function compileFill(exprs: readonly Expr[], slots: readonly (readonly number[])[], length: number): CompiledVector {
  const g = new CodeGen();
  const assigns: string[] = [];
  exprs.forEach((e, k) => {
    const r = g.emit(e);
    for (const s of slots[k]) assigns.push(`out[${s}] = ${r};`);
  });
  const { fn, source } = build<(x: Vec, out: Float64Array) => Float64Array>(
    ['x', 'out'],
    `${g.header()}\n${g.lines.join('\n')}\n${assigns.join('\n')}\nreturn out;`,
  );
  return { fill: fn, source, length };
}

/** Parse, validate and compile a scalar formula: `compileScalar("0.5*(u*v-1)^2", ["u","v"], "loss")`. */
export function compileScalar(text: string, variables: readonly string[], field: string): CompiledScalar & { formula: Formula } {
  const formula = parseFormula(text, variables, field);
  return { ...compileExpr(formula.expr), formula };
}

/** The exact derivatives of a scalar expression up to third order, as trees (unique entries only). */
export interface DerivativeTrees {
  readonly dim: number;
  /** grad[i] = ∂ᵢe */
  readonly grad: Expr[];
  /** hess[i][j] = ∂ᵢ∂ⱼe for i ≤ j (undefined below the diagonal) */
  readonly hess: Expr[][];
  /** third[i][j][k] = ∂ᵢ∂ⱼ∂ₖe for i ≤ j ≤ k */
  readonly third: Expr[][][];
}

/** Symbolic gradient, Hessian (i ≤ j) and third tensor (i ≤ j ≤ k); `order` limits the work. */
export function derivativeTrees(e: Expr, dim: number, order: 1 | 2 | 3 = 3): DerivativeTrees {
  const grad: Expr[] = [];
  const hess: Expr[][] = [];
  const third: Expr[][][] = [];
  for (let i = 0; i < dim; i++) grad.push(diffExpr(e, i));
  if (order >= 2)
    for (let i = 0; i < dim; i++) {
      hess.push([]);
      for (let j = i; j < dim; j++) hess[i][j] = diffExpr(grad[i], j);
    }
  if (order >= 3)
    for (let i = 0; i < dim; i++) {
      third.push([]);
      for (let j = i; j < dim; j++) {
        third[i][j] = [];
        for (let k = j; k < dim; k++) third[i][j][k] = diffExpr(hess[i][j], k);
      }
    }
  return { dim, grad, hess, third };
}

/** Compile a gradient: out[i] = ∂ᵢe. */
export function compileGradient(trees: DerivativeTrees): CompiledVector {
  const d = trees.dim;
  return compileFill(trees.grad, trees.grad.map((_, i) => [i]), d);
}

/** Compile a Hessian: out[i*d + j] = ∂ᵢ∂ⱼe; unique entries computed once and mirrored. */
export function compileHessian(trees: DerivativeTrees): CompiledVector {
  const d = trees.dim;
  const exprs: Expr[] = [];
  const slots: number[][] = [];
  for (let i = 0; i < d; i++)
    for (let j = i; j < d; j++) {
      exprs.push(trees.hess[i][j]);
      slots.push(i === j ? [i * d + i] : [i * d + j, j * d + i]);
    }
  return compileFill(exprs, slots, d * d);
}

/** Compile a third tensor: out[(i*d + j)*d + k] = ∂ᵢ∂ⱼ∂ₖe; each unique entry copied to all permutations. */
export function compileThird(trees: DerivativeTrees): CompiledVector {
  const d = trees.dim;
  const exprs: Expr[] = [];
  const slots: number[][] = [];
  for (let i = 0; i < d; i++)
    for (let j = i; j < d; j++)
      for (let k = j; k < d; k++) {
        exprs.push(trees.third[i][j][k]);
        const perms = new Set<number>();
        for (const [p, q, r] of [[i, j, k], [i, k, j], [j, i, k], [j, k, i], [k, i, j], [k, j, i]])
          perms.add((p * d + q) * d + r);
        slots.push([...perms]);
      }
  return compileFill(exprs, slots, d * d * d);
}

// ---------------------------------------------------------------------------
// Finite checks

/** "(u = 1, v = -2)" or "(1, -2)". */
export function formatPoint(x: Vec, variables?: readonly string[]): string {
  const parts: string[] = [];
  for (let i = 0; i < x.length; i++) parts.push(variables && variables[i] ? `${variables[i]} = ${x[i]}` : String(x[i]));
  return `(${parts.join(', ')})`;
}

/**
 * Throw InputError(field) when a value (or any entry of an array of values) is not finite.
 * `what` names the quantity (e.g. `the formula "log(x)"`, `∇L`).
 */
export function checkFinite(
  field: string,
  what: string,
  x: Vec,
  values: number | ArrayLike<number>,
  variables?: readonly string[],
): void {
  if (typeof values === 'number') {
    if (!Number.isFinite(values))
      throw new InputError(field, `${what} evaluates to ${values} at ${formatPoint(x, variables)}; the formula must be finite there (check its domain)`);
    return;
  }
  for (let i = 0; i < values.length; i++)
    if (!Number.isFinite(values[i]))
      throw new InputError(field, `${what} has entry [${i}] = ${values[i]} at ${formatPoint(x, variables)}; the formula must be finite there (check its domain)`);
}
