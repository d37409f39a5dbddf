// mul: the element-wise product of two or more broadcast inputs; each input's gradient is the output gradient times
// the other inputs, kept from the forward.
import type { LayerDef } from './def';
import { broadcastAll } from './common';

export const mul: LayerDef = {
  type: 'mul',
  doc: 'Element-wise product of two or more inputs (broadcasting).',
  shapes: 'broadcast shape',
  inputs: 'many',
  keys: [],
  infer: broadcastAll,
  cls: 'eltwise',
  lower(c) {
    const { E, Ein, a, g } = c;
    const nIn = Math.max(1, c.L.inputs.length);
    c.dims = { E };
    c.fF = (nIn - 1) * E;
    c.dF = nIn * (nIn - 1) * E;
    c.fwd.add('input', Ein * a, 'r').add('output', E * a, 'w');
    c.bd.add('output_grad', E * g, 'r').add('input_grad', Ein * g, 'w');
    c.bd.add('saved_activation', Ein * a, 'r');
    c.saved = Ein * a;
  },
  onnx: ['Mul', 'Div'],
};
