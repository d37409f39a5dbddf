// Normalisations and reductions.
import { nodeLabel } from '../errors';
import type { ImportedLayer } from '../layers';
import { attrI, attrInts } from '../shapes';
import type { NodeCtx } from './context';

/** BatchNormalization */
export function onBatchNormalization(c: NodeCtx): void {
  const { n, x, out0, emit, env } = c;
  emit('batchnorm', [], [x], out0);
  n.outputs.slice(1).forEach((o) => env.set(o, { konst: true }));
}

/** InstanceNormalization, GroupNormalization */
export function onInstanceNormalization(c: NodeCtx): void {
  const { n, x, out0, emit, unsupported, nchw } = c;
  // InstanceNorm is GroupNorm with one channel per group; PyTorch exports GroupNorm as Reshape([N, G, -1]) ->
  // InstanceNormalization -> Reshape back, so the instance norm over [G, L] is the group norm.
  if (!x.shape || x.shape.length < 2 || !nchw()) {
    unsupported('normalisation of a tensor without its batch first is not modelled');
    return;
  }
  const groups = n.opType === 'GroupNormalization' ? attrI(n, 'num_groups', 1) : x.shape[1];
  emit('groupnorm', [['groups', groups]], [x], out0);
}

/** LayerNormalization, SimplifiedLayerNormalization, RMSNormalization */
export function onLayerNormalization(c: NodeCtx): void {
  const { n, x, out0, emit, env, warnings } = c;
  const axis = attrI(n, 'axis', -1);
  if (x.shape && axis !== -1 && axis !== x.shape.length - 1)
    warnings.push(`${nodeLabel(n)}: normalises from axis ${axis}; imported as \`layernorm\` over the last dimension`);
  emit('layernorm', [], [x], out0);
  n.outputs.slice(1).forEach((o) => env.set(o, { konst: true }));
}

/** SkipLayerNormalization */
export function onSkipLayerNormalization(c: NodeCtx): void {
  const { n, acts, x, out0, emit, env } = c;
  // ASM-10: input + skip (+ bias), then LayerNorm; output 3 is the sum
  if (acts.length < 2) {
    emit('layernorm', [], [x], out0);
    return;
  }
  const sum = emit('add', [], [acts[0].s, acts[1].s], out0, undefined, {
    tensor: `${n.outputs[0]}::sum`,
    suffix: 'add',
  });
  emit('layernorm', [], [env.get(`${n.outputs[0]}::sum`)!], out0);
  if (n.outputs[3]) env.set(n.outputs[3], { ...env.get(`${n.outputs[0]}::sum`)!, layer: sum.name });
  n.outputs.slice(1, 3).forEach((o) => o && env.set(o, { konst: true }));
}

/**
 * ReduceMean, ReduceMax, ReduceSum, ReduceMin, ReduceProd, ReduceL1, ReduceL2, ReduceSumSquare, ReduceLogSumExp,
 * ArgMax, ArgMin
 */
export function onReduceMean(c: NodeCtx): void {
  const { n, ins, x, xb, out0, emit, unsupported, specAxis, nchw, opset } = c;
  const r = x.shape?.length ?? 0;
  const inputAxes = n.opType === 'ReduceSum' ? opset >= 13 : opset >= 18;
  const raw = n.opType.startsWith('Arg') ? [attrI(n, 'axis', 0)] : inputAxes ? ins[1]?.values : attrInts(n, 'axes');
  const axes = (raw && raw.length ? raw : Array.from({ length: r }, (_, i) => i))
    .map((a) => (a < 0 ? a + r : a))
    .sort((a, b) => a - b);
  const keep = attrI(n, 'keepdims', 1) === 1;
  // Mean/max over H and W of an [N, C, H, W] tensor is global pooling (tf2onnx exports GlobalAveragePooling2D so).
  if (
    (n.opType === 'ReduceMean' || n.opType === 'ReduceMax') &&
    r === 4 &&
    nchw() &&
    axes.length === 2 &&
    axes[0] === 2 &&
    axes[1] === 3
  ) {
    const type = n.opType === 'ReduceMean' ? 'global_avgpool' : 'global_maxpool';
    if (keep) {
      emit(type, [], [x], out0);
      return;
    }
    const pooled = emit(type, [], [x], [x.shape![0], x.shape![1], 1, 1], undefined, {
      tensor: `${n.outputs[0]}::pool`,
    });
    emit('flatten', [], [{ ...x, layer: pooled.name, shape: pooled.outShape }], out0);
    return;
  }
  const sp = axes.map((a) => specAxis(a));
  if (sp.some((a) => a === undefined) || (x.merged !== undefined && axes.includes(xb))) {
    unsupported('a reduction over the batch dimension (a loss) is not modelled');
    return;
  }
  const keys: ImportedLayer['keys'] = [
    ['axes', sp as number[]],
    ['keep_dims', keep],
    ['op', n.opType.replace(/^Reduce/, '').toLowerCase()],
  ];
  const nb = keep ? xb : xb - axes.filter((a) => a < xb).length;
  emit('reduce', keys, [x], out0, undefined, { bAxis: nb, merged: x.merged ?? null });
}
