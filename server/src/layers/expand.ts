// expand: a broadcast copy to a larger shape (ONNX Expand, torch.expand then a copy); its gradient a sum over the
// broadcast axes.
import type { LayerDef } from './def';
import { broadcast, fmt } from './common';

export const expand: LayerDef = {
  type: 'expand',
  doc: 'Broadcast to a larger shape (ONNX Expand, torch.expand followed by a copy).',
  shapes: 'broadcast to shape',
  inputs: 'one',
  keys: [
    {
      key: 'shape',
      doc: 'Target shape, batch excluded (broadcast with the input).',
      type: { t: 'intList', min: 1, nonEmpty: true },
      required: true,
    },
  ],
  infer(c) {
    const b = broadcast(c.x, c.attrs.shape!);
    if (!b) {
      c.error(
        'AM4001',
        `expand: \`${c.names[0]}\` ${fmt(c.x)} does not broadcast to \`shape\` ${fmt(c.attrs.shape!)}.`,
        'shape',
      );
      return null;
    }
    return { shape: b, params: 0, macs: 0 };
  },
  cls: 'eltwise',
  lower(c) {
    const { E, Ein, a, g } = c;
    c.dims = { E };
    c.fF = 0;
    c.dF = Math.max(E, Ein);
    c.fwd.add('input', Ein * a, 'r').add('output', E * a, 'w');
    c.bd.add('output_grad', E * g, 'r').add('input_grad', Ein * g, 'w');
  },
  onnx: ['Expand'],
};
