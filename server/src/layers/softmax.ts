// softmax along an axis: 5 flops per element forward (max, exp, sum, divide), 4 backward, the output kept (ASM).
import type { LayerDef } from './def';
import { lowerActivation } from './common';

export const softmax: LayerDef = {
  type: 'softmax',
  doc: 'Softmax along an axis.',
  shapes: 'same shape',
  inputs: 'one',
  keys: [{ key: 'axis', doc: 'Axis, batch excluded; -1 is the last.', type: { t: 'int' }, default: -1 }],
  infer(c) {
    const r = c.x.length,
      ax = c.attrs.axis!;
    if (ax < -r || ax >= r) {
      c.error(
        'AM4011',
        `softmax: axis ${ax} is out of range for an input of rank ${r} (batch excluded); use ${-r}..${r - 1}.`,
        'axis',
      );
      return null;
    }
    return { shape: c.x.slice(), params: 0, macs: 0 };
  },
  cls: 'eltwise',
  lower: (c) => lowerActivation(c, [5, 4], false),
  onnx: ['Softmax', 'LogSoftmax'],
};
