// A sweep spec (`kind: sweep`, files `*.sweep.yaml`): a base network and target, axes over any hardware knob of the
// target's kind, the batch size, the precision or the optimizer, constraints between axes, and the objectives.
//
//   kind: sweep
//   network: ./resnet50.net.yaml
//   target: ntx                        # a preset, or a target of `hardware:` files
//   hardware: [./my.hw.yaml]
//   axes:
//     compute.clusters: [16, 32, 64, 128]
//     memory.dram_bandwidth: {log: [100 GB/s, 1 TB/s], points: 8}
//     batch: {range: [8, 64], step: 8}
//     precision: [fp32, bf16]
//   constraints: ["compute.clusters * batch <= 4096"]
//   objectives: [time, energy]        # also edp, samples_per_s, samples_per_j, area (kinds with an area model)
//
// Every problem is an issue at its line and column (the reader of timeloop/yaml.ts).
import type { Node } from 'yaml';
import { KINDS } from '../kinds/params';
import type { ParamSpec } from '../spec/params';
import type { TargetKind } from '../spec/types';
import { OPTIMIZERS, PRECISIONS } from '../spec/vocab';
import { parseQuantity } from '../spec/units';
import { didYouMean } from '../spec/suggest';
import { errorsOf, TimeloopInputError as SpecInputError, YFile, type TimeloopIssue as Issue } from '../timeloop/yaml';
import { compile, ExprError, type Compiled } from './expr';
import { areaKinds } from '../kinds/models';

export { SpecInputError };
export type Objective = 'time' | 'energy' | 'edp' | 'samples_per_s' | 'samples_per_j' | 'area';
export const OBJECTIVES: Objective[] = ['time', 'energy', 'edp', 'samples_per_s', 'samples_per_j', 'area'];

export interface Axis {
  name: string;
  kind: 'param' | 'batch' | 'precision' | 'optimizer';
  values: (number | string)[];
  spec?: ParamSpec;
}
export interface SweepSpec {
  name: string;
  network: string;
  target: string;
  hardware: string[];
  axes: Axis[];
  constraints: { text: string; f: Compiled }[];
  objectives: Objective[];
}

/** Reads a sweep spec; `kindOf` resolves the target's kind (for the parameter axes), undefined when unknown. */
export function readSweep(
  file: string,
  text: string,
  kindOf: (target: string, hardware: string[]) => TargetKind | undefined,
): SweepSpec {
  const y = new YFile(file, text);
  const root = y.root;
  y.onlyKeys(
    root,
    'sweep',
    ['kind', 'name', 'network', 'target', 'hardware', 'axes', 'constraints', 'objectives'],
    ['description'],
  );
  if (y.str(y.get(root, 'kind')) !== 'sweep') y.issue(y.get(root, 'kind') ?? root, 'a sweep spec needs `kind: sweep`');
  const network = y.str(y.get(root, 'network'));
  if (!network) y.issue(root, 'a sweep needs `network:` (the path of a network spec or an .onnx file)');
  const target = y.str(y.get(root, 'target'));
  if (!target) y.issue(root, 'a sweep needs `target:` (a preset or a target of the `hardware:` files)');
  const hwNode = y.get(root, 'hardware');
  const hardware =
    hwNode === undefined ? [] : y.isSeq(hwNode) ? y.seq(hwNode).map((x) => y.str(x) ?? '') : [y.str(hwNode) ?? ''];
  const kind = target ? kindOf(target, hardware) : undefined;
  if (target && !kind)
    y.issue(y.get(root, 'target'), `target \`${target}\` is neither a preset nor a target of the hardware files`);
  const axes = readAxes(y, root, kind);
  const constraints = readConstraints(
    y,
    y.get(root, 'constraints'),
    axes.map((a) => a.name),
  );
  const objectives = readObjectives(y, y.get(root, 'objectives'), kind);
  const errs = errorsOf(y.issues);
  if (errs.length) throw new SpecInputError(errs);
  return {
    name: y.str(y.get(root, 'name')) ?? file.replace(/^.*\//, '').replace(/\.sweep\.ya?ml$/, ''),
    network: network!,
    target: target!,
    hardware,
    axes,
    constraints,
    objectives,
  };
}

/** The axes: batch, precision, optimizer, or a parameter of the target's kind (its dimension sets the values' form). */
function readAxes(y: YFile, root: Node | null | undefined, kind: TargetKind | undefined): Axis[] {
  const params = KINDS.find((k) => k.kind === kind)?.params ?? [];
  const axes: Axis[] = [];
  const axesNode = y.get(root, 'axes');
  if (!y.map(axesNode))
    y.issue(
      axesNode ?? root,
      'a sweep needs `axes:`, a mapping from a knob (a parameter path, batch, precision, optimizer) to its values',
    );
  for (const k of y.keys(axesNode)) {
    const vnode = y.get(axesNode, k.key);
    if (k.key === 'batch') axes.push({ name: k.key, kind: 'batch', values: values(y, vnode, k.key, 'count') });
    else if (k.key === 'precision' || k.key === 'optimizer') axes.push(choiceAxis(y, vnode, k.key));
    else {
      const spec = params.find((p) => p.path === k.key);
      if (spec) axes.push(paramAxis(y, vnode, k.key, spec));
      else if (kind) {
        const g =
          didYouMean(
            k.key,
            params.map((p) => p.path),
          ) ?? params.find((p) => p.path.split('.').pop() === k.key.split('.').pop())?.path;
        y.issue(
          k.node,
          `\`${k.key}\` is not a parameter of a ${kind} target${g ? `; did you mean \`${g}\`?` : ''} (or batch, precision, optimizer)`,
        );
      }
    }
  }
  return axes;
}

/** The precision or optimizer axis: a list of the allowed names. */
function choiceAxis(y: YFile, vnode: Node | undefined, name: 'precision' | 'optimizer'): Axis {
  const allowed: readonly string[] = name === 'precision' ? PRECISIONS : OPTIMIZERS;
  const vs = y.seq(vnode).map((x) => y.str(x) ?? '');
  if (!vs.length) y.issue(vnode, `${name}: a list of values (${allowed.join(', ')})`);
  for (const [i, v] of vs.entries())
    if (!allowed.includes(v)) y.issue(y.seq(vnode)[i], `${name} \`${v}\` is not one of ${allowed.join(', ')}`);
  return { name, kind: name, values: vs };
}

/** A parameter axis: named values for enum / bool / string parameters, else numbers (lists or ranges, with units). */
function paramAxis(y: YFile, vnode: Node | undefined, name: string, spec: ParamSpec): Axis {
  if (spec.dim !== 'enum' && spec.dim !== 'bool' && spec.dim !== 'string')
    return { name, kind: 'param', values: values(y, vnode, name, spec.dim), spec };
  const vs = y.seq(vnode).map((x) => {
    const j = y.js(x);
    return spec.dim === 'bool' ? String(j) : String(j ?? '');
  });
  if (spec.values)
    for (const [i, v] of vs.entries())
      if (!spec.values.includes(v))
        y.issue(y.seq(vnode)[i], `\`${v}\` is not a value of ${name} (${spec.values.join(', ')})`);
  return { name, kind: 'param', values: vs, spec };
}

/** Constraints between axes, compiled; an expression error points at its column in the file. */
function readConstraints(y: YFile, cnode: Node | undefined, names: string[]): SweepSpec['constraints'] {
  const constraints: SweepSpec['constraints'] = [];
  for (const c of y.seq(cnode)) {
    const src = y.str(c) ?? '';
    try {
      constraints.push({ text: src, f: compile(src, names) });
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      const p = y.at(c);
      y.issues.push({
        file: y.file,
        line: p.line,
        col: p.col + e.at + (y.tag(c) ? 0 : 1),
        message: `constraint: ${e.message}`,
      });
    }
  }
  return constraints;
}

/** The objectives (default time and energy); `area` only for kinds with an area model. */
function readObjectives(y: YFile, onode: Node | undefined, kind: TargetKind | undefined): Objective[] {
  const objectives = (onode ? y.seq(onode).map((x) => y.str(x) ?? '') : ['time', 'energy']) as Objective[];
  for (const [i, o] of objectives.entries()) {
    if (!OBJECTIVES.includes(o)) y.issue(y.seq(onode)[i], `objective \`${o}\` is not one of ${OBJECTIVES.join(', ')}`);
    else if (o === 'area' && kind && !areaKinds().includes(kind))
      y.issue(
        y.seq(onode)[i],
        `objective \`area\`: a ${kind} target has no area model (kinds with one: ${areaKinds().join(', ')})`,
      );
  }
  return objectives;
}

/** The values of a numeric axis: a list, {range: [a, b], step}, {linear: [a, b], points} or {log: [a, b], points}. */
function values(y: YFile, node: Node | undefined, name: string, dim: ParamSpec['dim']): number[] {
  const q = (n: Node | undefined): number | undefined => {
    const raw = y.js(n);
    if (typeof raw !== 'number' && typeof raw !== 'string') {
      y.issue(
        n,
        `${name}: a value must be a number${dim === 'count' || dim === 'number' || dim === 'ratio' ? '' : ' with a unit'}`,
      );
      return undefined;
    }
    const r = parseQuantity(raw, dim);
    if ('error' in r) {
      y.issue(n, `${name}: ${r.error}${r.hint ? ` (e.g. ${raw} ${r.hint})` : ''}`);
      return undefined;
    }
    return r.value;
  };
  if (y.isSeq(node))
    return y
      .seq(node)
      .map(q)
      .filter((v): v is number => v !== undefined);
  const m = y.map(node);
  if (!m) {
    y.issue(
      node,
      `${name}: a list of values or {range: [from, to], step}, {linear: [from, to], points}, {log: [from, to], points}`,
    );
    return [];
  }
  y.onlyKeys(node, `${name}`, ['range', 'step', 'linear', 'log', 'points'], []);
  const pair = (k: string) => {
    const s = y.seq(y.get(node, k));
    if (s.length !== 2) {
      y.issue(y.get(node, k), `${name}.${k}: [from, to]`);
      return undefined;
    }
    const a = q(s[0]),
      b = q(s[1]);
    return a === undefined || b === undefined ? undefined : ([a, b] as const);
  };
  const points = y.num(y.get(node, 'points'), `${name}.points`);
  const out: number[] = [];
  if (y.get(node, 'range')) {
    const p = pair('range'),
      step = q(y.get(node, 'step'));
    if (!p || step === undefined) return [];
    if (!(step > 0)) {
      y.issue(y.get(node, 'step'), `${name}.step must be positive`);
      return [];
    }
    for (let v = p[0]; v <= p[1] * (1 + 1e-12); v += step) out.push(dim === 'count' ? Math.round(v) : v);
  } else if (y.get(node, 'linear') || y.get(node, 'log')) {
    const log = !!y.get(node, 'log'),
      p = pair(log ? 'log' : 'linear');
    if (!p) return [];
    if (!points || points < 1 || !Number.isInteger(points)) {
      y.issue(y.get(node, 'points') ?? node, `${name}.points must be a positive integer`);
      return [];
    }
    if (log && (p[0] <= 0 || p[1] <= 0)) {
      y.issue(y.get(node, 'log'), `${name}.log needs positive bounds`);
      return [];
    }
    for (let i = 0; i < points; i++) {
      const t = points === 1 ? 0 : i / (points - 1);
      const v = log ? Math.exp(Math.log(p[0]) + t * (Math.log(p[1]) - Math.log(p[0]))) : p[0] + t * (p[1] - p[0]);
      out.push(dim === 'count' ? Math.round(v) : v);
    }
  } else y.issue(node, `${name}: {range: [from, to], step}, {linear: [from, to], points} or {log: [from, to], points}`);
  return [...new Set(out)];
}

export type { Issue };
