// Control flow: If with a constant condition runs its branch (inlined); an If or Loop/Scan that touches no
// activation folds; one over activations becomes an `unsupported` layer (or an error when its output shape is not in
// the model). Exporters trace Python loops unrolled; a scripted loop over activations cannot be costed statically.
import type { GraphInfo, NodeInfo } from '../proto';
import type { TensorState } from '../shapes';
import { ImportError, nodeLabel } from '../errors';
import { moduleName } from '../names';
import type { ImportedLayer } from '../layers';
import type { GraphState } from './context';

export function controlFlow(
  gs: GraphState,
  n: NodeInfo,
  ins: TensorState[],
  actIn: boolean,
  step: (m: NodeInfo) => void,
): void {
  const { env, valueInfo, names, containers, batch, specOf, layers, byName, warnings } = gs;
  const bodies = ['then_branch', 'else_branch', 'body']
    .map((k) => n.attrs.get(k)?.g)
    .filter((b): b is GraphInfo => !!b);
  const readsAct = (b: GraphInfo): boolean => {
    const local = new Set([...b.initializers.map((t) => t.name), ...b.inputs.map((v) => v.name)]);
    for (const m of b.nodes) {
      for (const t of m.inputs) if (t && !local.has(t) && env.get(t) && !env.get(t)!.konst) return true;
      for (const t of m.outputs) local.add(t);
      for (const sub of [...m.attrs.values()].map((a) => a.g).filter((x): x is GraphInfo => !!x))
        if (readsAct(sub)) return true;
    }
    return false;
  };
  if (n.opType === 'If') {
    const cond = ins[0]?.values?.[0];
    const branch = cond === undefined ? undefined : n.attrs.get(cond ? 'then_branch' : 'else_branch')?.g;
    if (branch) {
      for (const t of branch.initializers) env.set(t.name, { shape: t.dims, values: t.values, konst: true });
      for (const m of branch.nodes) step(m);
      branch.outputs.forEach((o, i) => {
        if (n.outputs[i]) env.set(n.outputs[i], env.get(o.name) ?? { konst: true });
      });
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
    throw new ImportError(
      `${nodeLabel(n)} runs a data-dependent ${n.opType} over activations and its output shape is not in the model; ` +
        (n.opType === 'If'
          ? 'export the model with the branch fixed (trace it, or make the condition a constant)'
          : 'export the model traced (torch.onnx.export unrolls Python loops) or add value_info with onnx.shape_inference') +
        ' — accelmap cannot cost a loop or branch that depends on the data',
    );
  }
  warnings.push(
    `${nodeLabel(n)}: a data-dependent ${n.opType} is not modelled; imported as \`type: unsupported\` (zero cost)`,
  );
  const name = names.take(moduleName(n.name, n.opType, containers), 'unsupported');
  const x = from[0];
  const bAxis = x?.shape && shape.length === x.shape.length ? (x.bAxis ?? 0) : Math.max(0, shape.indexOf(batch));
  const st: TensorState = { shape, konst: false, layer: name, bAxis };
  const L: ImportedLayer = {
    name,
    type: 'unsupported',
    keys: [['op_type', n.opType]],
    inputs: from.map((s) => s.layer ?? 'input'),
    outShape: shape,
    specShape: specOf(st),
    inShapes: from.map((s) => s.shape ?? []),
    writeShape: true,
    origin: n.name || n.outputs[0],
    opType: n.opType,
  };
  layers.push(L);
  byName.set(name, L);
  n.outputs.forEach((o) => env.set(o, st));
}
