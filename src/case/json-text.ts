/**
 * Parse the text of a case file into a JSON value; every failure is an
 * `InputError` naming the file (and the line and column when the parser gives a position).
 */
import { InputError } from '../util/errors.js';

/** 1-based line and column of character offset `pos` in `text`. */
export function lineColumn(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: pos - lineStart + 1 };
}

/** `JSON.parse` with one-line `InputError`s: empty file, or not JSON with line/column. */
export function parseJsonText(text: string, source: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // tolerate a BOM
  if (body.trim() === '') {
    throw new InputError(source, 'empty file; expected a JSON object describing a case (see grids/README.md)');
  }
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const m = /at position (\d+)/.exec(msg) ?? positionOfToken(msg, body);
    const reason = msg.replace(/\s*in JSON at position \d+.*$/, '').replace(/\s+/g, ' ');
    if (m) {
      const pos = Number(m[1]);
      const { line, column } = lineColumn(body, pos);
      const near = JSON.stringify(body.slice(pos, pos + 20));
      throw new InputError(source, `not valid JSON at line ${line}, column ${column}: ${reason}, got ${near}`);
    }
    const { line, column } = lineColumn(body, body.length);
    throw new InputError(source, `not valid JSON: ${reason} (the text ends at line ${line}, column ${column})`);
  }
}

/** Node 20 sometimes reports "Unexpected token 'x', "…" is not valid JSON" with no position: find the token's first offending occurrence. */
function positionOfToken(msg: string, body: string): RegExpExecArray | null {
  const t = /Unexpected token '(.)'/.exec(msg);
  if (!t) return null;
  // The first occurrence outside a string literal.
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === t[1]) {
      const fake = [`at position ${i}`, String(i)] as unknown as RegExpExecArray;
      return fake;
    }
  }
  return null;
}
