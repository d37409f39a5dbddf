// transpose: permute dimensions, batch excluded; a copy (read the input, write the output) each way.
import type { LayerDef } from './def';
import { fmt, lowerCopy } from './common';

export const transpose: LayerDef = {
  type: 'transpose',
  doc: 'Permute dimensions, batch excluded.',
  shapes: 'permuted',
  inputs: 'one',
  keys: [
    {
      key: 'perm',
      doc: 'Permutation of 0..rank-1, batch excluded.',
      type: { t: 'intList', min: 0, nonEmpty: true },
      required: true,
    },
  ],
  infer(c) {
    const p = c.attrs.perm!,
      x = c.x,
      r = x.length;
    const seen = new Set(p);
    if (p.length !== r || seen.size !== r || p.some((v) => v >= r)) {
      c.error(
        'AM4011',
        `transpose: \`perm\` ${fmt(p)} is not a permutation of 0..${r - 1} for the input ${fmt(x)} (batch excluded).`,
        'perm',
      );
      return null;
    }
    return { shape: p.map((v) => x[v]), params: 0, macs: 0 };
  },
  cls: 'reshape',
  lower: lowerCopy,
  onnx: ['Transpose'],
};
