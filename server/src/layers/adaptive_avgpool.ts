// adaptive_avgpool: average pooling to a fixed output size (PyTorch AdaptiveAvgPool2d), [C,H,W] -> [C,oh,ow];
// lowered as a global pool (every input element read once). PyTorch exports it as AveragePool or
// GlobalAveragePool, which import as those types.
import type { LayerDef } from './def';
import { lowerPool } from './common';

export const adaptive_avgpool: LayerDef = {
  type: 'adaptive_avgpool',
  doc: 'Adaptive average pooling to a fixed output size (PyTorch AdaptiveAvgPool2d).',
  shapes: '[C,H,W] -> [C,oh,ow]',
  inputs: 'one',
  keys: [
    { key: 'output_size', doc: 'Output size: an integer or [h, w].', type: { t: 'intPair', min: 1 }, required: true },
  ],
  infer: (c) =>
    c.rank('a [C,H,W]', c.x.length === 3)
      ? { shape: [c.x[0], c.attrs.outputSize![0], c.attrs.outputSize![1]], params: 0, macs: 0 }
      : null,
  cls: 'pool',
  lower: (c) => lowerPool(c, false, true),
  onnx: [],
};
