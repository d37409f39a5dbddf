// Maps a decoded ONNX graph onto accelmap network layers (docs/spec-format.md): one layer per operator that
// matters for training cost; shape arithmetic, constants and casts are folded away; unknown operators become
// `type: unsupported` layers with a warning.
//
// Assumptions (labelled; each is referenced where it is applied):
//  ASM-1 the network input carries the batch on axis 0, or on axis 1 when it feeds seq-first RNNs directly
//        ([T, N, F], ONNX LSTM layout 0). The batch axis is then followed through Transpose/Reshape/Squeeze; a
//        reshape that merges the batch with another axis is imported as `unsupported` with its shape.
//  ASM-2 Add/Sub/Mul/Div of an activation with a constant (scaling, GELU's 0.5 and 1, normalisation constants)
//        is folded into the producer: one elementwise pass, negligible next to the layers around it.
//  ASM-3 Sub/Div between two activations cost like Add/Mul (one elementwise pass over the broadcast shape).
//  ASM-4 Erf appears in exported graphs only inside the exact GELU, x*0.5*(1+erf(x/sqrt2)): it becomes `gelu`.
//  ASM-5 Clip with bounds other than [0, 6] / [0, inf) costs like relu6; HardSigmoid costs like sigmoid.
//  ASM-6 LayerNorm decomposed by exporters below opset 17 — ReduceMean(x) -> Sub(x, mean) -> Pow -> ReduceMean
//        -> Add(eps) -> Sqrt -> Div — is one `layernorm` layer (the following Mul/Add of gamma/beta fold by ASM-2).
//  ASM-7 QuantizeLinear/DequantizeLinear on activations (QDQ-quantized models) are format conversions and fold
//        away; the network's `precision:` says what the layers compute in.
import type { LayerType } from '../spec/types';
import type { GraphInfo, NodeInfo } from './proto';
import { attrF, attrI, attrInts, attrS, dropAxis, inferNode, specView, windowGeom, type TensorState } from './shapes';
import { ImportError, nodeLabel } from './errors';
import { graphInputs, usage } from './inputs';
import { fitPads, pair } from './window';
import { containerNames, moduleName, NameTable } from './names';

export interface ImportedLayer {
  name: string;
  type: LayerType;
  /** Spec keys of the layer other than name/type/inputs/output_shape/origin, in writing order. */
  keys: [string, number | string | boolean | number[]][];
  /** Producer layers ('input' = the network input). */
  inputs: string[];
  /** Full ONNX output shape, batch included. */
  outShape: number[];
  /** Output shape as the spec states it (batch excluded; written as `output_shape:`). */
  specShape: number[];
  inShapes: number[][];
  /** Whether `output_shape:` is written for this layer. */
  writeShape: boolean;
  origin: string;
  opType: string;
  /** Weight tensor shape (conv, linear, embedding, lstm W). */
  weightShape?: number[];
}

export interface MappedGraph {
  batch: number;
  /** Network input shape, batch included. */
  inputShape: number[];
  /** Axis of inputShape that is the batch. */
  inputBatchAxis: number;
  layers: ImportedLayer[];
  warnings: string[];
}

export { ImportError };

const LN_STEPS = new Set(['Pow', 'ReduceMean', 'Add', 'Sqrt', 'Div', 'Cast', 'Mul']);

const SAME_SHAPE: ReadonlySet<LayerType> = new Set<LayerType>([
  'relu', 'relu6', 'leaky_relu', 'gelu', 'sigmoid', 'tanh', 'silu', 'hardswish', 'batchnorm', 'layernorm', 'dropout', 'softmax',
]);

export function mapGraph(g: GraphInfo, opset: number, opts: { batch?: number }): MappedGraph {
  const warnings: string[] = [];
  const env = new Map<string, TensorState>();
  const use = usage(g);
  const { uses, consumers } = use;
  const { batch, origBatch, inB, inputShape } = graphInputs(g, opts, env, warnings, use);
  const valueInfo = new Map<string, number[]>();
  for (const v of [...g.valueInfo, ...g.outputs]) {
    if (v.shape && v.shape.every((d) => typeof d === 'number')) {
      const sh = [...(v.shape as number[])];
      if (sh.length && sh[0] === origBatch) sh[0] = batch;
      valueInfo.set(v.name, sh);
    }
  }

  const layers: ImportedLayer[] = [];
  const byName = new Map<string, ImportedLayer>();
  const names = new NameTable();
  const containers = containerNames(g.nodes.map((n) => n.name));

  const step = (n: NodeInfo): void => {
    const ins: TensorState[] = n.inputs.map((t) => (t ? env.get(t) ?? { konst: true } : { konst: true }));
    for (let i = 0; i < n.inputs.length; i++) {
      if (n.inputs[i] && !env.has(n.inputs[i])) throw new ImportError(`${nodeLabel(n)} reads '${n.inputs[i]}', which no earlier node produces (the graph is not topologically sorted or is incomplete); re-export the model`);
    }
    // A fixed-batch export bakes its batch into Reshape targets (`x.view(1, -1)`); --batch replaces it there too.
    const target = ins[1]?.values;
    if (n.opType === 'Reshape' && batch !== origBatch && origBatch > 0 && !ins[0].konst && (ins[0].bAxis ?? 0) === 0 && target?.[0] === origBatch) {
      ins[1] = { ...ins[1], values: [batch, ...target.slice(1)] };
    }
    const foreign = n.domain !== '' && n.domain !== 'ai.onnx';
    let outs = foreign ? n.outputs.map(() => ({} as { shape?: number[]; values?: number[] })) : inferNode(n, ins, opset);
    outs = n.outputs.map((o, i) => {
      const r = outs[i] ?? {};
      if (!r.shape && valueInfo.has(o)) return { ...r, shape: valueInfo.get(o) };
      return r;
    });
    const acts = n.inputs.map((t, i) => ({ t, i, s: ins[i] })).filter((a) => a.t && !a.s.konst);

    if (!acts.length || n.opType === 'Shape' || n.opType === 'Size') {
      // Constant subgraph (shape arithmetic, weight transforms) or shape metadata of an activation: fold it.
      n.outputs.forEach((o, i) => env.set(o, { shape: outs[i]?.shape, values: outs[i]?.values, konst: true }));
      return;
    }

    const x = acts[0].s;
    const xb = x.bAxis ?? 0;
    const out0 = outs[0]?.shape;
    const alias = (st: TensorState) => n.outputs.forEach((o) => env.set(o, { ...st, values: undefined }));
    const layerOf = (s: TensorState) => (s.layer ? byName.get(s.layer) : undefined);
    const same = (a: number[] | undefined, b: number[] | undefined) => !!a && !!b && a.length === b.length && a.every((d, i) => d === b[i]);

    const emit = (type: LayerType, keys: ImportedLayer['keys'], from: TensorState[], shape: number[] | undefined, extra?: Partial<ImportedLayer>, out?: { bAxis?: number; spec?: number[]; index?: number }): ImportedLayer => {
      if (!shape || shape.some((d) => !Number.isFinite(d))) {
        throw new ImportError(`cannot infer the output shape of ${nodeLabel(n)}; re-export the model with static shapes (onnx.shape_inference / onnxsim) or fix the node's inputs`);
      }
      const name = names.take(moduleName(n.name, n.opType, containers), type);
      const bAxis = out?.bAxis ?? xb;
      const L: ImportedLayer = {
        name, type, keys, inputs: from.map((s) => s.layer ?? 'input'), outShape: shape, specShape: out?.spec ?? dropAxis(shape, bAxis),
        inShapes: from.map((s) => s.shape ?? []),
        writeShape: !SAME_SHAPE.has(type) && type !== 'lstm' && type !== 'gru', origin: n.name || n.outputs[0], opType: n.opType, ...extra,
      };
      layers.push(L);
      byName.set(name, L);
      env.set(n.outputs[out?.index ?? 0], { shape, konst: false, layer: name, bAxis, spec: out?.spec });
      return L;
    };
    /** Where the batch axis lands in an output of a different shape: kept when the rank is kept, else found by size. */
    const guessB = (sh: number[]) => (sh.length === (x.shape?.length ?? -1) ? xb : Math.max(0, sh.indexOf(batch)));
    const unsupported = (why?: string) => {
      let shape = out0;
      if (!shape) {
        shape = x.shape;
        warnings.push(`${nodeLabel(n)}: output shape unknown; assumed equal to its input's ${JSON.stringify(shape)}`);
      }
      warnings.push(`${nodeLabel(n)}: ${why ?? 'operator not modelled'}; imported as \`type: unsupported\` (zero cost)`);
      const from = acts.map((a) => a.s);
      const L = emit('unsupported', [['op_type', n.opType]], from, shape, { writeShape: true }, { bAxis: shape ? guessB(shape) : 0 });
      // Further outputs (Split, TopK ...) that are used get a layer each, so every consumer sees its own shape.
      n.outputs.forEach((o, i) => {
        if (i === 0 || !o) return;
        const sh = outs[i]?.shape;
        if ((uses.get(o) ?? 0) > 0 && sh) emit('unsupported', [['op_type', n.opType]], from, sh, { writeShape: true }, { bAxis: guessB(sh), index: i });
        else env.set(o, { shape: sh, konst: false, layer: L.name, bAxis: sh ? guessB(sh) : 0 });
      });
    };
    /**
     * A reshape-like op (Reshape, Flatten, Squeeze, Unsqueeze): the batch stays an axis of its own when the
     * product of the dims before it is unchanged. Folded when the spec-level shape does not change.
     */
    const reshapeTo = (why: string, type: 'reshape' | 'flatten' = 'reshape') => {
      if (!out0 || !x.shape) { unsupported(why); return; }
      if (same(out0, x.shape)) { alias(x); return; }
      const before = x.shape.slice(0, xb).reduce((a, b) => a * b, 1);
      let j = -1;
      for (let k = 0, p = 1; k < out0.length; p *= out0[k], k++) if (p === before && out0[k] === batch) { j = k; break; }
      if (j < 0) { unsupported(why); return; }
      const view = dropAxis(out0, j);
      if (same(view, specView(x))) { alias({ ...x, shape: out0, bAxis: j }); return; }
      if (type === 'flatten' && view.length === 1) emit('flatten', [], [x], out0, undefined, { bAxis: j });
      else emit('reshape', [['shape', view]], [x], out0, undefined, { bAxis: j });
    };
    /** Spec axis (batch excluded) of an ONNX axis; undefined when it is the batch axis. */
    const specAxis = (axis: number, rank: number) => {
      const a = axis < 0 ? axis + rank : axis;
      return a === xb ? undefined : a > xb ? a - 1 : a;
    };
    const nchw = () => xb === 0 && !x.spec;
    if (foreign) { unsupported(`operator of domain '${n.domain}' not modelled`); return; }

    // ASM-6: the steps of a decomposed LayerNorm after its Sub fold into the layernorm layer.
    const lnOwner = acts[0].s.lnPart ? acts[0].s.layer : undefined;
    if (lnOwner && LN_STEPS.has(n.opType) && acts.every((a) => a.s.lnPart && a.s.layer === lnOwner)) {
      alias({ ...x, shape: out0, lnPart: n.opType !== 'Div' });
      return;
    }
    if (n.opType === 'ReduceMean' && acts.length === 1 && x.shape && out0 && out0.length === x.shape.length && out0[out0.length - 1] === 1
      && out0.slice(0, -1).every((d, i) => d === x.shape![i])
      && (consumers.get(n.outputs[0]) ?? []).every((c) => c.opType === 'Sub' && c.inputs[0] === n.inputs[0] && c.inputs[1] === n.outputs[0])) {
      alias({ ...x, shape: out0, meanOf: x.layer ?? 'input' });
      return;
    }
    if (n.opType === 'Sub' && acts.length === 2 && acts[1].s.meanOf !== undefined && acts[1].s.meanOf === (x.layer ?? 'input')) {
      emit('layernorm', [], [x], out0);
      env.set(n.outputs[0], { ...env.get(n.outputs[0])!, lnPart: true });
      return;
    }

    switch (n.opType) {
      case 'Identity': case 'Cast': case 'CastLike':
      case 'QuantizeLinear': case 'DequantizeLinear': // ASM-7
        alias(x);
        break;
      case 'Pad': {
        // Zero padding of H and W in front of convolutions/pools (TF exports) folds into their padding.
        const pads = opset >= 11 ? ins[1]?.values : attrInts(n, 'pads');
        const mode = attrS(n, 'mode', 'constant');
        const cval = opset >= 11 ? ins[2]?.values?.[0] ?? 0 : attrF(n, 'value', 0);
        const users = consumers.get(n.outputs[0]) ?? [];
        if (pads && pads.length === 8 && mode === 'constant' && cval === 0 && nchw() && !x.padExtra && pads[0] === 0 && pads[1] === 0 && pads[4] === 0 && pads[5] === 0
          && users.length > 0 && users.every((u) => ['Conv', 'MaxPool', 'AveragePool'].includes(u.opType) && u.inputs[0] === n.outputs[0])) {
          alias({ ...x, shape: out0, padExtra: [pads[2], pads[3], pads[6], pads[7]] });
        } else unsupported('padding that is not zero padding of H and W in front of a convolution or pool is not modelled');
        break;
      }
      case 'Conv': {
        const w = ins[1]?.shape;
        if (!w || w.length !== 4 || !x.shape || x.shape.length !== 4 || !nchw()) { unsupported('only 2-D convolutions over [N, C, H, W] are modelled'); break; }
        if (!ins[1].konst) { unsupported('convolution with a computed (non-constant) weight is not modelled'); break; }
        const geo = windowGeom({ ...n, attrs: new Map([...n.attrs].filter(([k]) => k !== 'ceil_mode')) }, x.shape, attrInts(n, 'kernel_shape') ?? w.slice(2));
        const keys: ImportedLayer['keys'] = [['out_channels', w[0]], ['kernel_size', pair(geo.kernel)]];
        if (geo.strides.some((v) => v !== 1)) keys.push(['stride', pair(geo.strides)]);
        const pad = fitPads(geo, x, out0!, n, warnings);
        if (pad.some((v) => v !== 0)) keys.push(['padding', pair(pad)]);
        if (geo.dil.some((v) => v !== 1)) keys.push(['dilation', pair(geo.dil)]);
        const group = attrI(n, 'group', 1);
        if (group !== 1) keys.push(['groups', group]);
        keys.push(['bias', !!n.inputs[2]]);
        emit('conv2d', keys, [x], out0, { weightShape: w });
        break;
      }
      case 'Gemm': case 'MatMul': {
        const isGemm = n.opType === 'Gemm';
        const transA = isGemm && attrI(n, 'transA', 0) === 1;
        if (acts.length === 2 && !transA) {
          const keys: ImportedLayer['keys'] = [];
          if (isGemm && attrI(n, 'transB', 0) === 1) keys.push(['transpose_b', true]);
          emit('matmul', keys, [ins[0], ins[1]], out0);
          break;
        }
        const w = ins[1]?.shape;
        if (acts[0].i !== 0 || transA || !w || w.length !== 2) { unsupported('a matrix product whose weight is the left operand is not modelled'); break; }
        const transB = isGemm && attrI(n, 'transB', 0) === 1;
        const outF = transB ? w[0] : w[1];
        const hasBias = isGemm && !!n.inputs[2];
        emit('linear', [['out_features', outF], ['bias', hasBias]], [x], out0, { weightShape: transB ? w : [w[1], w[0]] });
        break;
      }
      case 'Add': case 'Sub': case 'Mul': case 'Div': {
        if (acts.length === 1) {
          const producer = layerOf(x);
          const c = ins[acts[0].i === 0 ? 1 : 0];
          // A bias added after a bias-less MatMul/Conv folds into it (PyTorch exports nn.Linear on 3-D inputs so).
          if (n.opType === 'Add' && producer && (producer.type === 'linear' || producer.type === 'conv2d') && uses.get(n.inputs[acts[0].i]) === 1) {
            const bk = producer.keys.find((k) => k[0] === 'bias');
            const cs = c.shape ?? [];
            const ch = producer.type === 'linear' ? producer.outShape[producer.outShape.length - 1] : producer.outShape[1];
            if (bk && bk[1] === false && cs.filter((d) => d !== 1).length <= 1 && cs.includes(ch)) { bk[1] = true; alias(x); break; }
          }
          if (out0 && x.shape && out0.length === x.shape.length && out0.every((d, i) => d === x.shape![i])) { alias(x); break; } // ASM-2
          unsupported('an elementwise operation with a constant that changes the shape is not modelled');
          break;
        }
        const [a, b] = [acts[0].s, acts[1].s];
        const la = layerOf(a), lb = layerOf(b);
        if (n.opType === 'Mul') {
          // x * sigmoid(x) -> silu, x * hard_sigmoid(x) -> hardswish; x * (gelu-branch of x) -> the gelu layer (ASM-4).
          const fold = (p: ImportedLayer | undefined, q: TensorState) => p && (p.type === 'sigmoid' || p.type === 'gelu') && p.inputs.length === 1 && p.inputs[0] === (q.layer ?? 'input');
          const f = fold(lb, a) ? lb : fold(la, b) ? la : undefined;
          if (f) {
            // x * sigmoid(x) is SiLU; x * hard_sigmoid(x) is hard-swish (MobileNetV3 exports it so before opset 14).
            if (f.type === 'sigmoid') f.type = f.opType === 'HardSigmoid' ? 'hardswish' : 'silu';
            alias({ ...(f === lb ? b : a), layer: f.name });
            break;
          }
        }
        emit(n.opType === 'Add' || n.opType === 'Sub' ? 'add' : 'mul', [], acts.map((q) => q.s), out0); // ASM-3
        break;
      }
      case 'Sum':
        emit('add', [], acts.map((q) => q.s), out0);
        break;
      case 'Erf':
        emit('gelu', [], [x], out0); // ASM-4
        break;
      case 'Relu': emit('relu', [], [x], out0); break;
      case 'Sigmoid': case 'HardSigmoid': emit('sigmoid', [], [x], out0); break; // ASM-5
      case 'Tanh': emit('tanh', [], [x], out0); break;
      case 'Gelu': emit('gelu', [], [x], out0); break;
      case 'HardSwish': emit('hardswish', [], [x], out0); break;
      case 'LeakyRelu': emit('leaky_relu', [['negative_slope', round(attrF(n, 'alpha', 0.01))]], [x], out0); break;
      case 'Clip': {
        const lo = opset >= 11 ? ins[1]?.values?.[0] : attrF(n, 'min', -Infinity);
        const hi = opset >= 11 ? ins[2]?.values?.[0] : attrF(n, 'max', Infinity);
        emit(lo === 0 && (hi === undefined || hi === Infinity) ? 'relu' : 'relu6', [], [x], out0); // ASM-5
        break;
      }
      case 'BatchNormalization':
        emit('batchnorm', [], [x], out0);
        n.outputs.slice(1).forEach((o) => env.set(o, { konst: true }));
        break;
      case 'LayerNormalization': {
        const axis = attrI(n, 'axis', -1);
        if (x.shape && axis !== -1 && axis !== x.shape.length - 1) warnings.push(`${nodeLabel(n)}: normalises from axis ${axis}; imported as \`layernorm\` over the last dimension`);
        emit('layernorm', [], [x], out0);
        n.outputs.slice(1).forEach((o) => env.set(o, { konst: true }));
        break;
      }
      case 'MaxPool': case 'AveragePool': {
        const kernel = attrInts(n, 'kernel_shape');
        if (!kernel || kernel.length !== 2 || !x.shape || !nchw()) { unsupported('only 2-D pooling over [N, C, H, W] is modelled'); break; }
        const geo = windowGeom(n, x.shape, kernel);
        const keys: ImportedLayer['keys'] = [['kernel_size', pair(kernel)]];
        if (geo.strides.some((s, i) => s !== kernel[i])) keys.push(['stride', pair(geo.strides)]);
        const pad = fitPads(geo, x, out0!, n, warnings);
        if (pad.some((v) => v !== 0)) keys.push(['padding', pair(pad)]);
        if (geo.ceil) keys.push(['ceil_mode', true]);
        if (geo.dil.some((v) => v !== 1)) warnings.push(`${nodeLabel(n)}: pooling dilation ${JSON.stringify(geo.dil)} ignored`);
        emit(n.opType === 'MaxPool' ? 'maxpool' : 'avgpool', keys, [x], out0);
        n.outputs.slice(1).forEach((o) => env.set(o, { konst: true }));
        break;
      }
      case 'ReduceMean': case 'ReduceMax': {
        // Mean/max over H and W of an [N, C, H, W] tensor is global pooling (tf2onnx exports GlobalAveragePooling2D so).
        const axes = (n.opType === 'ReduceMean' && opset >= 18 ? ins[1]?.values : attrInts(n, 'axes'))?.map((a) => (a < 0 ? a + 4 : a)).sort();
        if (!x.shape || x.shape.length !== 4 || !nchw() || !axes || axes.length !== 2 || axes[0] !== 2 || axes[1] !== 3) { unsupported(); break; }
        const type = n.opType === 'ReduceMean' ? 'global_avgpool' : 'global_maxpool';
        if (attrI(n, 'keepdims', 1) === 1) { emit(type, [], [x], out0); break; }
        const pooled = emit(type, [], [x], [x.shape[0], x.shape[1], 1, 1]);
        emit('flatten', [], [{ ...x, layer: pooled.name, shape: pooled.outShape }], out0);
        break;
      }
      case 'GlobalAveragePool': emit('global_avgpool', [], [x], out0); break;
      case 'GlobalMaxPool': emit('global_maxpool', [], [x], out0); break;
      case 'Flatten':
        reshapeTo('a Flatten that merges the batch dimension is not modelled', 'flatten');
        break;
      case 'Reshape': case 'Squeeze': case 'Unsqueeze':
        reshapeTo(`a ${n.opType} that merges the batch dimension with another is not modelled`);
        break;
      case 'Transpose': {
        const perm = attrInts(n, 'perm') ?? (x.shape ?? []).map((_, i, a) => a.length - 1 - i);
        const nb = perm.indexOf(xb);
        const sp = perm.filter((p) => p !== xb).map((p) => (p > xb ? p - 1 : p));
        if (sp.every((p, i) => p === i)) { alias({ ...x, shape: out0, bAxis: nb }); break; } // only the batch moved
        if (x.spec) { unsupported('a Transpose of a recurrent layer\'s output is not modelled'); break; }
        emit('transpose', [['perm', sp]], [x], out0, undefined, { bAxis: nb });
        break;
      }
      case 'Concat': {
        const r = x.shape?.length ?? 0;
        const ax = specAxis(attrI(n, 'axis', 0), r);
        if (ax === undefined) { unsupported('concatenation along the batch dimension is not modelled'); break; }
        if (acts.length !== n.inputs.filter((t) => t).length) warnings.push(`${nodeLabel(n)}: constant inputs of the concatenation are ignored`);
        if (acts.length === 1) { unsupported('concatenation of one activation with constants is not modelled'); break; }
        emit('concat', [['axis', ax]], acts.map((a) => a.s), out0);
        break;
      }
      case 'Softmax': case 'LogSoftmax': {
        const r = x.shape?.length ?? 0;
        const axis = attrI(n, 'axis', opset >= 13 ? -1 : 1);
        const ax = specAxis(axis, r);
        if (ax === undefined) { unsupported('a softmax over the batch dimension is not modelled'); break; }
        emit('softmax', ax === r - 2 ? [] : [['axis', ax]], [x], out0);
        break;
      }
      case 'Gather': {
        const table = ins[0];
        if (table.konst && acts[0].i === 1 && table.shape?.length === 2) {
          emit('embedding', [['num_embeddings', table.shape[0]], ['embedding_dim', table.shape[1]]], [x], out0, { weightShape: table.shape });
          break;
        }
        // Indexing an activation (e.g. the last time step): zero cost; the batch axis is followed.
        const r = x.shape?.length ?? 0;
        const axis = attrI(n, 'axis', 0);
        const a = axis < 0 ? axis + r : axis;
        const idx = ins[1]?.shape ?? [];
        if (a === xb || !out0) { unsupported('a Gather along the batch dimension is not modelled'); break; }
        warnings.push(`${nodeLabel(n)}: indexing an activation is not modelled; imported as \`type: unsupported\` (zero cost)`);
        emit('unsupported', [['op_type', n.opType]], [x], out0, { writeShape: true }, { bAxis: a < xb ? xb - 1 + idx.length : xb });
        break;
      }
      case 'Dropout': {
        const ratio = opset >= 12 ? ins[1]?.values?.[0] ?? 0.5 : attrF(n, 'ratio', 0.5);
        emit('dropout', [['p', round(ratio)]], [x], out0);
        n.outputs.slice(1).forEach((o) => env.set(o, { shape: out0, konst: true }));
        break;
      }
      case 'LSTM': case 'GRU': {
        const w = ins[1]?.shape;
        const layout = attrI(n, 'layout', 0);
        if (!x.shape || x.shape.length !== 3 || xb !== (layout === 0 ? 1 : 0) || x.spec) {
          unsupported(`the input of a recurrent layer must be [T, N, F] (layout 0) or [N, T, F] (layout 1)`);
          break;
        }
        const h = attrI(n, 'hidden_size', w ? w[1] / (n.opType === 'LSTM' ? 4 : 3) : 0);
        const dirs = attrS(n, 'direction', 'forward') === 'bidirectional' ? 2 : 1;
        const T = x.shape[layout === 0 ? 0 : 1];
        // Y [T, dirs, N, H] (layout 0) is the spec's [T, H*dirs]; Y_h/Y_c [dirs, N, H] its [H*dirs] (return_sequences: false).
        const seq = (uses.get(n.outputs[0]) ?? 0) > 0 || !n.outputs.slice(1).some((o) => o && (uses.get(o) ?? 0) > 0);
        const keys: ImportedLayer['keys'] = [['hidden_size', h]];
        if (dirs === 2) keys.push(['bidirectional', true]);
        if (!n.inputs[3]) keys.push(['bias', false]);
        if (!seq) keys.push(['return_sequences', false]);
        const spec = seq ? [T, h * dirs] : [h * dirs];
        const yShape = outs[0]?.shape;
        const hShape = outs[1]?.shape;
        const L = emit(n.opType === 'LSTM' ? 'lstm' : 'gru', keys, [x], seq ? yShape : hShape, { weightShape: w }, { bAxis: seq ? (layout === 0 ? 2 : 0) : (layout === 0 ? 1 : 0), spec });
        if (seq) env.set(n.outputs[0], { shape: yShape, konst: false, layer: L.name, bAxis: layout === 0 ? 2 : 0, spec });
        n.outputs.slice(1).forEach((o, i) => {
          if (!o) return;
          if (seq && (uses.get(o) ?? 0) > 0) warnings.push(`${nodeLabel(n)}: both the sequence and the final state are used; the final state is modelled as the sequence output`);
          env.set(o, { shape: outs[i + 1]?.shape, konst: false, layer: L.name, bAxis: layout === 0 ? 1 : 0, spec });
        });
        break;
      }
      default:
        unsupported();
    }
  };
  for (const n of g.nodes) {
    try {
      step(n);
    } catch (e) {
      if (e instanceof ImportError) throw e;
      throw new ImportError(`${nodeLabel(n)} could not be imported (${(e as Error).message}); the graph may be malformed — check it with onnx.checker.check_model`);
    }
  }
  return { batch, inputShape, inputBatchAxis: inB, layers, warnings };
}

const round = (v: number): number => Number(v.toPrecision(6));
