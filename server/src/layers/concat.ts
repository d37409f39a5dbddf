// concat along an axis: all dimensions but the axis must match; a copy forward and backward.
import type { LayerDef } from './def';
import { fmt, lowerCopy } from './common';

export const concat: LayerDef = {
  type: 'concat',
  doc: 'Concatenation along an axis.',
  shapes: 'sum along axis',
  inputs: 'many',
  keys: [
    {
      key: 'axis',
      doc: 'Axis, batch excluded: 0 is channels; negative counts from the end.',
      type: { t: 'int' },
      default: 0,
    },
  ],
  infer(c) {
    const x = c.x,
      r = x.length,
      a = c.attrs.axis!;
    const ax = a < 0 ? a + r : a;
    if (ax < 0 || ax >= r) {
      c.error(
        'AM4011',
        `concat: axis ${a} is out of range for inputs of rank ${r} (batch excluded); use 0..${r - 1}.`,
        'axis',
      );
      return null;
    }
    const shape = x.slice();
    for (let k = 1; k < c.ins.length; k++) {
      const y = c.ins[k];
      if (y.length !== r || y.some((v, j) => j !== ax && v !== x[j])) {
        c.error(
          'AM4001',
          `concat: input \`${c.names[k]}\` has shape ${fmt(y)} but \`${c.names[0]}\` has ${fmt(x)}; all dimensions but axis ${ax} must match.`,
        );
        return null;
      }
      shape[ax] += y[ax];
    }
    return { shape, params: 0, macs: 0 };
  },
  cls: 'eltwise',
  lower: lowerCopy,
  onnx: ['Concat'],
};
