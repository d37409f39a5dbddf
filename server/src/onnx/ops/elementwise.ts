// Element-wise operators: activations, arithmetic, casts, dropout, softmax and every other element-wise op.
import type { ImportedLayer } from '../layers';
import { attrF, attrI, type TensorState } from '../shapes';
import { round, type NodeCtx } from './context';

/** Element-wise operators without a layer type of their own and their flops per element: the `elementwise` module's. */
export { EWISE_FLOPS } from '../../layers/elementwise';
import { EWISE_FLOPS } from '../../layers/elementwise';

/** Identity, Cast, CastLike, QuantizeLinear, DequantizeLinear: aliases of their input (ASM-7 for the QDQ pairs). */
export function onIdentity(c: NodeCtx): void {
  const { x, alias } = c;
  alias(x);
}

/** Add, Sub, Mul, Div */
export function onAdd(c: NodeCtx): void {
  const { n, ins, acts, x, out0, alias, layerOf, emit, ewise, uses } = c;
  if (acts.length === 1) {
    const producer = layerOf(x);
    const c = ins[acts[0].i === 0 ? 1 : 0];
    // A bias added after a bias-less MatMul/Conv folds into it (PyTorch exports nn.Linear on 3-D inputs so).
    if (
      n.opType === 'Add' &&
      producer &&
      (producer.type === 'linear' || producer.type === 'conv2d') &&
      uses.get(n.inputs[acts[0].i]) === 1
    ) {
      const bk = producer.keys.find((k) => k[0] === 'bias');
      const cs = c.shape ?? [];
      const ch = producer.type === 'linear' ? producer.outShape[producer.outShape.length - 1] : producer.outShape[1];
      if (bk && bk[1] === false && cs.filter((d) => d !== 1).length <= 1 && cs.includes(ch)) {
        bk[1] = true;
        alias(x);
        return;
      }
    }
    if (out0 && x.shape && out0.length === x.shape.length && out0.every((d, i) => d === x.shape![i])) {
      alias(x);
      return;
    } // ASM-2
    ewise(n.opType, 1);
    return;
  }
  const [a, b] = [acts[0].s, acts[1].s];
  const la = layerOf(a),
    lb = layerOf(b);
  if (n.opType === 'Mul') {
    // x * sigmoid(x) -> silu, x * hard_sigmoid(x) -> hardswish; x * (gelu-branch of x) -> the gelu layer (ASM-4).
    const fold = (p: ImportedLayer | undefined, q: TensorState) =>
      p && (p.type === 'sigmoid' || p.type === 'gelu') && p.inputs.length === 1 && p.inputs[0] === (q.layer ?? 'input');
    const f = fold(lb, a) ? lb : fold(la, b) ? la : undefined;
    if (f) {
      // x * sigmoid(x) is SiLU; x * hard_sigmoid(x) is hard-swish (MobileNetV3 exports it so before opset 14).
      if (f.type === 'sigmoid') f.type = f.opType === 'HardSigmoid' ? 'hardswish' : 'silu';
      alias({ ...(f === lb ? b : a), layer: f.name });
      return;
    }
  }
  const big = (a.shape?.length ?? 0) >= (b.shape?.length ?? 0) ? a : b;
  emit(
    n.opType === 'Add' || n.opType === 'Sub' ? 'add' : 'mul',
    [],
    acts.map((q) => q.s),
    out0,
    undefined,
    { bAxis: big.bAxis ?? 0, merged: big.merged ?? null },
  ); // ASM-3
}

/** Sum */
export function onSum(c: NodeCtx): void {
  const { acts, out0, emit } = c;
  emit(
    'add',
    [],
    acts.map((q) => q.s),
    out0,
  );
}

/** Erf */
export function onErf(c: NodeCtx): void {
  const { x, out0, emit } = c;
  emit('gelu', [], [x], out0); // ASM-4
}

/** Relu */
export function onRelu(c: NodeCtx): void {
  const { x, out0, emit } = c;
  emit('relu', [], [x], out0);
}

/** Sigmoid, HardSigmoid */
export function onSigmoid(c: NodeCtx): void {
  const { x, out0, emit } = c;
  emit('sigmoid', [], [x], out0); // ASM-5
}

/** Tanh */
export function onTanh(c: NodeCtx): void {
  const { x, out0, emit } = c;
  emit('tanh', [], [x], out0);
}

/** Gelu, FastGelu, BiasGelu */
export function onGelu(c: NodeCtx): void {
  const { x, out0, emit } = c;
  emit('gelu', [], [x], out0); // ASM-10
}

/** HardSwish */
export function onHardSwish(c: NodeCtx): void {
  const { x, out0, emit } = c;
  emit('hardswish', [], [x], out0);
}

/** LeakyRelu */
export function onLeakyRelu(c: NodeCtx): void {
  const { n, x, out0, emit } = c;
  emit('leaky_relu', [['negative_slope', round(attrF(n, 'alpha', 0.01))]], [x], out0);
}

/** Clip */
export function onClip(c: NodeCtx): void {
  const { n, ins, x, out0, emit, opset } = c;
  const lo = opset >= 11 ? ins[1]?.values?.[0] : attrF(n, 'min', -Infinity);
  const hi = opset >= 11 ? ins[2]?.values?.[0] : attrF(n, 'max', Infinity);
  emit(lo === 0 && (hi === undefined || hi === Infinity) ? 'relu' : 'relu6', [], [x], out0); // ASM-5
}

/** Softmax, LogSoftmax */
export function onSoftmax(c: NodeCtx): void {
  const { n, x, out0, emit, unsupported, specAxis, opset, specOf } = c;
  const r = x.shape?.length ?? 0;
  const axis = attrI(n, 'axis', opset >= 13 ? -1 : 1);
  const ax = specAxis(axis);
  if (ax === undefined) {
    unsupported('a softmax over the batch dimension is not modelled');
    return;
  }
  const sr = specOf(x).length;
  emit('softmax', ax === sr - 1 ? [] : [['axis', ax]], [x], out0);
  void r;
}

/** Dropout */
export function onDropout(c: NodeCtx): void {
  const { n, ins, x, out0, emit, env, opset } = c;
  const ratio = opset >= 12 ? (ins[1]?.values?.[0] ?? 0.5) : attrF(n, 'ratio', 0.5);
  emit('dropout', [['p', round(ratio)]], [x], out0);
  n.outputs.slice(1).forEach((o) => env.set(o, { shape: out0, konst: true }));
}

/** Any other operator: an element-wise layer when it is one, else `unsupported`. */
export function onOther(c: NodeCtx): void {
  const { n, out0, unsupported, ewise } = c;
  if (EWISE_FLOPS[n.opType] !== undefined && out0) {
    ewise(n.opType, EWISE_FLOPS[n.opType]);
    return;
  }
  unsupported();
}
