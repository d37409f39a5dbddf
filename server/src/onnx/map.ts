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
//  ASM-8 A Transpose that only swaps the last two axes of a MatMul operand is a view in PyTorch (the batched GEMM
//        reads it strided): it folds into the matmul's transpose_a/transpose_b instead of costing a copy.
//  ASM-9 The decomposed tanh-GELU (x * 0.5 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))) is one `gelu` layer.
//  ASM-10 Fused contrib operators (com.microsoft Attention, MultiHeadAttention, SkipLayerNormalization, FastGelu,
//        BiasGelu) are imported as the layers they fuse; their fusion gain is not modelled.
import type { LayerType } from '../spec/types';
import type { GraphInfo, NodeInfo } from './proto';
import { attrF, attrI, attrInts, attrS, inferNode, specView, windowGeom, type TensorState } from './shapes';
import { ImportError, nodeLabel } from './errors';
import { graphInputs, usage, type InputOptions } from './inputs';
import { inlineFunctions } from './inline';
import type { FunctionInfo } from './proto';
import { einsumParse, padsOf } from './shapes';
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
  /** The batch the graph was exported with (-1 when symbolic). */
  exportBatch: number;
  layers: ImportedLayer[];
  warnings: string[];
}

export { ImportError };

const LN_STEPS = new Set(['Pow', 'ReduceMean', 'Add', 'Sqrt', 'Div', 'Cast', 'Mul']);

const SAME_SHAPE: ReadonlySet<LayerType> = new Set<LayerType>([
  'relu', 'relu6', 'leaky_relu', 'gelu', 'sigmoid', 'tanh', 'silu', 'hardswish', 'batchnorm', 'layernorm', 'dropout', 'softmax',
  'groupnorm', 'input',
]);
/** Element-wise operators without a layer type of their own, with their forward flops per element (ASM). */
const EWISE_FLOPS: Record<string, number> = {
  Where: 1, Trilu: 1, CumSum: 1, Exp: 4, Log: 4, Sqrt: 2, Reciprocal: 1, Neg: 1, Abs: 1, Pow: 4, Sin: 8, Cos: 8,
  Softplus: 8, Softsign: 3, Elu: 4, Selu: 5, Celu: 4, Mish: 12, ThresholdedRelu: 2, PRelu: 2, Not: 1, Sign: 1,
  Floor: 1, Ceil: 1, Round: 1, IsNaN: 1, IsInf: 1, Max: 1, Min: 1, Mod: 2, Equal: 1, Less: 1, Greater: 1,
  LessOrEqual: 1, GreaterOrEqual: 1, And: 1, Or: 1, Xor: 1, BitShift: 1, Mean: 1, LpNormalization: 4, LRN: 8,
  Shrink: 2, Sinh: 8, Cosh: 8, Tan: 8, Asin: 8, Acos: 8, Atan: 8, Asinh: 8, Acosh: 8, Atanh: 8,
};

export function mapGraph(g0: GraphInfo, opset: number, opts: InputOptions & { functions?: FunctionInfo[] }): MappedGraph {
  const warnings: string[] = [];
  const env = new Map<string, TensorState>();
  const g: GraphInfo = opts.functions?.length ? { ...g0, nodes: inlineFunctions(g0.nodes, opts.functions) } : g0;
  const use = usage(g);
  const { uses, consumers } = use;
  const { batch, origBatch, inB, inputShape, dims, extras, symbolic } = graphInputs(g, opts, env, warnings, use);
  const valueInfo = new Map<string, number[]>();
  const addValueInfo = (vs: GraphInfo['valueInfo']) => {
    for (const v of vs) {
      if (!v.shape) continue;
      const sh = v.shape.map((d) => (typeof d === 'number' ? d : dims.get(d) ?? NaN));
      if (sh.some((d) => !Number.isFinite(d))) continue;
      if (sh.length && sh[0] === origBatch && v.shape[0] === origBatch) sh[0] = batch;
      valueInfo.set(v.name, sh);
    }
  };
  addValueInfo([...g.valueInfo, ...g.outputs]);
  const specOf = (st: TensorState) => specView(st, batch);

  const layers: ImportedLayer[] = [];
  const byName = new Map<string, ImportedLayer>();
  const names = new NameTable();
  const containers = containerNames(g.nodes.map((n) => n.name));
  /** Transposes that only swap the last two spec axes: candidates for ASM-8, with the state they read. */
  const swaps = new Map<string, TensorState>();
  let rebatched = 0;
  const prodOf = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const same = (a: number[] | undefined, b: number[] | undefined) => !!a && !!b && a.length === b.length && a.every((d, i) => d === b[i]);
  const shapeStr = (s: TensorState | undefined) => (s?.shape ? `[${s.shape.join(', ')}]` : 'unknown');

  /** Where the batch lands in `out`, a reshape of `st`: its own axis, merged into an axis, or nowhere (undefined). */
  const locateBatch = (st: TensorState, out: number[]): { bAxis: number; merged?: number } | undefined => {
    const xs = st.shape ?? [];
    const xb = st.bAxis ?? 0;
    const before = prodOf(xs.slice(0, xb)) * (st.merged ?? 1);
    let P = 1;
    for (let j = 0; j < out.length && P <= before; P *= out[j], j++) {
      if (before % P !== 0) continue;
      const o = before / P;
      if (o === 1 && out[j] === batch) return { bAxis: j };
      if (out[j] % (o * batch) === 0 && o < out[j]) return { bAxis: j, merged: o };
    }
    return undefined;
  };

  const step = (n: NodeInfo): void => {
    const ins: TensorState[] = n.inputs.map((t) => (t ? env.get(t) ?? { konst: true } : { konst: true }));
    for (let i = 0; i < n.inputs.length; i++) {
      if (n.inputs[i] && !env.has(n.inputs[i])) throw new ImportError(`${nodeLabel(n)} reads '${n.inputs[i]}', which no earlier node produces (the graph is not topologically sorted or is incomplete); re-export the model`);
    }
    // A fixed-batch export bakes its batch into Reshape targets (`x.view(1, -1)`); --batch replaces it there too.
    const target = ins[1]?.values;
    if (n.opType === 'Reshape' && batch !== origBatch && origBatch > 0 && !ins[0].konst && (ins[0].bAxis ?? 0) === 0 && ins[0].merged === undefined && target?.[0] === origBatch) {
      ins[1] = { ...ins[1], values: [batch, ...target.slice(1)] };
    }
    // Constants a fixed-batch trace folded (zeros_like(ids), a mask of the example batch) carry the exported batch
    // where an activation they meet has --batch: they take the activation's batch.
    if (origBatch > 0 && origBatch !== batch) {
      const a = ins.find((t) => !t.konst && t.shape && t.merged === undefined && !t.spec);
      const b = a?.bAxis ?? 0;
      if (a && a.shape![b] === batch) {
        for (let i = 0; i < ins.length; i++) {
          const c = ins[i];
          if (c.konst && c.shape && c.shape.length === a.shape!.length && c.shape[b] === origBatch) ins[i] = { ...c, shape: c.shape.map((d, j) => (j === b ? batch : d)), values: undefined };
        }
      }
    }
    // A trace bakes the batch it ran with into shape arithmetic that Python did on ints (Swin's B * windows): a
    // Reshape whose target holds a whole fraction of its input's elements is scaled back on its first axis.
    if (n.opType === 'Reshape' && !ins[0].konst && ins[0].shape && ins[1]?.values && !ins[1].values.includes(-1)) {
      const t = ins[1].values.map((v, i) => (v === 0 && attrI(n, 'allowzero', 0) === 0 ? ins[0].shape![i] : v));
      const r = prodOf(ins[0].shape) / prodOf(t);
      if (Number.isInteger(r) && r > 1 && batch % r === 0) {
        // The axis that holds the batch: the one after as many elements as precede the batch in the input.
        const before = prodOf(ins[0].shape.slice(0, ins[0].bAxis ?? 0)) * (ins[0].merged ?? 1);
        // An axis of exactly the exported batch there is the batch axis; else the axis the batch falls in, taking
        // it as the inner factor of the axis before when it starts exactly at a boundary ([T, N, D] -> [T*N, D]).
        const pre = (k: number) => prodOf(t.slice(0, k));
        let j = t.findIndex((v, k) => pre(k) === before && v === origBatch);
        if (j < 0) {
          j = 0;
          for (let k = 0; k < t.length; k++) {
            if (pre(k) <= before && before < pre(k + 1)) { j = k; break; }
            if (pre(k + 1) === before && k + 1 < t.length) { j = k; break; }
          }
        }
        ins[1] = { ...ins[1], values: t.map((v, k) => (k === j ? v * r : v)) };
        if (!rebatched++) warnings.push(`${nodeLabel(n)} and others: reshape targets the trace computed for another batch size were scaled to batch ${batch}`);
      }
    }
    const contrib = n.domain === 'com.microsoft' || n.domain === 'ai.onnx.contrib' || n.domain === 'org.pytorch.aten';
    const foreign = n.domain !== '' && n.domain !== 'ai.onnx' && !contrib;
    let outs = foreign ? n.outputs.map(() => ({} as { shape?: number[]; values?: number[] })) : inferNode(n, ins, opset);
    outs = n.outputs.map((o, i) => {
      const r = outs[i] ?? {};
      if (!r.shape && valueInfo.has(o)) return { ...r, shape: valueInfo.get(o) };
      return r;
    });
    const acts = n.inputs.map((t, i) => ({ t, i, s: ins[i] })).filter((a) => a.t && !a.s.konst);

    if (n.opType === 'If' || n.opType === 'Loop' || n.opType === 'Scan') { controlFlow(n, ins, acts.length > 0); return; }
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

    /** The message when an output shape is unknown: the node, its operator, its input shapes and what fixes it. */
    const unknownShape = (): ImportError => {
      const inShapes = n.inputs.map((t, i) => `${t || '(none)'} ${shapeStr(ins[i])}`).join(', ');
      const sym = symbolic.length ? ` (its symbolic dimensions ${symbolic.join(', ')} are set with --batch and --dim NAME=N)` : '';
      return new ImportError(`cannot infer the output shape of ${nodeLabel(n)} from its inputs ${inShapes}; `
        + `add the shapes to the model (onnx.shape_inference.infer_shapes(model) writes value_info) or re-export it with static shapes${sym}`);
    };
    const emit = (type: LayerType, keys: ImportedLayer['keys'], from: TensorState[], shape: number[] | undefined, extra?: Partial<ImportedLayer>,
      out?: { bAxis?: number; merged?: number | null; spec?: number[]; index?: number; tensor?: string; suffix?: string }): ImportedLayer => {
      if (!shape || shape.some((d) => !Number.isFinite(d))) throw unknownShape();
      const base = moduleName(n.name, n.opType, containers);
      const name = names.take(out?.suffix ? (base ? `${base}.${out.suffix}` : out.suffix) : base, type);
      const bAxis = out?.bAxis ?? xb;
      const merged = out?.merged === null ? undefined : out?.merged ?? (out?.bAxis === undefined ? x.merged : undefined);
      const st: TensorState = { shape, konst: false, layer: name, bAxis, merged, spec: out?.spec };
      const L: ImportedLayer = {
        name, type, keys, inputs: from.map((s) => s.layer ?? 'input'), outShape: shape, specShape: specOf(st),
        inShapes: from.map((s) => s.shape ?? []),
        writeShape: !SAME_SHAPE.has(type) && type !== 'lstm' && type !== 'gru' && type !== 'rnn', origin: n.name || n.outputs[0], opType: n.opType, ...extra,
      };
      layers.push(L);
      byName.set(name, L);
      env.set(out?.tensor ?? n.outputs[out?.index ?? 0], st);
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
      const keepMerge = shape && same(shape, x.shape) ? x.merged : undefined;
      const L = emit('unsupported', [['op_type', n.opType]], from, shape, { writeShape: true }, { bAxis: shape ? guessB(shape) : 0, merged: keepMerge ?? null });
      // Further outputs (Split, TopK ...) that are used get a layer each, so every consumer sees its own shape.
      n.outputs.forEach((o, i) => {
        if (i === 0 || !o) return;
        const sh = outs[i]?.shape;
        if ((uses.get(o) ?? 0) > 0 && sh) emit('unsupported', [['op_type', n.opType]], from, sh, { writeShape: true }, { bAxis: guessB(sh), index: i, merged: null });
        else env.set(o, { shape: sh, konst: false, layer: L.name, bAxis: sh ? guessB(sh) : 0 });
      });
    };
    /**
     * A reshape-like op (Reshape, Flatten, Squeeze, Unsqueeze): the batch stays an axis of its own, or merges into
     * one (locateBatch). Folded when the spec-level shape does not change.
     */
    const reshapeTo = (why: string, type: 'reshape' | 'flatten' = 'reshape') => {
      if (!out0 || !x.shape) { unsupported(why); return; }
      if (same(out0, x.shape)) { alias(x); return; }
      const loc = locateBatch(x, out0);
      if (!loc) { unsupported(why); return; }
      const st: TensorState = { ...x, shape: out0, bAxis: loc.bAxis, merged: loc.merged, spec: undefined };
      const view = specOf(st);
      if (same(view, specOf(x))) { alias({ ...st, spec: x.spec && !same(x.spec, view) ? x.spec : undefined }); return; }
      if (x.spec) { unsupported(`${why} (the input is a recurrent layer's output)`); return; }
      if (type === 'flatten' && view.length === 1) emit('flatten', [], [x], out0, undefined, { bAxis: loc.bAxis, merged: loc.merged ?? null });
      else emit('reshape', [['shape', view]], [x], out0, undefined, { bAxis: loc.bAxis, merged: loc.merged ?? null });
    };
    /** Spec axis (batch excluded) of an ONNX axis of `st`; undefined when it is the batch axis. */
    const specAxisOf = (st: TensorState, axis: number) => {
      const rank = st.shape?.length ?? 0;
      const a = axis < 0 ? axis + rank : axis;
      const b = st.bAxis ?? 0;
      if (st.merged !== undefined) return a;
      return a === b ? undefined : a > b ? a - 1 : a;
    };
    const specAxis = (axis: number) => specAxisOf(x, axis);
    const nchw = () => xb === 0 && !x.spec && x.merged === undefined;
    /** An element-wise layer over the activations; an `expand` after it when a constant operand widens the shape. */
    const ewise = (op: string, flops: number) => {
      const from = acts.map((a) => a.s);
      const big = from.reduce((acc, s) => (s.shape && s.shape.length > (acc.shape?.length ?? 0) ? s : acc), from[0]);
      let bshape: number[] | undefined = big.shape;
      for (const s of from) bshape = bshape && s.shape ? broadcastShapes(bshape, s.shape) : undefined;
      if (!out0 || !bshape) throw unknownShape();
      const bAxis = big.bAxis ?? 0;
      if (same(bshape, out0)) { emit('elementwise', [['op', op], ['flops', flops]], from, out0, { writeShape: true }, { bAxis, merged: big.merged ?? null }); return; }
      const mid = emit('elementwise', [['op', op], ['flops', flops]], from, bshape, { writeShape: true }, { bAxis, merged: big.merged ?? null, tensor: `${n.outputs[0]}::pre`, suffix: 'pre' });
      const midSt = env.get(`${n.outputs[0]}::pre`)!;
      const ob = bAxis + (out0.length - bshape.length);
      const outSt: TensorState = { shape: out0, konst: false, bAxis: ob, merged: big.merged };
      emit('expand', [['shape', specOf(outSt)]], [{ ...midSt, layer: mid.name }], out0, undefined, { bAxis: ob, merged: big.merged ?? null });
    };
    /** A transpose layer (or nothing, for the identity) from `st` to the ONNX permutation `perm`; returns the new state. */
    const permute = (st: TensorState, perm: number[], suffix?: string): TensorState => {
      const sh = st.shape ?? [];
      if (perm.every((p, i) => p === i)) return st;
      const b = st.bAxis ?? 0;
      const outShape = perm.map((p) => sh[p]);
      const nb = perm.indexOf(b);
      const tensor = suffix ? `${n.outputs[0]}::${suffix}` : n.outputs[0];
      if (st.merged === undefined) {
        const sp = perm.filter((p) => p !== b).map((p) => (p > b ? p - 1 : p));
        if (sp.every((p, i) => p === i)) return { ...st, shape: outShape, bAxis: nb };
        emit('transpose', [['perm', sp]], [st], outShape, undefined, { bAxis: nb, merged: null, tensor, suffix });
      } else emit('transpose', [['perm', perm]], [st], outShape, undefined, { bAxis: nb, merged: st.merged, tensor, suffix });
      return env.get(tensor)!;
    };
    /** Folds a transpose of the last two axes into the matmul (ASM-8): the state it read, or undefined. */
    const unswap = (st: TensorState, tensor: string): TensorState | undefined => {
      const src = st.layer ? swaps.get(st.layer) : undefined;
      if (!src || (uses.get(tensor) ?? 0) !== 1) return undefined;
      const i = layers.findIndex((l) => l.name === st.layer);
      if (i < 0 || layers.some((l) => l.inputs.includes(st.layer!))) return undefined;
      layers.splice(i, 1);
      byName.delete(st.layer!);
      swaps.delete(st.layer!);
      return src;
    };
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
    // ASM-9: the decomposed tanh-GELU. Pow(x, 3) starts it; constants scale it; x + (...) and tanh continue it.
    if (n.opType === 'Pow' && acts.length === 1 && acts[0].i === 0 && ins[1]?.values?.[0] === 3 && same(out0, x.shape)) {
      alias({ ...x, geluX: x });
      return;
    }
    // x * x and x * (x * x) are the cube written with Mul (PyTorch's tanh-GELU export).
    if (n.opType === 'Mul' && acts.length === 2 && n.inputs[0] === n.inputs[1] && !x.geluX) { alias({ ...x, geluX: x }); return; }
    if (n.opType === 'Mul' && acts.length === 2) {
      const [a, b] = [acts[0].s, acts[1].s];
      const cube = a.geluX && !b.geluX && b.layer === a.geluX.layer ? a : b.geluX && !a.geluX && a.layer === b.geluX.layer ? b : undefined;
      if (cube) { alias({ ...cube, shape: out0 }); return; }
    }
    if (acts.every((a) => a.s.geluX) && acts.length === 1 && ['Mul', 'Add', 'Div'].includes(n.opType) && same(out0, x.shape)) { alias(x); return; }
    if (n.opType === 'Add' && acts.length === 2) {
      const [a, b] = [acts[0].s, acts[1].s];
      const gx = a.geluX && !b.geluX && b.layer === a.geluX.layer ? a : b.geluX && !a.geluX && a.layer === b.geluX.layer ? b : undefined;
      if (gx) { alias({ ...gx, shape: out0 }); return; }
    }
    if (n.opType === 'Tanh' && x.geluX) { emit('gelu', [], [x.geluX], out0); return; }

    switch (n.opType) {
      case 'Identity': case 'Cast': case 'CastLike':
      case 'QuantizeLinear': case 'DequantizeLinear': // ASM-7
        alias(x);
        break;
      case 'Pad': {
        // Zero padding of H and W in front of convolutions/pools (TF exports) folds into their padding.
        const r = x.shape?.length ?? 0;
        const pads = padsOf(n, ins, opset, r);
        const mode = attrS(n, 'mode', 'constant');
        const cval = opset >= 11 ? ins[2]?.values?.[0] ?? 0 : attrF(n, 'value', 0);
        const users = consumers.get(n.outputs[0]) ?? [];
        if (pads && pads.length === 8 && mode === 'constant' && cval === 0 && nchw() && !x.padExtra && pads[0] === 0 && pads[1] === 0 && pads[4] === 0 && pads[5] === 0
          && users.length > 0 && users.every((u) => ['Conv', 'MaxPool', 'AveragePool'].includes(u.opType) && u.inputs[0] === n.outputs[0])) {
          alias({ ...x, shape: out0, padExtra: [pads[2], pads[3], pads[6], pads[7]] });
          break;
        }
        if (!pads) { unsupported('a Pad whose pads are computed at run time is not modelled'); break; }
        if (pads.some((p) => p < 0)) { unsupported('a Pad with negative pads (cropping) is not modelled'); break; }
        if (x.merged !== undefined || x.spec || pads[xb] !== 0 || pads[xb + r] !== 0) { unsupported('padding of the batch dimension is not modelled'); break; }
        const sp = [...pads.slice(0, r).filter((_, i) => i !== xb), ...pads.slice(r).filter((_, i) => i !== xb)];
        const keys: ImportedLayer['keys'] = [['pads', sp]];
        if (mode !== 'constant') keys.push(['mode', mode]);
        emit('pad', keys, [x], out0);
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
      case 'ConvTranspose': {
        const w = ins[1]?.shape;
        if (!w || w.length !== 4 || !x.shape || x.shape.length !== 4 || !nchw()) { unsupported('only 2-D transposed convolutions over [N, C, H, W] are modelled'); break; }
        if (!out0) throw unknownShape();
        const group = attrI(n, 'group', 1);
        const kernel = attrInts(n, 'kernel_shape') ?? w.slice(2);
        const strides = attrInts(n, 'strides') ?? [1, 1];
        const dil = attrInts(n, 'dilations') ?? [1, 1];
        const pads = attrInts(n, 'pads') ?? [0, 0, 0, 0];
        if (pads[0] !== pads[2] || pads[1] !== pads[3]) warnings.push(`${nodeLabel(n)}: asymmetric pads ${JSON.stringify(pads)}; imported with the begin side on both sides and output_padding for the rest`);
        const pad = [pads[0], pads[1]];
        // output_padding from the output size (covers output_shape and auto_pad as well as output_padding).
        const opad = [0, 1].map((i) => out0[2 + i] - ((x.shape![2 + i] - 1) * strides[i] - 2 * pad[i] + dil[i] * (kernel[i] - 1) + 1));
        if (opad.some((v) => v < 0)) { unsupported(`transposed-convolution padding ${JSON.stringify(pads)} that removes more than output_padding adds is not modelled`); break; }
        const keys: ImportedLayer['keys'] = [['out_channels', w[1] * group], ['kernel_size', pair(kernel)]];
        if (strides.some((v) => v !== 1)) keys.push(['stride', pair(strides)]);
        if (pad.some((v) => v !== 0)) keys.push(['padding', pair(pad)]);
        if (opad.some((v) => v !== 0)) keys.push(['output_padding', pair(opad)]);
        if (dil.some((v) => v !== 1)) keys.push(['dilation', pair(dil)]);
        if (group !== 1) keys.push(['groups', group]);
        keys.push(['bias', !!n.inputs[2]]);
        emit('conv_transpose2d', keys, [x], out0, { weightShape: w });
        break;
      }
      case 'Gemm': case 'MatMul': {
        const isGemm = n.opType === 'Gemm';
        const transA = isGemm && attrI(n, 'transA', 0) === 1;
        if (acts.length === 2) {
          let [a, b] = [ins[0], ins[1]];
          let ta = transA, tb = isGemm && attrI(n, 'transB', 0) === 1;
          if ((a.shape?.length ?? 0) >= 2 && (b.shape?.length ?? 0) >= 2) {
            const ua = unswap(a, n.inputs[0]);
            if (ua) { a = ua; ta = !ta; }
            const ub = n.inputs[1] === n.inputs[0] ? undefined : unswap(b, n.inputs[1]);
            if (ub) { b = ub; tb = !tb; }
          }
          const keys: ImportedLayer['keys'] = [];
          if (ta) keys.push(['transpose_a', true]);
          if (tb) keys.push(['transpose_b', true]);
          // The output keeps the batch where the operand that carries it has it (leading axes are broadcast).
          const carrier = a.konst ? b : a;
          emit('matmul', keys, [a, b], out0, undefined, { bAxis: (carrier.bAxis ?? 0) + ((out0?.length ?? 0) - (carrier.shape?.length ?? 0)), merged: carrier.merged ?? null });
          break;
        }
        const w = ins[1]?.shape;
        if (acts[0].i !== 0 || transA || !w || w.length !== 2) { unsupported('a matrix product whose weight is the left operand or has more than two dimensions is not modelled'); break; }
        if (x.spec) { unsupported('a matrix product on a recurrent layer\'s output as exported is not modelled'); break; }
        const transB = isGemm && attrI(n, 'transB', 0) === 1;
        const outF = transB ? w[0] : w[1];
        const hasBias = isGemm && !!n.inputs[2];
        emit('linear', [['out_features', outF], ['bias', hasBias]], [x], out0, { weightShape: transB ? w : [w[1], w[0]] });
        break;
      }
      case 'Einsum': einsum(); break;
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
          ewise(n.opType, 1);
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
        const big = (a.shape?.length ?? 0) >= (b.shape?.length ?? 0) ? a : b;
        emit(n.opType === 'Add' || n.opType === 'Sub' ? 'add' : 'mul', [], acts.map((q) => q.s), out0, undefined, { bAxis: big.bAxis ?? 0, merged: big.merged ?? null }); // ASM-3
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
      case 'Gelu': case 'FastGelu': case 'BiasGelu': emit('gelu', [], [x], out0); break; // ASM-10
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
      case 'InstanceNormalization': case 'GroupNormalization': {
        // InstanceNorm is GroupNorm with one channel per group; PyTorch exports GroupNorm as Reshape([N, G, -1]) ->
        // InstanceNormalization -> Reshape back, so the instance norm over [G, L] is the group norm.
        if (!x.shape || x.shape.length < 2 || !nchw()) { unsupported('normalisation of a tensor without its batch first is not modelled'); break; }
        const groups = n.opType === 'GroupNormalization' ? attrI(n, 'num_groups', 1) : x.shape[1];
        emit('groupnorm', [['groups', groups]], [x], out0);
        break;
      }
      case 'LayerNormalization': case 'SimplifiedLayerNormalization': case 'RMSNormalization': {
        const axis = attrI(n, 'axis', -1);
        if (x.shape && axis !== -1 && axis !== x.shape.length - 1) warnings.push(`${nodeLabel(n)}: normalises from axis ${axis}; imported as \`layernorm\` over the last dimension`);
        emit('layernorm', [], [x], out0);
        n.outputs.slice(1).forEach((o) => env.set(o, { konst: true }));
        break;
      }
      case 'SkipLayerNormalization': { // ASM-10: input + skip (+ bias), then LayerNorm; output 3 is the sum
        if (acts.length < 2) { emit('layernorm', [], [x], out0); break; }
        const sum = emit('add', [], [acts[0].s, acts[1].s], out0, undefined, { tensor: `${n.outputs[0]}::sum`, suffix: 'add' });
        emit('layernorm', [], [env.get(`${n.outputs[0]}::sum`)!], out0);
        if (n.outputs[3]) env.set(n.outputs[3], { ...env.get(`${n.outputs[0]}::sum`)!, layer: sum.name });
        n.outputs.slice(1, 3).forEach((o) => o && env.set(o, { konst: true }));
        break;
      }
      case 'Attention': case 'MultiHeadAttention': fusedAttention(); break;
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
      case 'ReduceMean': case 'ReduceMax': case 'ReduceSum': case 'ReduceMin': case 'ReduceProd': case 'ReduceL1': case 'ReduceL2':
      case 'ReduceSumSquare': case 'ReduceLogSumExp': case 'ArgMax': case 'ArgMin': {
        const r = x.shape?.length ?? 0;
        const inputAxes = n.opType === 'ReduceSum' ? opset >= 13 : opset >= 18;
        const raw = n.opType.startsWith('Arg') ? [attrI(n, 'axis', 0)] : inputAxes ? ins[1]?.values : attrInts(n, 'axes');
        const axes = (raw && raw.length ? raw : Array.from({ length: r }, (_, i) => i)).map((a) => (a < 0 ? a + r : a)).sort((a, b) => a - b);
        const keep = attrI(n, 'keepdims', 1) === 1;
        // Mean/max over H and W of an [N, C, H, W] tensor is global pooling (tf2onnx exports GlobalAveragePooling2D so).
        if ((n.opType === 'ReduceMean' || n.opType === 'ReduceMax') && r === 4 && nchw() && axes.length === 2 && axes[0] === 2 && axes[1] === 3) {
          const type = n.opType === 'ReduceMean' ? 'global_avgpool' : 'global_maxpool';
          if (keep) { emit(type, [], [x], out0); break; }
          const pooled = emit(type, [], [x], [x.shape![0], x.shape![1], 1, 1], undefined, { tensor: `${n.outputs[0]}::pool` });
          emit('flatten', [], [{ ...x, layer: pooled.name, shape: pooled.outShape }], out0);
          break;
        }
        const sp = axes.map((a) => specAxis(a));
        if (sp.some((a) => a === undefined) || (x.merged !== undefined && axes.includes(xb))) { unsupported('a reduction over the batch dimension (a loss) is not modelled'); break; }
        const keys: ImportedLayer['keys'] = [['axes', sp as number[]], ['keep_dims', keep], ['op', n.opType.replace(/^Reduce/, '').toLowerCase()]];
        const nb = keep ? xb : xb - axes.filter((a) => a < xb).length;
        emit('reduce', keys, [x], out0, undefined, { bAxis: nb, merged: x.merged ?? null });
        break;
      }
      case 'GlobalAveragePool': emit('global_avgpool', [], [x], out0); break;
      case 'GlobalMaxPool': emit('global_maxpool', [], [x], out0); break;
      case 'Flatten':
        reshapeTo('a Flatten that splits the batch dimension is not modelled', 'flatten');
        break;
      case 'Reshape': case 'Squeeze': case 'Unsqueeze':
        reshapeTo(`a ${n.opType} that splits the batch dimension across axes is not modelled`);
        break;
      case 'Transpose': {
        const perm = attrInts(n, 'perm') ?? (x.shape ?? []).map((_, i, a) => a.length - 1 - i);
        if (x.merged === undefined) {
          const sp = perm.filter((p) => p !== xb).map((p) => (p > xb ? p - 1 : p));
          if (sp.every((p, i) => p === i)) { alias({ ...x, shape: out0, bAxis: perm.indexOf(xb) }); break; } // only the batch moved
        }
        if (x.spec) { unsupported('a Transpose of a recurrent layer\'s output is not modelled'); break; }
        const before = layers.length;
        const st = permute(x, perm);
        if (layers.length === before) { alias(st); break; }
        const L = layers[layers.length - 1];
        // A swap of the last two axes may fold into a matmul that reads it (ASM-8).
        const sp = L.keys[0][1] as number[];
        if (sp.length >= 2 && sp.every((p, i) => (i < sp.length - 2 ? p === i : p === (i === sp.length - 1 ? sp.length - 2 : sp.length - 1)))
          && (consumers.get(n.outputs[0]) ?? []).every((c) => c.opType === 'MatMul')) swaps.set(L.name, x);
        break;
      }
      case 'Concat': {
        const ax = specAxis(attrI(n, 'axis', 0));
        const batchAxisCat = ax === undefined || (x.merged !== undefined && (attrI(n, 'axis', 0) + (x.shape?.length ?? 0)) % (x.shape?.length ?? 1) === xb);
        if (batchAxisCat) { unsupported('concatenation along the batch dimension is not modelled'); break; }
        if (acts.length > 1 && acts.length !== n.inputs.filter((t) => t).length) warnings.push(`${nodeLabel(n)}: constant inputs of the concatenation are ignored`);
        if (acts.length === 1) {
          // One activation and constants (a class token prepended to the patches): the copy costs as a pad.
          const sp = specOf(x);
          const outSp = specOf({ ...x, shape: out0 });
          const pads = new Array(2 * sp.length).fill(0);
          const before = n.inputs.slice(0, acts[0].i).reduce((acc, t) => acc + ((env.get(t)?.shape ?? [])[attrI(n, 'axis', 0) < 0 ? attrI(n, 'axis', 0) + (x.shape?.length ?? 0) : attrI(n, 'axis', 0)] ?? 0), 0);
          pads[ax!] = before;
          pads[ax! + sp.length] = outSp[ax!] - sp[ax!] - before;
          emit('pad', [['pads', pads]], [x], out0);
          break;
        }
        emit('concat', [['axis', ax!]], acts.map((a) => a.s), out0);
        break;
      }
      case 'Softmax': case 'LogSoftmax': {
        const r = x.shape?.length ?? 0;
        const axis = attrI(n, 'axis', opset >= 13 ? -1 : 1);
        const ax = specAxis(axis);
        if (ax === undefined) { unsupported('a softmax over the batch dimension is not modelled'); break; }
        const sr = specOf(x).length;
        emit('softmax', ax === sr - 1 ? [] : [['axis', ax]], [x], out0);
        void r;
        break;
      }
      case 'Gather': {
        const table = ins[0];
        if (table.konst && acts[0].i === 1 && table.shape?.length === 2) {
          emit('embedding', [['num_embeddings', table.shape[0]], ['embedding_dim', table.shape[1]]], [x], out0, { weightShape: table.shape },
            { bAxis: xb, merged: x.merged ?? null });
          break;
        }
        if (acts[0].i !== 0) { unsupported('a Gather whose indices are activations into a table that is not a 2-D weight is not modelled'); break; }
        // Indexing an activation (a class token, the last time step, q/k/v out of a stacked tensor): a slice.
        const r = x.shape?.length ?? 0;
        const axis = attrI(n, 'axis', 0);
        const a = axis < 0 ? axis + r : axis;
        const idx = ins[1]?.shape ?? [];
        const iv = ins[1]?.values;
        if (a === xb || !out0 || x.spec) { unsupported('a Gather along the batch dimension is not modelled'); break; }
        const sa = specAxis(a)!;
        const dim = x.shape![a];
        const first = iv ? (iv[0] < 0 ? iv[0] + dim : iv[0]) : 0;
        const run = !iv || iv.every((v, i) => (v < 0 ? v + dim : v) === first + i);
        if (idx.length > 1 || !run) { unsupported('a Gather of non-contiguous or multi-dimensional indices of an activation is not modelled'); break; }
        const keys: ImportedLayer['keys'] = [['axis', sa], ['start', first], ['end', first + (idx.length ? idx[0] : 1)]];
        if (!idx.length) keys.push(['keep_dim', false]);
        emit('slice', keys, [x], out0, undefined, { bAxis: idx.length || a > xb ? xb : xb - 1, merged: x.merged ?? null });
        break;
      }
      case 'Slice': {
        const r = x.shape?.length ?? 0;
        const starts = opset >= 10 ? ins[1]?.values : attrInts(n, 'starts');
        const ends = opset >= 10 ? ins[2]?.values : attrInts(n, 'ends');
        if (!starts || !ends || !x.shape || x.spec) { unsupported('a Slice with bounds computed at run time is not modelled'); break; }
        const axes = ((opset >= 10 ? ins[3]?.values : attrInts(n, 'axes')) ?? starts.map((_, i) => i)).map((a) => (a < 0 ? a + r : a));
        const steps = (opset >= 10 ? ins[4]?.values : undefined) ?? starts.map(() => 1);
        let st = x;
        let ok = true;
        const todo: { sa: number; b: number; e: number | undefined; step: number }[] = [];
        axes.forEach((a, i) => {
          const d = x.shape![a];
          const stp = steps[i];
          const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
          let b = starts[i] < 0 ? starts[i] + d : starts[i];
          let e = ends[i] < 0 ? ends[i] + d : ends[i];
          if (stp > 0) { b = clamp(b, 0, d); e = clamp(e, 0, d); } else { b = clamp(b, -1, d - 1); e = clamp(e, -1, d - 1); }
          if (stp === 1 && b === 0 && e === d) return; // the whole axis
          const sa = specAxis(a);
          if (sa === undefined || (x.merged !== undefined && a === xb)) { ok = false; return; }
          todo.push({ sa, b, e: stp < 0 && e === -1 ? undefined : e, step: stp });
        });
        if (!ok) { unsupported('a Slice of the batch dimension is not modelled'); break; }
        if (!todo.length) { alias({ ...x, shape: out0 }); break; }
        todo.forEach((t, k) => {
          const last = k === todo.length - 1;
          const sp = specOf(st);
          const len = Math.max(0, Math.ceil(((t.e ?? -1) - t.b) / t.step));
          const shapeSp = sp.map((v, i) => (i === t.sa ? len : v));
          const full = st.merged !== undefined ? shapeSp.map((v, i) => (i === xb ? v * batch : v)) : [...shapeSp.slice(0, xb), batch, ...shapeSp.slice(xb)];
          const keys: ImportedLayer['keys'] = [['axis', t.sa], ['start', t.b]];
          if (t.e !== undefined) keys.push(['end', t.e]);
          if (t.step !== 1) keys.push(['step', t.step]);
          emit('slice', keys, [st], last ? out0 : full, undefined, last ? undefined : { tensor: `${n.outputs[0]}::s${k}`, suffix: `s${k}` });
          if (!last) st = env.get(`${n.outputs[0]}::s${k}`)!;
        });
        break;
      }
      case 'Split': {
        const r = x.shape?.length ?? 0;
        const axis = attrI(n, 'axis', 0);
        const a = axis < 0 ? axis + r : axis;
        const sa = specAxis(a);
        if (sa === undefined || x.spec || (x.merged !== undefined && a === xb)) { unsupported('a Split along the batch dimension is not modelled'); break; }
        let off = 0;
        n.outputs.forEach((o, i) => {
          const sh = outs[i]?.shape;
          if (!sh) throw unknownShape();
          const len = sh[a];
          if (o && (uses.get(o) ?? 0) > 0) {
            emit('slice', [['axis', sa], ['start', off], ['end', off + len]], [x], sh, undefined, { index: i, suffix: n.outputs.length > 1 ? `${i}` : undefined });
          }
          off += len;
        });
        break;
      }
      case 'Expand': {
        if (!out0 || !x.shape) throw unknownShape();
        if (same(out0, x.shape)) { alias(x); break; }
        const ob = xb + (out0.length - x.shape.length);
        const outSt: TensorState = { ...x, shape: out0, bAxis: ob };
        if (x.spec || (x.merged === undefined && out0[ob] !== batch)) { unsupported('an Expand of the batch dimension is not modelled'); break; }
        if (same(specOf(outSt), specOf(x))) { alias(outSt); break; }
        emit('expand', [['shape', specOf(outSt)]], [x], out0, undefined, { bAxis: ob, merged: x.merged ?? null });
        break;
      }
      case 'Resize': case 'Upsample': {
        if (!out0 || !x.shape || x.shape.length < 3 || !nchw() || out0[0] !== x.shape[0] || out0[1] !== x.shape[1]) { unsupported('a Resize of other than the spatial dimensions of [N, C, ...] is not modelled'); break; }
        const m = attrS(n, 'mode', 'nearest');
        const keys: ImportedLayer['keys'] = [['size', out0.slice(2)]];
        const mode = m === 'linear' || m === 'bilinear' ? 'linear' : m === 'cubic' ? 'cubic' : 'nearest';
        if (mode !== 'nearest') keys.push(['mode', mode]);
        emit('resize', keys, [x], out0);
        break;
      }
      case 'Dropout': {
        const ratio = opset >= 12 ? ins[1]?.values?.[0] ?? 0.5 : attrF(n, 'ratio', 0.5);
        emit('dropout', [['p', round(ratio)]], [x], out0);
        n.outputs.slice(1).forEach((o) => env.set(o, { shape: out0, konst: true }));
        break;
      }
      case 'LSTM': case 'GRU': case 'RNN': {
        const w = ins[1]?.shape;
        const layout = attrI(n, 'layout', 0);
        if (!x.shape || x.shape.length !== 3 || xb !== (layout === 0 ? 1 : 0) || x.spec || x.merged !== undefined) {
          unsupported(`the input of a recurrent layer must be [T, N, F] (layout 0) or [N, T, F] (layout 1)`);
          break;
        }
        const gates = n.opType === 'LSTM' ? 4 : n.opType === 'GRU' ? 3 : 1;
        const h = attrI(n, 'hidden_size', w ? w[1] / gates : 0);
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
        const type = n.opType === 'LSTM' ? 'lstm' : n.opType === 'GRU' ? 'gru' : 'rnn';
        const L = emit(type, keys, [x], seq ? yShape : hShape, { weightShape: w }, { bAxis: seq ? (layout === 0 ? 2 : 0) : (layout === 0 ? 1 : 0), spec, merged: null });
        if (seq) env.set(n.outputs[0], { shape: yShape, konst: false, layer: L.name, bAxis: layout === 0 ? 2 : 0, spec });
        n.outputs.slice(1).forEach((o, i) => {
          if (!o) return;
          if (seq && (uses.get(o) ?? 0) > 0) warnings.push(`${nodeLabel(n)}: both the sequence and the final state are used; the final state is modelled as the sequence output`);
          env.set(o, { shape: outs[i + 1]?.shape, konst: false, layer: L.name, bAxis: layout === 0 ? 1 : 0, spec });
        });
        break;
      }
      default:
        if (EWISE_FLOPS[n.opType] !== undefined && out0) { ewise(n.opType, EWISE_FLOPS[n.opType]); break; }
        unsupported();
    }

    /** Einsum of two operands as a (batched) matrix product, with transposes where the letters are out of order. */
    function einsum(): void {
      const eq = einsumParse(attrS(n, 'equation', ''), n.inputs.length);
      const fail = (why: string) => unsupported(`einsum '${attrS(n, 'equation', '')}': ${why}`);
      if (!eq) { fail('equations with an ellipsis or other than letters are not modelled'); return; }
      if (eq.ins.length === 1) {
        const [A] = eq.ins;
        if (A.length === eq.out.length && eq.out.every((c) => A.includes(c))) {
          const before = layers.length;
          const st = permute(x, eq.out.map((c) => A.indexOf(c)));
          if (layers.length === before) alias(st);
          return;
        }
        fail('a one-operand einsum other than a permutation is not modelled');
        return;
      }
      if (eq.ins.length !== 2) { fail('einsums of more than two operands are not modelled'); return; }
      const [A, B] = eq.ins;
      const O = eq.out;
      const batchL = O.filter((c) => A.includes(c) && B.includes(c));
      const K = A.filter((c) => B.includes(c) && !O.includes(c));
      const M = A.filter((c) => !B.includes(c) && O.includes(c));
      const N = B.filter((c) => !A.includes(c) && O.includes(c));
      if ([...A, ...B].some((c) => !O.includes(c) && !K.includes(c))) { fail('a letter summed over in only one operand is not modelled'); return; }
      if (K.length !== 1 || M.length > 1 || N.length > 1) {
        // x @ W with several row letters: a linear layer when W is a constant [K, N] and x ends in K.
        if (ins[1].konst && K.length === 1 && B.length === 2 && N.length === 1 && A[A.length - 1] === K[0] && O.join('') === [...A.slice(0, -1), N[0]].join('')) {
          const w = ins[1].shape!;
          emit('linear', [['out_features', w[B.indexOf(N[0])]], ['bias', false]], [x], out0, { weightShape: B[0] === N[0] ? w : [w[1], w[0]] });
          return;
        }
        fail('only one contracted letter and at most one free letter per operand are modelled');
        return;
      }
      if (ins[0].konst || ins[1].konst) {
        if (!ins[0].konst && B.length === 2 && N.length === 1 && A[A.length - 1] === K[0] && O.join('') === [...A.slice(0, -1), N[0]].join('')) {
          const w = ins[1].shape!;
          emit('linear', [['out_features', w[B.indexOf(N[0])]], ['bias', false]], [x], out0, { weightShape: B[0] === N[0] ? w : [w[1], w[0]] });
          return;
        }
        fail('an einsum with a constant operand other than x @ W is not modelled');
        return;
      }
      // Bring A to [batch..., M, K] (or [batch..., K, M] with transpose_a) and B to [batch..., K, N] (or transposed).
      const order = (L: string[], free: string[]): { perm: number[]; trans: boolean } => {
        const lastTwo = L.slice(-2);
        const tail = [free[0], K[0]].filter(Boolean);
        if (L.length === batchL.length + tail.length && L.slice(0, batchL.length).every((c, i) => c === batchL[i])) {
          if (tail.length === 2 && lastTwo[0] === tail[1] && lastTwo[1] === tail[0]) return { perm: L.map((_, i) => i), trans: true };
          if (tail.every((c, i) => lastTwo[lastTwo.length - tail.length + i] === c)) return { perm: L.map((_, i) => i), trans: false };
        }
        return { perm: [...batchL, ...tail].map((c) => L.indexOf(c)), trans: false };
      };
      const oa = order(A, M), ob = order(B, N.length ? [K[0], N[0]].slice(1) : []);
      // For B the free letter comes after K: [batch..., K, N].
      const bTail = [K[0], ...N];
      const bOk = B.length === batchL.length + bTail.length && B.slice(0, batchL.length).every((c, i) => c === batchL[i]);
      let tb = false;
      let bPerm: number[];
      if (bOk && B.slice(-bTail.length).every((c, i) => c === bTail[i])) bPerm = B.map((_, i) => i);
      else if (bOk && bTail.length === 2 && B[B.length - 2] === bTail[1] && B[B.length - 1] === bTail[0]) { bPerm = B.map((_, i) => i); tb = true; }
      else bPerm = [...batchL, ...bTail].map((c) => B.indexOf(c));
      void ob;
      const a = permute(ins[0], oa.perm, 'a');
      const b = permute(ins[1], bPerm, 'b');
      const mmOut = [...batchL, ...M, ...N];
      const size = (c: string) => (A.includes(c) ? ins[0].shape![A.indexOf(c)] : ins[1].shape![B.indexOf(c)]);
      const mmShape = mmOut.map(size);
      const keys: ImportedLayer['keys'] = [];
      if (oa.trans) keys.push(['transpose_a', true]);
      if (tb) keys.push(['transpose_b', true]);
      const aB = a.bAxis ?? 0;
      const direct = mmOut.join('') === O.join('');
      emit('matmul', keys, [a, b], mmShape, undefined, direct ? { bAxis: aB, merged: a.merged ?? null } : { bAxis: aB, merged: a.merged ?? null, tensor: `${n.outputs[0]}::mm`, suffix: 'mm' });
      if (direct) return;
      const mm = env.get(`${n.outputs[0]}::mm`)!;
      const st = permute(mm, O.map((c) => mmOut.indexOf(c)), 'o');
      env.set(n.outputs[0], st);
    }

    /** com.microsoft Attention (input projection included) and MultiHeadAttention (q, k, v given), as layers. */
    function fusedAttention(): void {
      const H = attrI(n, 'num_heads', 0);
      if (!H || !x.shape || x.shape.length !== 3 || xb !== 0 || x.merged !== undefined) { unsupported('fused attention needs num_heads and [N, T, D] inputs'); return; }
      const [, T, Din] = x.shape;
      let q: TensorState, k: TensorState, v: TensorState, D: number;
      const sub = (s: string) => `${n.outputs[0]}::${s}`;
      if (n.opType === 'Attention') {
        const w = ins[1]?.shape;
        if (!w || w.length !== 2) { unsupported('fused attention without a 2-D weight is not modelled'); return; }
        D = w[1] / 3;
        const qkv = emit('linear', [['out_features', w[1]], ['bias', !!n.inputs[2]]], [x], [batch, T, w[1]], { weightShape: [w[1], w[0]] }, { tensor: sub('qkv'), suffix: 'qkv' });
        const st = { ...env.get(sub('qkv'))!, layer: qkv.name };
        const part = (i: number, nm: string) => {
          emit('slice', [['axis', 1], ['start', i * D], ['end', (i + 1) * D]], [st], [batch, T, D], undefined, { tensor: sub(nm), suffix: nm });
          return env.get(sub(nm))!;
        };
        [q, k, v] = [part(0, 'q'), part(1, 'k'), part(2, 'v')];
        void Din;
      } else {
        const [kq, kk, kv] = [ins[0], ins[1], ins[2]];
        if (!kk?.shape || !kv?.shape || kk.konst || kv.konst) { unsupported('MultiHeadAttention with packed or constant keys/values is not modelled'); return; }
        [q, k, v] = [kq, kk, kv];
        D = x.shape[2];
      }
      const dh = D / H;
      const heads = (st: TensorState, nm: string): TensorState => {
        const t = st.shape![1];
        emit('reshape', [['shape', [t, H, dh]]], [st], [batch, t, H, dh], undefined, { tensor: sub(nm + 'r'), suffix: nm + '_heads' });
        return permute(env.get(sub(nm + 'r'))!, [0, 2, 1, 3], nm + 't');
      };
      const [qh, kh, vh] = [heads(q, 'q'), heads(k, 'k'), heads(v, 'v')];
      const Tk = k.shape![1];
      emit('matmul', [['transpose_b', true]], [qh, kh], [batch, H, T, Tk], undefined, { tensor: sub('scores'), suffix: 'scores' });
      emit('softmax', [], [env.get(sub('scores'))!], [batch, H, T, Tk], undefined, { tensor: sub('probs'), suffix: 'softmax' });
      emit('matmul', [], [env.get(sub('probs'))!, vh], [batch, H, T, dh], undefined, { tensor: sub('ctx'), suffix: 'context' });
      const ctx = permute(env.get(sub('ctx'))!, [0, 2, 1, 3], 'ctxt');
      emit('reshape', [['shape', [T, D]]], [ctx], [batch, T, D], undefined, { suffix: 'merge' });
      n.outputs.slice(1).forEach((o) => o && env.set(o, { konst: true }));
    }
  };

  /**
   * If: a branch chosen by a constant condition is inlined; a shape-only If (no activation inside) folds; else an
   * `unsupported` layer. Loop/Scan: folded when they touch no activation, else `unsupported` (exporters trace
   * Python loops unrolled; a scripted loop over activations cannot be costed statically).
   */
  const controlFlow = (n: NodeInfo, ins: TensorState[], actIn: boolean): void => {
    const bodies = ['then_branch', 'else_branch', 'body'].map((k) => n.attrs.get(k)?.g).filter((b): b is GraphInfo => !!b);
    const readsAct = (b: GraphInfo): boolean => {
      const local = new Set([...b.initializers.map((t) => t.name), ...b.inputs.map((v) => v.name)]);
      for (const m of b.nodes) {
        for (const t of m.inputs) if (t && !local.has(t) && env.get(t) && !env.get(t)!.konst) return true;
        for (const t of m.outputs) local.add(t);
        for (const sub of [...m.attrs.values()].map((a) => a.g).filter((x): x is GraphInfo => !!x)) if (readsAct(sub)) return true;
      }
      return false;
    };
    if (n.opType === 'If') {
      const cond = ins[0]?.values?.[0];
      const branch = cond === undefined ? undefined : n.attrs.get(cond ? 'then_branch' : 'else_branch')?.g;
      if (branch) {
        for (const t of branch.initializers) env.set(t.name, { shape: t.dims, values: t.values, konst: true });
        for (const m of branch.nodes) step(m);
        branch.outputs.forEach((o, i) => { if (n.outputs[i]) env.set(n.outputs[i], env.get(o.name) ?? { konst: true }); });
        return;
      }
    }
    if (!actIn && !bodies.some(readsAct)) {
      n.outputs.forEach((o) => env.set(o, { shape: valueInfo.get(o), konst: true }));
      return;
    }
    const srcs = n.inputs.filter((t) => t && env.get(t) && !env.get(t)!.konst).map((t) => env.get(t)!);
    const from = srcs.length ? srcs : [...env.values()].filter((s) => !s.konst && s.layer).slice(-1);
    const shape = valueInfo.get(n.outputs[0]);
    if (!shape) {
      throw new ImportError(`${nodeLabel(n)} runs a data-dependent ${n.opType} over activations and its output shape is not in the model; `
        + (n.opType === 'If' ? 'export the model with the branch fixed (trace it, or make the condition a constant)' : 'export the model traced (torch.onnx.export unrolls Python loops) or add value_info with onnx.shape_inference')
        + ' — accelmap cannot cost a loop or branch that depends on the data');
    }
    warnings.push(`${nodeLabel(n)}: a data-dependent ${n.opType} is not modelled; imported as \`type: unsupported\` (zero cost)`);
    const name = names.take(moduleName(n.name, n.opType, containers), 'unsupported');
    const x = from[0];
    const bAxis = x?.shape && shape.length === x.shape.length ? x.bAxis ?? 0 : Math.max(0, shape.indexOf(batch));
    const st: TensorState = { shape, konst: false, layer: name, bAxis };
    const L: ImportedLayer = {
      name, type: 'unsupported', keys: [['op_type', n.opType]], inputs: from.map((s) => s.layer ?? 'input'), outShape: shape, specShape: specOf(st),
      inShapes: from.map((s) => s.shape ?? []), writeShape: true, origin: n.name || n.outputs[0], opType: n.opType,
    };
    layers.push(L);
    byName.set(name, L);
    n.outputs.forEach((o) => env.set(o, st));
  };

  // Further data inputs (an attention mask, a decoder's target tokens) are `input` layers at the start.
  for (const e of extras) {
    const name = names.take(e.name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'input', 'input');
    const st: TensorState = { shape: e.shape, konst: false, layer: name, bAxis: e.bAxis };
    const L: ImportedLayer = {
      name, type: 'input', keys: [['shape', specOf(st)]], inputs: [], outShape: e.shape, specShape: specOf(st), inShapes: [],
      writeShape: false, origin: e.name, opType: 'Input',
    };
    layers.push(L);
    byName.set(name, L);
    env.set(e.name, st);
  }
  for (const n of g.nodes) {
    try {
      step(n);
    } catch (e) {
      if (e instanceof ImportError) throw e;
      throw new ImportError(`${nodeLabel(n)} could not be imported (${(e as Error).message}); the graph may be malformed — check it with onnx.checker.check_model`);
    }
  }
  return { batch, inputShape, inputBatchAxis: inB, layers, warnings, exportBatch: origBatch };
}

const round = (v: number): number => Number(v.toPrecision(6));

function broadcastShapes(a: number[], b: number[]): number[] | undefined {
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
