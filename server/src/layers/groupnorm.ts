// groupnorm: group normalisation over channel groups and the spatial extent (PyTorch GroupNorm; groups = channels
// is InstanceNorm): params 2 C; statistics per (sample, group).
import type { LayerDef } from './def';
import { lowerNorm } from './common';

export const groupnorm: LayerDef = {
  type: 'groupnorm',
  doc: 'Group normalisation over channel groups and the spatial extent (PyTorch GroupNorm; `groups` = channels is InstanceNorm).',
  shapes: 'same shape',
  inputs: 'one',
  keys: [
    {
      key: 'groups',
      attr: 'numGroups',
      doc: 'Number of channel groups (divides the channels).',
      type: { t: 'int', min: 1 },
      required: true,
    },
  ],
  infer(c) {
    if (!c.rank('a [C, ...]', c.x.length >= 1)) return null;
    const G = c.attrs.numGroups!;
    if (c.x[0] % G !== 0) {
      c.error(
        'AM4002',
        `groupnorm: the ${c.x[0]} channels of \`${c.names[0]}\` are not divisible by groups = ${G}. Use a groups value that divides ${c.x[0]}.`,
        'groups',
      );
      return null;
    }
    return { shape: c.x.slice(), params: 2 * c.x[0], macs: 0 };
  },
  cls: 'norm',
  lower: (c) => lowerNorm(c, c.out[0] ?? 1, c.L.attrs.numGroups ?? 1),
  onnx: ['InstanceNormalization', 'GroupNormalization'],
};
