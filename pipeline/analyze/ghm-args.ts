/**
 * Command-line arguments of `npm run ghm`: score pairs and GHM parameters. Every problem is a
 * ConfigError (exit 2) whose one-line message names the flag. Defaults are the experiment schema's
 * (train.margin, train.losses.ghm), so the command computes what a training run would.
 */
import type { GhmParams } from '../lib/ghm.ts';
import { experimentSchema } from '../core/schema.ts';
import { ConfigError } from '../core/errors.ts';

export interface GhmCliArgs {
  help: boolean;
  json: boolean;
  s1: number[];
  s2: number[];
  y: number[];
  params: GhmParams;
}

const trainShape = experimentSchema.shape.train.shape;
const DEFAULT_GHM = trainShape.losses.parse(undefined).ghm;
const DEFAULT_MARGIN = trainShape.margin.parse(undefined);

export const HELP = `Usage: npm run ghm -- --s1 <list> --s2 <list> --y <list> [options]

Computes GHM difficulty g, bins, per-bin counts and weights, per-pair weights and the GHM and plain
margin losses for the given score pairs, with the same code as training (pipeline/lib/ghm.ts).

Pairs (comma-separated, equal lengths):
  --s1 0.9,0.7        score of the first item of each pair
  --s2 0.8,0.6        score of the second item
  --y 1,-1            target per pair: 1 (first ranks higher), -1, or 0
Parameters:
  --margin <m>        margin of the hinge and of g (default ${DEFAULT_MARGIN})
  --bins <B>          number of bins of g on [0, 1], integer >= 1 (default ${DEFAULT_GHM.bins})
  --alpha <a>         exponent on the density weight, >= 0 (default ${DEFAULT_GHM.alpha})
  --momentum <μ>      EMA momentum of bin counts, in [0, 1) (default ${DEFAULT_GHM.momentum}; one batch: EMA = counts)
  --tau <τ>           temperature of g = sigmoid((m - y·d)/τ), > 0 (default ${DEFAULT_GHM.tau}; paper variant)
  --variant <v>       paper | original (default ${DEFAULT_GHM.variant})
  --no-normalize      paper variant: do not rescale weights to mean 1
Output:
  --json              print one JSON object {g, bin, counts, binWeights, weights, ghmLoss, plainLoss}
  --help              this text
`;

const VALUE_FLAGS = ['s1', 's2', 'y', 'margin', 'bins', 'alpha', 'momentum', 'tau', 'variant'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];
const SWITCHES = ['json', 'help', 'no-normalize'] as const;
type Switch = (typeof SWITCHES)[number];

const fail = (flag: string, msg: string): never => {
  throw new ConfigError(`--${flag} ${msg}`, `--${flag}`);
};

function parseNumber(flag: string, text: string): number {
  const v = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(v)) fail(flag, `is "${text}"; expected a number.`);
  return v;
}

function parseList(flag: string, text: string): number[] {
  return text.split(',').map((part, i) => {
    const v = part.trim() === '' ? NaN : Number(part);
    if (!Number.isFinite(v)) fail(flag, `has "${part}" at position ${i + 1}; expected comma-separated numbers such as 0.9,0.7.`);
    return v;
  });
}

function isFlag(arg: string): boolean {
  return arg.startsWith('--');
}

/** Split argv into flag values and switches; unknown flags and missing values are errors. */
function scan(argv: string[]): { values: Partial<Record<ValueFlag, string>>; switches: Set<Switch> } {
  const values: Partial<Record<ValueFlag, string>> = {};
  const switches = new Set<Switch>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!isFlag(arg)) throw new ConfigError(`unexpected argument "${arg}"; expected flags such as --s1 0.9,0.7 (see --help).`, arg);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if ((SWITCHES as readonly string[]).includes(name)) {
      if (eq >= 0) fail(name, 'takes no value.');
      switches.add(name as Switch);
      continue;
    }
    if (!(VALUE_FLAGS as readonly string[]).includes(name))
      throw new ConfigError(`unknown flag --${name}; expected one of ${[...VALUE_FLAGS, ...SWITCHES].map((f) => `--${f}`).join(', ')}.`, `--${name}`);
    const flag = name as ValueFlag;
    if (values[flag] !== undefined) fail(flag, 'is given twice.');
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !isFlag(argv[i + 1])) value = argv[++i];
    if (value === undefined || value === '') fail(flag, 'is missing its value.');
    values[flag] = value;
  }
  return { values, switches };
}

export function parseGhmArgs(argv: string[]): GhmCliArgs {
  const { values, switches } = scan(argv);
  const json = switches.has('json');
  if (switches.has('help'))
    return { help: true, json, s1: [], s2: [], y: [], params: { ...DEFAULT_GHM, margin: DEFAULT_MARGIN } };

  const required = (flag: 's1' | 's2' | 'y') => values[flag] ?? fail(flag, 'is missing; expected comma-separated values (see --help).');
  const s1 = parseList('s1', required('s1'));
  const s2 = parseList('s2', required('s2'));
  const y = parseList('y', required('y'));
  if (s2.length !== s1.length || y.length !== s1.length)
    throw new ConfigError(`--s1, --s2 and --y have ${s1.length}, ${s2.length} and ${y.length} values; expected the same number (one per pair).`, '--s1');
  y.forEach((v, i) => {
    if (v !== 1 && v !== -1 && v !== 0) fail('y', `has ${v} at position ${i + 1}; expected 1, -1 or 0.`);
  });

  const num = (flag: ValueFlag, dflt: number) => (values[flag] === undefined ? dflt : parseNumber(flag, values[flag]!));
  const margin = num('margin', DEFAULT_MARGIN);
  const bins = num('bins', DEFAULT_GHM.bins);
  if (!Number.isInteger(bins) || bins < 1) fail('bins', `is ${bins}; expected an integer >= 1.`);
  const alpha = num('alpha', DEFAULT_GHM.alpha);
  if (alpha < 0) fail('alpha', `is ${alpha}; expected a number >= 0.`);
  const momentum = num('momentum', DEFAULT_GHM.momentum);
  if (momentum < 0 || momentum >= 1) fail('momentum', `is ${momentum}; expected a number in [0, 1).`);
  const tau = num('tau', DEFAULT_GHM.tau);
  if (tau <= 0) fail('tau', `is ${tau}; expected a number > 0.`);
  const variant = values.variant ?? DEFAULT_GHM.variant;
  if (variant !== 'paper' && variant !== 'original') fail('variant', `is "${variant}"; expected paper or original.`);

  return {
    help: false,
    json,
    s1,
    s2,
    y,
    params: { variant: variant as GhmParams['variant'], bins, alpha, margin, momentum, tau, normalize: !switches.has('no-normalize') && DEFAULT_GHM.normalize },
  };
}
