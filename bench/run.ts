/**
 * npm run bench [area …] — every bench/<area>.ts exporting `run(): Promise<BenchRow[]>`, printed as
 * one table (ours, the reference where there is one, ratio, goal, met?). Speed and memory targets
 * live here, never in the unit tests. Exit code 0 even when a goal is missed: the table says so.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchRow } from './types.ts';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const areas = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && f !== 'types.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((a) => !only.length || only.includes(a))
  .sort();

const fmt = (v: number | undefined, digits = 2) => (v === undefined ? '' : v.toFixed(digits));
const rows: (BenchRow & { area: string })[] = [];
for (const area of areas) {
  const mod = (await import(join(dir, `${area}.ts`))) as { run?: () => Promise<BenchRow[]> };
  if (typeof mod.run !== 'function') continue;
  process.stderr.write(`bench ${area} …\n`);
  for (const r of await mod.run()) {
    rows.push({ ...r, area });
    process.stderr.write(`  ${r.case}: ${fmt(r.ours)} ${r.unit}${r.reference !== undefined ? ` (reference ${fmt(r.reference)}, ratio ${fmt(r.ratio)})` : ''}\n`);
  }
}
const header = ['area', 'case', 'ours', 'unit', 'reference', 'ratio', 'goal', 'met', 'note'];
const table = rows.map((r) => [r.area, r.case, fmt(r.ours), r.unit, fmt(r.reference), fmt(r.ratio), r.goal ?? '', r.ok === undefined ? '' : r.ok ? 'yes' : 'NO', r.note ?? '']);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(line(row));
