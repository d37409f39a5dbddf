// Maps a decoded ONNX graph onto accelmap network layers (docs/spec-format.md): one layer per operator that
// matters for training cost; shape arithmetic, constants and casts are folded away; unknown operators become
// `type: unsupported` layers with a warning. This file drives the mapping node by node; the graph and node state
// are in ops/context.ts, multi-node patterns in ops/patterns.ts, control flow in ops/control.ts, and each operator
// family in its own file under ops/ (the table in ops/index.ts).
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
import type { GraphInfo, NodeInfo } from './proto';
import { specView, type TensorState } from './shapes';
import { ImportError, nodeLabel } from './errors';
import { graphInputs, usage, type InputOptions } from './inputs';
import { inlineFunctions } from './inline';
import type { FunctionInfo } from './proto';
import { containerNames, NameTable } from './names';
import type { ImportedLayer, MappedGraph } from './layers';
import { nodeContext, readNode, type GraphState } from './ops/context';
import { foldPattern } from './ops/patterns';
import { controlFlow } from './ops/control';
import { mapNode } from './ops/index';

export type { ImportedLayer, MappedGraph } from './layers';
export { ImportError };

export function mapGraph(
  g0: GraphInfo,
  opset: number,
  opts: InputOptions & { functions?: FunctionInfo[] },
): MappedGraph {
  const warnings: string[] = [];
  const env = new Map<string, TensorState>();
  const g: GraphInfo = opts.functions?.length ? { ...g0, nodes: inlineFunctions(g0.nodes, opts.functions) } : g0;
  const use = usage(g);
  const { batch, origBatch, inB, inputShape, dims, extras, symbolic } = graphInputs(g, opts, env, warnings, use);
  const gs: GraphState = {
    env,
    layers: [],
    byName: new Map(),
    names: new NameTable(),
    containers: containerNames(g.nodes.map((n) => n.name)),
    swaps: new Map(),
    uses: use.uses,
    consumers: use.consumers,
    batch,
    origBatch,
    opset,
    warnings,
    valueInfo: valueInfoOf(g, dims, batch, origBatch),
    symbolic,
    specOf: (st) => specView(st, batch),
    rebatched: 0,
  };

  /** One node: read its inputs, fold it when it touches no activation, else map it (pattern, then operator). */
  const step = (n: NodeInfo): void => {
    const r = readNode(gs, n);
    if (n.opType === 'If' || n.opType === 'Loop' || n.opType === 'Scan') {
      controlFlow(gs, n, r.ins, r.acts.length > 0, step);
      return;
    }
    if (!r.acts.length || n.opType === 'Shape' || n.opType === 'Size') {
      // Constant subgraph (shape arithmetic, weight transforms) or shape metadata of an activation: fold it.
      n.outputs.forEach((o, i) => env.set(o, { shape: r.outs[i]?.shape, values: r.outs[i]?.values, konst: true }));
      return;
    }
    const c = nodeContext(gs, n, r);
    if (r.foreign) {
      c.unsupported(`operator of domain '${n.domain}' not modelled`);
      return;
    }
    if (foldPattern(c)) return;
    mapNode(c);
  };

  // Further data inputs (an attention mask, a decoder's target tokens) are `input` layers at the start.
  for (const e of extras) {
    const name = gs.names.take(e.name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'input', 'input');
    const st: TensorState = { shape: e.shape, konst: false, layer: name, bAxis: e.bAxis };
    const L: ImportedLayer = {
      name,
      type: 'input',
      keys: [['shape', gs.specOf(st)]],
      inputs: [],
      outShape: e.shape,
      specShape: gs.specOf(st),
      inShapes: [],
      writeShape: false,
      origin: e.name,
      opType: 'Input',
    };
    gs.layers.push(L);
    gs.byName.set(name, L);
    env.set(e.name, st);
  }
  for (const n of g.nodes) {
    try {
      step(n);
    } catch (e) {
      if (e instanceof ImportError) throw e;
      throw new ImportError(
        `${nodeLabel(n)} could not be imported (${(e as Error).message}); the graph may be malformed — check it with onnx.checker.check_model`,
      );
    }
  }
  return { batch, inputShape, inputBatchAxis: inB, layers: gs.layers, warnings, exportBatch: origBatch };
}

/** Static shapes the graph states (value_info, outputs), symbolic dims resolved, the exported batch replaced. */
function valueInfoOf(g: GraphInfo, dims: Map<string, number>, batch: number, origBatch: number): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const v of [...g.valueInfo, ...g.outputs]) {
    if (!v.shape) continue;
    const sh = v.shape.map((d) => (typeof d === 'number' ? d : (dims.get(d) ?? NaN)));
    if (sh.some((d) => !Number.isFinite(d))) continue;
    if (sh.length && sh[0] === origBatch && v.shape[0] === origBatch) sh[0] = batch;
    out.set(v.name, sh);
  }
  return out;
}
