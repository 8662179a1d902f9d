/**
 * The previous run's `metrics.json`, read from the report stage's previous output folder
 * (`ctx.previous`) for "changes since the previous run". A missing folder is the first run; a
 * folder whose metrics.json is missing or malformed cannot be compared with, and the report says
 * so instead of failing — the damage is in an old output, not in this run's inputs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportMetrics } from '../core/artifacts.ts';

export const METRICS_FILE = 'metrics.json';

export type PreviousRun =
  | { status: 'first' }
  | { status: 'unreadable'; file: string; why: string }
  | { status: 'found'; metrics: ReportMetrics };

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** What is wrong with a parsed metrics.json, or null when it has the ReportMetrics shape. */
export function metricsProblem(v: unknown): string | null {
  if (!isRecord(v)) return 'it is not a JSON object';
  if (typeof v.configHash !== 'string') return '"configHash" is not a string';
  if (!isRecord(v.metrics)) return '"metrics" is not an object';
  const bad = Object.entries(v.metrics).find(([, x]) => typeof x !== 'number');
  if (bad) return `metric "${bad[0]}" is not a number`;
  if (!isRecord(v.verdicts)) return '"verdicts" is not an object';
  const badV = Object.entries(v.verdicts).find(([, x]) => x !== 'supported' && x !== 'contradicted' && x !== 'inconclusive');
  if (badV) return `verdict "${badV[0]}" is not supported, contradicted or inconclusive`;
  if (!isRecord(v.versions)) return '"versions" is not an object';
  if (!('config' in v)) return '"config" is missing';
  return null;
}

/** The previous run as far as it can be compared with. `dir` is the previous output folder, if any. */
export function readPrevious(dir: string | undefined): PreviousRun {
  if (dir === undefined) return { status: 'first' };
  const file = join(dir, METRICS_FILE);
  if (!existsSync(file)) return { status: 'unreadable', file, why: 'the file does not exist' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { status: 'unreadable', file, why: `it is not valid JSON (${(e as Error).message})` };
  }
  const problem = metricsProblem(parsed);
  return problem ? { status: 'unreadable', file, why: problem } : { status: 'found', metrics: parsed as ReportMetrics };
}
