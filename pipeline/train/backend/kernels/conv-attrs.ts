/** The attributes tfjs passes to every Conv2D-family kernel (NHWC/NCHW, strides, padding). */
import type { backend_util } from '@tensorflow/tfjs-core';

export interface ConvAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}
