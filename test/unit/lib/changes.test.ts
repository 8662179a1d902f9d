import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns, flatDiff } from '../../../pipeline/lib/changes.ts';
import type { ReportMetrics } from '../../../pipeline/core/artifacts.ts';

const base: ReportMetrics = {
  experiment: 'x', configHash: 'a', config: { train: { epochs: 60, margin: 10 } }, versions: { node: 'v20.1.0' },
  metrics: { 'a.best': 80, 'a.final': 70, 'b.loss': 1.0 },
  verdicts: { smooth: 'supported', gap: 'inconclusive' },
};

test('first run: nothing to compare', () => {
  const c = compareRuns(undefined, base, 0.02);
  assert.equal(c.hasPrevious, false);
  assert.deepEqual([c.metrics, c.verdicts, c.config], [[], [], []]);
});

test('identical runs: no changes', () => {
  const c = compareRuns(base, structuredClone(base), 0.02);
  assert.equal(c.hasPrevious, true);
  assert.deepEqual([c.metrics, c.verdicts, c.config, c.versions, c.addedMetrics, c.removedMetrics], [[], [], [], [], [], []]);
});

test('metrics beyond the threshold, changed verdicts, config and version changes are listed', () => {
  const cur: ReportMetrics = {
    ...base,
    config: { train: { epochs: 30, margin: 10 } },
    versions: { node: 'v20.2.0' },
    metrics: { 'a.best': 81, 'a.final': 56, 'c.new': 3 },
    verdicts: { smooth: 'contradicted', gap: 'inconclusive' },
  };
  const c = compareRuns(base, cur, 0.02);
  assert.deepEqual(c.metrics.map((m) => m.name), ['a.final']); // 80 → 81 is 1.25 %, below 2 %
  assert.equal(c.metrics[0].relative, 0.2);
  assert.deepEqual(c.verdicts, [{ id: 'smooth', before: 'supported', after: 'contradicted' }]);
  assert.deepEqual(c.config, [{ key: 'train.epochs', before: '60', after: '30' }]);
  assert.deepEqual(c.versions, [{ key: 'node', before: 'v20.1.0', after: 'v20.2.0' }]);
  assert.deepEqual(c.addedMetrics, ['c.new']);
  assert.deepEqual(c.removedMetrics, ['b.loss']);
});

test('flatDiff handles added and removed keys and arrays as leaves', () => {
  assert.deepEqual(flatDiff({ a: [1, 2] }, { a: [1, 3], b: 'x' }), [
    { key: 'a', before: '[1,2]', after: '[1,3]' },
    { key: 'b', before: '—', after: 'x' },
  ]);
});
