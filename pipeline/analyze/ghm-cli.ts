/**
 * `npm run ghm -- --s1 0.9,0.7 --s2 0.8,0.6 --y 1,-1 …`: GHM weights of score pairs, for people
 * tuning bins and alpha on their own scores. Same GHM code as training (pipeline/lib/ghm.ts).
 * Exit 0 on success, 2 on a bad argument (one line on stderr, no stack).
 */
import { ghm, createGhmState } from '../lib/ghm.ts';
import { PipelineError } from '../core/errors.ts';
import { parseGhmArgs, HELP } from './ghm-args.ts';
import { ghmJson, ghmTable } from './ghm-table.ts';

function main(argv: string[]): void {
  const a = parseGhmArgs(argv);
  if (a.help) {
    process.stdout.write(HELP);
    return;
  }
  // The original variant is float32 like PyTorch: d = s1 − s2 is a float32 subtraction there.
  const f32 = Math.fround;
  const d = a.s1.map((v, i) => (a.params.variant === 'original' ? f32(f32(v) - f32(a.s2[i])) : v - a.s2[i]));
  const state = a.params.momentum > 0 ? createGhmState(a.params.bins) : undefined;
  const r = ghm(d, a.y, a.params, state);
  process.stdout.write(a.json ? JSON.stringify(ghmJson(r)) + '\n' : ghmTable(a.s1, a.s2, a.y, a.params, r));
}

try {
  main(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof PipelineError)) throw e;
  process.stderr.write(`ghm: ${e.message}\n`);
  process.exitCode = e.exitCode;
}
