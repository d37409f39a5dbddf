// conv2d: 2-D convolution (PyTorch Conv2d), NCHW.
//   P = floor((H + 2 pad_h - dil_h (R-1) - 1) / stride_h) + 1   (Q likewise; `padding: same` keeps H, W)
//   params = K (C/groups) R S + K (bias);  MACs = N K P Q (C/groups) R S
// Lowered as a layer with weights (common.ts lowerWeighted); dims N C K H W P Q R S Hstride Wstride G, the
// loop-nest form of sim/nest/training.ts.
import type { LayerDef } from './def';
import { biasKey, kernelKey, lowerWeighted } from './common';

export const conv2d: LayerDef = {
  type: 'conv2d',
  doc: '2-D convolution (PyTorch Conv2d).',
  shapes: '[C,H,W] -> [K,P,Q]',
  inputs: 'one',
  keys: [
    { key: 'out_channels', doc: 'Output channels K.', type: { t: 'int', min: 1 }, required: true },
    kernelKey,
    { key: 'stride', doc: 'Stride: an integer or [h, w].', type: { t: 'intPair', min: 1 }, default: 1 },
    {
      key: 'padding',
      doc: 'Zero padding on each side: an integer, [h, w], or `same` (stride 1 only).',
      type: { t: 'padding' },
      default: 0,
    },
    { key: 'dilation', doc: 'Kernel dilation: an integer or [h, w].', type: { t: 'intPair', min: 1 }, default: 1 },
    {
      key: 'groups',
      doc: 'Channel groups; groups = in_channels = out_channels is a depthwise convolution.',
      type: { t: 'int', min: 1 },
      default: 1,
    },
    biasKey,
  ],
  read(r) {
    const a = r.attrs;
    const pn = r.get('padding');
    if (pn && pn.t === 'scalar' && pn.value === 'same') {
      if (a.stride![0] !== 1 || a.stride![1] !== 1) {
        r.error(
          'AM4013',
          pn,
          '`padding: same` only works with stride 1 (as in PyTorch); give the padding as a number instead.',
        );
        r.fail();
      }
      // PyTorch pads dilation*(k-1) in total; symmetric when odd kernels (the usual case). ASM: even kernels are
      // shown with the floor of half, the output size is kept equal to the input as PyTorch does.
      if (a.kernel) {
        a.padding = [
          Math.floor((a.dilation![0] * (a.kernel[0] - 1)) / 2),
          Math.floor((a.dilation![1] * (a.kernel[1] - 1)) / 2),
        ];
        r.setSamePadding();
      }
    } else if (pn) {
      const p = r.readIntPair(pn, 'padding', 0);
      if (!p) r.fail();
      a.padding = p ?? [0, 0];
    } else a.padding = [0, 0];
  },
  infer(c) {
    const a = c.attrs;
    if (!c.rank('a [C,H,W]', c.x.length === 3)) return null;
    const [C, H, W] = c.x;
    const K = a.outChannels!;
    const [R, S] = a.kernel!;
    const g = a.groups ?? 1;
    const [sh, sw] = a.stride!;
    const [ph, pw] = a.padding!;
    const [dh, dw] = a.dilation!;
    if (C % g !== 0 || K % g !== 0) {
      const which = C % g !== 0 ? `in_channels ${C} (from \`${c.names[0]}\`)` : `out_channels ${K}`;
      c.error(
        'AM4002',
        `conv2d: ${which} is not divisible by groups = ${g}. Use a groups value that divides both ${C} and ${K}.`,
        'groups',
      );
      return null;
    }
    const P = c.samePadding ? H : Math.floor((H + 2 * ph - dh * (R - 1) - 1) / sh) + 1;
    const Q = c.samePadding ? W : Math.floor((W + 2 * pw - dw * (S - 1) - 1) / sw) + 1;
    const shape = [K, P, Q];
    if (
      !c.positive(
        shape,
        () =>
          `the kernel ${R}x${S} (dilation ${dh}x${dw}) is larger than the padded input ${H + 2 * ph}x${W + 2 * pw}. Reduce kernel_size/dilation or add padding.`,
        'kernel_size',
      )
    )
      return null;
    const cg = C / g;
    return { shape, params: K * cg * R * S + (a.bias ? K : 0), macs: c.N * K * P * Q * cg * R * S };
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
    c.dims = { N, C, K, H, W: Wd, P, Q, R, S, Hstride: hs, Wstride: ws, G };
    lowerWeighted(c, N * K * (C / G) * R * S * P * Q, L.attrs.bias ? E : 0);
  },
  onnx: ['Conv'],
};
