/**
 * Writes a run's output folder: report.html, summary.json, case.json and one
 * series-<name>.csv per time series. Every file is written atomically (temp
 * file → fsync → rename), so a crash or error never leaves a half-written file
 * over a good one.
 */
import { join, resolve } from 'node:path';
import { ensureDir, writeFileAtomic } from '../util/atomic-write.js';
import { InputError } from '../util/errors.js';
import type { ReportData } from './types.js';
import { renderReportHtml } from './report-html.js';
import type { FigureOptions } from './figures.js';
import { safeName, seriesToCsv } from './csv.js';

export interface RunOutputExtras {
  /** The run summary (DESIGN.md §10); written as summary.json with `outputs` set to the files written. */
  summary: object;
  /** The resolved case; written as case.json. */
  caseJson: object;
  /** Size limits for the report's figures. */
  figures?: FigureOptions;
}

/**
 * Write all outputs into `dir` (created if missing) and return their absolute
 * paths in the order: CSVs, case.json, report.html, summary.json. Everything is
 * rendered before the first write, so a rendering error writes nothing.
 */
export async function writeRunOutputs(dir: string, data: ReportData, extras: RunOutputExtras): Promise<string[]> {
  const root = resolve(dir);
  const files: [string, string][] = [];
  const used = new Set<string>();
  for (const [name, s] of Object.entries(data.series ?? {})) {
    const file = `series-${safeName(name)}.csv`;
    if (used.has(file)) throw new InputError(`series.${name}`, `two series map to the same file ${file}; give them names that differ in letters or digits`);
    used.add(file);
    files.push([join(root, file), seriesToCsv(name, s)]);
  }
  files.push([join(root, 'case.json'), JSON.stringify(extras.caseJson, null, 2) + '\n']);
  files.push([join(root, 'report.html'), renderReportHtml(data, extras.figures)]);
  const summaryPath = join(root, 'summary.json');
  const outputs = [...files.map((f) => f[0]), summaryPath];
  files.push([summaryPath, JSON.stringify({ ...extras.summary, outputs }, finiteOrNull, 2) + '\n']);
  await ensureDir(root);
  for (const [path, text] of files) await writeFileAtomic(path, text);
  return outputs;
}

/** JSON has no NaN/Infinity; write them as null rather than fail. Typed arrays become arrays. */
function finiteOrNull(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  return v;
}
