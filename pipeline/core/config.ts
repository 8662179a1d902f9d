/**
 * Loading an experiment file: YAML → schema validation (defaults, types) → cross-field checks →
 * the resolved config every stage reads. Every failure is a ConfigError: one paragraph naming
 * the file, the key path, the value found and what was expected.
 */
import { readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { load, YAMLException } from 'js-yaml';
import { z } from 'zod';
import { experimentSchema, hzOf, type ExperimentInput, type Language } from './schema.ts';
import { ConfigError } from './errors.ts';
import { hashJson } from './hash.ts';

export interface StageRanges { early: [number, number]; middle: [number, number]; late: [number, number] }

/** The resolved experiment: defaults applied, paths absolute, derived values filled in. */
export type ResolvedConfig = Omit<ExperimentInput, 'seed' | 'seeds' | 'snapshots' | 'report'> & {
  /** The YAML file, as named on the command line (messages quote it so). */
  file: string;
  /** Every seed to run (from `seed` or `seeds`; default [42]). */
  seeds: number[];
  snapshots: Omit<ExperimentInput['snapshots'], 'stages' | 'epochs'> & { epochs: number[]; stages: StageRanges };
  report: Omit<ExperimentInput['report'], 'primaryFrequency'> & { primaryFrequency: string };
  /** Hash of the resolved config (without `file`). */
  hash: string;
};

export const DEFAULT_SEED = 42;

function describeValue(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'empty (null)';
  if (Array.isArray(v)) return v.length ? `a list (${JSON.stringify(v).slice(0, 60)})` : 'an empty list';
  if (typeof v === 'object') return `a mapping (keys: ${Object.keys(v).join(', ').slice(0, 60) || 'none'})`;
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let cur: any = root;
  for (const k of path) {
    if (cur == null || typeof cur !== 'object') return undefined;
    cur = cur[k as any];
  }
  return cur;
}

export function formatPath(path: PropertyKey[]): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s ? `.${String(k)}` : String(k);
  return s || '(top level)';
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

export function suggest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = editDistance(word.toLowerCase(), c.toLowerCase());
    if (dist < bestD) { bestD = dist; best = c; }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** The schema node at `path` (unwrapping defaults and optionals), or undefined. */
function schemaAt(path: PropertyKey[]): any {
  const unwrap = (x: any) => {
    while (x && (x.def?.type === 'default' || x.def?.type === 'optional' || x.def?.type === 'nullable')) x = x.def.innerType;
    return x;
  };
  let s: any = unwrap(experimentSchema);
  for (const k of path) {
    if (!s) return undefined;
    if (s.def?.type === 'object') s = unwrap(s.shape[k as string]);
    else if (s.def?.type === 'array') s = unwrap(s.def.element);
    else if (s.def?.type === 'tuple') s = unwrap(s.def.items[k as number]);
    else return undefined;
  }
  return s;
}

/** The keys an object schema accepts at `path`. */
function keysAt(path: PropertyKey[]): string[] {
  const s = schemaAt(path);
  return s?.def?.type === 'object' ? Object.keys(s.shape) : [];
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping', array: 'a list', tuple: 'a list', string: 'a text', boolean: 'true or false',
  number: 'a number', int: 'an integer',
};

function expectedFor(issue: z.core.$ZodIssue): string {
  const schema = schemaAt(issue.path);
  const isInt = schema?.def?.type === 'number' && schema.isInt === true;
  const numberWord = isInt ? 'an integer' : 'a number';
  switch (issue.code) {
    case 'invalid_type': {
      const t = issue.expected === 'number' ? numberWord : TYPE_WORDS[issue.expected] ?? `a ${issue.expected}`;
      return `expected ${t}`;
    }
    case 'too_small': {
      const i = issue as z.core.$ZodIssueTooSmall;
      if (schema?.def?.type === 'tuple') return `expected a list of exactly ${schema.def.items.length} items`;
      if (i.origin === 'array') return `expected a list of at least ${i.minimum} item(s)`;
      if (i.origin === 'string') return 'expected a non-empty text';
      if (isInt && !i.inclusive) return `expected an integer ≥ ${Number(i.minimum) + 1}`;
      return `expected ${numberWord} ${i.inclusive ? '≥' : '>'} ${i.minimum}`;
    }
    case 'too_big': {
      const i = issue as z.core.$ZodIssueTooBig;
      if (schema?.def?.type === 'tuple') return `expected a list of exactly ${schema.def.items.length} items`;
      if (i.origin === 'array') return `expected a list of at most ${i.maximum} item(s)`;
      return `expected ${numberWord} ${i.inclusive ? '≤' : '<'} ${i.maximum}`;
    }
    case 'invalid_value': return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format': return `expected ${issue.message}`;
    case 'invalid_union': {
      // A union of literals (e.g. bitDepth 16 | 24): list the allowed values.
      const values = issue.errors.flat().flatMap((e) => (e.code === 'invalid_value' && e.path.length === 0 ? e.values : []));
      return values.length === issue.errors.length
        ? `expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}`
        : 'expected one of the allowed forms';
    }
    case 'not_multiple_of': return `expected a multiple of ${issue.divisor}`;
    default: return `expected ${issue.message}`;
  }
}

function issueToError(file: string, raw: unknown, issue: z.core.$ZodIssue): ConfigError {
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    const path = [...issue.path, key];
    const hint = suggest(key, keysAt(issue.path));
    const known = keysAt(issue.path);
    return new ConfigError(
      `${file}: unknown key \`${formatPath(path)}\`` +
        (hint ? ` — did you mean \`${formatPath([...issue.path, hint])}\`? Expected` : '; expected') +
        (known.length ? ` one of the keys allowed here: ${known.join(', ')}.` : ' no key here.'),
      formatPath(path),
    );
  }
  const found = valueAt(raw, issue.path);
  const expected = issue.code === 'invalid_type' && found === undefined
    ? `expected ${expectedFor(issue).replace(/^expected /, '')} (this key is required)`
    : expectedFor(issue);
  const p = formatPath(issue.path);
  return new ConfigError(`${file}: \`${p}\` is ${describeValue(found)}; ${expected}.`, p);
}

/** Parse YAML text, naming line and column on a syntax error. */
export function parseYaml(file: string, text: string): unknown {
  // js-yaml 5 rejects a document without content; resolveConfig reports that as an empty file.
  if (text.split(/\r?\n/).every((line) => /^\s*(#.*)?$/.test(line))) return undefined;
  try {
    return load(text, { filename: file });
  } catch (e) {
    if (e instanceof YAMLException) {
      const m = e.mark;
      const where = m ? ` at line ${m.line + 1}, column ${m.column + 1}` : '';
      const line = m ? text.split(/\r?\n/)[m.line]?.trim() : undefined;
      const shown = line ? ` (the line reads \`${line.slice(0, 80)}\`)` : '';
      throw new ConfigError(`${file}: YAML syntax error${where}: ${e.reason}${shown}; expected valid YAML (spaces, not tabs, for indentation; closed brackets and quotes; each key once per mapping).`, '(syntax)');
    }
    throw e;
  }
}

function sixths(epochs: number): StageRanges {
  const len = Math.max(1, Math.round(epochs / 6));
  const midStart = Math.max(1, Math.floor((epochs - len) / 2) + 1);
  return {
    early: [1, Math.min(epochs, len)],
    middle: [midStart, Math.min(epochs, midStart + len - 1)],
    late: [Math.max(1, epochs - len + 1), epochs],
  };
}

/** Validate an already-parsed object (also used by tests). */
export function resolveConfig(file: string, raw: unknown): ResolvedConfig {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === ''))
    throw new ConfigError(`${file}: the file is empty; expected a mapping with at least \`name\`, \`title\`, \`data\` and \`train\`.`, '(top level)');
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError(`${file}: the top level is ${describeValue(raw)}; expected a mapping of keys (name, title, data, train, …).`, '(top level)');
  const parsed = experimentSchema.safeParse(raw);
  if (!parsed.success) {
    // An unknown key usually explains the other issues (a misspelt `trian` also leaves `train` missing):
    // report it first, with its "did you mean".
    const issues = parsed.error.issues;
    throw issueToError(file, raw, issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]);
  }
  const c = parsed.data;
  const err = (path: string, msg: string) => new ConfigError(`${file}: \`${path}\` ${msg}`, path);

  if (c.seed !== undefined && c.seeds !== undefined)
    throw err('seeds', 'is given together with `seed`; expected one of them (a single `seed`, or a list `seeds`).');
  const seeds = c.seeds ?? [c.seed ?? DEFAULT_SEED];
  if (new Set(seeds).size !== seeds.length) throw err('seeds', `is ${JSON.stringify(seeds)}; expected distinct seeds.`);

  const dupe = (xs: string[]) => xs.find((x, i) => xs.indexOf(x) !== i);
  const dc = dupe(c.data.classes);
  if (dc) throw err('data.classes', `lists "${dc}" twice; expected distinct class names.`);
  const df = dupe(c.data.frequencies);
  if (df) throw err('data.frequencies', `lists "${df}" twice; expected distinct frequencies.`);

  let root = c.data.root;
  if (c.data.source === 'directory') {
    if (!root) throw err('data.root', 'is missing; expected the folder of the recordings when `data.source` is "directory".');
    root = resolve(dirname(file), root);
    if (!existsSync(root)) throw err('data.root', `is "${c.data.root}", but ${root} does not exist; expected an existing folder of recordings.`);
    if (!statSync(root).isDirectory()) throw err('data.root', `is "${c.data.root}", but ${root} is a file; expected a folder of recordings.`);
  } else if (root) {
    root = resolve(dirname(file), root);
  }

  const nyquist = c.data.sampleRate / 2;
  for (const f of c.data.frequencies) {
    const hz = hzOf(f);
    if (hz <= 0 || hz >= nyquist) throw err('data.frequencies', `contains "${f}"; expected a tone between 0 and the Nyquist frequency (${nyquist} Hz).`);
  }
  const { nFft, hop } = c.preprocess.stft;
  if ((nFft & (nFft - 1)) !== 0 || nFft < 16) throw err('preprocess.stft.nFft', `is ${nFft}; expected a power of two ≥ 16.`);
  if (hop > nFft) throw err('preprocess.stft.hop', `is ${hop}; expected at most preprocess.stft.nFft (${nFft}).`);
  const maxHz = c.preprocess.input.maxHz ?? nyquist;
  if (maxHz > nyquist) throw err('preprocess.input.maxHz', `is ${maxHz}; expected at most the Nyquist frequency (${nyquist} Hz).`);
  if (c.preprocess.input.minHz >= maxHz) throw err('preprocess.input.minHz', `is ${c.preprocess.input.minHz}; expected less than preprocess.input.maxHz (${maxHz}).`);
  const n = c.data.classes.length * c.data.recordings;
  const nTrain = Math.floor(c.data.split.train * n);
  if (nTrain < 2 || n - nTrain < 2)
    throw err('data.split.train', `is ${c.data.split.train}, which splits ${n} recordings into ${nTrain} / ${n - nTrain}; expected at least 2 on each side (raise data.recordings or change the split).`);

  const E = c.train.epochs;
  const snapshotEpochs = c.snapshots.epochs ?? [...new Set([1, Math.ceil(E / 2), E])];
  snapshotEpochs.forEach((e, i) => {
    if (e > E) throw err(`snapshots.epochs[${i}]`, `is ${e}, beyond train.epochs (${E}); expected an epoch between 1 and ${E}.`);
  });
  const stages = { ...sixths(E) };
  for (const k of ['early', 'middle', 'late'] as const) {
    const r = c.snapshots.stages[k];
    if (!r) continue;
    if (r[0] > r[1] || r[1] > E) throw err(`snapshots.stages.${k}`, `is ${JSON.stringify(r)}; expected [from, to] with 1 ≤ from ≤ to ≤ ${E}.`);
    stages[k] = r;
  }

  const lin = c.analyses.linear;
  if (lin.trueWeights.length !== lin.features)
    throw err('analyses.linear.trueWeights', `has ${lin.trueWeights.length} values; expected analyses.linear.features (${lin.features}).`);
  if (2 * lin.pairs > lin.samples)
    throw err('analyses.linear.pairs', `is ${lin.pairs}; expected at most half of analyses.linear.samples (${lin.samples}), since each pair uses two samples.`);

  const primary = c.report.primaryFrequency ?? c.data.frequencies[0];
  if (!c.data.frequencies.includes(primary))
    throw err('report.primaryFrequency', `is "${primary}"; expected one of data.frequencies (${c.data.frequencies.join(', ')}).`);
  const dl = dupe(c.report.languages as string[]);
  if (dl) throw err('report.languages', `lists "${dl}" twice; expected each language once.`);

  const { seed: _s, seeds: _ss, ...rest } = c;
  const resolved = {
    ...rest,
    data: { ...c.data, root },
    seeds,
    snapshots: { ...c.snapshots, epochs: snapshotEpochs, densityEpochs: Math.min(c.snapshots.densityEpochs, E), stages },
    report: { ...c.report, primaryFrequency: primary },
  };
  return { ...resolved, file, hash: hashJson(resolved) };
}

/** Read, parse and validate an experiment file. */
export function loadConfig(path: string): ResolvedConfig {
  const file = resolve(path);
  if (!existsSync(file)) throw new ConfigError(`${path}: no such experiment file.`, '(file)');
  if (statSync(file).isDirectory()) throw new ConfigError(`${path}: is a folder; expected an experiment YAML file.`, '(file)');
  const text = readFileSync(file, 'utf8');
  return resolveConfig(path, parseYaml(path, text));
}

export function languagesOf(c: ResolvedConfig): Language[] {
  return c.report.languages;
}
