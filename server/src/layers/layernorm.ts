// layernorm: layer normalisation over the last dimension, affine (gamma, beta per feature): params 2 F. The
// importer also recognises its decomposed form (ReduceMean, Sub, Pow, Sqrt, Div...) and RMS norm.
import type { LayerDef } from './def';
import { lowerNorm } from './common';

export const layernorm: LayerDef = {
  type: 'layernorm',
  doc: 'Layer normalisation over the last dimension (affine: gamma and beta per feature).',
  shapes: 'same shape',
  inputs: 'one',
  keys: [],
  infer: (c) =>
    c.rank('a [..., F]', c.x.length >= 1) ? { shape: c.x.slice(), params: 2 * c.x[c.x.length - 1], macs: 0 } : null,
  cls: 'norm',
  lower: (c) => lowerNorm(c, c.out[c.out.length - 1] ?? 1, 0),
  onnx: ['LayerNormalization', 'SimplifiedLayerNormalization', 'RMSNormalization', 'SkipLayerNormalization'],
};
