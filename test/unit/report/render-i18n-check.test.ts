import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { checkLocales } from '../../../scripts/i18n-check.ts';

const root = mkdtempSync(join(tmpdir(), 'i18n-check-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A locales folder with the given files: { 'zh-TW/site.json': {...}, ... }. */
function locales(files: Record<string, unknown>): string {
  const dir = join(root, `case-${++n}`);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

const good = {
  'zh-TW/report.json': { title: '{{name}} 報告', runs_other: '共 {{count}} 次', verdict_supported: '支持', nested: { a: '$t(title) 與 {{x, number}}' } },
  'en/report.json': { title: 'Report on {{name}}', runs_one: 'one run', runs_other: '{{count}} runs', verdict_supported: 'supported', nested: { a: '$t(title) and {{- x}}' } },
};

test('agreeing locales pass, plural forms counted per language', () => {
  assert.deepEqual(checkLocales(locales(good)), []);
});

test('a key missing in either language is reported with file and key', () => {
  const p = checkLocales(locales({ ...good, 'en/report.json': { ...good['en/report.json'], extra: 'x' } }));
  assert.equal(p.length, 1);
  assert.match(p[0].file, /zh-TW[/\\]report\.json$/);
  assert.equal(p[0].key, 'extra');
  assert.match(p[0].message, /missing key \(present in en\)/);
  const q = checkLocales(locales({ ...good, 'zh-TW/other.json': { a: 'b' } }));
  assert.equal(q.length, 1);
  assert.match(q[0].message, /namespace "other" exists in another language but not in en/);
});

test('an empty message and a missing plural form are reported', () => {
  const p = checkLocales(locales({ ...good, 'en/report.json': { ...good['en/report.json'], verdict_supported: '  ', runs_one: undefined } }));
  assert.deepEqual(p.map((x) => [x.key, x.message]), [
    ['verdict_supported', 'empty message'],
    ['runs', 'plural forms missing for en: runs_one'],
  ]);
});

test('interpolation variables and $t references that differ are reported', () => {
  const p = checkLocales(locales({ ...good, 'en/report.json': { ...good['en/report.json'], title: 'Report on {{experiment}}', nested: { a: 'and {{x}}' } } }));
  assert.deepEqual(p.map((x) => x.key), ['nested.a', 'title']);
  assert.match(p[1].message, /interpolation variables differ \(only in zh-TW: name; only in en: experiment\)/);
  assert.match(p[0].message, /nested \$t\(\) references differ \(only in zh-TW: title\)/);
});

test('bad JSON is reported; the CLI exits 1 with the list, 0 when the locales agree', () => {
  const dir = locales({ ...good, 'en/report.json': '{ "title": ' });
  assert.match(checkLocales(dir)[0].message, /not valid JSON/);
  const cli = (arg?: string) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/i18n-check.ts', ...(arg ? [arg] : [])], { encoding: 'utf8' });
  const bad = cli(dir);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /i18n check failed: \d+ problems?/);
  assert.match(bad.stderr, /en[/\\]report\.json: not valid JSON/);
  const ok = cli(locales(good));
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /i18n check passed/);
});
