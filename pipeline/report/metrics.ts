/**
 * `metrics.json` (ReportMetrics): the numbers and verdicts this report stated, flat and named, so a
 * later run can list what changed ("changes since the previous run", the nightly index).
 */
import type { ReportMetrics } from '../core/artifacts.ts';
import type { Finding } from './findings.ts';
import type { ReportInputs } from './inputs.ts';

export function reportMetrics(inp: ReportInputs, findings: readonly Finding[], config: unknown): ReportMetrics {
  const metrics: Record<string, number> = {};
  for (const r of inp.summary.rows) {
    const k = `${r.frequency}.${r.loss}.s${r.seed}`;
    metrics[`${k}.bestValAccuracy`] = r.bestValAccuracy;
    metrics[`${k}.finalValAccuracy`] = r.finalValAccuracy;
    metrics[`${k}.finalTrainAccuracy`] = r.finalTrainAccuracy;
  }
  const verdicts: ReportMetrics['verdicts'] = {};
  for (const f of findings) {
    if (f.reason === 'disabled') continue;
    verdicts[f.id] = f.verdict;
    for (const [name, v] of Object.entries(f.values))
      if (typeof v === 'object' && Number.isFinite(v.mean)) metrics[`finding.${f.id}.${name}`] = v.mean;
  }
  return {
    experiment: inp.config.name,
    configHash: inp.config.hash,
    config,
    // the stage does not know the tool versions; the manifest records them
    versions: {},
    metrics,
    verdicts,
  };
}
