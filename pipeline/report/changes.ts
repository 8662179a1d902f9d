/**
 * `::changes`: "Changes since the previous run" — what moved between the previous run's
 * metrics.json and this one (pipeline/lib/changes.ts compares them): metrics beyond
 * `history.threshold`, findings whose verdict changed, config keys and tool versions. On the first
 * run, or when the previous run cannot be read, the section says there is nothing to compare with.
 */
import type { BlockContent, PhrasingContent } from 'mdast';
import type { ReportMetrics } from '../core/artifacts.ts';
import { compareRuns, type ChangeSet, type MetricChange, type ValueChange } from '../lib/changes.ts';
import type { DocContext } from './doc.ts';
import type { Verdict } from './findings.ts';
import { codeSpan, sharePct, sig, signed } from './format.ts';
import { list, listItem, paragraph, strong, table } from './mdast.ts';
import { parseMetricName, type MetricName, type RunField } from './metrics.ts';
import { thresholdVars } from './narrative.ts';
import { parseInline, raw } from './messages.ts';
import type { PreviousRun } from './previous.ts';

export type RunChanges =
  /** no previous output: the first run */
  | { status: 'first' }
  /** a previous output without usable metrics.json */
  | { status: 'unreadable' }
  | { status: 'compared'; previousHash: string; set: ChangeSet };

/** Compare this run's metrics with the previous run's, as far as there is one. */
export function runChanges(previous: PreviousRun, current: ReportMetrics, threshold: number): RunChanges {
  if (previous.status !== 'found') return { status: previous.status };
  return { status: 'compared', previousHash: previous.metrics.configHash, set: compareRuns(previous.metrics, current, threshold) };
}

/** True when the comparison found nothing to list. */
export function nothingChanged(s: ChangeSet): boolean {
  return [s.metrics, s.addedMetrics, s.removedMetrics, s.verdicts, s.config, s.versions].every((x) => x.length === 0);
}

/** Longer config values (notes, titles) are cut to this many characters in the list. */
export const VALUE_CHARS = 100;

function valueCode(v: string): string {
  const s = v === '' ? '""' : v;
  return codeSpan(s.length > VALUE_CHARS ? `${s.slice(0, VALUE_CHARS - 1)}…` : s);
}

const shortHash = (h: string) => h.slice(0, 12);

/** The message naming each of a run's metric fields (the training-results table's column heads). */
export const RUN_FIELD_LABEL: Record<RunField, string> = {
  bestValAccuracy: 'table.bestVal', finalValAccuracy: 'table.finalVal', finalTrainAccuracy: 'table.finalTrain',
};

/**
 * The metric as the reader knows it (Markdown): the run and field, or the finding's title and what
 * the number measures (`finding.<id>.values.<value>`, with its unit). A name this version does not
 * make is shown as it is, in code.
 */
export function metricLabel(d: Pick<DocContext, 'm'>, name: string): string {
  const p = parseMetricName(name);
  switch (p.kind) {
    case 'run':
      return d.m.md('changes.metric.run', { frequency: p.frequency, seed: p.seed, loss: raw(d.m.md(`loss.${p.loss}`)), field: raw(d.m.md(RUN_FIELD_LABEL[p.field])) });
    case 'finding':
      return d.m.md('changes.metric.finding', {
        label: raw(d.m.md(`finding.${p.id}.label`)), value: raw(d.m.md(`finding.${p.id}.values.${p.value}`, thresholdVars)),
      });
    case 'other':
      return codeSpan(p.name);
  }
}

const KIND_ORDER: Record<MetricName['kind'], number> = { run: 0, finding: 1, other: 2 };

/**
 * The table's order: the runs' accuracies first, then the numbers behind findings, then names this
 * version does not know; within each group the order `compareRuns` gives (largest relative change
 * first, then by name).
 */
export function orderMetricChanges(cs: readonly MetricChange[]): MetricChange[] {
  const rank = (c: MetricChange) => KIND_ORDER[parseMetricName(c.name).kind];
  return [...cs].sort((a, b) => rank(a) - rank(b)); // stable: keeps compareRuns' order within a group
}

/** Signed relative change in percent; none when the previous value was zero. */
function relativeText(c: MetricChange): string {
  return Math.abs(c.before) < 1e-12 ? '—' : `${signed((100 * (c.after - c.before)) / Math.abs(c.before), 1)}%`;
}

function metricBlocks(d: DocContext, s: ChangeSet, threshold: string): BlockContent[] {
  const { m } = d;
  const out: BlockContent[] = [paragraph(strong(m.inline('changes.metrics.label')))];
  if (s.metrics.length === 0) out.push(paragraph(m.inline('changes.metrics.none', { threshold })));
  else {
    out.push(paragraph(m.inline('changes.metrics.some', { count: s.metrics.length, threshold })));
    out.push(table(
      ['metric', 'before', 'after', 'change'].map((k) => m.inline(`changes.table.${k}`)),
      orderMetricChanges(s.metrics).map((c) => [parseInline(metricLabel(d, c.name)), sig(c.before), sig(c.after), relativeText(c)]),
      [null, 'right', 'right', 'right'],
    ));
  }
  const names = (xs: string[]) => raw(xs.map((x) => metricLabel(d, x)).join(m.md('common.listSeparator')));
  if (s.addedMetrics.length) out.push(paragraph(m.inline('changes.metrics.added', { count: s.addedMetrics.length, list: names(s.addedMetrics) })));
  if (s.removedMetrics.length) out.push(paragraph(m.inline('changes.metrics.removed', { count: s.removedMetrics.length, list: names(s.removedMetrics) })));
  return out;
}

/** A labelled part: its label, then either "none" or a count sentence and a bulleted list. */
function part(d: DocContext, key: 'verdicts' | 'config' | 'versions', items: PhrasingContent[][]): BlockContent[] {
  const { m } = d;
  const head = paragraph(strong(m.inline(`changes.${key}.label`)));
  if (items.length === 0) return [head, paragraph(m.inline(`changes.${key}.none`))];
  return [head, paragraph(m.inline(`changes.${key}.some`, { count: items.length })), list(items.map((x) => listItem(paragraph(x))))];
}

function valueItems(d: DocContext, changes: ValueChange[]): PhrasingContent[][] {
  return changes.map((c) => d.m.inline('changes.value', { key: raw(codeSpan(c.key)), before: raw(valueCode(c.before)), after: raw(valueCode(c.after)) }));
}

export function changeBlocks(d: DocContext): BlockContent[] {
  const { m } = d;
  const c = d.changes;
  if (c.status !== 'compared') return [paragraph(m.inline(c.status === 'first' ? 'changes.first' : 'changes.unreadable'))];
  const s = c.set;
  const threshold = sharePct(d.inp.config.history.threshold);
  const previousHash = shortHash(c.previousHash);
  if (nothingChanged(s)) return [paragraph(m.inline('changes.nothing', { previousHash, threshold }))];
  const verdict = (v: string) => raw(m.md('verdict.label', { context: v as Verdict }));
  return [
    paragraph(m.inline('changes.intro', { previousHash, hash: shortHash(d.inp.config.hash), threshold })),
    ...metricBlocks(d, s, threshold),
    ...part(d, 'verdicts', s.verdicts.map((v) => m.inline('changes.verdict', {
      label: raw(m.md(`finding.${v.id}.label`)), before: verdict(v.before), after: verdict(v.after),
    }))),
    ...part(d, 'config', valueItems(d, s.config)),
    ...part(d, 'versions', valueItems(d, s.versions)),
  ];
}
