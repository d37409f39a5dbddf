// add: the element-wise sum of two or more broadcast inputs; (inputs - 1) flops per output element, the gradient
// passed to every input.
import type { LayerDef } from './def';
import { broadcastAll } from './common';

export const add: LayerDef = {
  type: 'add',
  doc: 'Element-wise sum of two or more inputs (broadcasting).',
  shapes: 'broadcast shape',
  inputs: 'many',
  keys: [],
  infer: broadcastAll,
  cls: 'eltwise',
  lower(c) {
    const { E, Ein, a, g } = c;
    c.dims = { E };
    c.fF = (Math.max(1, c.L.inputs.length) - 1) * E;
    c.dF = 0;
    c.fwd.add('input', Ein * a, 'r').add('output', E * a, 'w');
    c.bd.add('output_grad', E * g, 'r').add('input_grad', Ein * g, 'w');
  },
  onnx: ['Add', 'Sub', 'Sum'],
};
