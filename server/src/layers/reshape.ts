// reshape, batch excluded; one entry may be -1 (inferred). A view, no data moved.
import type { LayerDef } from './def';
import { fmt, prod } from './common';

export const reshape: LayerDef = {
  type: 'reshape',
  doc: 'Reshape, batch excluded.',
  shapes: '[...] -> shape',
  inputs: 'one',
  keys: [
    {
      key: 'shape',
      doc: 'New shape, batch excluded; one entry may be -1 (inferred).',
      type: { t: 'intList', min: 1, minusOne: true, nonEmpty: true },
      required: true,
    },
  ],
  infer(c) {
    const want = c.attrs.shape!;
    const total = prod(c.x);
    const known = want.reduce((p, v) => (v === -1 ? p : p * v), 1);
    const free = want.indexOf(-1);
    if (free >= 0 ? total % known !== 0 : known !== total) {
      c.error(
        'AM4010',
        `reshape: the input ${fmt(c.x)} has ${total} elements but \`shape\` ${fmt(want)} ${free >= 0 ? `cannot be filled (${total} is not a multiple of ${known})` : `has ${known}`}. Fix \`shape\`.`,
        'shape',
      );
      return null;
    }
    return { shape: want.map((v) => (v === -1 ? total / known : v)), params: 0, macs: 0 };
  },
  cls: 'reshape',
  lower: (c) => {
    c.dims = { E: c.E };
  },
  onnx: ['Reshape', 'Squeeze', 'Unsqueeze'],
};
