/**
 * End to end on experiments/smoke.yaml through the real CLI: every stage runs, a second run is
 * entirely cached, a language change re-runs only charts and report, an interrupt leaves the
 * earlier outputs and the published report intact, and a config error touches nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync, realpathSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { load, dump } from 'js-yaml';
import type { Manifest } from '../../pipeline/core/artifacts.ts';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'pipeline', 'cli.ts');
const work = mkdtempSync(join(tmpdir(), 'ghm-e2e-'));
const siteRoot = join(work, 'root');
const out = join(siteRoot, 'smoke');

function pipeline(file: string, ...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', cli, file, '--out', out, ...args], { cwd: root, encoding: 'utf8' });
}
const manifest = () => JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
const statuses = () => Object.fromEntries(manifest().stages.map((s) => [s.stage, `${s.status}: ${s.why}`]));

/** smoke.yaml copied next to a variant, so relative paths behave the same. */
function variant(name: string, edit: (c: any) => void): string {
  const c = load(readFileSync(join(root, 'experiments', 'smoke.yaml'), 'utf8')) as any;
  edit(c);
  const f = join(work, `${name}.yaml`);
  writeFileSync(f, dump(c));
  return f;
}

test('smoke: full run, then everything cached', () => {
  const first = pipeline(join(root, 'experiments', 'smoke.yaml'));
  assert.equal(first.status, 0, first.stderr);
  for (const [stage, s] of Object.entries(statuses())) assert.match(s, /^ran: /, stage);
  const latest = join(out, 'latest');
  assert.ok(lstatSync(latest).isSymbolicLink());
  for (const f of ['report.zh-TW.md', 'report.en.md', 'report.zh-TW.html', 'report.en.html', 'report.zh-TW.pdf', 'report.en.pdf', 'review.html', 'index.html', 'manifest.json'])
    assert.ok(existsSync(join(latest, f)), `latest/${f}`);
  const m = manifest();
  assert.ok(m.backend, 'manifest names the tfjs backend');
  assert.deepEqual(m.seeds, [7]);

  const second = pipeline(join(root, 'experiments', 'smoke.yaml'));
  assert.equal(second.status, 0, second.stderr);
  assert.deepEqual(Object.values(statuses()), Array(5).fill('cached: cached'));
});

test('changing only report.languages re-runs only charts and report, saying why', () => {
  const f = variant('smoke', (c) => { c.report.languages = ['en']; });
  const r = pipeline(f);
  assert.equal(r.status, 0, r.stderr);
  const s = statuses();
  assert.equal(s.preprocess, 'cached: cached');
  assert.equal(s.train, 'cached: cached');
  assert.equal(s.analyze, 'cached: cached');
  assert.match(s.charts, /^ran: config changed \(languages\)/);
  assert.match(s.report, /^ran: .*config changed \(report\.languages/);
});

test('an interrupted run leaves earlier outputs and the published report intact', async () => {
  const latestBefore = realpathSync(join(out, 'latest'));
  const trainRecord = readFileSync(join(out, 'stages', 'train', 'stage.json'), 'utf8');
  const child = spawn(process.execPath, ['--import', 'tsx', cli, join(root, 'experiments', 'smoke.yaml'), '--out', out, '--force', 'train'], { cwd: root });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  // wait until the train stage has started, then interrupt
  await new Promise<void>((res) => {
    const poll = setInterval(() => {
      if (/train\s+ran: forced/.test(err) || child.exitCode !== null) { clearInterval(poll); res(); }
    }, 20);
  });
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((res) => child.on('close', res));
  assert.equal(code, 130, err);
  assert.equal(readFileSync(join(out, 'stages', 'train', 'stage.json'), 'utf8'), trainRecord);
  assert.equal(realpathSync(join(out, 'latest')), latestBefore);
  assert.deepEqual(readdirSync(join(out, 'stages')).filter((f) => f.includes('.tmp')), []);
  assert.ok(!existsSync(join(out, '.lock')));
});

test('a config error exits 2 and creates nothing', () => {
  const bad = variant('bad', (c) => { c.train.optimizer.lr = -1; });
  const fresh = join(work, 'never');
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, bad, '--out', fresh], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /train\.optimizer\.lr/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.ok(!existsSync(fresh));
});

test('nightly: a failing experiment does not stop the others and is shown as failed', () => {
  const bad = variant('broken', (c) => { c.name = 'broken'; c.train.epochs = 'many'; });
  const site = join(work, 'site');
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'pipeline', 'nightly.ts'), join(root, 'experiments', 'smoke.yaml'), bad, '--out', siteRoot, '--publish', site, '--quiet'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  const index = JSON.parse(readFileSync(join(siteRoot, 'index.json'), 'utf8')) as { experiments: { name: string; status: string; error?: string; headline: unknown[] }[] };
  const byName = Object.fromEntries(index.experiments.map((e) => [e.name, e]));
  assert.equal(byName.smoke.status, 'ok');
  assert.ok(byName.smoke.headline.length > 0);
  assert.equal(byName.broken.status, 'failed');
  assert.match(byName.broken.error ?? '', /train\.epochs/);
  const html = readFileSync(join(site, 'index.html'), 'utf8');
  assert.match(html, /失敗/);
  assert.match(html, /failed/);
  assert.ok(existsSync(join(site, 'smoke', 'latest', 'report.en.html')), 'published site holds the latest report');
});
