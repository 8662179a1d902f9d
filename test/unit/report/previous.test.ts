/** Reading the previous run's metrics.json: first run, missing, malformed, wrong shape, found. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportMetrics } from '../../../pipeline/core/artifacts.ts';
import { metricsProblem, readPrevious } from '../../../pipeline/report/previous.ts';

const dir = mkdtempSync(join(tmpdir(), 'ghm-previous-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const good: ReportMetrics = {
  experiment: 'x', configHash: 'h1', config: { train: { epochs: 3 } }, versions: { node: 'v20.0.0' },
  metrics: { '3000hz.ghm.s1.bestValAccuracy': 60 }, verdicts: { finalAccuracy: 'supported' },
};

test('no previous folder is the first run', () => {
  assert.deepEqual(readPrevious(undefined), { status: 'first' });
});

test('a previous folder without metrics.json, or with broken JSON, cannot be compared with', () => {
  const missing = readPrevious(dir);
  assert.equal(missing.status, 'unreadable');
  assert.ok(missing.status === 'unreadable' && missing.file === join(dir, 'metrics.json') && /does not exist/.test(missing.why));
  writeFileSync(join(dir, 'metrics.json'), '{"metrics": ');
  const broken = readPrevious(dir);
  assert.ok(broken.status === 'unreadable' && /not valid JSON/.test(broken.why), JSON.stringify(broken));
});

test('the shape is checked, naming what is wrong', () => {
  assert.equal(metricsProblem(good), null);
  assert.match(metricsProblem([])!, /not a JSON object/);
  assert.match(metricsProblem({ ...good, configHash: 1 })!, /configHash/);
  assert.match(metricsProblem({ ...good, metrics: { a: '1' } })!, /metric "a" is not a number/);
  assert.match(metricsProblem({ ...good, verdicts: { finalAccuracy: 'maybe' } })!, /verdict "finalAccuracy"/);
  assert.match(metricsProblem({ ...good, versions: null })!, /versions/);
  const { config: _c, ...noConfig } = good;
  assert.match(metricsProblem(noConfig)!, /config/);
});

test('a well-formed metrics.json is returned as it is', () => {
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify(good));
  assert.deepEqual(readPrevious(dir), { status: 'found', metrics: good });
});
