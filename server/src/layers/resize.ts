// resize / up-sample the trailing dimensions (ONNX Resize, PyTorch interpolate). Interpolation weights per output
// element (ASM: nearest 0, linear 8, cubic 32 flops), its gradient the same weights scattered back.
import type { LayerDef } from './def';
import { fmt } from './common';

const RESIZE_FLOPS: Record<string, number> = { nearest: 0, linear: 8, cubic: 32 };

export const resize: LayerDef = {
  type: 'resize',
  doc: 'Resize / up-sample the trailing dimensions (ONNX Resize, PyTorch interpolate).',
  shapes: '[C, ...] -> [C, ...size]',
  inputs: 'one',
  keys: [
    {
      key: 'size',
      doc: 'Output size of the trailing dimensions, e.g. [H, W].',
      type: { t: 'intList', min: 1, nonEmpty: true },
      required: true,
    },
    {
      key: 'mode',
      doc: 'Interpolation: nearest, linear (bilinear on 2-D) or cubic.',
      type: { t: 'enum', values: ['nearest', 'linear', 'cubic'] },
      default: 'nearest',
    },
  ],
  infer(c) {
    const sz = c.attrs.size!,
      x = c.x;
    if (sz.length > x.length - 1) {
      c.error(
        'AM4008',
        `resize: \`size\` ${fmt(sz)} gives ${sz.length} trailing dimensions, but \`${c.names[0]}\` ${fmt(x)} has only ${x.length - 1} after its channels. Give one size per spatial dimension.`,
        'size',
      );
      return null;
    }
    return { shape: [...x.slice(0, x.length - sz.length), ...sz], params: 0, macs: 0 };
  },
  cls: 'eltwise',
  lower(c) {
    const { E, Ein, a, g } = c;
    const rf = RESIZE_FLOPS[c.L.attrs.mode ?? 'nearest'] ?? 0;
    const big = Math.max(E, Ein);
    c.dims = { E };
    c.fF = rf * big;
    c.dF = rf * big;
    c.fwd.add('input', Ein * a, 'r').add('output', E * a, 'w');
    c.bd.add('output_grad', E * g, 'r').add('input_grad', Ein * g, 'w');
  },
  onnx: ['Resize', 'Upsample'],
};
