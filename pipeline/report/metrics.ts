/**
 * `metrics.json` (ReportMetrics): the numbers and verdicts this report stated, flat and named, so a
 * later run can list what changed ("changes since the previous run", the nightly index).
 *
 * Names: `<frequency>.<loss>.s<seed>.<field>` for a run's accuracies (field one of RUN_FIELDS) and
 * `finding.<id>.<value>` for the numbers behind a finding (value one of FINDING_METRICS[id]).
 * `parseMetricName` reads them back; the report labels each with a locale message
 * (`table.*` for a run's fields, `finding.<id>.values.<value>` for a finding's numbers).
 */
import type { LossKind, ReportMetrics, SummaryRow } from '../core/artifacts.ts';
import { FINDING_IDS, type Finding, type FindingId } from './findings.ts';
import type { ReportInputs } from './inputs.ts';

export const RUN_FIELDS = ['bestValAccuracy', 'finalValAccuracy', 'finalTrainAccuracy'] as const;
export type RunField = (typeof RUN_FIELDS)[number];

export const runMetricName = (r: Pick<SummaryRow, 'frequency' | 'loss' | 'seed'>, field: RunField) =>
  `${r.frequency}.${r.loss}.s${r.seed}.${field}`;

/**
 * The numbers each finding can put into metrics.json — its Quantity values, whatever branch it
 * takes — each labelled by `finding.<id>.values.<value>` in locales/<lang>/report.json.
 * `reportMetrics` refuses a number that is not listed here, so a new one cannot reach a report
 * without a label.
 */
export const FINDING_METRICS = {
  lossScale: ['ratio', 'ghm', 'base', 'rel'],
  smoothness: ['train', 'val'],
  earlyConvergence: ['ghm', 'base'],
  trainAccuracy: ['first', 'last', 'rho'],
  valFluctuation: ['rise', 'fluct', 'best'],
  trainValGap: ['early', 'late', 'rise', 'accGap'],
  stability: ['ghm', 'base'],
  gUniformStart: ['entropy', 'top'],
  gPolarizes: ['h0', 'h1', 'x0', 'x1'],
  weightsVsDensity: ['rho'],
  imbalanceSkew: ['low', 'easyG', 'hardG'],
  imbalancePlacement: ['easyDensity', 'hardDensity', 'easyWeight', 'hardWeight', 'ratio'],
  linearSmoothness: ['ghm', 'base', 'ratio'],
  linearEarly: ['plain', 'ghm'],
  linearFinal: ['ghmTrain', 'plainTrain', 'ghmHeld', 'plainHeld'],
  weightSpread: ['early', 'middle', 'late', 'ratio'],
  finalAccuracy: ['ghm', 'base', 'ghmBest', 'baseBest'],
  trainingTime: ['ghm', 'base', 'ratio'],
} as const satisfies Record<FindingId, readonly string[]>;

const isFindingMetric = (id: FindingId, value: string) => (FINDING_METRICS[id] as readonly string[]).includes(value);

export const findingMetricName = (id: FindingId, value: string) => `finding.${id}.${value}`;

export type MetricName =
  | { kind: 'run'; frequency: string; loss: LossKind; seed: number; field: RunField }
  | { kind: 'finding'; id: FindingId; value: string }
  | { kind: 'other'; name: string };

const RUN_NAME = new RegExp(`^(.+)\\.(ghm|baseline)\\.s(\\d+)\\.(${RUN_FIELDS.join('|')})$`);
const FINDING_NAME = /^finding\.([A-Za-z]+)\.(\w+)$/;

/**
 * What a metric name refers to; names this version does not make (say, a number an older version
 * reported, still in the previous run's metrics.json) are `other`.
 */
export function parseMetricName(name: string): MetricName {
  const f = FINDING_NAME.exec(name);
  if (f && (FINDING_IDS as readonly string[]).includes(f[1]) && isFindingMetric(f[1] as FindingId, f[2]))
    return { kind: 'finding', id: f[1] as FindingId, value: f[2] };
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
    for (const [name, v] of Object.entries(f.values)) {
      if (typeof v !== 'object') continue;
      if (!isFindingMetric(f.id, name))
        throw new Error(`finding ${f.id} reports the number "${name}", which FINDING_METRICS in pipeline/report/metrics.ts does not list; add it there and its label finding.${f.id}.values.${name} to locales/*/report.json`);
      if (Number.isFinite(v.mean)) metrics[findingMetricName(f.id, name)] = v.mean;
    }
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
