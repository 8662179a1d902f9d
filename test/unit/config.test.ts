/**
 * Experiment files: the malformed fixtures in test/fixtures/bad-configs (each with its expected
 * message in <name>.expect.txt), the valid ones in test/fixtures/good-configs, the two shipped
 * experiments, and the published schema docs (docs/experiment.schema.json, docs/experiment-schema.md).
 *
 * <name>.expect.txt: a line `key: <key path>` (the ConfigError's keyPath), then one message fragment
 * per line; the message must contain every fragment.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { loadConfig, resolveConfig, suggest, editDistance, type ResolvedConfig } from '../../pipeline/core/config.ts';
import { ConfigError } from '../../pipeline/core/errors.ts';
import { experimentSchema } from '../../pipeline/core/schema.ts';
import { schemaDocs, buildJsonSchema, renderMarkdown, JSON_SCHEMA_PATH, MARKDOWN_PATH, type JsonSchema } from '../../scripts/gen-schema.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BAD = join(ROOT, 'test/fixtures/bad-configs');
const GOOD = join(ROOT, 'test/fixtures/good-configs');
const CLI = join(ROOT, 'pipeline/cli.ts');

interface Expectation { name: string; file: string; key: string; fragments: string[] }

function expectations(): Expectation[] {
  return readdirSync(BAD).filter((f) => f.endsWith('.yaml')).sort().map((f) => {
    const name = f.slice(0, -'.yaml'.length);
    const lines = readFileSync(join(BAD, `${name}.expect.txt`), 'utf8').split('\n').filter((l) => l.trim() !== '');
    const keyLine = lines.find((l) => l.startsWith('key: '));
    assert.ok(keyLine, `${name}.expect.txt has no "key: …" line`);
    return { name, file: join(BAD, f), key: keyLine.slice('key: '.length), fragments: lines.filter((l) => l !== keyLine) };
  });
}

/** Key paths that are not a YAML key (whole-file problems). */
const SPECIAL_KEYS = new Set(['(syntax)', '(top level)', '(file)']);

function loadError(path: string): ConfigError {
  try {
    loadConfig(path);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  assert.fail(`${path} loaded without error`);
}

function assertMessage(message: string, shownPath: string, x: Expectation): void {
  assert.ok(message.startsWith(`${shownPath}: `), `message does not start with the file name:\n${message}`);
  assert.ok(!/\n/.test(message.trimEnd()), `message is not one paragraph:\n${message}`);
  if (!SPECIAL_KEYS.has(x.key)) assert.ok(message.includes(`\`${x.key}\``), `message does not name \`${x.key}\`:\n${message}`);
  assert.match(message, /expected/i, `message does not say what was expected:\n${message}`);
  for (const f of x.fragments) assert.ok(message.includes(f), `message lacks "${f}":\n${message}`);
}

describe('bad experiment files', () => {
  const all = expectations();

  test('there are at least 24 fixtures, each with its expectation and no orphan expectation', () => {
    assert.ok(all.length >= 24, `only ${all.length} fixtures`);
    const yamls = new Set(all.map((x) => x.name));
    for (const f of readdirSync(BAD).filter((f) => f.endsWith('.expect.txt')))
      assert.ok(yamls.has(f.slice(0, -'.expect.txt'.length)), `${f} has no .yaml`);
    for (const x of all) assert.ok(x.fragments.length >= 1, `${x.name}.expect.txt lists no message fragment`);
  });

  for (const x of all) {
    test(`${x.name}: ConfigError at \`${x.key}\` naming file, key, found and expected`, () => {
      const err = loadError(x.file);
      assert.equal(err.exitCode, 2);
      assert.equal(err.keyPath, x.key, `keyPath of: ${err.message}`);
      assertMessage(err.message, x.file, x);
    });
  }

  test('a missing experiment file and a folder are reported by name', () => {
    const missing = join(BAD, 'no-such-experiment.yaml');
    const e1 = loadError(missing);
    assert.equal(e1.message, `${missing}: no such experiment file.`);
    const e2 = loadError(GOOD);
    assert.match(e2.message, /is a folder; expected an experiment YAML file/);
    assert.ok(e2.message.startsWith(GOOD));
  });
});

// ---- the CLI path: exit 2, message on stderr, no stack trace, nothing created ------------------

interface CliResult { code: number | null; stdout: string; stderr: string }

function runCli(args: string[]): Promise<CliResult> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', rej);
    child.on('close', (code) => res({ code, stdout, stderr }));
  });
}

/** Run `jobs` with at most `limit` at once (the machine has two cores). */
async function pool<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return out;
}

/**
 * Every fixture fails inside loadConfig, which the CLI calls before anything else; the CLI's own part
 * (exit code, `error:` on stderr, no stack, no output folder) is the same for all of them. One CLI
 * process costs ~0.5 s of CPU, so by default one fixture per kind of failure goes through it;
 * CONFIG_CLI_ALL=1 sends every fixture through it (~30 s on two cores).
 */
const CLI_SAMPLE = [
  'yaml-duplicate-key', 'empty', 'top-level-list', 'unknown-key', 'wrong-type-epochs', 'missing-name', 'nonexistent-root',
  'seed-and-seeds',
];

describe('bad experiment files through the CLI', { skip: existsSync(CLI) ? false : 'pipeline/cli.ts does not exist yet' }, () => {
  const everyFixture = process.env.CONFIG_CLI_ALL === '1';
  test(`${everyFixture ? 'every fixture' : 'one fixture per kind of failure'}: exit 2, its message on stderr, no stack trace, --out folder not created`, async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ghm-config-cli-'));
    const defaultOut = join(ROOT, 'output', 'bad-fixture');
    const defaultOutExisted = existsSync(defaultOut);
    try {
      // A fixture the loader accepts would start a real run: leave it to the in-process test above.
      const fixtures = expectations();
      for (const name of CLI_SAMPLE) assert.ok(fixtures.some((x) => x.name === name), `no fixture ${name}`);
      const all = fixtures.filter((x) => everyFixture || CLI_SAMPLE.includes(x.name)).filter((x) => {
        try { loadConfig(x.file); } catch { return true; }
        assert.fail(`${x.name} loads without error`);
      });
      const results = await pool(all.map((x) => () => {
        const out = join(tmp, x.name, 'x');
        return runCli([relative(ROOT, x.file), '--out', out]).then((r) => ({ x, r, out }));
      }), availableParallelism());
      for (const { x, r, out } of results) {
        const shown = relative(ROOT, x.file);
        assert.equal(r.code, 2, `${x.name}: exit ${r.code}\n${r.stderr}`);
        assert.doesNotMatch(r.stderr, /^\s+at /m, `${x.name}: stack trace without --debug:\n${r.stderr}`);
        const message = r.stderr.replace(/^error: /, '').trimEnd();
        assertMessage(message, shown, x);
        assert.equal(existsSync(out), false, `${x.name}: ${out} was created`);
        assert.equal(existsSync(join(tmp, x.name)), false, `${x.name}: the parent of --out was created`);
      }
      if (!defaultOutExisted) assert.equal(existsSync(defaultOut), false, 'output/bad-fixture was created');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('--debug adds the stack trace, still exit 2; a missing file is exit 2', async () => {
    const [debug, missing] = await pool([
      () => runCli([relative(ROOT, join(BAD, 'unknown-key.yaml')), '--debug', '--out', join(tmpdir(), 'ghm-never-created', 'x')]),
      () => runCli(['test/fixtures/bad-configs/no-such-experiment.yaml']),
    ], 2);
    assert.equal(debug.code, 2);
    assert.match(debug.stderr, /unknown key `trian` — did you mean `train`\?/);
    assert.match(debug.stderr, /^\s+at /m);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no-such-experiment\.yaml: no such experiment file/);
  });
});

// ---- valid files -------------------------------------------------------------------------------

/** The resolved config without the fields that depend on where the file is (for deep comparison). */
function portable(c: ResolvedConfig): Omit<ResolvedConfig, 'file' | 'hash'> {
  const { file: _f, hash: _h, ...rest } = c;
  return rest;
}

describe('valid experiment files', () => {
  test('full.yaml: every key comes through typed, data.root resolved against the YAML folder', () => {
    const c = loadConfig(join(GOOD, 'full.yaml'));
    assert.equal(c.file, join(GOOD, 'full.yaml'));
    assert.match(c.hash, /^[0-9a-f]{64}$/);
    assert.deepEqual(portable(c), {
      name: 'full-fixture',
      title: { 'zh-TW': '完整設定測試', en: 'Full configuration test' },
      seeds: [3, 1, 4],
      notes: { 'zh-TW': '測試用的備註', en: 'Notes for the test' },
      data: {
        source: 'directory', root: join(GOOD, 'recordings'), material: 'box',
        frequencies: ['1000hz', '3000hz', '500hz'], classes: ['deg000', 'deg090', 'deg180'],
        recordings: 5, sampleRate: 16000, split: { train: 0.6, stratified: true }, pairs: { mode: 'all' },
        synthetic: { duration: 2.5, snrDb: 20, bitDepth: 24 },
      },
      preprocess: { stft: { nFft: 1024, hop: 128 }, input: { minHz: 100, maxHz: 4000, height: 32, width: 48 } },
      train: {
        model: 'resnet', conv1Stride: [2, 4], epochs: 12, batchSize: 16, dropLast: false,
        optimizer: { name: 'adamw', lr: 0.001, weightDecay: 0.0001, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 },
        scheduler: { name: 'none', factor: 0.25, patience: 1 },
        margin: 2.5,
        losses: { baseline: false, ghm: { variant: 'original', bins: 20, alpha: 1, momentum: 0.75, tau: 0.5, normalize: false } },
        checkpointEvery: 3, workers: 1,
      },
      snapshots: { epochs: [1, 6, 12], batch: 'last', densityEpochs: 4, stages: { early: [1, 3], middle: [5, 7], late: [10, 12] } },
      analyses: {
        imbalance: { enabled: false, easy: 50, hard: 10, margin: 0.2, bins: 10, alpha: 0.5, histogramBins: 15 },
        linear: {
          enabled: false, samples: 40, features: 3, trueWeights: [0.5, -0.25, 1], pairs: 20, heldOutPairs: 10,
          lr: 0.05, epochs: 8, margin: 0.2, bins: 5, alpha: 0.5,
        },
      },
      report: { languages: ['en'], formats: ['html'], primaryFrequency: '3000hz', chart: { width: 800, height: 500, pixelRatio: 1.5 } },
      history: { keep: 3, threshold: 0.1 },
    });
  });

  test('data.root resolves against the YAML folder, not the working directory', () => {
    const cwd = process.cwd();
    const elsewhere = mkdtempSync(join(tmpdir(), 'ghm-config-cwd-'));
    try {
      process.chdir(elsewhere);
      assert.equal(loadConfig(join(GOOD, 'full.yaml')).data.root, join(GOOD, 'recordings'));
      assert.equal(loadConfig(relative(elsewhere, join(GOOD, 'full.yaml'))).data.root, join(GOOD, 'recordings'));
    } finally {
      process.chdir(cwd);
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  test('defaults.yaml: omitted keys take the schema defaults', () => {
    const c = loadConfig(join(GOOD, 'defaults.yaml'));
    assert.deepEqual(c.seeds, [42]);
    assert.equal(c.data.source, 'synthetic');
    assert.equal(c.data.root, undefined);
    assert.equal(c.data.material, 'plastic');
    assert.deepEqual(c.data.frequencies, ['3000hz']);
    assert.deepEqual(c.data.classes, ['deg000', 'deg036', 'deg072', 'deg108', 'deg144', 'deg180']);
    assert.equal(c.data.recordings, 9);
    assert.equal(c.data.sampleRate, 48000);
    assert.deepEqual(c.data.split, { train: 0.7, stratified: false });
    assert.deepEqual(c.data.pairs, { mode: 'original' });
    assert.deepEqual(c.data.synthetic, { duration: 6, snrDb: 30, bitDepth: 16 });
    assert.deepEqual(c.preprocess, { stft: { nFft: 2048, hop: 256 }, input: { minHz: 0, height: 64, width: 64 } });
    assert.equal(c.train.model, 'simple-cnn');
    assert.deepEqual(c.train.conv1Stride, [1, 1]);
    assert.equal(c.train.batchSize, 32);
    assert.equal(c.train.dropLast, true);
    assert.deepEqual(c.train.optimizer, { name: 'adam', lr: 0.03, weightDecay: 1e-5, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    assert.deepEqual(c.train.scheduler, { name: 'plateau', factor: 0.5, patience: 3 });
    assert.equal(c.train.margin, 10);
    assert.deepEqual(c.train.losses, { baseline: true, ghm: { variant: 'paper', bins: 10, alpha: 0.75, momentum: 0, tau: 1, normalize: true } });
    assert.equal(c.train.checkpointEvery, 5);
    assert.equal(c.train.workers, 0);
    assert.deepEqual(c.snapshots, { epochs: [1, 30, 60], batch: 'first', densityEpochs: 5, stages: { early: [1, 10], middle: [26, 35], late: [51, 60] } });
    assert.equal(c.analyses.imbalance.easy, 100);
    assert.equal(c.analyses.imbalance.hard, 20);
    assert.deepEqual(c.analyses.linear.trueWeights, [0.1, 0.2, 0.3, 0.4, 0.5, -0.1, -0.2, -0.3, -0.4, -0.5]);
    assert.deepEqual(c.report, { languages: ['zh-TW', 'en'], formats: ['md', 'html', 'pdf'], primaryFrequency: '3000hz', chart: { width: 1000, height: 600, pixelRatio: 2 } });
    assert.deepEqual(c.history, { keep: 10, threshold: 0.02 });
    assert.equal(c.notes, undefined);
  });

  test('minimal.yaml (required keys only) loads: the defaults agree with each other', () => {
    const c = loadConfig(join(GOOD, 'minimal.yaml'));
    assert.ok(c.snapshots.epochs.every((e) => e <= c.train.epochs));
    assert.ok(c.snapshots.densityEpochs <= c.train.epochs);
  });

  test('the same experiment written with and without its defaults has the same hash; a change changes it', () => {
    const raw = load(readFileSync(join(GOOD, 'defaults.yaml'), 'utf8')) as Record<string, any>;
    const implicit = resolveConfig('defaults.yaml', raw);
    const explicit = resolveConfig('defaults.yaml', {
      ...raw,
      seed: 42,
      data: { source: 'synthetic', material: 'plastic', recordings: 9, split: { train: 0.7 } },
      train: { epochs: 60, batchSize: 32, optimizer: { lr: 0.03 }, losses: { ghm: { bins: 10 } } },
      report: { languages: ['zh-TW', 'en'] },
    });
    assert.equal(explicit.hash, implicit.hash);
    const changed = resolveConfig('defaults.yaml', { ...raw, train: { epochs: 60, batchSize: 16 } });
    assert.notEqual(changed.hash, implicit.hash);
  });

  test('experiments/plastic.yaml is the seed report\'s experiment', () => {
    const c = loadConfig(join(ROOT, 'experiments/plastic.yaml'));
    assert.equal(c.name, 'plastic');
    assert.equal(c.data.material, 'plastic');
    assert.deepEqual(c.data.frequencies, ['3000hz', '1000hz']);
    assert.equal(c.data.split.train, 0.7);
    assert.equal(c.train.batchSize, 32);
    assert.equal(c.train.optimizer.name, 'adam');
    assert.equal(c.train.optimizer.lr, 0.03);
    assert.equal(c.train.optimizer.weightDecay, 1e-5);
    assert.equal(c.train.scheduler.name, 'plateau');
    assert.equal(c.train.epochs, 60);
    assert.equal(c.train.checkpointEvery, 5);
    assert.equal(c.train.margin, 10);
    assert.equal(c.train.losses.ghm.bins, 10);
    assert.equal(c.train.losses.ghm.alpha, 0.75);
    assert.deepEqual(c.snapshots.epochs, [1, 30, 60]);
    assert.equal(c.snapshots.batch, 'first');
    assert.equal(c.analyses.imbalance.enabled, true);
    assert.equal(c.analyses.linear.enabled, true);
    assert.deepEqual(c.report.languages, ['zh-TW', 'en']);
    assert.deepEqual(c.report.formats, ['md', 'html', 'pdf']);
    assert.equal(c.report.primaryFrequency, '3000hz');
  });

  test('experiments/smoke.yaml has plastic.yaml\'s shape at a few seconds\' size', () => {
    const s = loadConfig(join(ROOT, 'experiments/smoke.yaml'));
    const p = loadConfig(join(ROOT, 'experiments/plastic.yaml'));
    assert.equal(s.name, 'smoke');
    assert.deepEqual(s.data.frequencies, p.data.frequencies);
    assert.deepEqual(s.data.classes, p.data.classes);
    assert.equal(s.train.epochs, 3);
    assert.deepEqual(s.snapshots.epochs, [1, 2, 3]);
    assert.ok(s.data.recordings < p.data.recordings);
    assert.ok(s.preprocess.input.height * s.preprocess.input.width < p.preprocess.input.height * p.preprocess.input.width);
    assert.deepEqual(s.report.languages, p.report.languages);
    assert.deepEqual(s.report.formats, p.report.formats);
  });
});

describe('did-you-mean', () => {
  test('editDistance is the Levenshtein distance', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('train', 'train'), 0);
    assert.equal(editDistance('trian', 'train'), 2);
  });
  test('suggest picks the closest key, ignoring case, and nothing when no key is close', () => {
    assert.equal(suggest('weight_decay', ['lr', 'weightDecay', 'beta1']), 'weightDecay');
    assert.equal(suggest('Epochs', ['epochs', 'batchSize']), 'epochs');
    assert.equal(suggest('microphone', ['source', 'root', 'material']), undefined);
  });
});

// ---- published schema --------------------------------------------------------------------------

/** Every keyword the validator below understands: the generated schema must use no other. */
const KEYWORDS = new Set([
  '$schema', 'title', 'description', 'default', 'type', 'properties', 'required', 'additionalProperties', 'items',
  'prefixItems', 'minItems', 'maxItems', 'minLength', 'maxLength', 'pattern', 'enum', 'const', 'anyOf', 'minimum',
  'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
]);
const TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);

function* nodes(s: JsonSchema, path = '#'): Generator<[string, JsonSchema]> {
  yield [path, s];
  for (const [k, sub] of Object.entries(s.properties ?? {})) yield* nodes(sub, `${path}/properties/${k}`);
  if (s.items) yield* nodes(s.items, `${path}/items`);
  for (const [i, sub] of (s.prefixItems ?? []).entries()) yield* nodes(sub, `${path}/prefixItems/${i}`);
  for (const [i, sub] of (s.anyOf ?? []).entries()) yield* nodes(sub, `${path}/anyOf/${i}`);
}

/** A JSON Schema validator for the keywords in KEYWORDS: the list of violations of `v`. */
function violations(s: JsonSchema, v: unknown, at = ''): string[] {
  const here = at || '(root)';
  const kind = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
  if (s.type) {
    const ok = s.type === 'integer' ? Number.isInteger(v) : s.type === kind;
    if (!ok) return [`${here}: ${JSON.stringify(v)} is not ${s.type}`];
  }
  const out: string[] = [];
  if (s.enum && !s.enum.some((e) => e === v)) out.push(`${here}: ${JSON.stringify(v)} not in enum`);
  if (s.const !== undefined && s.const !== v) out.push(`${here}: ${JSON.stringify(v)} is not ${JSON.stringify(s.const)}`);
  if (s.anyOf && s.anyOf.every((a) => violations(a, v, at).length > 0)) out.push(`${here}: matches no anyOf branch`);
  if (typeof v === 'number') {
    if (s.minimum !== undefined && v < s.minimum) out.push(`${here}: ${v} < ${s.minimum}`);
    if (s.maximum !== undefined && v > s.maximum) out.push(`${here}: ${v} > ${s.maximum}`);
    if (s.exclusiveMinimum !== undefined && v <= s.exclusiveMinimum) out.push(`${here}: ${v} ≤ ${s.exclusiveMinimum}`);
    if (s.exclusiveMaximum !== undefined && v >= s.exclusiveMaximum) out.push(`${here}: ${v} ≥ ${s.exclusiveMaximum}`);
  }
  if (typeof v === 'string') {
    if (s.minLength !== undefined && v.length < s.minLength) out.push(`${here}: shorter than ${s.minLength}`);
    if (s.maxLength !== undefined && v.length > s.maxLength) out.push(`${here}: longer than ${s.maxLength}`);
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(v)) out.push(`${here}: does not match ${s.pattern}`);
  }
  if (Array.isArray(v)) {
    if (s.minItems !== undefined && v.length < s.minItems) out.push(`${here}: fewer than ${s.minItems} items`);
    if (s.maxItems !== undefined && v.length > s.maxItems) out.push(`${here}: more than ${s.maxItems} items`);
    const pre = s.prefixItems ?? [];
    v.forEach((item, i) => {
      if (i < pre.length) out.push(...violations(pre[i], item, `${at}[${i}]`));
      else if (s.items === false) out.push(`${here}: no item allowed at [${i}]`);
      else if (s.items) out.push(...violations(s.items, item, `${at}[${i}]`));
    });
  }
  if (kind === 'object') {
    const o = v as Record<string, unknown>;
    for (const r of s.required ?? []) if (!(r in o)) out.push(`${here}: missing ${r}`);
    for (const [k, val] of Object.entries(o)) {
      const sub = s.properties?.[k];
      if (sub) out.push(...violations(sub, val, at ? `${at}.${k}` : k));
      else if (s.additionalProperties === false) out.push(`${here}: unknown key ${k}`);
    }
  }
  return out;
}

/** Key paths of the zod schema that carry a description. */
function describedZodPaths(): string[] {
  const out: string[] = [];
  const walk = (s: any, path: string) => {
    if (s.description && path) out.push(path);
    while (s.def?.type === 'default' || s.def?.type === 'optional') {
      s = s.def.innerType;
      if (s.description && path && !out.includes(path)) out.push(path);
    }
    if (s.def?.type === 'object') for (const [k, sub] of Object.entries(s.shape)) walk(sub, path ? `${path}.${k}` : k);
  };
  walk(experimentSchema, '');
  return out;
}

function jsonSchemaAt(schema: JsonSchema, path: string): JsonSchema | undefined {
  return path.split('.').reduce<JsonSchema | undefined>((s, k) => s?.properties?.[k], schema);
}

describe('published schema', () => {
  const schema = buildJsonSchema();

  test('the committed docs/experiment.schema.json and docs/experiment-schema.md are up to date (npm run schema)', () => {
    const { json, markdown } = schemaDocs();
    assert.ok(existsSync(JSON_SCHEMA_PATH), 'docs/experiment.schema.json is missing: run `npm run schema`');
    assert.ok(existsSync(MARKDOWN_PATH), 'docs/experiment-schema.md is missing: run `npm run schema`');
    assert.ok(readFileSync(JSON_SCHEMA_PATH, 'utf8') === json, 'docs/experiment.schema.json is stale: run `npm run schema`');
    assert.ok(readFileSync(MARKDOWN_PATH, 'utf8') === markdown, 'docs/experiment-schema.md is stale: run `npm run schema`');
  });

  test('it is a well-formed JSON Schema 2020-12 using only known keywords, with descriptions', () => {
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(schema.type, 'object');
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(schema.required, ['name', 'title', 'data', 'train']);
    let count = 0;
    for (const [where, s] of nodes(schema)) {
      count++;
      for (const k of Object.keys(s)) assert.ok(KEYWORDS.has(k), `${where}: unknown keyword ${k}`);
      if (s.type !== undefined) assert.ok(TYPES.has(s.type), `${where}: bad type ${s.type}`);
      for (const r of s.required ?? []) assert.ok(s.properties?.[r], `${where}: required ${r} is not a property`);
      if (s.pattern !== undefined) assert.doesNotThrow(() => new RegExp(s.pattern!, 'u'), `${where}: bad pattern`);
      if (s.description !== undefined) assert.ok(typeof s.description === 'string' && s.description.length > 0);
      if (s.default !== undefined) assert.deepEqual(violations(s, s.default), [], `${where}: default violates its own schema`);
    }
    assert.ok(count > 100, `only ${count} schema nodes`);
    const described = describedZodPaths();
    assert.ok(described.length >= 15, `only ${described.length} described keys`);
    for (const p of described) assert.ok(jsonSchemaAt(schema, p)?.description, `${p} lost its description`);
  });

  test('it accepts the shipped experiments and the valid fixtures', () => {
    for (const f of ['experiments/plastic.yaml', 'experiments/smoke.yaml', 'test/fixtures/good-configs/full.yaml', 'test/fixtures/good-configs/defaults.yaml'])
      assert.deepEqual(violations(schema, load(readFileSync(join(ROOT, f), 'utf8'))), [], f);
  });

  test('it agrees with the loader\'s schema on every bad fixture (cross-field checks aside)', () => {
    let rejected = 0;
    for (const x of expectations()) {
      let raw: unknown;
      try {
        raw = load(readFileSync(x.file, 'utf8'));
      } catch {
        continue; // YAML syntax errors never reach a schema
      }
      if (raw === null || raw === undefined || typeof raw !== 'object' || Array.isArray(raw)) {
        assert.notDeepEqual(violations(schema, raw ?? null), [], `${x.name}: accepted by the JSON Schema`);
        continue;
      }
      const zodOk = experimentSchema.safeParse(raw).success;
      const jsonOk = violations(schema, raw).length === 0;
      assert.equal(jsonOk, zodOk, `${x.name}: zod ${zodOk ? 'accepts' : 'rejects'}, JSON Schema ${jsonOk ? 'accepts' : 'rejects'}`);
      if (!jsonOk) rejected++;
    }
    assert.ok(rejected >= 15, `only ${rejected} fixtures rejected by the schema itself`);
  });

  test('experiment-schema.md has a table per section and a row for every key', () => {
    const md = renderMarkdown(schema);
    for (const section of ['data', 'preprocess', 'train', 'snapshots', 'analyses', 'report', 'history'])
      assert.match(md, new RegExp(`^## \`${section}\`$`, 'm'));
    assert.match(md, /^## Top level$/m);
    const paths: string[] = [];
    const walk = (s: JsonSchema, p: string) => {
      paths.push(p);
      for (const [k, sub] of Object.entries(s.properties ?? {})) walk(sub, `${p}.${k}`);
    };
    for (const [k, sub] of Object.entries(schema.properties ?? {})) walk(sub, k);
    for (const p of paths) assert.match(md, new RegExp(`^\\| \`${p.replace(/\./g, '\\.')}\` \\|`, 'm'), `no row for ${p}`);
    const row = (p: string) => md.split('\n').find((l) => l.startsWith(`| \`${p}\` |`))!.split(' | ').map((c) => c.trim());
    assert.deepEqual(row('train.epochs').slice(1, 4), ['integer', '`30`', '≥ 1']);
    assert.deepEqual(row('name').slice(1, 3), ['text', '**required**']);
    assert.deepEqual(row('train.model').slice(1, 4), ['text', '`simple-cnn`', '`simple-cnn`, `resnet`']);
    assert.deepEqual(row('data.split.train').slice(1, 4), ['number', '`0.7`', '> 0 and < 1']);
    assert.deepEqual(row('data.synthetic.bitDepth').slice(1, 4), ['number', '`16`', '`16`, `24`']);
    assert.deepEqual(row('report.languages').slice(1, 4), ['list of text', '`["zh-TW","en"]`', 'at least 1 item; each `zh-TW`, `en`']);
    assert.deepEqual(row('train.conv1Stride').slice(1, 4), ['[integer, integer]', '`[1,1]`', 'exactly 2 items; each ≥ 1']);
  });
});
