/**
 * The shape of the code (ARCHITECTURE.md, issue 21):
 *   * data flows one way: a folder of src/ imports only folders of a lower layer (or itself);
 *   * no function in src/pipeline.ts, src/pipeline/ or src/output/ is longer than 80 lines.
 * Both read the sources with the TypeScript parser, so a violation names the file, line and function.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Layer of each room (a room may import rooms of a strictly lower layer). `pipeline.ts` belongs to pipeline. */
const LAYER: Record<string, number> = {
  util: 0,
  linalg: 1,
  output: 1,
  case: 1,
  landscape: 2,
  noise: 3,
  task: 3,
  models: 4,
  grid: 4,
  theory: 4,
  operator: 5,
  stepper: 5,
  trackers: 5,
  particles: 6,
  pipeline: 7,
  cli: 8,
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const roomOf = (file: string) => {
  const rel = relative(SRC, file).split('/');
  return rel.length === 1 ? rel[0]!.replace(/\.ts$/, '') : rel[0]!;
};

function parse(file: string) {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

describe('architecture', () => {
  const files = sources(SRC);

  it('every room of src/ has a layer', () => {
    for (const f of files) expect(LAYER[roomOf(f)], `room of ${relative(SRC, f)}`).toBeTypeOf('number');
  });

  it('imports run only down the layers', () => {
    const bad: string[] = [];
    for (const f of files) {
      const from = roomOf(f);
      const src = parse(f);
      const specs: string[] = [];
      src.forEachChild((n) => {
        if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) specs.push(n.moduleSpecifier.text);
      });
      // Dynamic import('…') too.
      const visit = (n: ts.Node) => {
        if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) specs.push(n.arguments[0].text);
        ts.forEachChild(n, visit);
      };
      visit(src);
      for (const s of specs) {
        if (!s.startsWith('.')) continue;
        const target = resolve(dirname(f), s);
        if (!target.startsWith(SRC)) continue;
        const to = roomOf(target.replace(/\.js$/, '.ts'));
        if (to !== from && !(LAYER[to]! < LAYER[from]!)) bad.push(`${relative(SRC, f)} (${from}) imports ${s} (${to})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('no function in src/pipeline*, src/output/ is longer than 80 lines', () => {
    const long: string[] = [];
    for (const f of files.filter((x) => /^(pipeline|output)/.test(relative(SRC, x)))) {
      const src = parse(f);
      const visit = (n: ts.Node) => {
        if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isConstructorDeclaration(n)) {
          const a = src.getLineAndCharacterOfPosition(n.getStart()).line;
          const b = src.getLineAndCharacterOfPosition(n.getEnd()).line;
          const name = (n as { name?: ts.Node }).name?.getText(src) ?? '(anonymous)';
          if (b - a + 1 > 80) long.push(`${relative(SRC, f)}:${a + 1} ${name}: ${b - a + 1} lines`);
        }
        ts.forEachChild(n, visit);
      };
      visit(src);
    }
    expect(long).toEqual([]);
  });
});
