/**
 * `metrics.json` (ReportMetrics): the numbers and verdicts this report stated, flat and named, so a
 * later run can list what changed ("changes since the previous run", the nightly index).
 *
 * Names: `<frequency>.<loss>.s<seed>.<field>` for a run's accuracies (field one of RUN_FIELDS) and
 * `finding.<id>.<value>` for the numbers behind a finding. `parseMetricName` reads them back.
 */
import type { LossKind, ReportMetrics, SummaryRow } from '../core/artifacts.ts';
import { FINDING_IDS, type Finding, type FindingId } from './findings.ts';
import type { ReportInputs } from './inputs.ts';

export const RUN_FIELDS = ['bestValAccuracy', 'finalValAccuracy', 'finalTrainAccuracy'] as const;
export type RunField = (typeof RUN_FIELDS)[number];

export const runMetricName = (r: Pick<SummaryRow, 'frequency' | 'loss' | 'seed'>, field: RunField) =>
  `${r.frequency}.${r.loss}.s${r.seed}.${field}`;

export const findingMetricName = (id: FindingId, value: string) => `finding.${id}.${value}`;

export type MetricName =
  | { kind: 'run'; frequency: string; loss: LossKind; seed: number; field: RunField }
  | { kind: 'finding'; id: FindingId; value: string }
  | { kind: 'other'; name: string };

const RUN_NAME = new RegExp(`^(.+)\\.(ghm|baseline)\\.s(\\d+)\\.(${RUN_FIELDS.join('|')})$`);
const FINDING_NAME = /^finding\.([A-Za-z]+)\.(\w+)$/;

/** What a metric name refers to; names this version does not make are `other`. */
export function parseMetricName(name: string): MetricName {
  const f = FINDING_NAME.exec(name);
  if (f && (FINDING_IDS as readonly string[]).includes(f[1])) return { kind: 'finding', id: f[1] as FindingId, value: f[2] };
  const r = RUN_NAME.exec(name);
  if (r) return { kind: 'run', frequency: r[1], loss: r[2] as LossKind, seed: Number(r[3]), field: r[4] as RunField };
  return { kind: 'other', name };
}

export function reportMetrics(
  inp: ReportInputs, findings: readonly Finding[], config: unknown, versions: Record<string, string>,
): ReportMetrics {
  const metrics: Record<string, number> = {};
  for (const r of inp.summary.rows) for (const field of RUN_FIELDS) metrics[runMetricName(r, field)] = r[field];
  const verdicts: ReportMetrics['verdicts'] = {};
  for (const f of findings) {
    if (f.reason === 'disabled') continue;
    verdicts[f.id] = f.verdict;
    for (const [name, v] of Object.entries(f.values))
      if (typeof v === 'object' && Number.isFinite(v.mean)) metrics[findingMetricName(f.id, name)] = v.mean;
  }
  return {
    experiment: inp.config.name,
    configHash: inp.config.hash,
    config,
    versions,
    metrics,
    verdicts,
  };
}
