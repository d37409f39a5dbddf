// unsupported: an operator accelmap does not model (from an ONNX import): zero cost, the stated output shape, a
// warning where it is.
import type { LayerDef } from './def';

export const unsupported: LayerDef = {
  type: 'unsupported',
  doc: 'An operator accelmap does not model (from an ONNX import): zero cost, stated output shape.',
  shapes: 'stated',
  inputs: 'many',
  keys: [{ key: 'op_type', doc: 'The original operator type, e.g. `Resize`.', type: { t: 'string' } }],
  read(r) {
    r.attrs.opType ??= 'unknown';
  },
  infer(c) {
    c.warn(
      'AM4012',
      `\`${c.attrs.opType ?? 'unknown'}\` is not modelled: it costs nothing in the simulation. Replace it with supported layers for accurate figures.`,
      'type',
    );
    if (!c.hasOutputShape)
      c.error('AM2007', 'An `unsupported` layer needs `output_shape` (its output shape, batch excluded).', 'type');
    return c.statedShape ? { shape: c.statedShape, params: 0, macs: 0 } : null;
  },
  cls: 'unsupported',
  lower: (c) => {
    c.dims = { E: c.E };
  },
  // any operator the importer has no mapping for
  onnx: [],
};
