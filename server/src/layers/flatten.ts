// flatten: everything but the batch into one dimension (torch.flatten(x, 1)); a view, no data moved.
import type { LayerDef } from './def';
import { prod } from './common';

export const flatten: LayerDef = {
  type: 'flatten',
  doc: 'Flatten everything but the batch (torch.flatten(x, 1)).',
  shapes: '[...] -> [prod]',
  inputs: 'one',
  keys: [],
  infer: (c) => ({ shape: [prod(c.x)], params: 0, macs: 0 }),
  cls: 'reshape',
  lower: (c) => {
    c.dims = { E: c.E };
  },
  onnx: ['Flatten'],
};
