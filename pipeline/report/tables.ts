/**
 * The report's tables: parameter tables from the resolved config, result tables from the
 * artifacts. Every label comes from the locale; every value from the config or the artifacts.
 */
import type { Table } from 'mdast';
import type { LossKind } from '../core/artifacts.ts';
import { StageError } from '../core/errors.ts';
import type { DocContext } from './doc.ts';
import { pairedRows, placement, quantity, type Quantity } from './findings.ts';
import { num, pValue, quantityText, signed } from './format.ts';
import { findHistory, findSnapshots } from './inputs.ts';
import { table, type Inline } from './mdast.ts';
import { raw } from './messages.ts';
import { mean, pairedTest } from './stats.ts';

const q = (xs: number[], unit: Quantity['unit'], digits: number) => quantityText(quantity(xs, unit, digits));

function paramTable(d: DocContext, rows: [key: string, value: Inline][]): Table {
  const { m } = d;
  return table(
    [m.inline('table.parameter'), m.inline('table.value')],
    rows.map(([k, v]) => [m.inline(`param.${k}`), v]),
  );
}

function yesNo(d: DocContext, b: boolean): Inline {
  return d.m.inline(b ? 'common.yes' : 'common.no');
}

function modelTable(d: DocContext): Table {
  const c = d.inp.config;
  const ds = d.inp.datasets[0];
  const [h, w] = ds.index.inputShape;
  const rows: [string, Inline][] = [
    ['model', d.m.inline(`model.${c.train.model}`)],
    ['parameters', String(d.shown.ghm.run.parameters)],
    ['input', d.m.inline('value.input', { height: h, width: w, min: num(ds.index.crop[0], 0), max: num(ds.index.crop[1], 0) })],
    ['output', d.m.inline('value.output')],
  ];
  if (c.train.model === 'simple-cnn') rows.push(['conv1Stride', c.train.conv1Stride.join(' × ')]);
  rows.push(['backend', d.inp.train.backend]);
  return paramTable(d, rows);
}

function trainingTable(d: DocContext): Table {
  const t = d.inp.config.train;
  const o = t.optimizer;
  const rows: [string, Inline][] = [
    ['batchSize', String(t.batchSize)],
    ['lr', String(o.lr)],
    ['optimizer', d.m.inline(`value.optimizer_${o.name}`, { beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon })],
    ['weightDecay', String(o.weightDecay)],
    ['scheduler', t.scheduler.name === 'plateau'
      ? d.m.inline('value.plateau', { factor: t.scheduler.factor, patience: t.scheduler.patience })
      : d.m.inline('value.noScheduler')],
    ['epochs', String(t.epochs)],
    ['checkpointEvery', d.m.inline('value.everyEpochs', { count: t.checkpointEvery })],
    ['margin', String(t.margin)],
    ['dropLast', yesNo(d, t.dropLast)],
    ['baseline', yesNo(d, t.losses.baseline)],
    ['seeds', d.inp.config.seeds.join(', ')],
  ];
  return paramTable(d, rows);
}

function ghmTable(d: DocContext): Table {
  const g = d.inp.config.train.losses.ghm;
  return paramTable(d, [
    ['variant', d.m.inline(`value.variant_${g.variant}`)],
    ['bins', String(g.bins)],
    ['alpha', String(g.alpha)],
    ['momentum', String(g.momentum)],
    ['tau', String(g.tau)],
    ['normalize', yesNo(d, g.normalize)],
    ['margin', String(d.inp.config.train.margin)],
  ]);
}

function datasetTable(d: DocContext): Table {
  const c = d.inp.config;
  const ds = d.inp.datasets[0];
  const seed = c.seeds[0];
  const split = ds.splits[0], pairs = ds.pairs[0];
  const trainPct = Math.round(100 * c.data.split.train);
  return paramTable(d, [
    ['source', d.m.inline(`value.source_${c.data.source}`)],
    ['material', c.data.material],
    ['frequencies', c.data.frequencies.join(', ')],
    ['classes', ds.index.entries.length ? classAngles(d) : c.data.classes.join(', ')],
    ['recordings', d.m.inline('value.recordings', { perClass: c.data.recordings, total: ds.index.entries.length })],
    ['sampleRate', d.m.inline('value.hertz', { hz: ds.index.sampleRate })],
    ['split', d.m.inline('value.split', { train: trainPct, val: 100 - trainPct, stratified: raw(d.m.md(c.data.split.stratified ? 'common.yes' : 'common.no')) })],
    ['splitCounts', d.m.inline('value.splitCounts', { train: split.train.length, val: split.val.length, seed })],
    ['pairMode', d.m.inline(`value.pairs_${c.data.pairs.mode}`)],
    ['pairCounts', d.m.inline('value.splitCounts', { train: pairs.train.length, val: pairs.val.length, seed })],
    ['stft', d.m.inline('value.stft', { nFft: ds.index.nFft, hop: ds.index.hop })],
  ]);
}

function classAngles(d: DocContext): string {
  const seen = new Map<string, number>();
  for (const e of d.inp.datasets[0].index.entries) seen.set(e.class, e.angle);
  return d.inp.config.data.classes.map((k) => `${k} (${seen.get(k) ?? '?'}°)`).join(', ');
}

function lossLabel(d: DocContext, loss: LossKind): Inline {
  return d.m.inline(`loss.${loss}`);
}

/** Best / final accuracies, final validation margin loss and time of the primary frequency's runs. */
function trainingResultsTable(d: DocContext): Table {
  const c = d.inp.config;
  const f = c.report.primaryFrequency;
  const losses: LossKind[] = c.train.losses.baseline ? ['ghm', 'baseline'] : ['ghm'];
  const rows = losses.map((loss) => {
    const sr = d.inp.summary.rows.filter((r) => r.frequency === f && r.loss === loss);
    const hs = c.seeds.map((s) => findHistory(d.inp, f, loss, s)).filter((h) => h !== undefined);
    if (sr.length === 0 || hs.length === 0)
      throw new StageError(`report: summary.json or runs.json has no ${loss} run for ${f}; expected one per seed.`);
    return [
      lossLabel(d, loss),
      q(sr.map((r) => r.bestValAccuracy), 'pct', 1),
      q(sr.map((r) => r.bestEpoch), 'epoch', sr.length > 1 ? 1 : 0),
      q(sr.map((r) => r.finalValAccuracy), 'pct', 1),
      q(sr.map((r) => r.finalTrainAccuracy), 'pct', 1),
      q(hs.map((h) => h.epochs[h.epochs.length - 1].val.plainLoss), 'num', 4),
      q(hs.map((h) => h.seconds), 'seconds', 1),
    ];
  });
  const m = d.m;
  return table(['loss', 'bestVal', 'bestEpoch', 'finalVal', 'finalTrain', 'finalValLoss', 'seconds'].map((k) => m.inline(`table.${k}`)), rows,
    [null, 'right', 'right', 'right', 'right', 'right', 'right']);
}

function imbalanceTable(d: DocContext): Table | undefined {
  const imb = d.inp.imbalance;
  if (!imb) return undefined;
  const rows = imb.variants.map((v) => {
    const p = placement(v, imb.isHard);
    return [
      d.m.inline(`value.variant_${v.variant}`),
      num(v.ghmLoss, 4), num(v.plainLoss, 4),
      `${v.counts.filter((k) => k > 0).length} / ${v.bins}`,
      num(p.easyG, 3), num(p.hardG, 3), num(p.easyWeight, 3), num(p.hardWeight, 3),
    ];
  });
  return table(['variant', 'ghmLoss', 'plainLoss', 'nonEmpty', 'easyG', 'hardG', 'easyWeight', 'hardWeight'].map((k) => d.m.inline(`table.${k}`)),
    rows, [null, 'right', 'right', 'right', 'right', 'right', 'right', 'right']);
}

function linearTable(d: DocContext): Table | undefined {
  const runs = d.inp.linear?.runs.filter((r) => r.epochs.length > 0) ?? [];
  if (runs.length === 0) return undefined;
  const ends = runs.map((r) => r.epochs[r.epochs.length - 1]);
  const rows = [
    [lossLabel(d, 'baseline'), q(ends.map((e) => e.plainLoss), 'num', 4), q(ends.map((e) => e.plainTrainAcc), 'pct', 1), q(ends.map((e) => e.plainHeldAcc), 'pct', 1)],
    [lossLabel(d, 'ghm'), q(ends.map((e) => e.ghmLoss), 'num', 4), q(ends.map((e) => e.ghmTrainAcc), 'pct', 1), q(ends.map((e) => e.ghmHeldAcc), 'pct', 1)],
  ];
  return table(['loss', 'finalLoss', 'finalTrain', 'finalHeld'].map((k) => d.m.inline(`table.${k}`)), rows, [null, 'right', 'right', 'right']);
}

function stageWeightsTable(d: DocContext): Table {
  const r = d.shown.ghm.run;
  const snaps = findSnapshots(d.inp, r.frequency, 'ghm', r.seed);
  if (!snaps) throw new StageError(`report: snapshots.json has no entry for run ${r.id}; expected one per training run.`);
  const rows = snaps.stages.map((s) => {
    const w = s.weights.filter((x): x is number => x !== null);
    return [
      d.m.inline(`stage.${s.stage}`),
      `${s.epochs[0]}–${s.epochs[1]}`,
      String(s.counts.reduce((a, b) => a + b, 0)),
      `${w.length} / ${s.weights.length}`,
      w.length ? num(Math.min(...w), 3) : '—',
      w.length ? num(Math.max(...w), 3) : '—',
      s.spread === null ? '—' : `${num(s.spread, 2)}×`,
    ];
  });
  return table(['stage', 'epochRange', 'pairs', 'nonEmpty', 'minWeight', 'maxWeight', 'spread'].map((k) => d.m.inline(`table.${k}`)),
    rows, [null, 'right', 'right', 'right', 'right', 'right', 'right']);
}

/** Every run's accuracies, from the analyze stage's summary. */
function summaryTable(d: DocContext): Table {
  const c = d.inp.config;
  const order = (f: string) => c.data.frequencies.indexOf(f);
  const rows = [...d.inp.summary.rows]
    .sort((a, b) => order(a.frequency) - order(b.frequency) || a.seed - b.seed || (a.loss === b.loss ? 0 : a.loss === 'ghm' ? -1 : 1))
    .map((r) => [r.frequency, String(r.seed), lossLabel(d, r.loss),
      `${num(r.bestValAccuracy, 1)}% (${r.bestEpoch})`, `${num(r.finalValAccuracy, 1)}%`, `${num(r.finalTrainAccuracy, 1)}%`]);
  return table(['frequency', 'seed', 'loss', 'bestValEpoch', 'finalVal', 'finalTrain'].map((k) => d.m.inline(`table.${k}`)),
    rows, [null, 'right', null, 'right', 'right', 'right']);
}

/** Per frequency: GHM − baseline final validation accuracy, paired over seeds. */
function pairedTable(d: DocContext): Table | undefined {
  const pr = pairedRows(d.inp);
  if (pr.length === 0) return undefined;
  const rows = d.inp.config.data.frequencies.flatMap((f) => {
    const ps = pr.filter((p) => p.frequency === f);
    if (ps.length === 0) return [];
    const diffs = ps.map((p) => p.ghm.finalValAccuracy - p.base.finalValAccuracy);
    const test = pairedTest(diffs);
    return [[
      f, String(ps.length),
      q(ps.map((p) => p.ghm.finalValAccuracy), 'pct', 1), q(ps.map((p) => p.base.finalValAccuracy), 'pct', 1),
      ps.length > 1 ? `${signed(test.meanDiff, 1)}\u00a0±\u00a0${num(test.sdDiff, 1)}` : signed(mean(diffs), 1),
      ps.length > 1 ? num(test.t, 2) : '—',
      ps.length > 1 ? pValue(test.p) : '—',
    ]];
  });
  return table(['frequency', 'seedCount', 'ghmFinal', 'baseFinal', 'diff', 'tStat', 'pValue'].map((k) => d.m.inline(`table.${k}`)),
    rows, [null, 'right', 'right', 'right', 'right', 'right', 'right']);
}

export const TABLES: Record<string, (d: DocContext) => Table | undefined> = {
  model: modelTable,
  training: trainingTable,
  ghm: ghmTable,
  dataset: datasetTable,
  'training-results': trainingResultsTable,
  imbalance: imbalanceTable,
  linear: linearTable,
  'stage-weights': stageWeightsTable,
  summary: summaryTable,
  paired: pairedTable,
};
