// Inlines model-local functions (ModelProto.functions): PyTorch's dynamo-based exporter and onnxscript write
// modules and decomposed operators as functions called by (domain, name). Each call is replaced by the function's
// nodes, with its inputs and outputs bound to the call's and its internal tensors renamed under the call's name;
// attributes that refer to the caller's (`ref_attr_name`) take the caller's value or the function's default.
import type { Attribute, FunctionInfo, NodeInfo } from './proto';
import { ImportError, nodeLabel } from './errors';

const MAX_DEPTH = 32;

export function inlineFunctions(nodes: NodeInfo[], functions: FunctionInfo[]): NodeInfo[] {
  if (!functions.length) return nodes;
  const byKey = new Map(functions.map((f) => [`${f.domain}\u0000${f.name}`, f]));
  let serial = 0;
  const expand = (list: NodeInfo[], depth: number, out: NodeInfo[]): void => {
    for (const n of list) {
      const fn = byKey.get(`${n.domain}\u0000${n.opType}`);
      if (!fn) {
        out.push(n);
        continue;
      }
      if (depth >= MAX_DEPTH)
        throw new ImportError(
          `${nodeLabel(n)} calls functions nested more than ${MAX_DEPTH} deep (a recursive function?); the model cannot be inlined`,
        );
      const prefix = `${n.name || n.outputs[0] || fn.name}#${serial++}/`;
      const bind = new Map<string, string>();
      fn.inputs.forEach((t, i) => bind.set(t, n.inputs[i] ?? ''));
      fn.outputs.forEach((t, i) => bind.set(t, n.outputs[i] ?? ''));
      const rename = (t: string) => (t === '' ? '' : (bind.get(t) ?? prefix + t));
      const body = fn.nodes.map((m): NodeInfo => {
        const attrs = new Map<string, Attribute>();
        for (const [k, a] of m.attrs) {
          if (a.refAttrName === undefined) {
            attrs.set(k, a);
            continue;
          }
          const v = n.attrs.get(a.refAttrName) ?? fn.attrs.get(a.refAttrName);
          if (v) attrs.set(k, { ...v, name: k, refAttrName: undefined });
        }
        // Node names keep the caller's module path so that layer names read like the module tree.
        const name = m.name ? `${n.name ? n.name + '/' : ''}${m.name}` : '';
        return { ...m, name, inputs: m.inputs.map(rename), outputs: m.outputs.map(rename), attrs };
      });
      expand(body, depth + 1, out);
    }
  };
  const out: NodeInfo[] = [];
  expand(nodes, 0, out);
  return out;
}
