// pad the trailing dimensions (ONNX Pad, PyTorch F.pad): a copy into a larger tensor. (Zero padding in front of a
// convolution or pool folds into its padding at import.)
import type { LayerDef } from './def';
import { fmt, lowerCopy } from './common';

export const pad: LayerDef = {
  type: 'pad',
  doc: 'Pad the trailing dimensions (ONNX Pad, PyTorch F.pad): a copy into a larger tensor.',
  shapes: '[..., D] -> [..., D + begin + end]',
  inputs: 'one',
  keys: [
    {
      key: 'pads',
      doc: 'Padding [begin..., end...] of the trailing dimensions (batch excluded), e.g. [1, 1, 1, 1] for H and W.',
      type: { t: 'intList', min: 0, nonEmpty: true },
      required: true,
    },
    {
      key: 'mode',
      doc: 'Fill: constant, reflect, edge or wrap.',
      type: { t: 'enum', values: ['constant', 'reflect', 'edge', 'wrap'] },
      default: 'constant',
    },
  ],
  infer(c) {
    const p = c.attrs.pads!,
      x = c.x;
    const k = p.length / 2;
    if (!Number.isInteger(k) || k > x.length) {
      c.error(
        'AM4011',
        `pad: \`pads\` ${fmt(p)} must list [begin..., end...] for at most the ${x.length} dimensions of \`${c.names[0]}\` ${fmt(x)} (an even count).`,
        'pads',
      );
      return null;
    }
    const off = x.length - k;
    return { shape: x.map((v, i) => (i < off ? v : v + p[i - off] + p[i - off + k])), params: 0, macs: 0 };
  },
  cls: 'eltwise',
  lower: lowerCopy,
  onnx: ['Pad'],
};
