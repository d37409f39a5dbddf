// Windowed pooling (maxpool, avgpool), PyTorch MaxPool2d / AvgPool2d:
//   P = floor_or_ceil((H + 2 pad - (k-1) - 1) / stride) + 1; with ceil_mode the last window must start inside the
//   input or left padding: if (P-1) stride >= H + pad then P -= 1. Padding at most half the kernel (PyTorch's rule).
import type { LayerDef } from './def';
import { lowerPool, poolKeys } from './common';

export function windowPool(type: 'maxpool' | 'avgpool', doc: string, onnx: readonly string[]): LayerDef {
  return {
    type,
    doc,
    shapes: '[C,H,W] -> [C,P,Q]',
    inputs: 'one',
    keys: poolKeys,
    read(r) {
      r.attrs.stride ??= r.attrs.kernel;
    },
    infer(c) {
      const a = c.attrs;
      if (!c.rank('a [C,H,W]', c.x.length === 3)) return null;
      const [C, H, W] = c.x;
      const [kh, kw] = a.kernel!;
      const [sh, sw] = a.stride!;
      const [ph, pw] = a.padding!;
      if (2 * ph > kh || 2 * pw > kw) {
        c.error(
          'AM2005',
          `${type}: padding ${ph}x${pw} must be at most half the kernel ${kh}x${kw} (PyTorch's rule). Reduce the padding.`,
          'padding',
        );
        return null;
      }
      const size = (len: number, k: number, st: number, p: number): number => {
        const span = len + 2 * p - (k - 1) - 1;
        if (!a.ceilMode) return Math.floor(span / st) + 1;
        let o = Math.ceil(span / st) + 1;
        if ((o - 1) * st >= len + p) o--;
        return o;
      };
      const shape = [C, size(H, kh, sh, ph), size(W, kw, sw, pw)];
      if (
        !c.positive(
          shape,
          () =>
            `the window ${kh}x${kw} is larger than the padded input ${H + 2 * ph}x${W + 2 * pw}. Reduce kernel_size or add padding.`,
          'kernel_size',
        )
      )
        return null;
      return { shape, params: 0, macs: 0 };
    },
    cls: 'pool',
    lower: (c) => lowerPool(c, type === 'maxpool', false),
    onnx,
  };
}
