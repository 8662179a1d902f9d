/** The readable and JSON renderings of one `npm run ghm` computation. */
import type { GhmParams, GhmResult } from '../lib/ghm.ts';
import { binEdges } from '../lib/ghm.ts';

export interface GhmJson {
  g: number[];
  bin: number[];
  counts: number[];
  binWeights: (number | null)[];
  weights: number[];
  ghmLoss: number;
  plainLoss: number;
}

export function ghmJson(r: GhmResult): GhmJson {
  return {
    g: Array.from(r.g),
    bin: Array.from(r.bin),
    counts: [...r.counts],
    binWeights: [...r.binWeights],
    weights: Array.from(r.weights),
    ghmLoss: r.ghmLoss,
    plainLoss: r.plainLoss,
  };
}

function table(header: string[], rows: string[][]): string {
  const width = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((s, c) => s.padStart(width[c])).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const fmt = (v: number, digits = 6) => v.toFixed(digits);

export function ghmTable(s1: number[], s2: number[], y: number[], p: GhmParams, r: GhmResult): string {
  const edges = binEdges(p.bins);
  const settings = p.variant === 'paper'
    ? `margin ${p.margin}, bins ${p.bins}, alpha ${p.alpha}, momentum ${p.momentum}, tau ${p.tau}, ${p.normalize ? 'mean-1 weights' : 'no normalisation'}`
    : `margin ${p.margin}, bins ${p.bins}, alpha ${p.alpha} (seed project's formulas: g = 1 uncounted, empty bins weight 1)`;
  const pairs = table(
    ['pair', 's1', 's2', 'y', 'd', 'g', 'bin', 'weight'],
    s1.map((a, i) => [String(i + 1), String(a), String(s2[i]), String(y[i]), fmt(a - s2[i]), fmt(r.g[i]), String(r.bin[i]), fmt(r.weights[i])]),
  );
  const bins = table(
    ['bin', 'from', 'to', 'count', 'weight'],
    r.counts.map((c, k) => {
      const w = r.binWeights[k];
      return [String(k), edges[k].toFixed(3), edges[k + 1].toFixed(3), String(c), w === null ? '-' : fmt(w)];
    }),
  );
  return [
    `GHM (${p.variant}): ${s1.length} pair(s); ${settings}`,
    '',
    pairs,
    '',
    bins,
    '',
    `GHM loss    ${fmt(r.ghmLoss)}`,
    `plain loss  ${fmt(r.plainLoss)}`,
    '',
  ].join('\n');
}
