/**
 * npm run nightly -- <experiment.yaml …> [--out ROOT] [--jobs N] [--publish DIR] [--quiet]
 *
 * Runs several experiments, in parallel as the cores allow, each in its own output folder
 * (ROOT/<name>/, default output/), then writes ROOT/index.html (and index.json) listing every
 * experiment with its status, date and headline numbers. A failing experiment does not stop the
 * others; the exit code is 1 if any failed. `--publish DIR` copies the static site (index, each
 * experiment's latest report with its review page, PDFs and figures) to DIR.
 */
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { join, resolve, relative } from 'node:path';
import { cpSync, existsSync, mkdirSync, realpathSync } from 'node:fs';
import { loadConfig } from './core/config.ts';
import { PipelineError } from './core/errors.ts';
import { readJsonIfExists, writeFileAtomic, writeJson, rmrf } from './core/fsutil.ts';
import { swapDir, REPO_ROOT } from './core/runner.ts';
import { ARTIFACT_FILES, type Manifest, type SummaryArtifact } from './core/artifacts.ts';
import { LANGUAGES } from './core/schema.ts';
import { createT } from './lib/i18n.ts';

export interface NightlyArgs { files: string[]; out: string; jobs: number; publish?: string; quiet: boolean }

export interface ExperimentStatus {
  file: string;
  name: string;
  title?: Record<string, string>;
  status: 'ok' | 'failed';
  exitCode: number;
  error?: string;
  finishedAt?: string;
  seconds: number;
  /** folder of the latest report, relative to the output root */
  latest?: string;
  headline: { frequency: string; seed: number; ghmBest?: number; baselineBest?: number; ghmFinal?: number; baselineFinal?: number }[];
}

class UsageError extends PipelineError {
  constructor(m: string) {
    super(`${m}\nusage: npm run nightly -- <experiment.yaml …> [--out ROOT] [--jobs N] [--publish DIR] [--quiet]`, 2);
  }
}

export function parseNightlyArgs(argv: string[]): NightlyArgs {
  const a: NightlyArgs = { files: [], out: 'output', jobs: Math.max(1, Math.floor(cpus().length / 2)), quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    const next = () => {
      const x = argv[++i];
      if (x === undefined || x.startsWith('--')) throw new UsageError(`${v} expects a value.`);
      return x;
    };
    if (v === '--out') a.out = next();
    else if (v === '--publish') a.publish = next();
    else if (v === '--jobs') {
      const n = Number(next());
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--jobs expects a whole number ≥ 1, got "${argv[i]}".`);
      a.jobs = n;
    } else if (v === '--quiet') a.quiet = true;
    else if (v.startsWith('-')) throw new UsageError(`unknown option ${v}.`);
    else a.files.push(v);
  }
  if (!a.files.length) throw new UsageError('no experiment files given.');
  return a;
}

function runOne(file: string, outDir: string): Promise<{ code: number; stderr: string; seconds: number }> {
  const t0 = performance.now();
  return new Promise((res) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'pipeline', 'cli.ts'), file, '--quiet', '--out', outDir], {
      cwd: process.cwd(), stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => res({ code: code ?? 1, stderr, seconds: (performance.now() - t0) / 1000 }));
  });
}

function headline(outDir: string): ExperimentStatus['headline'] {
  const s = readJsonIfExists<SummaryArtifact>(join(outDir, 'stages', 'analyze', ARTIFACT_FILES.summary));
  if (!s) return [];
  const keyed = new Map<string, ExperimentStatus['headline'][number]>();
  for (const r of s.rows) {
    const k = `${r.frequency}\u0000${r.seed}`;
    const h = keyed.get(k) ?? { frequency: r.frequency, seed: r.seed };
    if (r.loss === 'ghm') { h.ghmBest = r.bestValAccuracy; h.ghmFinal = r.finalValAccuracy; } else { h.baselineBest = r.bestValAccuracy; h.baselineFinal = r.finalValAccuracy; }
    keyed.set(k, h);
  }
  return [...keyed.values()];
}

/** One experiment: validate, run the pipeline in a child process, collect its status. */
async function runExperiment(file: string, root: string): Promise<ExperimentStatus> {
  let name: string;
  let title: Record<string, string> | undefined;
  try {
    const c = loadConfig(file);
    name = c.name;
    title = c.title;
  } catch (e) {
    if (!(e instanceof PipelineError)) throw e;
    return { file, name: file.replace(/^.*\//, '').replace(/\.ya?ml$/, ''), status: 'failed', exitCode: e.exitCode, error: e.message, seconds: 0, headline: [] };
  }
  const outDir = join(root, name);
  const r = await runOne(file, outDir);
  const manifest = readJsonIfExists<Manifest>(join(outDir, 'manifest.json'));
  const latest = existsSync(join(outDir, 'latest')) ? relative(root, join(outDir, 'latest')) : undefined;
  const error = r.code === 0 ? undefined : r.stderr.trim().split('\n').filter((l) => l.startsWith('error:')).join(' ').replace(/^error:\s*/, '') || r.stderr.trim().slice(-500);
  return {
    file, name, title, status: r.code === 0 ? 'ok' : 'failed', exitCode: r.code, error,
    finishedAt: manifest?.finishedAt, seconds: r.seconds, latest, headline: headline(outDir),
  };
}

async function pool<T, R>(items: T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  }));
  return out;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const pct = (v: number | undefined) => (v === undefined ? '–' : `${v.toFixed(1)} %`);

/** The site index: every experiment with status, date and headline numbers, in both languages. */
export function renderNightlyIndex(statuses: ExperimentStatus[], generatedAt: string): string {
  const sections = LANGUAGES.map((lang) => {
    const t = createT(lang, 'nightly');
    const rows = statuses.map((s) => {
      const title = s.title?.[lang] ?? s.name;
      const links = s.latest
        ? [`<a href="${esc(s.latest)}/report.${lang}.html">${esc(t('report'))}</a>`, `<a href="${esc(s.latest)}/report.${lang}.pdf">PDF</a>`, `<a href="${esc(s.latest)}/review.html">${esc(t('review'))}</a>`].join(' · ')
        : '';
      const head = s.headline.map((h) => esc(t('headline', { frequency: h.frequency, seed: h.seed, ghm: pct(h.ghmBest), baseline: pct(h.baselineBest) }))).join('<br>');
      return `<tr class="${s.status}"><td><strong>${esc(title)}</strong><br><code>${esc(s.name)}</code></td>` +
        `<td>${esc(t(`status_${s.status}`))}${s.error ? `<br><small>${esc(s.error.slice(0, 400))}</small>` : ''}</td>` +
        `<td>${esc(s.finishedAt ?? '–')}</td><td>${head || '–'}</td><td>${links}</td></tr>`;
    }).join('\n');
    return `<section lang="${lang}"><h2>${esc(t('heading'))}</h2>
<table><thead><tr><th>${esc(t('experiment'))}</th><th>${esc(t('status'))}</th><th>${esc(t('date'))}</th><th>${esc(t('headlineColumn'))}</th><th>${esc(t('links'))}</th></tr></thead>
<tbody>
${rows}
</tbody></table></section>`;
  }).join('\n');
  return `<!doctype html>
<html lang="zh-TW"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>ghm-report</title>
<style>body{font-family:system-ui,"Noto Sans TC",sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%;margin-bottom:2rem}th,td{border:1px solid #ccc;padding:.4rem .6rem;text-align:left;vertical-align:top}
tr.failed td:nth-child(2){color:#a00}tr.ok td:nth-child(2){color:#070}small{color:#555}</style></head>
<body><h1>ghm-report</h1><p><small>${esc(generatedAt)}</small></p>
${sections}
</body></html>
`;
}

export async function nightly(a: NightlyArgs): Promise<{ statuses: ExperimentStatus[]; code: number }> {
  const root = resolve(a.out);
  mkdirSync(root, { recursive: true });
  const log = (m: string) => { if (!a.quiet) process.stderr.write(m + '\n'); };
  const statuses = await pool(a.files, a.jobs, async (f) => {
    log(`nightly: ${f} …`);
    const s = await runExperiment(f, root);
    log(`nightly: ${f} ${s.status} (${s.seconds.toFixed(1)} s)${s.error ? `: ${s.error}` : ''}`);
    return s;
  });
  const generatedAt = new Date().toISOString();
  writeJson(join(root, 'index.json'), { generatedAt, experiments: statuses });
  writeFileAtomic(join(root, 'index.html'), renderNightlyIndex(statuses, generatedAt));
  if (a.publish) publishSite(root, resolve(a.publish), statuses);
  return { statuses, code: statuses.every((s) => s.status === 'ok') ? 0 : 1 };
}

/** Copy the static site: index and each experiment's latest report (links dereferenced). */
export function publishSite(root: string, dest: string, statuses: ExperimentStatus[]): void {
  const tmp = `${dest}.tmp-${process.pid}`;
  rmrf(tmp);
  mkdirSync(tmp, { recursive: true });
  cpSync(join(root, 'index.html'), join(tmp, 'index.html'));
  cpSync(join(root, 'index.json'), join(tmp, 'index.json'));
  for (const s of statuses) {
    if (!s.latest) continue;
    cpSync(realpathSync(join(root, s.latest)), join(tmp, s.latest), { recursive: true, dereference: true });
  }
  swapDir(tmp, dest);
}

if (process.argv[1]?.endsWith('pipeline/nightly.ts')) {
  try {
    const { code } = await nightly(parseNightlyArgs(process.argv.slice(2)));
    process.exit(code);
  } catch (e) {
    if (e instanceof PipelineError) {
      process.stderr.write(`error: ${e.message}\n`);
      process.exit(e.exitCode);
    }
    throw e;
  }
}
