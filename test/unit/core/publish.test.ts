import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readlinkSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { publishRun, listRuns, latestRun, runStamp } from '../../../pipeline/core/publish.ts';
import type { Manifest } from '../../../pipeline/core/artifacts.ts';

const manifest = (finishedAt: string): Manifest => ({
  experiment: 'x', configFile: 'x.yaml', configHash: 'h', config: {}, seeds: [1], startedAt: finishedAt, finishedAt, stages: [], versions: {},
});

test('each published run gets its own folder, latest moves to the newest, only `keep` are kept', async () => {
  const out = mkdtempSync(join(tmpdir(), 'ghm-pub-'));
  const src = join(out, 'stages', 'report');
  mkdirSync(src, { recursive: true });
  const stamps: string[] = [];
  for (let i = 0; i < 4; i++) {
    writeFileSync(join(src, 'report.en.md'), `run ${i}`);
    writeFileSync(join(src, 'stage.json'), '{}');
    const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
    const r = await publishRun({ outDir: out, sourceDir: src, manifest: manifest(at), keep: 2, addFiles: (d) => writeFileSync(join(d, 'index.html'), `<p>${i}</p>`) });
    stamps.push(r.stamp);
    assert.equal(readlinkSync(join(out, 'latest')), join('runs', r.stamp));
  }
  assert.deepEqual(listRuns(out), stamps.slice(2));
  const latest = latestRun(out)!;
  assert.equal(readFileSync(join(latest, 'report.en.md'), 'utf8'), 'run 3');
  assert.equal(readFileSync(join(latest, 'index.html'), 'utf8'), '<p>3</p>');
  assert.ok(existsSync(join(latest, 'manifest.json')));
  assert.ok(!existsSync(join(latest, 'stage.json')), 'cache records are not published');
  assert.deepEqual(readdirSync(out).filter((f) => f.includes('.tmp')), []);
  assert.equal(runStamp(new Date('2026-01-02T03:04:05.678Z')), '20260102T030405-678Z');
});
