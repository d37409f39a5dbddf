// conv_transpose2d: 2-D transposed convolution (PyTorch ConvTranspose2d).
//   out = (H-1) s - 2 p + d (R-1) + output_padding + 1 (W likewise)
//   params = C (K/groups) R S + K (bias);  MACs = N C H W (K/groups) R S  (every input element meets K/g R S weights)
// ASM: lowered as the convolution whose backward-data pass it is (input and output swapped, same kernel, stride and
// groups): the MACs are the same either way, and every target maps it with its conv model.
import type { LayerDef } from './def';
import { biasKey, kernelKey, lowerWeighted } from './common';

export const conv_transpose2d: LayerDef = {
  type: 'conv_transpose2d',
  doc: '2-D transposed convolution (PyTorch ConvTranspose2d): the forward pass is the backward-data pass of the convolution with the same kernel.',
  shapes: '[C,H,W] -> [K,(H-1)s-2p+d(R-1)+op+1,...]',
  inputs: 'one',
  keys: [
    { key: 'out_channels', doc: 'Output channels K.', type: { t: 'int', min: 1 }, required: true },
    kernelKey,
    { key: 'stride', doc: 'Stride: an integer or [h, w].', type: { t: 'intPair', min: 1 }, default: 1 },
    {
      key: 'padding',
      doc: 'Implicit padding removed from each side of the output: an integer or [h, w].',
      type: { t: 'intPair', min: 0 },
      default: 0,
    },
    {
      key: 'output_padding',
      doc: 'Extra rows/columns added to one side of the output: an integer or [h, w].',
      type: { t: 'intPair', min: 0 },
      default: 0,
    },
    { key: 'dilation', doc: 'Kernel dilation: an integer or [h, w].', type: { t: 'intPair', min: 1 }, default: 1 },
    { key: 'groups', doc: 'Channel groups.', type: { t: 'int', min: 1 }, default: 1 },
    biasKey,
  ],
  infer(c) {
    const a = c.attrs;
    if (!c.rank('a [C,H,W]', c.x.length === 3)) return null;
    const [C, H, W] = c.x;
    const K = a.outChannels!;
    const [R, S] = a.kernel!;
    const g = a.groups ?? 1;
    const [sh, sw] = a.stride!;
    const [ph, pw] = a.padding!;
    const [oh, ow] = a.outputPadding ?? [0, 0];
    const [dh, dw] = a.dilation!;
    if (C % g !== 0 || K % g !== 0) {
      const which = C % g !== 0 ? `in_channels ${C} (from \`${c.names[0]}\`)` : `out_channels ${K}`;
      c.error(
        'AM4002',
        `conv_transpose2d: ${which} is not divisible by groups = ${g}. Use a groups value that divides both ${C} and ${K}.`,
        'groups',
      );
      return null;
    }
    const shape = [K, (H - 1) * sh - 2 * ph + dh * (R - 1) + oh + 1, (W - 1) * sw - 2 * pw + dw * (S - 1) + ow + 1];
    if (
      !c.positive(
        shape,
        () =>
          `the padding ${ph}x${pw} removes more than the output ${(H - 1) * sh + dh * (R - 1) + 1}x${(W - 1) * sw + dw * (S - 1) + 1} has. Reduce the padding.`,
        'padding',
      )
    )
      return null;
    return { shape, params: C * (K / g) * R * S + (a.bias ? K : 0), macs: c.N * C * H * W * (K / g) * R * S };
  },
  cls: 'conv',
  lower(c) {
    const { L, N, out, E } = c;
    const x = L.inShapes[0] ?? [],
      k = L.attrs.kernel,
      st = L.attrs.stride;
    const C = x[0] ?? 1,
      H = x[1] ?? 1,
      Wd = x[2] ?? 1,
      K = out[0] ?? 1,
      P = out[1] ?? 1,
      Q = out[2] ?? 1;
    const R = k ? k[0] : 1,
      S = k ? k[1] : 1,
      hs = st ? st[0] : 1,
      ws = st ? st[1] : 1;
    const G = L.attrs.groups ?? 1;
    c.dims = { N, C: K, K: C, H: P, W: Q, P: H, Q: Wd, R, S, Hstride: hs, Wstride: ws, G };
    lowerWeighted(c, N * C * (K / G) * R * S * H * Wd, L.attrs.bias ? E : 0);
  },
  onnx: ['ConvTranspose'],
};
