/** Shared setup of the analyze tests: configs and the fixture train folder. */
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseYaml, resolveConfig, type ResolvedConfig } from '../../../pipeline/core/config.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const FIXTURE_TRAIN = join(ROOT, 'test', 'fixtures', 'analyze', 'train');

/** An experiment file with some keys replaced (a shallow merge per top-level section). */
export function experiment(name: 'smoke' | 'plastic', patch: (raw: any) => void = () => {}): ResolvedConfig {
  const file = join(ROOT, 'experiments', `${name}.yaml`);
  const raw = parseYaml(file, readFileSync(file, 'utf8')) as any;
  patch(raw);
  return resolveConfig(file, raw);
}

/** The smoke experiment shaped like the fixture runs: 6 epochs, snapshots at 1/3/6, stages of 2 epochs. */
export function fixtureConfig(patch: (raw: any) => void = () => {}): ResolvedConfig {
  return experiment('smoke', (raw) => {
    raw.train.epochs = 6;
    raw.snapshots = { epochs: [1, 3, 6], batch: 'first', densityEpochs: 3, stages: { early: [1, 2], middle: [3, 4], late: [5, 6] } };
    patch(raw);
  });
}
