import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderSiteIndex } from '../../../pipeline/report/site-index.ts';
import { fixtureManifest } from '../../browser/fixture.ts';

const files = [
  { lang: 'zh-TW' as const, md: 'report.zh-TW.md', html: 'report.zh-TW.html', pdf: 'report.zh-TW.pdf' },
  { lang: 'en' as const, md: 'report.en.md', html: 'report.en.html' },
];

test('the index links every report file and the review page', () => {
  const html = renderSiteIndex(fixtureManifest(), files, 'review.html');
  const hrefs = [...html.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(hrefs, ['report.zh-TW.md', 'report.zh-TW.html', 'report.zh-TW.pdf', 'report.en.md', 'report.en.html', 'review.html']);
  assert.match(html, /<html lang="zh-TW">/);
  assert.match(html, /<li lang="en"><strong>English<\/strong>: <a href="report\.en\.md" hreflang="en">Markdown<\/a><a href="report\.en\.html" hreflang="en">網頁<\/a><\/li>/);
});

test('the manifest summary: hash, backend, seeds, duration, stage statuses and times, escaped', () => {
  const html = renderSiteIndex(fixtureManifest(), files);
  assert.match(html, /<dt>設定雜湊<\/dt><dd>a3f1c09e5d2b7e41<\/dd>/);
  assert.match(html, /<dt>運算後端<\/dt><dd>tensorflow \(cpu\)<\/dd>/);
  assert.match(html, /<dt>隨機種子<\/dt><dd>42, 43<\/dd>/);
  assert.match(html, /<dt>總耗時<\/dt><dd>205\.5 秒<\/dd>/);
  assert.match(html, /<tr class="stage-ran"><td>train<\/td><td class="status-ran">已執行<\/td><td>config slice changed: train\.epochs<\/td><td class="num">180\.40<\/td><td><code title="k-train-0002">k-train-0002<\/code><\/td><\/tr>/);
  assert.equal((html.match(/<tr class="stage-/g) ?? []).length, 5);
  assert.match(html, /<title>fixture &#x3C;b>&#x26;&#x3C;\/b>：實驗報告<\/title>/);
  assert.ok(!/<b>/.test(html.replace(/<style>[\s\S]*<\/style>/, '')));
  assert.ok(!html.includes('review.html"'), 'no review link when none is given');
});

test('English index when English is the only language; unknown fields say so', () => {
  const m = { ...fixtureManifest(), backend: undefined, git: undefined, finishedAt: 'not a date' };
  const html = renderSiteIndex(m, [{ lang: 'en', html: 'report.en.html' }]);
  assert.match(html, /<html lang="en">/);
  assert.match(html, /<dt>Backend<\/dt><dd>\(not recorded\)<\/dd>/);
  assert.match(html, /<dt>Total time<\/dt><dd>\(not recorded\)<\/dd>/);
  assert.match(html, /<td class="status-cached">cached<\/td>/);
});
