// reduce over axes (ONNX ReduceMean/Sum/Max/Min...): one flop per input element; its gradient a broadcast back.
import type { LayerDef } from './def';
import { fmt } from './common';

export const reduce: LayerDef = {
  type: 'reduce',
  doc: 'Reduction over axes (ONNX ReduceMean/Sum/Max/Min...).',
  shapes: 'axes removed (or kept as 1)',
  inputs: 'one',
  keys: [
    { key: 'axes', doc: 'Axes, batch excluded.', type: { t: 'intList', min: 0, nonEmpty: true }, required: true },
    { key: 'keep_dims', doc: 'Keep the reduced axes as size 1.', type: { t: 'bool' }, default: true },
    { key: 'op', doc: 'The reduction: mean, sum, max, min, prod, l2, ...', type: { t: 'string' }, default: 'mean' },
  ],
  infer(c) {
    const x = c.x,
      r = x.length,
      axes = c.attrs.axes!;
    if (axes.some((v) => v >= r)) {
      c.error(
        'AM4011',
        `reduce: \`axes\` ${fmt(axes)} are out of range for an input of rank ${r} (batch excluded); use 0..${r - 1}.`,
        'axes',
      );
      return null;
    }
    const shape: number[] = [];
    x.forEach((v, i) => {
      if (!axes.includes(i)) shape.push(v);
      else if (c.attrs.keepDims !== false) shape.push(1);
    });
    return { shape: shape.length ? shape : [1], params: 0, macs: 0 };
  },
  cls: 'eltwise',
  lower(c) {
    const { E, Ein, a, g } = c;
    const big = Math.max(E, Ein);
    c.dims = { E };
    c.fF = big;
    c.dF = big;
    c.fwd.add('input', Ein * a, 'r').add('output', E * a, 'w');
    c.bd.add('output_grad', E * g, 'r').add('input_grad', Ein * g, 'w');
  },
  onnx: [
    'ReduceMean',
    'ReduceMax',
    'ReduceSum',
    'ReduceMin',
    'ReduceProd',
    'ReduceL1',
    'ReduceL2',
    'ReduceSumSquare',
    'ReduceLogSumExp',
    'ArgMax',
    'ArgMin',
  ],
};
