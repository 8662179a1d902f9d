/** What every part of one language's document is built from. */
import type { TrainHistory } from '../core/artifacts.ts';
import type { Language } from '../core/schema.ts';
import type { RunChanges } from './changes.ts';
import type { FigureRegistry } from './figures.ts';
import type { Finding } from './findings.ts';
import type { ReportInputs } from './inputs.ts';
import { findHistory, requireGhmHistory } from './inputs.ts';
import type { Messages, Vars } from './messages.ts';

export interface DocContext {
  lang: Language;
  inp: ReportInputs;
  findings: Finding[];
  m: Messages;
  figures: FigureRegistry;
  /** variables every message may use (title, primary frequency, seeds, …) */
  common: Vars;
  /** the runs the figures and per-run numbers show: primary frequency, first seed */
  shown: { ghm: TrainHistory; base?: TrainHistory };
  /** what changed since the previous run (`::changes`) */
  changes: RunChanges;
}

export function shownRuns(inp: ReportInputs): DocContext['shown'] {
  const f = inp.config.report.primaryFrequency;
  const s = inp.config.seeds[0];
  return { ghm: requireGhmHistory(inp, f, s), base: findHistory(inp, f, 'baseline', s) };
}

export function commonVars(inp: ReportInputs, lang: Language, shown: DocContext['shown']): Vars {
  const c = inp.config;
  const g = c.train.losses.ghm;
  return {
    title: c.title[lang],
    name: c.name,
    frequency: c.report.primaryFrequency,
    frequencies: c.data.frequencies.join(', '),
    material: c.data.material,
    seeds: c.seeds.join(', '),
    firstSeed: String(c.seeds[0]),
    epochs: String(c.train.epochs),
    margin: String(c.train.margin),
    bins: String(g.bins),
    alpha: String(g.alpha),
    momentum: String(g.momentum),
    tau: String(g.tau),
    variant: g.variant,
    run: shown.ghm.run.id,
    baselineRun: shown.base?.run.id ?? '',
    imbEasy: String(c.analyses.imbalance.easy),
    imbHard: String(c.analyses.imbalance.hard),
    imbMargin: String(c.analyses.imbalance.margin),
    imbBins: String(c.analyses.imbalance.bins),
    imbAlpha: String(c.analyses.imbalance.alpha),
    linSamples: String(c.analyses.linear.samples),
    linFeatures: String(c.analyses.linear.features),
    linPairs: String(c.analyses.linear.pairs),
    linHeld: String(c.analyses.linear.heldOutPairs),
    linLr: String(c.analyses.linear.lr),
    linEpochs: String(c.analyses.linear.epochs),
    linMargin: String(c.analyses.linear.margin),
    linBins: String(c.analyses.linear.bins),
    linAlpha: String(c.analyses.linear.alpha),
  };
}
