/**
 * "Changes since the previous run": metrics that moved beyond a relative threshold, findings
 * whose verdict changed, and config and version changes, between two ReportMetrics.
 */
import type { ReportMetrics } from '../core/artifacts.ts';

export interface MetricChange { name: string; before: number; after: number; relative: number }
export interface VerdictChange { id: string; before: string; after: string }
export interface ValueChange { key: string; before: string; after: string }

export interface ChangeSet {
  /** false on the first run: nothing to compare with */
  hasPrevious: boolean;
  metrics: MetricChange[];
  /** metrics present in only one of the two runs */
  addedMetrics: string[];
  removedMetrics: string[];
  verdicts: VerdictChange[];
  config: ValueChange[];
  versions: ValueChange[];
}

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** Leaf key paths whose values differ between two JSON values. */
export function flatDiff(a: unknown, b: unknown, prefix = ''): ValueChange[] {
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const out: ValueChange[] = [];
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort())
      out.push(...flatDiff(a[k], b[k], prefix ? `${prefix}.${k}` : k));
    return out;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ key: prefix || '(value)', before: show(a), after: show(b) }];
}

/**
 * Relative change |after − before| / max(|before|, ε); a metric is listed when it exceeds
 * `threshold` (e.g. 0.02 = 2 %).
 */
export function compareRuns(prev: ReportMetrics | undefined, cur: ReportMetrics, threshold: number): ChangeSet {
  if (!prev)
    return { hasPrevious: false, metrics: [], addedMetrics: [], removedMetrics: [], verdicts: [], config: [], versions: [] };
  const metrics: MetricChange[] = [];
  for (const [name, after] of Object.entries(cur.metrics)) {
    const before = prev.metrics[name];
    if (before === undefined) continue;
    const relative = Math.abs(after - before) / Math.max(Math.abs(before), 1e-12);
    if (relative > threshold) metrics.push({ name, before, after, relative });
  }
  metrics.sort((x, y) => y.relative - x.relative || x.name.localeCompare(y.name));
  const verdicts: VerdictChange[] = [];
  for (const [id, after] of Object.entries(cur.verdicts)) {
    const before = prev.verdicts[id];
    if (before !== undefined && before !== after) verdicts.push({ id, before, after });
  }
  return {
    hasPrevious: true,
    metrics,
    addedMetrics: Object.keys(cur.metrics).filter((k) => !(k in prev.metrics)).sort(),
    removedMetrics: Object.keys(prev.metrics).filter((k) => !(k in cur.metrics)).sort(),
    verdicts: verdicts.sort((a, b) => a.id.localeCompare(b.id)),
    config: flatDiff(prev.config, cur.config),
    versions: flatDiff(prev.versions, cur.versions),
  };
}
