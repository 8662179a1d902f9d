/**
 * ReduceLROnPlateau as PyTorch implements it, mode 'min', threshold_mode 'rel':
 * an epoch improves when metric < best·(1 − threshold); after more than `patience` epochs without
 * improvement the learning rate is multiplied by `factor` (not below `minLr`, and only when the
 * change exceeds `eps`), then `cooldown` epochs pass before bad epochs count again.
 * A pure step function over a JSON-able state, so checkpoints store it as it is.
 */
import type { ResolvedConfig } from '../core/config.ts';

export interface PlateauOptions {
  factor: number;
  patience: number;
  threshold: number;
  cooldown: number;
  minLr: number;
  eps: number;
}

export interface PlateauState {
  /** best metric so far; null before the first step (PyTorch: inf) */
  best: number | null;
  badEpochs: number;
  cooldownCounter: number;
}

export const PLATEAU_DEFAULTS = { threshold: 1e-4, cooldown: 0, minLr: 0, eps: 1e-8 } as const;

export function initialPlateauState(): PlateauState {
  return { best: null, badEpochs: 0, cooldownCounter: 0 };
}

/** One scheduler step at the end of an epoch: returns the next state and learning rate. */
export function plateauStep(
  state: PlateauState, metric: number, lr: number, o: PlateauOptions,
): { state: PlateauState; lr: number } {
  let { best, badEpochs, cooldownCounter } = state;
  if (best === null || metric < best * (1 - o.threshold)) {
    best = metric;
    badEpochs = 0;
  } else {
    badEpochs += 1;
  }
  if (cooldownCounter > 0) {
    cooldownCounter -= 1;
    badEpochs = 0;
  }
  let next = lr;
  if (badEpochs > o.patience) {
    const reduced = Math.max(lr * o.factor, o.minLr);
    if (lr - reduced > o.eps) next = reduced;
    cooldownCounter = o.cooldown;
    badEpochs = 0;
  }
  return { state: { best, badEpochs, cooldownCounter }, lr: next };
}

export interface LrScheduler {
  step(metric: number, lr: number): number;
  getState(): PlateauState | null;
  setState(s: PlateauState | null): void;
}

/** The scheduler of the experiment's `train.scheduler` (`none` keeps the learning rate). */
export function createScheduler(cfg: ResolvedConfig['train']['scheduler']): LrScheduler {
  if (cfg.name === 'none') return { step: (_m, lr) => lr, getState: () => null, setState: () => {} };
  const opts: PlateauOptions = { ...PLATEAU_DEFAULTS, factor: cfg.factor, patience: cfg.patience };
  let state = initialPlateauState();
  return {
    step(metric, lr) {
      const r = plateauStep(state, metric, lr, opts);
      state = r.state;
      return r.lr;
    },
    getState: () => ({ ...state }),
    setState(s) {
      state = s ? { ...s } : initialPlateauState();
    },
  };
}
