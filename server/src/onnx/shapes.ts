// Shape inference (and constant folding of small integer tensors) for the ONNX operators accelmap meets, following
// the operator definitions of https://onnx.ai/onnx/operators/ (opsets 11..21). Shapes here are full ONNX shapes,
// batch included. `values` are known only for small constant tensors (shape arithmetic: Shape -> Gather -> Concat
// -> Reshape); weights never get values.
import type { Attribute, NodeInfo } from './proto';

export interface TensorState {
  shape?: number[];
  values?: number[];
  /** True for weights, constants and anything computed only from them. */
  konst: boolean;
  /** Producing layer (or 'input') for activations. */
  layer?: string;
  /** Axis of an activation that holds the batch (0 unless a layout such as seq-first LSTM moved it). */
  bAxis?: number;
  /**
   * Set when the batch is merged with other dimensions into axis bAxis (nn.MultiheadAttention's [T, N*H, d],
   * Swin's [N*windows, 49, C], [T*N, D] before a projection): the axis is [merged, batch, rest] in row-major order,
   * and the spec's view of it is its size divided by the batch.
   */
  merged?: number;
  /** Inside a decomposed tanh-GELU (x + 0.044715 x^3 ...): the state of its x. */
  geluX?: TensorState;
  /**
   * The shape the spec core infers for this tensor (batch excluded) when it differs from the ONNX shape without
   * its batch axis — e.g. an LSTM's Y [T, dirs, N, H] is [T, H*dirs] in the spec.
   */
  spec?: number[];
  /** This is the last-axis mean of the named layer's output (start of a decomposed LayerNorm). */
  meanOf?: string;
  /** A partial result inside a decomposed LayerNorm owned by `layer`. */
  lnPart?: boolean;
  /** Zero padding of a folded Pad node, still to add to the consuming window op: [h_begin, w_begin, h_end, w_end]. */
  padExtra?: number[];
}

/** The shape without its batch axis. */
export const dropAxis = (shape: number[], axis: number): number[] => shape.filter((_, i) => i !== axis);
/** What the spec core sees for an activation (batch excluded; a merged batch axis divided by the batch). */
export const specView = (s: TensorState, batch: number): number[] => {
  if (s.spec) return s.spec;
  const sh = s.shape ?? [];
  const b = s.bAxis ?? 0;
  return s.merged === undefined ? dropAxis(sh, b) : sh.map((d, i) => (i === b ? d / batch : d));
};

export const attrI = (n: NodeInfo, name: string, dflt: number): number => n.attrs.get(name)?.i ?? dflt;
export const attrF = (n: NodeInfo, name: string, dflt: number): number => n.attrs.get(name)?.f ?? dflt;
export const attrS = (n: NodeInfo, name: string, dflt: string): string => n.attrs.get(name)?.s ?? dflt;
export const attrInts = (n: NodeInfo, name: string): number[] | undefined => n.attrs.get(name)?.ints;

export const prod = (s: number[]): number => s.reduce((a, b) => a * b, 1);

/** ONNX Slice bounds of one axis of size `dim`: negative values count from the end, then clamped ([b, e) with step). */
export function sliceBounds(dim: number, start: number, end: number, step: number): [number, number] {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const b = start < 0 ? start + dim : start;
  const e = end < 0 ? end + dim : end;
  return step > 0 ? [clamp(b, 0, dim), clamp(e, 0, dim)] : [clamp(b, -1, dim - 1), clamp(e, -1, dim - 1)];
}
const norm = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);

export function broadcast(a: number[], b: number[]): number[] | undefined {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Output size of a convolution / pooling window along one axis (ONNX Conv, MaxPool formula). */
export function windowOut(
  inp: number,
  k: number,
  s: number,
  padBegin: number,
  padEnd: number,
  d: number,
  ceil: boolean,
): number {
  const span = inp + padBegin + padEnd - ((k - 1) * d + 1);
  let o = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  // PyTorch/ONNX: with ceil_mode the last window must start inside the input or left padding.
  if (ceil && (o - 1) * s >= inp + padBegin) o--;
  return o;
}

/** Resolved pads [begin..., end...] of a window op, honouring auto_pad. */
export function windowPads(
  n: NodeInfo,
  spatial: number[],
  kernel: number[],
  strides: number[],
  dil: number[],
): number[] {
  const auto = attrS(n, 'auto_pad', 'NOTSET');
  const r = spatial.length;
  if (auto === 'VALID') return new Array(2 * r).fill(0);
  if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    const pads = new Array(2 * r).fill(0);
    for (let i = 0; i < r; i++) {
      const out = Math.ceil(spatial[i] / strides[i]);
      const total = Math.max(0, (out - 1) * strides[i] + (kernel[i] - 1) * dil[i] + 1 - spatial[i]);
      const small = Math.floor(total / 2);
      pads[i] = auto === 'SAME_UPPER' ? small : total - small;
      pads[i + r] = total - pads[i];
    }
    return pads;
  }
  return attrInts(n, 'pads') ?? new Array(2 * r).fill(0);
}

export interface WindowGeom {
  kernel: number[];
  strides: number[];
  pads: number[];
  dil: number[];
  out: number[];
  ceil: boolean;
}

export function windowGeom(n: NodeInfo, x: number[], kernel: number[]): WindowGeom {
  const spatial = x.slice(2);
  const r = spatial.length;
  const strides = attrInts(n, 'strides') ?? new Array(r).fill(1);
  const dil = attrInts(n, 'dilations') ?? new Array(r).fill(1);
  const pads = windowPads(n, spatial, kernel, strides, dil);
  const ceil = attrI(n, 'ceil_mode', 0) === 1;
  const out = spatial.map((v, i) => windowOut(v, kernel[i], strides[i], pads[i], pads[i + r], dil[i], ceil));
  return { kernel, strides, pads, dil, out, ceil };
}

function constOf(a: Attribute | undefined): { shape: number[]; values?: number[] } | undefined {
  if (!a) return undefined;
  if (a.t) return { shape: a.t.dims, values: a.t.values };
  if (a.f !== undefined) return { shape: [], values: [a.f] };
  if (a.i !== undefined) return { shape: [], values: [a.i] };
  if (a.ints) return { shape: [a.ints.length], values: a.ints };
  if (a.floats) return { shape: [a.floats.length], values: a.floats };
  return undefined;
}

/** Values of a small constant input, or the attribute fallback of older opsets. */
function valuesOf(ins: TensorState[], i: number): number[] | undefined {
  return ins[i]?.values;
}

/** Elementwise arithmetic on known values with broadcasting of scalars (enough for shape arithmetic). */
function arith(op: string, a: number[], b: number[]): number[] | undefined {
  const len = Math.max(a.length, b.length);
  if (a.length !== len && a.length !== 1) return undefined;
  if (b.length !== len && b.length !== 1) return undefined;
  const out: number[] = [];
  for (let i = 0; i < len; i++) {
    const x = a[a.length === 1 ? 0 : i];
    const y = b[b.length === 1 ? 0 : i];
    switch (op) {
      case 'Add':
        out.push(x + y);
        break;
      case 'Sub':
        out.push(x - y);
        break;
      case 'Mul':
        out.push(x * y);
        break;
      case 'Div':
        out.push(Number.isInteger(x) && Number.isInteger(y) ? Math.trunc(x / y) : x / y);
        break;
      case 'Equal':
        out.push(x === y ? 1 : 0);
        break;
      case 'Max':
        out.push(Math.max(x, y));
        break;
      case 'Min':
        out.push(Math.min(x, y));
        break;
      case 'Pow':
        out.push(x ** y);
        break;
      case 'Mod':
        out.push(y === 0 ? NaN : ((x % y) + y) % y);
        break; // fmod=0: the sign of the divisor
      case 'Less':
        out.push(x < y ? 1 : 0);
        break;
      case 'Greater':
        out.push(x > y ? 1 : 0);
        break;
      case 'LessOrEqual':
        out.push(x <= y ? 1 : 0);
        break;
      case 'GreaterOrEqual':
        out.push(x >= y ? 1 : 0);
        break;
      case 'And':
        out.push(x && y ? 1 : 0);
        break;
      case 'Or':
        out.push(x || y ? 1 : 0);
        break;
      default:
        return undefined;
    }
  }
  return out;
}

export const ELEMENTWISE_UNARY = new Set([
  'Trilu',
  'CumSum',
  'GroupNormalization',
  'SkipLayerNormalization',
  'SimplifiedLayerNormalization',
  'FastGelu',
  'BiasGelu',
  'Relu',
  'Sigmoid',
  'Tanh',
  'Gelu',
  'Erf',
  'LeakyRelu',
  'HardSwish',
  'HardSigmoid',
  'Elu',
  'Selu',
  'Softplus',
  'Softsign',
  'Neg',
  'Abs',
  'Sqrt',
  'Reciprocal',
  'Exp',
  'Log',
  'Ceil',
  'Floor',
  'Round',
  'Sign',
  'Not',
  'Cast',
  'CastLike',
  'Identity',
  'Clip',
  'Softmax',
  'LogSoftmax',
  'BatchNormalization',
  'InstanceNormalization',
  'LayerNormalization',
  'Dropout',
  'PRelu',
  'Mish',
  'IsNaN',
  'IsInf',
  'Celu',
  'ThresholdedRelu',
  'Sin',
  'Cos',
  'LpNormalization',
  'LRN',
]);
const BINARY = new Set([
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Pow',
  'Equal',
  'Less',
  'Greater',
  'And',
  'Or',
  'Max',
  'Min',
  'Mod',
  'LessOrEqual',
  'GreaterOrEqual',
  'Sum',
  'Mean',
]);

type Inferred = { shape?: number[]; values?: number[] }[];
/** A node to infer: its inputs' states, the opset, and shorthands for the first input's shape and any input's. */
interface ShapeArgs {
  n: NodeInfo;
  ins: TensorState[];
  opset: number;
  op: string;
  x: number[] | undefined;
  s(i: number): number[] | undefined;
}

/** Constant */
function onConstant(arg: ShapeArgs): Inferred {
  const { n } = arg;
  const c = constOf(
    n.attrs.get('value') ??
      n.attrs.get('value_float') ??
      n.attrs.get('value_int') ??
      n.attrs.get('value_ints') ??
      n.attrs.get('value_floats'),
  );
  return [c ?? {}];
}

/** Shape */
function onShape(arg: ShapeArgs): Inferred {
  const { n, x } = arg;
  if (!x) return [{}];
  const start = norm(attrI(n, 'start', 0), x.length);
  const end = norm(attrI(n, 'end', x.length), x.length);
  const v = x.slice(Math.max(0, start), Math.min(x.length, end));
  return [{ shape: [v.length], values: v }];
}

/** ScatterND, ScatterElements, Scatter */
function onScatterND(arg: ShapeArgs): Inferred {
  const { x } = arg;
  return [{ shape: x }];
}

/** Size */
function onSize(arg: ShapeArgs): Inferred {
  const { x } = arg;
  return [{ shape: [], values: x ? [prod(x)] : undefined }];
}

/** The element-wise unary operators (ELEMENTWISE_UNARY): the input's shape; a few fold constant values. */
function onUnary(arg: ShapeArgs): Inferred {
  const { ins, op, x } = arg;
  const out = [
    { shape: x, values: op === 'Identity' || op === 'Cast' || op === 'CastLike' ? ins[0]?.values : undefined },
  ];
  if (op === 'Dropout') out.push({ shape: x, values: undefined });
  if (op === 'Floor' || op === 'Ceil' || op === 'Sqrt' || op === 'Neg' || op === 'Abs') {
    const v = ins[0]?.values;
    const f = { Floor: Math.floor, Ceil: Math.ceil, Sqrt: Math.sqrt, Neg: (a: number) => -a, Abs: Math.abs }[op];
    out[0].values = v?.map(f);
  }
  return out;
}

/** The element-wise binary operators (BINARY): the broadcast shape; constant operands fold. */
function onBinary(arg: ShapeArgs): Inferred {
  const { ins, op, x, s } = arg;
  // A constant operand of unknown shape (a mask built by scatters) broadcasts to the activation's shape.
  const known = ins.map((t, i) => (t?.shape ? i : -1)).filter((i) => i >= 0);
  const partial =
    known.length > 0 &&
    known.length < ins.length &&
    ins.every((t) => t?.shape || t?.konst) &&
    known.some((i) => !ins[i].konst);
  let sh = partial ? s(known[0]) : x;
  for (const i of partial ? known.slice(1) : ins.map((_, k) => k).slice(1))
    sh = sh && s(i) ? broadcast(sh, s(i)!) : undefined;
  let values: number[] | undefined;
  const a = valuesOf(ins, 0),
    b = valuesOf(ins, 1);
  if (a && b && ins.length === 2) values = arith(op, a, b);
  return [{ shape: sh, values }];
}

/** Where */
function onWhere(arg: ShapeArgs): Inferred {
  const { ins, s } = arg;
  const sh = s(0) && s(1) && s(2) ? broadcast(broadcast(s(0)!, s(1)!) ?? [], s(2)!) : undefined;
  const c = valuesOf(ins, 0),
    a = valuesOf(ins, 1),
    b = valuesOf(ins, 2);
  let values: number[] | undefined;
  if (c && a && b && sh) {
    const len = prod(sh);
    values = [];
    for (let i = 0; i < len; i++)
      values.push(c[c.length === 1 ? 0 : i] ? a[a.length === 1 ? 0 : i] : b[b.length === 1 ? 0 : i]);
  }
  return [{ shape: sh, values }];
}

/** Conv, ConvTranspose */
function onConv(arg: ShapeArgs): Inferred {
  const { n, op, x, s } = arg;
  const w = s(1);
  if (!x || !w) return [{}];
  const kernel = attrInts(n, 'kernel_shape') ?? w.slice(2);
  const g = windowGeom({ ...n, attrs: new Map([...n.attrs].filter(([k]) => k !== 'ceil_mode')) }, x, kernel);
  if (op === 'ConvTranspose') {
    const group = attrI(n, 'group', 1);
    const r = kernel.length;
    const outPad = attrInts(n, 'output_padding') ?? new Array(r).fill(0);
    const explicit = attrInts(n, 'output_shape');
    const sp =
      explicit ??
      x
        .slice(2)
        .map((v, i) => g.strides[i] * (v - 1) + outPad[i] + (kernel[i] - 1) * g.dil[i] + 1 - g.pads[i] - g.pads[i + r]);
    return [{ shape: [x[0], w[1] * group, ...sp] }];
  }
  return [{ shape: [x[0], w[0], ...g.out] }];
}

/** MaxPool, AveragePool, LpPool */
function onMaxPool(arg: ShapeArgs): Inferred {
  const { n, x } = arg;
  const kernel = attrInts(n, 'kernel_shape');
  if (!x || !kernel) return [{}];
  const g = windowGeom(n, x, kernel);
  return [{ shape: [x[0], x[1], ...g.out] }, { shape: [x[0], x[1], ...g.out] }];
}

/** GlobalAveragePool, GlobalMaxPool, GlobalLpPool */
function onGlobalAveragePool(arg: ShapeArgs): Inferred {
  const { x } = arg;
  return [{ shape: x ? [x[0], x[1], ...x.slice(2).map(() => 1)] : undefined }];
}

/** Gemm */
function onGemm(arg: ShapeArgs): Inferred {
  const { n, x, s } = arg;
  const b = s(1);
  if (!x || !b) return [{}];
  const m = attrI(n, 'transA', 0) ? x[1] : x[0];
  const nn = attrI(n, 'transB', 0) ? b[0] : b[1];
  return [{ shape: [m, nn] }];
}

/** MatMul */
function onMatMul(arg: ShapeArgs): Inferred {
  const { x, s } = arg;
  const b = s(1);
  if (!x || !b) return [{}];
  const a2 = x.length === 1 ? [1, x[0]] : x;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  const batch = broadcast(a2.slice(0, -2), b2.slice(0, -2));
  if (!batch) return [{}];
  const out = [...batch, a2[a2.length - 2], b2[b2.length - 1]];
  if (x.length === 1) out.splice(out.length - 2, 1);
  if (b.length === 1) out.pop();
  return [{ shape: out }];
}

/** Flatten */
function onFlatten(arg: ShapeArgs): Inferred {
  const { n, x } = arg;
  if (!x) return [{}];
  const axis = norm(attrI(n, 'axis', 1), x.length);
  return [{ shape: [prod(x.slice(0, axis)), prod(x.slice(axis))] }];
}

/** Reshape */
function onReshape(arg: ShapeArgs): Inferred {
  const { n, ins, opset, x } = arg;
  const target = opset >= 5 ? valuesOf(ins, 1) : attrInts(n, 'shape');
  if (!x || !target) return [{}];
  const allowZero = attrI(n, 'allowzero', 0) === 1;
  const out = target.map((v, i) => (v === 0 && !allowZero ? x[i] : v));
  const known = out.filter((v) => v !== -1);
  const neg = out.indexOf(-1);
  if (neg >= 0) out[neg] = prod(x) / prod(known);
  return [{ shape: out, values: ins[0]?.values }];
}

/** Transpose */
function onTranspose(arg: ShapeArgs): Inferred {
  const { n, ins, x } = arg;
  if (!x) return [{}];
  const perm = attrInts(n, 'perm') ?? x.map((_, i) => x.length - 1 - i);
  const outShape = perm.map((p) => x[p]);
  const v = ins[0]?.values;
  let values: number[] | undefined;
  if (v && v.length === prod(x) && v.length <= 4096) {
    const strides = x.map((_, i) => prod(x.slice(i + 1)));
    values = [];
    const idx = new Array(outShape.length).fill(0);
    for (let k = 0; k < v.length; k++) {
      let off = 0;
      for (let i = 0; i < outShape.length; i++) off += idx[i] * strides[perm[i]];
      values.push(v[off]);
      for (let i = outShape.length - 1; i >= 0; i--) {
        if (++idx[i] < outShape[i]) break;
        idx[i] = 0;
      }
    }
  }
  return [{ shape: outShape, values }];
}

/** Squeeze, Unsqueeze */
function onSqueeze(arg: ShapeArgs): Inferred {
  const { n, ins, opset, op, x } = arg;
  if (!x) return [{}];
  const axesRaw = opset >= 13 ? valuesOf(ins, 1) : attrInts(n, 'axes');
  const v = ins[0]?.values;
  if (op === 'Squeeze') {
    const axes = axesRaw
      ? axesRaw.map((a) => norm(a, x.length))
      : x.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0);
    return [{ shape: x.filter((_, i) => !axes.includes(i)), values: v }];
  }
  if (!axesRaw) return [{}];
  const r = x.length + axesRaw.length;
  const axes = axesRaw.map((a) => norm(a, r));
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < r; i++) out.push(axes.includes(i) ? 1 : x[j++]);
  return [{ shape: out, values: v }];
}

/** Concat */
function onConcat(arg: ShapeArgs): Inferred {
  const { n, ins, x } = arg;
  const shapes = ins.map((t) => t?.shape);
  if (shapes.some((t) => !t) || !x) return [{}];
  const axis = norm(attrI(n, 'axis', 0), x.length);
  const out = [...x];
  out[axis] = shapes.reduce((acc, t) => acc + t![axis], 0);
  const vals = ins.every((t) => t.values) ? ins.flatMap((t) => t.values!) : undefined;
  return [{ shape: out, values: x.length === 1 ? vals : undefined }];
}

/** Gather */
function onGather(arg: ShapeArgs): Inferred {
  const { n, ins, x, s } = arg;
  const idx = s(1);
  if (!x || !idx) return [{}];
  const axis = norm(attrI(n, 'axis', 0), x.length);
  const out = [...x.slice(0, axis), ...idx, ...x.slice(axis + 1)];
  let values: number[] | undefined;
  const d = ins[0]?.values,
    iv = ins[1]?.values;
  if (d && iv && x.length === 1) values = iv.map((i) => d[i < 0 ? i + d.length : i]);
  return [{ shape: out, values }];
}

/** Slice */
function onSlice(arg: ShapeArgs): Inferred {
  const { n, ins, opset, x } = arg;
  if (!x) return [{}];
  const starts = opset >= 10 ? valuesOf(ins, 1) : attrInts(n, 'starts');
  const ends = opset >= 10 ? valuesOf(ins, 2) : attrInts(n, 'ends');
  if (!starts || !ends) return [{}];
  const axes = (opset >= 10 ? valuesOf(ins, 3) : attrInts(n, 'axes')) ?? starts.map((_, i) => i);
  const steps = (opset >= 10 ? valuesOf(ins, 4) : undefined) ?? starts.map(() => 1);
  const out = [...x];
  const ranges: [number, number, number][] = x.map((d) => [0, d, 1]);
  axes.forEach((a0, i) => {
    const a = norm(a0, x.length);
    const d = x[a];
    const st = steps[i];
    const [b, e] = sliceBounds(d, starts[i], ends[i], st);
    out[a] = Math.max(0, Math.ceil((e - b) / st));
    ranges[a] = [b, e, st];
  });
  let values: number[] | undefined;
  const v = ins[0]?.values;
  if (v && v.length === prod(x) && prod(out) <= 4096) {
    // Small constant tensors of any rank (shape arithmetic: pads reversed with Slice(step -1) on [k, 2]).
    values = [];
    const strides = x.map((_, i) => prod(x.slice(i + 1)));
    const idx = new Array(out.length).fill(0);
    for (let k = 0; k < prod(out); k++) {
      let off = 0;
      for (let i = 0; i < out.length; i++) off += (ranges[i][0] + idx[i] * ranges[i][2]) * strides[i];
      values.push(v[off]);
      for (let i = out.length - 1; i >= 0; i--) {
        if (++idx[i] < out[i]) break;
        idx[i] = 0;
      }
    }
  }
  return [{ shape: out, values }];
}

/** Split */
function onSplit(arg: ShapeArgs): Inferred {
  const { n, ins, opset, x } = arg;
  if (!x) return n.outputs.map(() => ({}));
  const axis = norm(attrI(n, 'axis', 0), x.length);
  let split = opset >= 13 ? valuesOf(ins, 1) : attrInts(n, 'split');
  if (!split) {
    const k = n.outputs.length;
    const each = Math.ceil(x[axis] / k);
    split = n.outputs.map((_, i) => Math.min(each, x[axis] - i * each));
  }
  return split.map((d) => {
    const o = [...x];
    o[axis] = d;
    return { shape: o };
  });
}

/** ReduceMean, ReduceSum, ReduceMax, ReduceMin, ReduceProd, ReduceL2, ReduceSumSquare, ArgMax, ArgMin */
function onReduceMean(arg: ShapeArgs): Inferred {
  const { n, ins, opset, op, x } = arg;
  if (!x) return [{}];
  const keep = attrI(n, 'keepdims', 1) === 1;
  const inputAxes = op === 'ReduceSum' ? opset >= 13 : opset >= 18;
  let axes = op.startsWith('Arg') ? [attrI(n, 'axis', 0)] : inputAxes ? valuesOf(ins, 1) : attrInts(n, 'axes');
  if (!axes || !axes.length) axes = x.map((_, i) => i);
  const ax = axes.map((a) => norm(a, x.length));
  const out: number[] = [];
  x.forEach((d, i) => {
    if (!ax.includes(i)) out.push(d);
    else if (keep) out.push(1);
  });
  const v = ins[0]?.values;
  return [{ shape: out, values: op === 'ReduceProd' && v && x.length === 1 ? [prod(v)] : undefined }];
}

/** ConstantOfShape */
function onConstantOfShape(arg: ShapeArgs): Inferred {
  const { n, ins } = arg;
  const sh = valuesOf(ins, 0);
  if (!sh) return [{}];
  const fill = n.attrs.get('value')?.t?.values?.[0] ?? 0;
  return [{ shape: sh, values: prod(sh) <= 1024 ? new Array(prod(sh)).fill(fill) : undefined }];
}

/** Range */
function onRange(arg: ShapeArgs): Inferred {
  const { ins } = arg;
  const [a, l, d] = [valuesOf(ins, 0)?.[0], valuesOf(ins, 1)?.[0], valuesOf(ins, 2)?.[0]];
  if (a === undefined || l === undefined || d === undefined) return [{}];
  const k = Math.max(0, Math.ceil((l - a) / d));
  return [{ shape: [k], values: k <= 1024 ? Array.from({ length: k }, (_, i) => a + i * d) : undefined }];
}

/** Expand */
function onExpand(arg: ShapeArgs): Inferred {
  const { ins, x } = arg;
  const sh = valuesOf(ins, 1);
  if (!x || !sh) return [{}];
  return [{ shape: broadcast(x, sh) }];
}

/** Tile */
function onTile(arg: ShapeArgs): Inferred {
  const { ins, x } = arg;
  const rep = valuesOf(ins, 1);
  return [{ shape: x && rep ? x.map((d, i) => d * rep[i]) : undefined }];
}

/** Pad */
function onPad(arg: ShapeArgs): Inferred {
  const { n, ins, opset, x } = arg;
  const pads = padsOf(n, ins, opset, x?.length ?? 0);
  if (!x || !pads) return [{}];
  const r = x.length;
  return [{ shape: x.map((d, i) => d + pads[i] + pads[i + r]) }];
}

/** Attention */
function onAttention(arg: ShapeArgs): Inferred {
  const { n, x, s } = arg;
  // com.microsoft fused attention: input [B, T, D], weights [D, 3D]
  return [{ shape: x && s(1) ? [...x.slice(0, -1), attrInts(n, 'qkv_hidden_sizes')?.[2] ?? s(1)![1] / 3] : undefined }];
}

/** MultiHeadAttention */
function onMultiHeadAttention(arg: ShapeArgs): Inferred {
  const { x } = arg;
  return [{ shape: x }];
}

/** Einsum */
function onEinsum(arg: ShapeArgs): Inferred {
  const { n, ins } = arg;
  const eq = einsumParse(attrS(n, 'equation', ''), ins.length);
  if (!eq || ins.some((t) => !t?.shape)) return [{}];
  const size = new Map<string, number>();
  eq.ins.forEach((letters, k) => letters.forEach((c, i) => size.set(c, Math.max(size.get(c) ?? 1, ins[k].shape![i]))));
  return [{ shape: eq.out.map((c) => size.get(c) ?? 1) }];
}

/** LSTM, GRU, RNN */
function onLSTM(arg: ShapeArgs): Inferred {
  const { n, op, x, s } = arg;
  const w = s(1);
  if (!x || !w) return n.outputs.map(() => ({}));
  const h = attrI(n, 'hidden_size', op === 'LSTM' ? w[1] / 4 : op === 'GRU' ? w[1] / 3 : w[1]);
  const dirs = attrS(n, 'direction', 'forward') === 'bidirectional' ? 2 : 1;
  const batchFirst = attrI(n, 'layout', 0) === 1;
  const [t, b] = batchFirst ? [x[1], x[0]] : [x[0], x[1]];
  const y = batchFirst ? [b, t, dirs, h] : [t, dirs, b, h];
  const yh = batchFirst ? [b, dirs, h] : [dirs, b, h];
  return [{ shape: y }, { shape: yh }, { shape: yh }];
}

/** Resize, Upsample */
function onResize(arg: ShapeArgs): Inferred {
  const { n, ins, op, x } = arg;
  if (!x) return [{}];
  const sizes = valuesOf(ins, 3);
  const scales = op === 'Upsample' ? (valuesOf(ins, 1) ?? attrInts(n, 'scales')) : valuesOf(ins, 2);
  if (sizes && sizes.length === x.length) return [{ shape: sizes }];
  if (scales && scales.length === x.length) return [{ shape: x.map((d, i) => Math.floor(d * scales[i])) }];
  return [{}];
}

/** DepthToSpace, SpaceToDepth */
function onDepthToSpace(arg: ShapeArgs): Inferred {
  const { n, op, x } = arg;
  if (!x) return [{}];
  const b = attrI(n, 'blocksize', 1);
  return [
    {
      shape:
        op === 'DepthToSpace' ? [x[0], x[1] / (b * b), x[2] * b, x[3] * b] : [x[0], x[1] * b * b, x[2] / b, x[3] / b],
    },
  ];
}

/** The node types tried before the element-wise sets (the order the rules were written in). */
const PRE: Record<string, (arg: ShapeArgs) => Inferred> = {
  Constant: onConstant,
  Shape: onShape,
  ScatterND: onScatterND,
  ScatterElements: onScatterND,
  Scatter: onScatterND,
  Size: onSize,
};
/** The other node types with a rule of their own. */
const RULES: Record<string, (arg: ShapeArgs) => Inferred> = {
  Conv: onConv,
  ConvTranspose: onConv,
  MaxPool: onMaxPool,
  AveragePool: onMaxPool,
  LpPool: onMaxPool,
  GlobalAveragePool: onGlobalAveragePool,
  GlobalMaxPool: onGlobalAveragePool,
  GlobalLpPool: onGlobalAveragePool,
  Gemm: onGemm,
  MatMul: onMatMul,
  Flatten: onFlatten,
  Reshape: onReshape,
  Transpose: onTranspose,
  Squeeze: onSqueeze,
  Unsqueeze: onSqueeze,
  Concat: onConcat,
  Gather: onGather,
  Slice: onSlice,
  Split: onSplit,
  ReduceMean: onReduceMean,
  ReduceSum: onReduceMean,
  ReduceMax: onReduceMean,
  ReduceMin: onReduceMean,
  ReduceProd: onReduceMean,
  ReduceL2: onReduceMean,
  ReduceSumSquare: onReduceMean,
  ArgMax: onReduceMean,
  ArgMin: onReduceMean,
  ConstantOfShape: onConstantOfShape,
  Range: onRange,
  Expand: onExpand,
  Tile: onTile,
  Pad: onPad,
  Attention: onAttention,
  MultiHeadAttention: onMultiHeadAttention,
  Einsum: onEinsum,
  LSTM: onLSTM,
  GRU: onLSTM,
  RNN: onLSTM,
  Resize: onResize,
  Upsample: onResize,
  DepthToSpace: onDepthToSpace,
  SpaceToDepth: onDepthToSpace,
};

/**
 * Output shapes (and values where they can be folded) of one node. Returns undefined entries for outputs whose
 * shape cannot be inferred from what is known (the caller then falls back on the graph's value_info).
 */
export function inferNode(n: NodeInfo, ins: TensorState[], opset: number): Inferred {
  const s = (i: number) => ins[i]?.shape;
  const op = n.opType;
  const arg: ShapeArgs = { n, ins, opset, op, x: s(0), s };
  let rule: ((arg: ShapeArgs) => Inferred) | undefined;
  if (Object.hasOwn(PRE, op)) rule = PRE[op];
  else if (ELEMENTWISE_UNARY.has(op)) rule = onUnary;
  else if (BINARY.has(op)) rule = onBinary;
  else if (op === 'Where') rule = onWhere;
  else if (Object.hasOwn(RULES, op)) rule = RULES[op];
  return rule ? rule(arg) : n.outputs.map(() => ({}));
}

/** Full pads [begin..., end...] of a Pad node over all `rank` axes (opset 18's `axes` input honoured). */
export function padsOf(n: NodeInfo, ins: TensorState[], opset: number, rank: number): number[] | undefined {
  const pads = opset >= 11 ? ins[1]?.values : attrInts(n, 'pads');
  if (!pads) return undefined;
  const axes = opset >= 18 ? ins[3]?.values : undefined;
  if (!axes) return pads.length === 2 * rank ? pads : undefined;
  const full = new Array(2 * rank).fill(0);
  axes.forEach((a0, i) => {
    const a = a0 < 0 ? a0 + rank : a0;
    full[a] = pads[i];
    full[a + rank] = pads[i + axes.length];
  });
  return full;
}

/** An einsum equation without ellipsis, e.g. `bhid,bhjd->bhij`: the letters of each operand and of the output. */
export function einsumParse(eq: string, operands: number): { ins: string[][]; out: string[] } | undefined {
  const e = eq.replace(/\s+/g, '');
  if (!e || e.includes('.')) return undefined;
  const [lhs, rhs] = e.split('->');
  const ins = lhs.split(',').map((t) => [...t]);
  if (ins.length !== operands || ins.some((t) => t.some((c) => !/[a-zA-Z]/.test(c)))) return undefined;
  let out: string[];
  if (rhs !== undefined) out = [...rhs];
  else {
    // Implicit output: the letters that appear once, in alphabetical order.
    const count = new Map<string, number>();
    for (const t of ins) for (const c of t) count.set(c, (count.get(c) ?? 0) + 1);
    out = [...count]
      .filter(([, k]) => k === 1)
      .map(([c]) => c)
      .sort();
  }
  return { ins, out };
}
