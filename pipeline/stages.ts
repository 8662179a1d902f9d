/** The pipeline's stages, in DAG order. */
import type { Stage } from './core/stage.ts';
import { stage as preprocess } from './preprocess/index.ts';
import { stage as train } from './train/index.ts';
import { stage as analyze } from './analyze/index.ts';
import { stage as charts } from './charts/index.ts';
import { stage as report } from './report/index.ts';

export const STAGE_LIST: Stage[] = [preprocess, train, analyze, charts, report];
