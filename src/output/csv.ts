/**
 * CSV of a time series: header `t,<col>,…`, one row per time, numbers at full
 * precision (JavaScript's shortest round-trip form, so parsing gives back the
 * same double).
 */
import { InputError } from '../util/errors.js';
import type { SeriesData } from './types.js';

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV text of one series; every column must have one value per time. */
export function seriesToCsv(name: string, s: SeriesData): string {
  const cols = Object.entries(s.columns);
  const n = s.t.length;
  for (const [c, v] of cols) {
    if (v.length !== n) throw new InputError(`series.${name}.columns.${c}`, `${v.length} values for ${n} times; give one value per time`);
  }
  const lines: string[] = [['t', ...cols.map(([c]) => c)].map(csvField).join(',')];
  for (let k = 0; k < n; k++) {
    let line = String(s.t[k]);
    for (const [, v] of cols) line += ',' + String(v[k]);
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}

/** A file-name-safe form of a series name: letters, digits, '.', '_', '-' kept, anything else '-'. */
export function safeName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '');
  return s.length > 0 ? s : 'series';
}
