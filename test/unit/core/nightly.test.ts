import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNightlyArgs, renderNightlyIndex, type ExperimentStatus } from '../../../pipeline/nightly.ts';

test('nightly arguments', () => {
  const a = parseNightlyArgs(['a.yaml', 'b.yaml', '--jobs', '3', '--publish', 'site', '--out', 'o']);
  assert.deepEqual([a.files, a.jobs, a.publish, a.out], [['a.yaml', 'b.yaml'], 3, 'site', 'o']);
  assert.throws(() => parseNightlyArgs([]), /no experiment files/);
  assert.throws(() => parseNightlyArgs(['a.yaml', '--jobs', '0']), /--jobs expects/);
  assert.throws(() => parseNightlyArgs(['a.yaml', '--bogus']), /unknown option --bogus/);
});

test('the site index lists every experiment with status, date, headline numbers, in both languages, escaped', () => {
  const statuses: ExperimentStatus[] = [
    { file: 'a.yaml', name: 'a', title: { 'zh-TW': '甲 <b>', en: 'A <b>' }, status: 'ok', exitCode: 0, finishedAt: '2026-12-03T01:02:03Z', seconds: 3, latest: 'a/latest',
      headline: [{ frequency: '3000hz', seed: 42, ghmBest: 71.25, baselineBest: 68.5 }] },
    { file: 'b.yaml', name: 'b', status: 'failed', exitCode: 2, error: 'b.yaml: `train.epochs` is "x"', seconds: 0, headline: [] },
  ];
  const html = renderNightlyIndex(statuses, '2026-12-03T02:00:00Z');
  assert.match(html, /甲 &lt;b&gt;/);
  assert.match(html, /A &lt;b&gt;/);
  assert.doesNotMatch(html, /<b>/);
  assert.match(html, /GHM 71\.3 %, baseline 68\.5 %/);
  assert.match(html, /GHM 71\.3 %，基準 68\.5 %/);
  assert.match(html, /href="a\/latest\/report\.en\.html"/);
  assert.match(html, /href="a\/latest\/report\.zh-TW\.pdf"/);
  assert.equal((html.match(/class="failed"/g) ?? []).length, 2);
  assert.match(html, /train\.epochs/);
});
