import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { ROOT } from './helpers.ts';
import { parseGhmArgs } from '../../../pipeline/analyze/ghm-args.ts';
import { ConfigError } from '../../../pipeline/core/errors.ts';

interface Out { code: number | null; stdout: string; stderr: string }

function ghmCli(args: string[]): Promise<Out> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'pipeline/analyze/ghm-cli.ts', ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b) => (stdout += b));
    p.stderr.on('data', (b) => (stderr += b));
    p.on('error', fail);
    p.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const BASE = ['--s1', '0.9,0.7', '--s2', '0.8,0.6', '--y', '1,-1', '--margin', '0.3', '--bins', '10', '--alpha', '0.75'];

test('readable table: one row per pair and per bin, both losses', async () => {
  const r = await ghmCli(BASE);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const lines = r.stdout.split('\n');
  assert.match(lines[0], /^GHM \(paper\): 2 pair\(s\); margin 0\.3, bins 10, alpha 0\.75, momentum 0, tau 1, mean-1 weights$/);
  // y = +1: g = sigmoid(0.3 − 0.1); y = −1: g = sigmoid(0.3 + 0.1); both in bin 5, which holds both pairs.
  assert.ok(lines.some((l) => /^\s+1\s+0\.9\s+0\.8\s+1\s+0\.100000\s+0\.549834\s+5\s+1\.000000$/.test(l)), r.stdout);
  assert.ok(lines.some((l) => /^\s+2\s+0\.7\s+0\.6\s+-1\s+0\.100000\s+0\.598688\s+5\s+1\.000000$/.test(l)), r.stdout);
  assert.ok(lines.some((l) => /^\s+5\s+0\.500\s+0\.600\s+2\s+1\.000000$/.test(l)));
  assert.ok(lines.some((l) => /^\s+0\s+0\.000\s+0\.100\s+0\s+-$/.test(l)), 'empty bins show no weight');
  assert.ok(lines.includes('GHM loss    0.300000'));
  assert.ok(lines.includes('plain loss  0.300000'));
});

test('--json prints exactly one object with the documented keys (Appendix B row 1, original variant)', async () => {
  const r = await ghmCli(['--s1', '0.9,0.7,0.1,0.5,0.8', '--s2', '0.8,0.6,0.2,0.6,0.7', '--y', '1,1,0,0,1',
    '--margin', '0.3', '--bins', '10', '--alpha', '0.75', '--variant', 'original', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 1);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(j), ['g', 'bin', 'counts', 'binWeights', 'weights', 'ghmLoss', 'plainLoss']);
  assert.deepEqual(j.g.map((v: number) => +v.toFixed(6)), new Array(5).fill(0.549834));
  assert.deepEqual(j.bin, [5, 5, 5, 5, 5]);
  assert.deepEqual(j.counts, [0, 0, 0, 0, 0, 5, 0, 0, 0, 0]);
  assert.deepEqual(j.binWeights.map((v: number) => +v.toFixed(6)), [1, 1, 1, 1, 1, 0.29907, 1, 1, 1, 1]);
  assert.equal(j.weights.length, 5);
  // Appendix B prints 0.0717768 and 0.2400000 (float32 values rounded to 7 digits).
  assert.ok(Math.abs(j.ghmLoss - 0.0717768) < 1e-7, String(j.ghmLoss));
  assert.ok(Math.abs(j.plainLoss - 0.24) < 1e-7, String(j.plainLoss));
});

test('--json, Appendix B row 2 (original) and the paper variant with momentum and tau', async () => {
  const pairs = ['--s1', '0.3,0.1,0.9,0.4', '--s2', '0.1,0.3,0.2,0.8', '--y', '1,-1,1,-1', '--margin', '1', '--bins', '10', '--alpha', '0.75'];
  const [orig, paper] = await Promise.all([
    ghmCli([...pairs, '--variant', 'original', '--json']),
    ghmCli([...pairs, '--momentum', '0.75', '--tau', '2', '--json']),
  ]);
  const o = JSON.parse(orig.stdout);
  assert.deepEqual(o.g.map((v: number) => +v.toFixed(6)), [0.689974, 0.598688, 0.574443, 0.450166]);
  assert.equal(+o.binWeights[5].toFixed(6), 0.594604);
  assert.equal(+o.ghmLoss.toFixed(6), 0.513516);
  assert.deepEqual(o.bin, [6, 5, 5, 4]);
  assert.deepEqual(o.weights.map((v: number) => +v.toFixed(6)), [1, 0.594604, 0.594604, 1]);
  assert.equal(o.plainLoss, 0.625);
  const p = JSON.parse(paper.stdout);
  // Paper: g = sigmoid((m − y·d)/τ) = sigmoid((1 − 0.2)/2) for the first pair; empty bins are null; mean weight 1.
  assert.equal(+p.g[0].toFixed(6), +(1 / (1 + Math.exp(-0.4))).toFixed(6));
  assert.ok(p.binWeights.includes(null));
  assert.ok(Math.abs(p.weights.reduce((s: number, v: number) => s + v, 0) / 4 - 1) < 1e-12);
});

test('--help prints usage and exits 0', async () => {
  const r = await ghmCli(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Usage: npm run ghm -- --s1/);
  for (const f of ['--s1', '--s2', '--y', '--margin', '--bins', '--alpha', '--momentum', '--tau', '--variant', '--json']) assert.ok(r.stdout.includes(f), f);
});

const ERRORS: [string, string[], RegExp][] = [
  ['mismatched lengths', ['--s1', '0.9,0.7', '--s2', '0.8', '--y', '1,-1'], /--s1, --s2 and --y have 2, 1 and 2 values/],
  ['non-numeric value', ['--s1', '0.9,abc', '--s2', '0.8,0.6', '--y', '1,-1'], /--s1 has "abc" at position 2; expected comma-separated numbers/],
  ['y outside {-1, 0, 1}', ['--s1', '0.9,0.7', '--s2', '0.8,0.6', '--y', '1,2'], /--y has 2 at position 2; expected 1, -1 or 0/],
  ['bins < 1', [...BASE.slice(0, 6), '--bins', '0'], /--bins is 0; expected an integer >= 1/],
  ['alpha < 0', [...BASE.slice(0, 6), '--alpha', '-0.5'], /--alpha is -0\.5; expected a number >= 0/],
  ['unknown flag', [...BASE, '--bnis', '5'], /unknown flag --bnis; expected one of --s1/],
  ['missing flag', ['--s2', '0.8', '--y', '1'], /--s1 is missing; expected comma-separated values/],
  ['flag without value', ['--s1', '--s2', '0.8', '--y', '1'], /--s1 is missing its value/],
];

/** Run the spawns two at a time (the machine has two cores). */
async function pooled<T, R>(items: T[], f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => { while (next < items.length) { const i = next++; out[i] = await f(items[i]); } };
  await Promise.all([worker(), worker()]);
  return out;
}

test('every kind of bad argument: exit 2, one line on stderr naming the problem, no stack', async () => {
  const results = await pooled(ERRORS, ([, args]) => ghmCli(args));
  results.forEach((r, i) => {
    const [what, , pattern] = ERRORS[i];
    assert.equal(r.code, 2, `${what}: exit ${r.code}, stderr ${r.stderr}`);
    assert.equal(r.stdout, '', what);
    assert.match(r.stderr, pattern, what);
    assert.match(r.stderr, /^ghm: [^\n]+\n$/, `${what}: one line, no stack`);
  });
});

test('argument parsing: the remaining checks are ConfigErrors (exit code 2) naming the flag', () => {
  const cases: [string[], RegExp][] = [
    [['--s1', '0.9,', '--s2', '0.8,0.6', '--y', '1,-1'], /--s1 has "" at position 2/],
    [[...BASE.slice(0, 6), '--bins', '2.5'], /--bins is 2\.5; expected an integer >= 1/],
    [[...BASE.slice(0, 6), '--margin', 'big'], /--margin is "big"; expected a number/],
    [[...BASE.slice(0, 6), '--momentum', '1'], /--momentum is 1; expected a number in \[0, 1\)/],
    [[...BASE.slice(0, 6), '--tau', '0'], /--tau is 0; expected a number > 0/],
    [[...BASE.slice(0, 6), '--variant', 'v3'], /--variant is "v3"; expected paper or original/],
    [[...BASE, '--json=yes'], /--json takes no value/],
    [[...BASE, '--bins', '3'], /--bins is given twice/],
    [[...BASE, 'extra'], /unexpected argument "extra"/],
  ];
  for (const [args, pattern] of cases)
    assert.throws(() => parseGhmArgs(args), (e: unknown) => e instanceof ConfigError && e.exitCode === 2 && pattern.test(e.message) && !e.message.includes('\n'), args.join(' '));
});

test('argument parsing: defaults are the experiment schema\'s, "=" form and negative values work', () => {
  const a = parseGhmArgs(['--s1=0.5', '--s2', '-0.25', '--y', '-1', '--no-normalize']);
  assert.deepEqual([a.s1, a.s2, a.y], [[0.5], [-0.25], [-1]]);
  assert.deepEqual(a.params, { variant: 'paper', bins: 10, alpha: 0.75, margin: 10, momentum: 0, tau: 1, normalize: false });
  assert.equal(a.json, false);
});
