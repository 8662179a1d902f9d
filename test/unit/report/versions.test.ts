/** toolVersions(): node, ghm-report's own version and the notable npm packages, from package.json files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOTABLE_PACKAGES, toolVersions } from '../../../pipeline/core/versions.ts';
import { DataError } from '../../../pipeline/core/errors.ts';

const repo = join(import.meta.dirname, '..', '..', '..');
const versionOf = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;

test('the repository: node, ghm-report and every notable package that is installed', () => {
  const v = toolVersions();
  assert.equal(v.node, process.version);
  assert.equal(v['ghm-report'], versionOf(join(repo, 'package.json')));
  for (const p of ['@tensorflow/tfjs', 'chart.js', 'i18next', 'unified'])
    assert.equal(v[p], versionOf(join(repo, 'node_modules', p, 'package.json')), p);
  assert.deepEqual(Object.keys(v), ['node', 'ghm-report', ...NOTABLE_PACKAGES.filter((p) => p in v)]);
});

test('packages that are not installed are left out; a broken package.json is named', () => {
  const root = mkdtempSync(join(tmpdir(), 'ghm-versions-'));
  try {
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'ghm-report', version: '9.8.7' }));
    mkdirSync(join(root, 'node_modules', 'chart.js'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'chart.js', 'package.json'), JSON.stringify({ version: '1.2.3' }));
    assert.deepEqual(toolVersions(root), { node: process.version, 'ghm-report': '9.8.7', 'chart.js': '1.2.3' });
    mkdirSync(join(root, 'node_modules', 'i18next'));
    writeFileSync(join(root, 'node_modules', 'i18next', 'package.json'), '{ not json');
    assert.throws(() => toolVersions(root), (e: unknown) => e instanceof DataError && e.message.includes(join('node_modules', 'i18next', 'package.json')));
    writeFileSync(join(root, 'node_modules', 'i18next', 'package.json'), '{"name": "i18next"}');
    assert.throws(() => toolVersions(root), /has no "version" string/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
