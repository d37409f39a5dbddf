// batchnorm: batch normalisation over the channel dimension, affine (gamma, beta per channel): params 2 C.
import type { LayerDef } from './def';
import { lowerNorm } from './common';

export const batchnorm: LayerDef = {
  type: 'batchnorm',
  doc: 'Batch normalisation over the channel dimension (affine: gamma and beta per channel).',
  shapes: 'same shape',
  inputs: 'one',
  keys: [],
  infer: (c) => (c.rank('a [C, ...]', c.x.length >= 1) ? { shape: c.x.slice(), params: 2 * c.x[0], macs: 0 } : null),
  cls: 'norm',
  lower: (c) => lowerNorm(c, c.out[0] ?? 1, 0),
  onnx: ['BatchNormalization'],
};
