/** The report stage's publish hook: index.html in the published run folder. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stage } from '../../../pipeline/report/index.ts';
import { presentFiles } from '../../../pipeline/report/publish.ts';
import { StageError } from '../../../pipeline/core/errors.ts';
import { fixtureManifest } from '../../browser/fixture.ts';
import { fixtureConfig } from './fixture.ts';

const config = fixtureConfig();

function folder(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'ghm-publish-'));
  for (const f of files) writeFileSync(join(dir, f), f);
  return dir;
}

test('publish writes index.html linking every report file present, the review page and the manifest summary', async () => {
  const dir = folder(['report.zh-TW.md', 'report.zh-TW.html', 'report.zh-TW.pdf', 'report.en.md', 'report.en.html', 'review.html', 'metrics.json']);
  try {
    assert.ok(stage.publish, 'the report stage has a publish hook');
    await stage.publish(dir, fixtureManifest(), config);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    const hrefs = [...html.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(hrefs, ['report.zh-TW.md', 'report.zh-TW.html', 'report.zh-TW.pdf', 'report.en.md', 'report.en.html', 'review.html']);
    for (const h of hrefs) assert.ok(existsSync(join(dir, h)), `${h} links to a file that exists`);
    assert.match(html, /<html lang="zh-TW">/, 'written in the first report language');
    assert.match(html, /<dt>設定雜湊<\/dt><dd>a3f1c09e5d2b7e41<\/dd>/);
    assert.match(html, /<dt>運算後端<\/dt><dd>tensorflow \(cpu\)<\/dd>/);
    assert.match(html, /<dt>隨機種子<\/dt><dd>42, 43<\/dd>/);
    assert.equal((html.match(/<tr class="stage-/g) ?? []).length, 5);
    assert.match(html, /<td>@tensorflow\/tfjs<\/td><td><code>4\.22\.0<\/code><\/td>/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('only the configured languages, in their order; no review link without review.html', async () => {
  const dir = folder(['report.en.html', 'report.zh-TW.pdf']);
  try {
    assert.deepEqual(presentFiles(dir, ['en', 'zh-TW']), [{ lang: 'en', html: 'report.en.html' }, { lang: 'zh-TW', pdf: 'report.zh-TW.pdf' }]);
    assert.deepEqual(presentFiles(dir, ['en']), [{ lang: 'en', html: 'report.en.html' }]);
    await stage.publish!(dir, fixtureManifest(), { ...config, report: { ...config.report, languages: ['en', 'zh-TW'] } });
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    assert.match(html, /<html lang="en">/);
    assert.deepEqual([...html.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]), ['report.en.html', 'report.zh-TW.pdf']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a run folder without any report file is an error naming the folder', async () => {
  const dir = folder(['metrics.json']);
  try {
    await assert.rejects(async () => stage.publish!(dir, fixtureManifest(), config),
      (e: unknown) => e instanceof StageError && e.message.includes(dir) && /no report file/.test(e.message));
    assert.ok(!existsSync(join(dir, 'index.html')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
