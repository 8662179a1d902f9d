import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createScheduler, initialPlateauState, plateauStep, PLATEAU_DEFAULTS, type PlateauOptions } from '../../../pipeline/train/scheduler.ts';

const opts: PlateauOptions = { ...PLATEAU_DEFAULTS, factor: 0.5, patience: 2 };

function trace(metrics: number[], lr0: number, o = opts): number[] {
  let state = initialPlateauState();
  let lr = lr0;
  const out: number[] = [];
  for (const m of metrics) {
    ({ state, lr } = plateauStep(state, m, lr, o));
    out.push(lr);
  }
  return out;
}

test('plateau: halves after more than `patience` epochs without improvement', () => {
  // best 10 → 9 (better) → 9, 9 (bad 1, 2) → 9 (bad 3 > 2: halve, reset) → 9, 9 (bad 1, 2) → 9 (halve)
  assert.deepEqual(trace([10, 9, 9, 9, 9, 9, 9, 9], 0.04), [0.04, 0.04, 0.04, 0.04, 0.02, 0.02, 0.02, 0.01]);
});

test('plateau: improvement is relative, threshold 1e-4', () => {
  // 8.9995 is not below 9·(1 − 1e-4) = 8.9991 (bad), 8.999 is (better, resets the count)
  let state = initialPlateauState();
  ({ state } = plateauStep(state, 9, 1, opts));
  ({ state } = plateauStep(state, 8.9995, 1, opts));
  assert.equal(state.badEpochs, 1);
  assert.equal(state.best, 9);
  ({ state } = plateauStep(state, 8.999, 1, opts));
  assert.equal(state.badEpochs, 0);
  assert.equal(state.best, 8.999);
});

test('plateau: patience 0 halves at every non-improving epoch; min lr and cooldown respected', () => {
  assert.deepEqual(trace([5, 6, 6, 4, 7], 1, { ...opts, patience: 0 }), [1, 0.5, 0.25, 0.25, 0.125]);
  assert.deepEqual(trace([5, 6, 6, 6], 1, { ...opts, patience: 0, minLr: 0.4 }), [1, 0.5, 0.4, 0.4]);
  // cooldown 1: the epoch after a reduction does not count as bad
  assert.deepEqual(trace([5, 6, 6, 6, 6], 1, { ...opts, patience: 0, cooldown: 1 }), [1, 0.5, 0.5, 0.25, 0.25]);
});

test('scheduler from config: state survives a round trip; `none` keeps the rate', () => {
  const a = createScheduler({ name: 'plateau', factor: 0.5, patience: 1 });
  let lr = 0.03;
  for (const m of [3, 3, 3]) lr = a.step(m, lr);
  assert.equal(lr, 0.015);
  const b = createScheduler({ name: 'plateau', factor: 0.5, patience: 1 });
  b.setState(JSON.parse(JSON.stringify(a.getState())));
  assert.equal(b.step(3, lr), a.step(3, lr));
  const none = createScheduler({ name: 'none', factor: 0.5, patience: 1 });
  assert.equal(none.step(100, 0.03), 0.03);
  assert.equal(none.getState(), null);
});
