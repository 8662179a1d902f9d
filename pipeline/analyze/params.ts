/**
 * GHM parameters of the two controlled analyses. They take bins, alpha and margin from their own
 * analysis config and everything else from the experiment's GHM loss, so the imbalance test and the
 * linear comparison show the mechanism the training runs used. The 'original' variant has no
 * momentum, temperature or normalisation (the seed project's formulas), so those are pinned.
 */
import type { GhmParams } from '../lib/ghm.ts';
import type { GhmLossConfig } from '../core/schema.ts';

export interface AnalysisGhm {
  variant: GhmParams['variant'];
  bins: number;
  alpha: number;
  margin: number;
}

export function analysisGhmParams(base: GhmLossConfig, a: AnalysisGhm): GhmParams {
  if (a.variant === 'original')
    return { variant: 'original', bins: a.bins, alpha: a.alpha, margin: a.margin, momentum: 0, tau: 1, normalize: false };
  return { variant: 'paper', bins: a.bins, alpha: a.alpha, margin: a.margin, momentum: base.momentum, tau: base.tau, normalize: base.normalize };
}
