/**
 * The charts stage: the seed report's figures as PNGs, one per language (`<id>.<lang>.png`),
 * drawn from the train and analyze artifacts only, plus `charts.json` (ChartsIndex) listing them.
 */
import { join } from 'node:path';
import { ARTIFACT_FILES, type ChartFigure, type ChartsIndex } from '../core/artifacts.ts';
import type { Stage } from '../core/stage.ts';
import { writeFileAtomic, writeJson } from '../core/fsutil.ts';
import { createT } from '../lib/i18n.ts';
import { buildFigures } from './figures.ts';
import { loadInputs } from './inputs.ts';
import { pixelSize, renderFigure } from './render.ts';

export const stage: Stage = {
  name: 'charts',
  deps: ['train', 'analyze'],
  code: ['pipeline/charts', 'pipeline/lib', 'locales'],
  slice: (c) => ({
    languages: c.report.languages,
    chart: c.report.chart,
    primaryFrequency: c.report.primaryFrequency,
    snapshotEpochs: c.snapshots.epochs,
  }),
  async run(ctx) {
    const c = ctx.config;
    const seed = c.seeds[0];
    const inputs = loadInputs(ctx.input('train'), ctx.input('analyze'), {
      primaryFrequency: c.report.primaryFrequency,
      seed,
      imbalance: c.analyses.imbalance.enabled,
      linear: c.analyses.linear.enabled,
    });
    const options = { snapshotEpochs: c.snapshots.epochs, seed };
    const langs = c.report.languages;
    const specs = langs.map((lang) => buildFigures(inputs, options, createT(lang, 'charts')));
    const size = c.report.chart;
    const figures: ChartFigure[] = specs[0].map((s) => ({ id: s.id, figure: s.figure, files: {}, ...pixelSize(s, size) }));

    const task = ctx.progress.task('charts', figures.length * langs.length);
    langs.forEach((lang, li) => {
      specs[li].forEach((spec, i) => {
        ctx.signal.throwIfAborted();
        const file = `${spec.id}.${lang}.png`;
        writeFileAtomic(join(ctx.outDir, file), renderFigure(spec, size));
        figures[i].files[lang] = file;
        task.tick(1, file);
      });
    });
    task.done();
    const index: ChartsIndex = { figures };
    writeJson(join(ctx.outDir, ARTIFACT_FILES.charts), index);
    ctx.log.info(`charts: ${figures.length} figures × ${langs.length} language(s) (${langs.join(', ')}), ${size.width}×${size.height} at ×${size.pixelRatio}`);
  },
};
