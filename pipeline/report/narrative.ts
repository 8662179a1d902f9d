/**
 * The sentences that state results: findings, the claims table, the gradient snapshots, the
 * summary and the conclusions. Each is a locale message filled with numbers from the artifacts;
 * which message is used depends on the verdicts.
 */
import type { BlockContent, ListItem, PhrasingContent } from 'mdast';
import type { Snapshot } from '../core/artifacts.ts';
import { StageError } from '../core/errors.ts';
import type { DocContext } from './doc.ts';
import {
  byId, quantity, THRESHOLDS, topShare, verdictCounts, type Finding, type FindingSection, type Verdict,
} from './findings.ts';
import { joinSentences, num, pct, pText, quantityText, signed } from './format.ts';
import { findSnapshots } from './inputs.ts';
import { heading, list, listItem, paragraph, strong, table, text } from './mdast.ts';
import { parseInline, raw, type Vars } from './messages.ts';

/** Thresholds as message variables `t_<name>`; shares shown as percentages. */
const SHARE_THRESHOLDS = new Set(['lossRel', 'smooth', 'earlyShare', 'overfitRise', 'majority', 'weightRatio', 'spreadChange', 'timeRatio', 'saturation', 'polarExtreme']);
export const thresholdVars: Vars = Object.fromEntries(Object.entries(THRESHOLDS).map(([k, v]) =>
  [`t_${k}`, SHARE_THRESHOLDS.has(k) ? pct(100 * v, 0) : String(v)]));

/** A finding is left out of the report when its analysis was switched off. */
export const isReported = (f: Finding) => f.reason !== 'disabled';

function findingVars(d: DocContext, f: Finding): Vars {
  return { ...d.common, ...thresholdVars, ...f.values };
}

/** The numbers behind a finding, as a sentence (Markdown). */
function measureMd(d: DocContext, f: Finding): string {
  if (f.reason && f.reason !== 'split') return d.m.md(`finding.reason.${f.reason}`, findingVars(d, f));
  return d.m.md(`finding.${f.id}.measure`, findingVars(d, f));
}

/** Numbers, then why the verdict is what it is, then the paired test when there were several seeds. */
export function resultMd(d: DocContext, f: Finding): string {
  const parts = [measureMd(d, f)];
  if (f.reason === 'split') parts.push(d.m.md('finding.reason.split'));
  else if (!f.reason) parts.push(d.m.md(`finding.${f.id}.verdict`, { ...findingVars(d, f), context: f.verdict }));
  if (f.paired && f.paired.n > 1 && !(f.reason && f.reason !== 'split'))
    parts.push(d.m.md('finding.paired', {
      count: f.paired.n, diff: signed(f.paired.meanDiff, 2), sd: num(f.paired.sdDiff, 2), t: num(f.paired.t, 2), p: pText(f.paired.p),
    }));
  return joinSentences(parts);
}

const verdictLabel = (d: DocContext, v: Verdict) => d.m.inline('verdict.label', { context: v });
const claimInline = (d: DocContext, f: Finding) => d.m.inline(`finding.${f.id}.claim`);
const labelInline = (d: DocContext, f: Finding) => d.m.inline(`finding.${f.id}.label`);

/** `::findings{section=…}`: a numbered list, one item per claim of that section. */
export function findingsList(d: DocContext, section: FindingSection): BlockContent[] {
  const fs = d.findings.filter((f) => f.section === section && isReported(f));
  if (fs.length === 0) return [];
  return [
    paragraph(d.m.inline('findings.intro')),
    list(fs.map((f) => listItem(
      paragraph(strong(labelInline(d, f)), text(' — '), strong(verdictLabel(d, f.verdict))),
      paragraph(d.m.inline('findings.claim', { claim: raw(d.m.md(`finding.${f.id}.claim`)) })),
      paragraph(parseInline(resultMd(d, f))),
    )), true),
  ];
}

/** `::claims`: the seed report's claims next to what this run found. */
export function claimsTable(d: DocContext): BlockContent[] {
  const fs = d.findings.filter(isReported);
  const m = d.m;
  return [table(
    ['number', 'section', 'claim', 'thisRun', 'verdict'].map((k) => m.inline(`claims.${k}`)),
    fs.map((f, i) => [String(i + 1), m.inline(`section.${f.section}`), claimInline(d, f), parseInline(measureMd(d, f)), verdictLabel(d, f.verdict)]),
  )];
}

// ---------------------------------------------------------------- summary

/** `::summary`: what was run, the headline numbers, and the verdict counts. */
export function summaryBlocks(d: DocContext): BlockContent[] {
  const c = d.inp.config;
  const { m } = d;
  const runs = d.inp.train.runs.length;
  const losses = c.train.losses.baseline ? 2 : 1;
  const out: BlockContent[] = [paragraph(m.inline('summary.runs', {
    count: runs, frequencies: c.data.frequencies.length, losses, seeds: c.seeds.length,
  }))];
  const fa = byId(d.findings, 'finalAccuracy');
  const rows = d.inp.summary.rows.filter((r) => r.frequency === c.report.primaryFrequency);
  const best = (loss: string) => rows.filter((r) => r.loss === loss).map((r) => r.bestValAccuracy);
  const g = best('ghm'), b = best('baseline');
  // several seeds: mean ± sd over them
  const acc = (xs: number[]) => quantityText(quantity(xs, 'pct', 1));
  if (g.length && b.length)
    out.push(paragraph(m.inline('summary.primary', { ...d.common, ghm: acc(g), base: acc(b), context: fa.verdict })));
  else if (g.length)
    out.push(paragraph(m.inline('summary.primaryAlone', { ...d.common, ghm: acc(g) })));
  const n = verdictCounts(d.findings.filter(isReported));
  out.push(paragraph(m.inline('summary.verdicts', {
    count: n.supported + n.contradicted + n.inconclusive, supported: n.supported, contradicted: n.contradicted, inconclusive: n.inconclusive,
  })));
  out.push(paragraph(c.seeds.length > 1
    ? m.inline('summary.seedsMany', { count: c.seeds.length, seeds: d.common.seeds })
    : m.inline('summary.seedsOne', { seed: d.common.firstSeed })));
  return out;
}

// ---------------------------------------------------------------- gradient snapshots

const phaseOf = (i: number, n: number) => (i === 0 ? 'early' : i === n - 1 ? 'late' : 'middle');

function snapshotSentence(d: DocContext, s: Snapshot, bins: number): PhrasingContent[] {
  const pairs = s.counts.reduce((a, b) => a + b, 0);
  const w = s.weights.filter((x): x is number => x !== null);
  return d.m.inline('gradient.snapshot', {
    ...d.common,
    epoch: s.epoch, batch: s.batch, count: pairs, nonEmpty: s.counts.filter((k) => k > 0).length, bins,
    low: pct(100 * s.extremeShare.low), high: pct(100 * s.extremeShare.high),
    entropy: num(s.entropy, 2), maxEntropy: num(Math.log2(bins), 2),
    mean: num(s.stats.mean, 3), median: num(s.stats.median, 3), min: num(s.stats.min, 3), max: num(s.stats.max, 3),
    wmin: w.length ? num(Math.min(...w), 3) : '—', wmax: w.length ? num(Math.max(...w), 3) : '—',
    top: pct(100 * topShare(s.counts)),
  });
}

/** `::snapshots`: one subsection per configured snapshot epoch — heading, figure, numbers. */
export function snapshotBlocks(d: DocContext): BlockContent[] {
  const r = d.shown.ghm.run;
  const snaps = findSnapshots(d.inp, r.frequency, 'ghm', r.seed);
  if (!snaps) throw new StageError(`report: snapshots.json has no entry for run ${r.id}; expected one per training run.`);
  const epochs = d.inp.config.snapshots.epochs;
  return epochs.flatMap((epoch, i): BlockContent[] => {
    const s = snaps.snapshots.find((x) => x.epoch === epoch);
    if (!s) throw new StageError(`report: snapshots.json has no snapshot of epoch ${epoch} for run ${r.id}; expected every epoch in snapshots.epochs.`);
    const vars = { ...d.common, epoch, batch: s.batch, context: phaseOf(i, epochs.length) };
    const img = d.figures.use('snapshot', { epoch }, d.m.text('figure.snapshot.alt', vars),
      (n) => d.m.text('figure.numbered', { n, caption: d.m.text('figure.snapshot.caption', vars) }));
    return [
      heading(3, d.m.inline('heading.snapshot', vars)),
      ...(img ? [paragraph(img)] : []),
      paragraph(snapshotSentence(d, s, snaps.bins)),
    ];
  });
}

// ---------------------------------------------------------------- conclusions

function bulletList(items: PhrasingContent[][]): BlockContent {
  return list(items.map((x) => listItem(paragraph(x))), false);
}

/** `::conclusions`: evaluation, what holds, limitations, recommendations, future work — from the verdicts. */
export function conclusionBlocks(d: DocContext): BlockContent[] {
  const { m } = d;
  const f = (id: Parameters<typeof byId>[1]) => byId(d.findings, id);
  const vars = (x: Finding) => ({ ...d.common, ...thresholdVars, ...x.values, context: x.verdict });
  const reported = d.findings.filter(isReported);

  const evaluation = (['imbalancePlacement', 'stability', 'finalAccuracy'] as const)
    .map((id) => f(id)).filter(isReported)
    .map((x) => m.inline(`conclusions.evaluation.${x.id}`, vars(x)));

  const supported = reported.filter((x) => x.verdict === 'supported');
  const strengths = supported.length
    ? supported.map((x) => parseInline(m.md(`finding.${x.id}.label`) + m.md('common.labelSeparator')
      + joinSentences([m.md(`finding.${x.id}.measure`, vars(x)), m.md(`finding.${x.id}.verdict`, vars(x))])))
    : [m.inline('conclusions.strengths.none')];

  const contradicted = reported.filter((x) => x.verdict === 'contradicted');
  const limits: PhrasingContent[][] = [];
  const time = f('trainingTime');
  if (!time.reason) limits.push(m.inline('conclusions.limits.time', vars(time)));
  limits.push(contradicted.length
    ? m.inline('conclusions.limits.contradicted', {
      count: contradicted.length,
      list: raw(contradicted.map((x) => m.md(`finding.${x.id}.label`)).join(m.md('common.listSeparator'))),
    })
    : m.inline('conclusions.limits.noneContradicted'));
  const start = f('gUniformStart');
  const top = start.values.top;
  const saturated = typeof top === 'object' && top.mean / 100 >= THRESHOLDS.saturation;
  if (saturated) limits.push(m.inline('conclusions.limits.saturated', vars(start)));
  limits.push(m.inline('conclusions.limits.tuning'));

  const imb = f('imbalancePlacement'), acc = f('finalAccuracy'), stab = f('stability');
  const recs: PhrasingContent[][] = [];
  if (isReported(imb))
    recs.push(m.inline('conclusions.recs.imbalance', {
      ...vars(imb), context: imb.verdict === 'supported' && acc.verdict !== 'contradicted' ? 'yes' : 'no',
    }));
  recs.push(m.inline('conclusions.recs.params', { ...vars(start), context: saturated ? 'saturated' : 'ok' }));
  recs.push(m.inline('conclusions.recs.stability', vars(stab)));
  const nSeeds = d.inp.config.seeds.length;
  if (nSeeds < 3) recs.push(m.inline('conclusions.recs.seeds', { n: nSeeds, context: nSeeds === 1 ? 'single' : 'several' }));

  const future = [1, 2, 3].map((i) => m.inline(`conclusions.future.item${i}`));

  const n = verdictCounts(reported);
  const tone = n.contradicted > n.supported ? 'negative' : n.supported > n.contradicted ? 'positive' : 'mixed';
  const section = (key: string, items: PhrasingContent[][]): ListItem =>
    listItem(paragraph(strong(m.inline(`conclusions.${key}.label`))), bulletList(items));
  return [
    paragraph(m.inline('conclusions.intro')),
    list([
      section('evaluation', evaluation.length ? evaluation : [m.inline('conclusions.evaluation.none')]),
      section('strengths', strengths),
      section('limits', limits),
      section('recs', recs),
      section('future', future),
    ], true),
    paragraph(parseInline(joinSentences([
      m.md('summary.verdicts', {
        count: n.supported + n.contradicted + n.inconclusive, supported: n.supported, contradicted: n.contradicted, inconclusive: n.inconclusive,
      }),
      m.md('conclusions.overall', { context: tone }),
    ]))),
  ];
}
