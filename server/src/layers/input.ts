// input: a further network input beside input_shape (an attention mask, a decoder's target tokens): costs nothing.
import type { LayerDef } from './def';

export const input: LayerDef = {
  type: 'input',
  doc: 'A further network input beside `input_shape` (a second token sequence, an attention mask, a decoder target): costs nothing; later layers name it in `inputs`.',
  shapes: '-> shape',
  inputs: 'none',
  keys: [
    {
      key: 'shape',
      doc: 'Shape of one sample of this input, batch excluded.',
      type: { t: 'intList', min: 1, nonEmpty: true },
      required: true,
    },
  ],
  infer: (c) => ({ shape: c.attrs.shape!.slice(), params: 0, macs: 0 }),
  cls: 'reshape',
  lower: (c) => {
    c.dims = { E: c.E };
  },
  // the graph's further data inputs (onnx/inputs.ts)
  onnx: [],
};
