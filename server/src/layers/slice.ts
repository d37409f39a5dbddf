// slice: [start, end) with a step along one axis (ONNX Slice, Split, Gather of an index): a copy of the part kept;
// the input gradient is the output gradient scattered into zeros.
import type { LayerDef } from './def';

/** Elements kept by a slice [start, end) with step along an axis of size `dim` (ONNX Slice clamping rules). */
export function sliceLength(dim: number, start: number, end: number | undefined, step: number): number {
  if (step === 0) return 0;
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  let b = start < 0 ? start + dim : start;
  let e = end === undefined ? (step > 0 ? dim : -1) : end < 0 ? end + dim : end;
  if (step > 0) {
    b = clamp(b, 0, dim);
    e = clamp(e, 0, dim);
  } else {
    b = clamp(b, -1, dim - 1);
    if (end !== undefined) e = clamp(e, -1, dim - 1);
  }
  return Math.max(0, Math.ceil((e - b) / step));
}

export const slice: LayerDef = {
  type: 'slice',
  doc: 'Take [start, end) with a step along one axis (ONNX Slice, Split, Gather of an index): a copy of the part kept.',
  shapes: 'axis -> ceil((end-start)/step)',
  inputs: 'one',
  keys: [
    { key: 'axis', doc: 'Axis, batch excluded; negative counts from the end.', type: { t: 'int' }, default: 0 },
    { key: 'start', doc: 'First index (negative counts from the end; clamped).', type: { t: 'int' }, default: 0 },
    {
      key: 'end',
      doc: 'One past the last index (negative counts from the end; clamped). Default: the end of the axis.',
      type: { t: 'int' },
    },
    { key: 'step', doc: 'Step (not 0; negative walks backwards).', type: { t: 'int' }, default: 1 },
    {
      key: 'keep_dim',
      doc: 'Keep the sliced axis; false drops it (an index, `x[:, 0]`; needs a length-1 slice).',
      type: { t: 'bool' },
      default: true,
    },
  ],
  infer(c) {
    const a = c.attrs,
      x = c.x,
      r = x.length;
    const ax = a.axis! < 0 ? a.axis! + r : a.axis!;
    if (ax < 0 || ax >= r) {
      c.error(
        'AM4011',
        `slice: axis ${a.axis} is out of range for an input of rank ${r} (batch excluded); use ${-r}..${r - 1}.`,
        'axis',
      );
      return null;
    }
    const len = sliceLength(x[ax], a.start ?? 0, a.end, a.step ?? 1);
    if (a.step === 0) {
      c.error('AM4011', 'slice: `step` cannot be 0.', 'step');
      return null;
    }
    if (len < 1) {
      c.error(
        'AM4007',
        `slice: [${a.start}, ${a.end ?? 'end'}) with step ${a.step} keeps nothing of axis ${ax} (size ${x[ax]}). Fix \`start\`/\`end\`.`,
        'start',
      );
      return null;
    }
    if (a.keepDim === false && len !== 1) {
      c.error('AM4011', `slice: \`keep_dim: false\` needs a slice of length 1; this one keeps ${len}.`, 'keep_dim');
      return null;
    }
    const shape = x.slice();
    shape[ax] = len;
    if (a.keepDim === false) shape.splice(ax, 1);
    return { shape: shape.length ? shape : [1], params: 0, macs: 0 };
  },
  cls: 'eltwise',
  lower(c) {
    const { E, Ein, a, g } = c;
    c.dims = { E };
    // Reads only the part kept; the input gradient is the output gradient scattered into zeros.
    c.fwd.add('input', E * a, 'r').add('output', E * a, 'w');
    c.bd.add('output_grad', E * g, 'r').add('input_grad', Ein * g, 'w');
  },
  onnx: ['Slice', 'Split', 'Gather'],
};
