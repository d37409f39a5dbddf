// Convolutions, pooling, padding and resizing over [N, C, H, W].
import { nodeLabel } from '../errors';
import type { ImportedLayer } from '../layers';
import { attrF, attrI, attrInts, attrS, padsOf, windowGeom } from '../shapes';
import { fitPads, pair } from '../window';
import type { NodeCtx } from './context';

/** Pad */
export function onPad(c: NodeCtx): void {
  const { n, ins, x, xb, out0, alias, emit, unsupported, nchw, consumers, opset } = c;
  // Zero padding of H and W in front of convolutions/pools (TF exports) folds into their padding.
  const r = x.shape?.length ?? 0;
  const pads = padsOf(n, ins, opset, r);
  const mode = attrS(n, 'mode', 'constant');
  const cval = opset >= 11 ? (ins[2]?.values?.[0] ?? 0) : attrF(n, 'value', 0);
  const users = consumers.get(n.outputs[0]) ?? [];
  if (
    pads &&
    pads.length === 8 &&
    mode === 'constant' &&
    cval === 0 &&
    nchw() &&
    !x.padExtra &&
    pads[0] === 0 &&
    pads[1] === 0 &&
    pads[4] === 0 &&
    pads[5] === 0 &&
    users.length > 0 &&
    users.every((u) => ['Conv', 'MaxPool', 'AveragePool'].includes(u.opType) && u.inputs[0] === n.outputs[0])
  ) {
    alias({ ...x, shape: out0, padExtra: [pads[2], pads[3], pads[6], pads[7]] });
    return;
  }
  if (!pads) {
    unsupported('a Pad whose pads are computed at run time is not modelled');
    return;
  }
  if (pads.some((p) => p < 0)) {
    unsupported('a Pad with negative pads (cropping) is not modelled');
    return;
  }
  if (x.merged !== undefined || x.spec || pads[xb] !== 0 || pads[xb + r] !== 0) {
    unsupported('padding of the batch dimension is not modelled');
    return;
  }
  const sp = [...pads.slice(0, r).filter((_, i) => i !== xb), ...pads.slice(r).filter((_, i) => i !== xb)];
  const keys: ImportedLayer['keys'] = [['pads', sp]];
  if (mode !== 'constant') keys.push(['mode', mode]);
  emit('pad', keys, [x], out0);
}

/** Conv */
export function onConv(c: NodeCtx): void {
  const { n, ins, x, out0, emit, unsupported, nchw, warnings } = c;
  const w = ins[1]?.shape;
  if (!w || w.length !== 4 || !x.shape || x.shape.length !== 4 || !nchw()) {
    unsupported('only 2-D convolutions over [N, C, H, W] are modelled');
    return;
  }
  if (!ins[1].konst) {
    unsupported('convolution with a computed (non-constant) weight is not modelled');
    return;
  }
  const geo = windowGeom(
    { ...n, attrs: new Map([...n.attrs].filter(([k]) => k !== 'ceil_mode')) },
    x.shape,
    attrInts(n, 'kernel_shape') ?? w.slice(2),
  );
  const keys: ImportedLayer['keys'] = [
    ['out_channels', w[0]],
    ['kernel_size', pair(geo.kernel)],
  ];
  if (geo.strides.some((v) => v !== 1)) keys.push(['stride', pair(geo.strides)]);
  const pad = fitPads(geo, x, out0!, n, warnings);
  if (pad.some((v) => v !== 0)) keys.push(['padding', pair(pad)]);
  if (geo.dil.some((v) => v !== 1)) keys.push(['dilation', pair(geo.dil)]);
  const group = attrI(n, 'group', 1);
  if (group !== 1) keys.push(['groups', group]);
  keys.push(['bias', !!n.inputs[2]]);
  emit('conv2d', keys, [x], out0, { weightShape: w });
}

/** ConvTranspose */
export function onConvTranspose(c: NodeCtx): void {
  const { n, ins, x, out0, unknownShape, emit, unsupported, nchw, warnings } = c;
  const w = ins[1]?.shape;
  if (!w || w.length !== 4 || !x.shape || x.shape.length !== 4 || !nchw()) {
    unsupported('only 2-D transposed convolutions over [N, C, H, W] are modelled');
    return;
  }
  if (!out0) throw unknownShape();
  const group = attrI(n, 'group', 1);
  const kernel = attrInts(n, 'kernel_shape') ?? w.slice(2);
  const strides = attrInts(n, 'strides') ?? [1, 1];
  const dil = attrInts(n, 'dilations') ?? [1, 1];
  const pads = attrInts(n, 'pads') ?? [0, 0, 0, 0];
  if (pads[0] !== pads[2] || pads[1] !== pads[3])
    warnings.push(
      `${nodeLabel(n)}: asymmetric pads ${JSON.stringify(pads)}; imported with the begin side on both sides and output_padding for the rest`,
    );
  const pad = [pads[0], pads[1]];
  // output_padding from the output size (covers output_shape and auto_pad as well as output_padding).
  const opad = [0, 1].map(
    (i) => out0[2 + i] - ((x.shape![2 + i] - 1) * strides[i] - 2 * pad[i] + dil[i] * (kernel[i] - 1) + 1),
  );
  if (opad.some((v) => v < 0)) {
    unsupported(
      `transposed-convolution padding ${JSON.stringify(pads)} that removes more than output_padding adds is not modelled`,
    );
    return;
  }
  const keys: ImportedLayer['keys'] = [
    ['out_channels', w[1] * group],
    ['kernel_size', pair(kernel)],
  ];
  if (strides.some((v) => v !== 1)) keys.push(['stride', pair(strides)]);
  if (pad.some((v) => v !== 0)) keys.push(['padding', pair(pad)]);
  if (opad.some((v) => v !== 0)) keys.push(['output_padding', pair(opad)]);
  if (dil.some((v) => v !== 1)) keys.push(['dilation', pair(dil)]);
  if (group !== 1) keys.push(['groups', group]);
  keys.push(['bias', !!n.inputs[2]]);
  emit('conv_transpose2d', keys, [x], out0, { weightShape: w });
}

/** MaxPool, AveragePool */
export function onMaxPool(c: NodeCtx): void {
  const { n, x, out0, emit, unsupported, nchw, env, warnings } = c;
  const kernel = attrInts(n, 'kernel_shape');
  if (!kernel || kernel.length !== 2 || !x.shape || !nchw()) {
    unsupported('only 2-D pooling over [N, C, H, W] is modelled');
    return;
  }
  const geo = windowGeom(n, x.shape, kernel);
  const keys: ImportedLayer['keys'] = [['kernel_size', pair(kernel)]];
  if (geo.strides.some((s, i) => s !== kernel[i])) keys.push(['stride', pair(geo.strides)]);
  const pad = fitPads(geo, x, out0!, n, warnings);
  if (pad.some((v) => v !== 0)) keys.push(['padding', pair(pad)]);
  if (geo.ceil) keys.push(['ceil_mode', true]);
  if (geo.dil.some((v) => v !== 1))
    warnings.push(`${nodeLabel(n)}: pooling dilation ${JSON.stringify(geo.dil)} ignored`);
  emit(n.opType === 'MaxPool' ? 'maxpool' : 'avgpool', keys, [x], out0);
  n.outputs.slice(1).forEach((o) => env.set(o, { konst: true }));
}

/** GlobalAveragePool */
export function onGlobalAveragePool(c: NodeCtx): void {
  const { x, out0, emit } = c;
  emit('global_avgpool', [], [x], out0);
}

/** GlobalMaxPool */
export function onGlobalMaxPool(c: NodeCtx): void {
  const { x, out0, emit } = c;
  emit('global_maxpool', [], [x], out0);
}

/** Resize, Upsample */
export function onResize(c: NodeCtx): void {
  const { n, x, out0, emit, unsupported, nchw } = c;
  if (!out0 || !x.shape || x.shape.length < 3 || !nchw() || out0[0] !== x.shape[0] || out0[1] !== x.shape[1]) {
    unsupported('a Resize of other than the spatial dimensions of [N, C, ...] is not modelled');
    return;
  }
  const m = attrS(n, 'mode', 'nearest');
  const keys: ImportedLayer['keys'] = [['size', out0.slice(2)]];
  const mode = m === 'linear' || m === 'bilinear' ? 'linear' : m === 'cubic' ? 'cubic' : 'nearest';
  if (mode !== 'nearest') keys.push(['mode', mode]);
  emit('resize', keys, [x], out0);
}
