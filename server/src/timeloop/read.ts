// Timeloop v0.4 input (architecture `nodes` with !Container / !Component / !Parallel, problem shape and instance,
// mapping, mapspace constraints, mapper options) and Accelergy's ERT, read into the loop-nest model's types
// (sim/nest/types.ts). Every file is scanned for the top-level keys it holds, so arch, problem and mapping may be in
// one file or several. Keys that change Timeloop's answer and are not modelled are errors naming the key and line;
// Accelergy-only attributes (used to estimate energies) are ignored, with a warning when no ERT gives the energies.
import type { Node } from 'yaml';
import type { ComputeLevel, DataSpace, Mapping, Problem, SpatialArch, StorageLevel, Term } from '../sim/nest/types';
import { errorsOf, TimeloopInputError, YFile, type TimeloopIssue } from './yaml';

export interface Constraint {
  target: string;
  type: 'temporal' | 'spatial' | 'datatype';
  factors?: Record<string, number>;
  /** Innermost first, as Timeloop writes it; a prefix fixes the innermost loops. */
  permutation?: string[];
  split?: number;
  keep?: string[];
  bypass?: string[];
  where: string;
}

export type Metric = 'delay' | 'energy' | 'edp' | 'last_level_accesses';
/**
 * Timeloop's mapper options, with Timeloop's meanings: `victoryCondition` consecutive legal mappings without an
 * improvement end a thread's search, `timeout` consecutive illegal ones do, `searchSize` legal mappings per thread.
 */
export interface MapperOptions {
  metrics: Metric[];
  victoryCondition?: number;
  timeout?: number;
  searchSize?: number;
  threads?: number;
  algorithm?: 'linear-pruned' | 'random-pruned' | 'hybrid';
}

export interface TimeloopInput {
  arch?: SpatialArch;
  problem?: Problem;
  mapping?: Mapping;
  /** The mapping as given, per directive (for --format json). */
  mappingDirectives?: Constraint[];
  constraints: Constraint[];
  mapper?: MapperOptions;
  /** Energy per action by component name (pJ), from an ERT. */
  ert?: Map<string, Record<string, number>>;
  warnings: TimeloopIssue[];
}

// Energies when no ERT is given (ASM): the Accelergy tables the tutorial's reference outputs used (40 nm), per word.
export const DEFAULT_ENERGY: Record<string, { read: number; write: number; update: number; leak: number }> = {
  regfile: { read: 0.42564, write: 0.42564, update: 0.42564, leak: 0.000861 },
  SRAM: { read: 43.353054 / 8, write: 30.878292 / 8, update: 30.878292 / 8, leak: 0.007972 },
  DRAM: { read: 64, write: 64, update: 64, leak: 0 },
};
export const DEFAULT_MAC_PJ = 0.845;

const ACCELERGY_ONLY = [
  'technology',
  'n_rdwr_ports',
  'n_rd_ports',
  'n_wr_ports',
  'n_banks',
  'latency',
  'type',
  'area_scale',
  'energy_scale',
  'meshX',
  'meshY',
  'global_cycle_seconds',
  'action_latency_cycles',
  'cycle_time',
  'datawidth_in',
  'datawidth_out',
  'num_pipeline_stages',
  'resolution',
  'voltage',
  'adc_resolution',
];
const MODEL_ATTRS = [
  'depth',
  'memory_depth',
  'width',
  'memory_width',
  'datawidth',
  'word_bits',
  'word-bits',
  'block_size',
  'block-size',
  'read_bandwidth',
  'read-bandwidth',
  'write_bandwidth',
  'write-bandwidth',
  'shared_bandwidth',
  'shared-bandwidth',
  'multiple_buffering',
  'multiple-buffering',
  'cluster_size',
  'cluster-size',
  'min_utilization',
  'reduction_supported',
  'multicast_supported',
];

export function readTimeloop(files: { path: string; text: string }[]): TimeloopInput {
  const out: TimeloopInput = { constraints: [], warnings: [] };
  const issues: TimeloopIssue[] = [];
  const pending: { y: YFile; node: Node }[] = [];
  let sawTop = false;
  for (const f of files) {
    const y = new YFile(f.path, f.text);
    const topKeys = y.keys(y.root).map((k) => k.key);
    for (const k of y.keys(y.root)) {
      const v = y.get(y.root, k.key);
      switch (k.key) {
        case 'architecture':
          sawTop = true;
          out.arch = readArch(y, v);
          break;
        case 'problem':
          sawTop = true;
          out.problem = readProblem(y, v);
          break;
        case 'mapping':
          sawTop = true;
          pending.push({ y, node: v as Node });
          break;
        case 'mapspace_constraints':
        case 'mapspace':
          sawTop = true;
          out.constraints.push(...readDirectives(y, y.get(v, 'targets') ?? y.get(v, 'constraints') ?? v, 'constraint'));
          break;
        case 'mapper':
          sawTop = true;
          out.mapper = readMapper(y, v);
          break;
        case 'ERT':
          sawTop = true;
          out.ert = readErt(y, v);
          break;
        case 'ERT_summary':
        case 'variables':
        case 'globals':
        case 'compound_components':
        case 'version':
          break;
        default:
          y.issue(
            k.node,
            `'${k.key}' is not a Timeloop input accelmap reads (it reads architecture, problem, mapping, mapspace_constraints, mapper and ERT)`,
          );
      }
    }
    if (!topKeys.length && !y.issues.length) y.issue(y.root, 'empty file');
    issues.push(...errorsOf(y.issues));
    out.warnings.push(...y.issues.filter((i) => i.severity === 'warning').map(({ severity: _, ...i }) => i));
  }
  if (!sawTop && !issues.length)
    issues.push({
      file: files[0]?.path ?? '',
      line: 1,
      col: 1,
      message: 'no Timeloop input found (no architecture, problem, mapping, mapspace_constraints, mapper or ERT key)',
    });
  for (const p of pending) {
    const dirs = readDirectives(p.y, p.node, 'mapping');
    issues.push(...errorsOf(p.y.issues).filter((i) => !issues.includes(i)));
    out.mappingDirectives = dirs;
    if (out.arch && out.problem) {
      const m = mappingFrom(out.arch, out.problem, dirs, (d, msg) =>
        issues.push({ file: p.y.file, line: 1, col: 1, message: msg, ...posOf(d) }),
      );
      out.mapping = m;
    }
  }
  if (out.arch && out.ert) applyErt(out.arch, out.ert, out.warnings);
  if (issues.length) throw new TimeloopInputError(dedupe(issues));
  return out;
}

const posOf = (d: Constraint): Partial<TimeloopIssue> => {
  const m = /^(.*):(\d+):(\d+)$/.exec(d.where);
  return m ? { file: m[1], line: Number(m[2]), col: Number(m[3]) } : {};
};
const dedupe = (xs: TimeloopIssue[]) =>
  xs.filter((x, i) => xs.findIndex((y) => y.file === x.file && y.line === x.line && y.message === x.message) === i);

// ------------------------------------------------------------------------------------------------ architecture

function readArch(y: YFile, node: Node | undefined): SpatialArch | undefined {
  y.onlyKeys(node, 'architecture', ['version', 'nodes'], ['subtree', 'local']);
  const version = y.str(y.get(node, 'version'));
  if (version && !/^0\.4/.test(version))
    y.issue(
      y.get(node, 'version'),
      `architecture version ${version}: accelmap reads Timeloop v0.4 architectures (nodes with !Container / !Component)`,
    );
  const nodes = y.get(node, 'nodes');
  if (!y.isSeq(nodes)) {
    y.issue(
      node,
      y.get(node, 'subtree')
        ? 'architecture: the v0.3 `subtree` form is not supported; write the v0.4 `nodes` list (!Container / !Component)'
        : 'architecture needs a `nodes` list',
    );
    return undefined;
  }
  const st: ArchWalk = { levels: [], cycleSeconds: 1e-9, name: 'arch', mult: 1, mx: 1, my: 1 };
  walkNodes(y, y.seq(nodes), st);
  if (!st.levels.length) {
    y.issue(nodes, 'the architecture has no storage component');
    return undefined;
  }
  if (!st.compute) {
    y.issue(
      nodes,
      'the architecture has no compute component (class intmac, fpmac, mac or compute) as its innermost node',
    );
    return undefined;
  }
  return { name: st.name, levels: st.levels, compute: st.compute, cycleSeconds: st.cycleSeconds };
}

/** What the walk down the architecture's nodes has found so far, and the fan-out (instances, mesh) above it. */
interface ArchWalk {
  levels: StorageLevel[];
  compute?: ComputeLevel;
  cycleSeconds: number;
  name: string;
  mult: number;
  mx: number;
  my: number;
}

const COMPUTE_CLASS = /mac|compute|alu|adder|multiplier/i;
const COMPONENT_KEYS = ['name', 'class', 'attributes', 'spatial', 'constraints', 'subclass'];
const ACCELERGY_KEYS = ['required_actions', 'area_share', 'enabled', 'power_gated_at'];

/** Visits the nodes outermost first: containers multiply the fan-out, components add levels (compute innermost). */
function walkNodes(y: YFile, items: Node[], st: ArchWalk): void {
  for (const n of items) {
    const tag = y.tag(n);
    const nm = y.str(y.get(n, 'name')) ?? '?';
    const mesh = meshOf(y, n, nm);
    if (tag === '!Container') visitContainer(y, n, nm, st, mesh);
    else if (tag === '!Component') visitComponent(y, n, nm, st, mesh);
    else if (tag === '!Parallel') visitParallel(y, n, nm, st);
    else if (tag === '!Hierarchical' || tag === '!Nothing') walkNodes(y, y.seq(y.get(n, 'nodes')), st);
    else y.issue(n, `architecture node ${nm}: tag ${tag ?? '(none)'} is not a v0.4 node; use !Container or !Component`);
  }
}

/** A node's spatial fan-out (meshX x meshY; read on every node, so a bad value is reported wherever it is). */
function meshOf(y: YFile, n: Node, nm: string): [number, number] {
  const spatial = y.get(n, 'spatial');
  return [
    y.num(y.get(spatial, 'meshX'), `${nm}.spatial.meshX`) ?? 1,
    y.num(y.get(spatial, 'meshY'), `${nm}.spatial.meshY`) ?? 1,
  ];
}

/** A container's or component's fan-out multiplies the instances and the mesh of everything below it. */
function fanOut(st: ArchWalk, [sx, sy]: [number, number]): void {
  st.mult *= sx * sy;
  st.mx *= sx;
  st.my *= sy;
}

function visitContainer(y: YFile, n: Node, nm: string, st: ArchWalk, mesh: [number, number]): void {
  y.onlyKeys(n, `container ${nm}`, ['name', 'attributes', 'spatial'], ['constraints_placeholder']);
  if (y.get(n, 'constraints'))
    y.issue(
      y.get(n, 'constraints'),
      `container ${nm}: constraints on a container are not supported; put them on the component or in mapspace_constraints`,
    );
  const gcs = y.num(y.get(y.get(n, 'attributes'), 'global_cycle_seconds'), `${nm}.global_cycle_seconds`);
  if (gcs) st.cycleSeconds = gcs;
  if (st.levels.length === 0 && !st.compute) st.name = nm;
  fanOut(st, mesh);
}

function visitComponent(y: YFile, n: Node, nm: string, st: ArchWalk, mesh: [number, number]): void {
  y.onlyKeys(n, `component ${nm}`, COMPONENT_KEYS, ACCELERGY_KEYS);
  const cls = y.str(y.get(n, 'class')) ?? 'SRAM';
  fanOut(st, mesh);
  if (st.compute)
    y.issue(
      n,
      `component ${nm} comes after the compute component ${st.compute.name}: the compute must be the innermost node`,
    );
  if (COMPUTE_CLASS.test(cls)) {
    st.compute = { name: nm, cls, instances: st.mult, meshX: st.mx, meshY: st.my, energy: DEFAULT_MAC_PJ };
    return;
  }
  st.levels.push(readStorage(y, n, nm, cls, y.get(n, 'attributes'), st.mult, st.mx, st.my));
}

/**
 * Siblings side by side (e.g. Eyeriss's input, weight and partial-sum scratchpads): consecutive levels whose loops
 * all sit at the last, so each holds the tile of the group's loops and everything below.
 */
function visitParallel(y: YFile, n: Node, nm: string, st: ArchWalk): void {
  y.onlyKeys(n, `!Parallel ${nm}`, ['name', 'nodes'], []);
  const group: StorageLevel[] = [];
  for (const c of y.seq(y.get(n, 'nodes'))) {
    const cn = y.str(y.get(c, 'name')) ?? '?';
    const ccls = y.str(y.get(c, 'class')) ?? 'SRAM';
    if (y.tag(c) !== '!Component' || COMPUTE_CLASS.test(ccls)) {
      y.issue(
        c,
        `!Parallel ${nm}: ${cn} must be a storage !Component (containers and compute inside a !Parallel are not supported)`,
      );
      continue;
    }
    if (y.get(c, 'spatial')) {
      y.issue(
        y.get(c, 'spatial'),
        `!Parallel ${nm}: ${cn} has a spatial fan-out; put it on the container above the !Parallel`,
      );
      continue;
    }
    y.onlyKeys(
      c,
      `component ${cn}`,
      COMPONENT_KEYS.filter((k) => k !== 'spatial'),
      ACCELERGY_KEYS,
    );
    group.push(readStorage(y, c, cn, ccls, y.get(c, 'attributes'), st.mult, st.mx, st.my));
  }
  if (!group.length) y.issue(n, `!Parallel ${nm} has no storage component in its nodes`);
  for (const lv of group.slice(0, -1)) lv.parallelOf = group[group.length - 1].name;
  st.levels.push(...group);
}

function readStorage(
  y: YFile,
  n: Node,
  name: string,
  cls: string,
  attrs: Node | undefined,
  instances: number,
  mx: number,
  my: number,
): StorageLevel {
  const a = (k: string[]) => {
    for (const key of k) {
      const v = y.get(attrs, key);
      if (v !== undefined) return y.num(v, `${name}.${key}`);
    }
    return undefined;
  };
  for (const k of y.keys(attrs)) {
    if (MODEL_ATTRS.includes(k.key) || ACCELERGY_ONLY.includes(k.key)) continue;
    y.warn(
      k.node,
      `${name}: attribute '${k.key}' is not part of Timeloop's performance model here and is ignored (it may matter to Accelergy's energy estimate; give an ERT to fix the energies)`,
    );
  }
  const datawidth = a(['datawidth', 'word_bits', 'word-bits']) ?? 8;
  const width = a(['width', 'memory_width']);
  const blockSize = a(['block_size', 'block-size']) ?? (width ? Math.max(1, Math.floor(width / datawidth)) : 1);
  const depth = a(['depth', 'memory_depth']);
  const cluster = a(['cluster_size', 'cluster-size']);
  if (cluster && cluster > 1)
    y.issue(
      y.get(attrs, 'cluster_size') ?? y.get(attrs, 'cluster-size'),
      `${name}: cluster_size ${cluster} is not supported (only 1)`,
    );
  const cons = y.get(n, 'constraints');
  // Timeloop's dataspace constraints: keep (must hold), bypass (must not), keep_only (holds these and nothing
  // else), bypass_only (holds everything but these)
  let mayKeep: string[] | undefined, mustBypass: string[] | undefined, mustKeep: string[] | '*' | undefined;
  if (cons) {
    y.onlyKeys(cons, `${name}.constraints`, ['dataspace'], []);
    const ds = y.get(cons, 'dataspace');
    y.onlyKeys(ds, `${name}.constraints.dataspace`, ['keep', 'bypass', 'keep_only', 'bypass_only'], []);
    const list = (k: string) => (y.get(ds, k) ? y.seq(y.get(ds, k)).map((x) => y.str(x) ?? '') : undefined);
    const keep = list('keep'),
      bypass = list('bypass'),
      keepOnly = list('keep_only'),
      bypassOnly = list('bypass_only');
    if (keepOnly) {
      mayKeep = keepOnly;
      mustKeep = keepOnly;
    }
    if (bypassOnly) {
      mustBypass = bypassOnly;
      mustKeep = '*';
    }
    if (keep) mustKeep = mustKeep === '*' ? '*' : [...(mustKeep ?? []), ...keep];
    if (bypass) mustBypass = [...(mustBypass ?? []), ...bypass];
    const both = (Array.isArray(mustKeep) ? mustKeep : []).filter((t) => mustBypass?.includes(t));
    if (both.length) y.issue(ds, `${name}: ${both.join(', ')} both kept and bypassed by its dataspace constraints`);
  }
  const klass = /dram/i.test(cls) ? 'DRAM' : /reg/i.test(cls) ? 'regfile' : 'SRAM';
  const e = DEFAULT_ENERGY[klass];
  return {
    name,
    cls,
    sizeWords: depth !== undefined ? depth * blockSize : undefined,
    blockSize,
    wordBits: datawidth,
    instances,
    meshX: mx,
    meshY: my,
    readBandwidth: a(['read_bandwidth', 'read-bandwidth']),
    writeBandwidth: a(['write_bandwidth', 'write-bandwidth']),
    sharedBandwidth: a(['shared_bandwidth', 'shared-bandwidth']),
    multipleBuffering: a(['multiple_buffering', 'multiple-buffering']) ?? 1,
    energy: { read: e.read * blockSize, write: e.write * blockSize, update: e.update * blockSize, leak: e.leak },
    mayKeep,
    mustBypass,
    ...(mustKeep ? { mustKeep } : {}),
  };
}

// ------------------------------------------------------------------------------------------------ problem

function readProblem(y: YFile, node: Node | undefined): Problem | undefined {
  y.onlyKeys(node, 'problem', ['version', 'shape', 'instance'], []);
  const shape = y.get(node, 'shape');
  if (y.str(shape) !== undefined) {
    y.issue(
      shape,
      `problem.shape '${y.str(shape)}': built-in shape names are not supported; write the shape (dimensions, data_spaces)`,
    );
    return undefined;
  }
  y.onlyKeys(shape, 'problem.shape', ['name', 'dimensions', 'data_spaces', 'data-spaces', 'coefficients'], []);
  const dims = y.seq(y.get(shape, 'dimensions')).map((d) => y.str(d) ?? '');
  if (!dims.length) {
    y.issue(shape ?? node, 'problem.shape needs `dimensions`');
    return undefined;
  }
  const coefDefaults: Record<string, number> = {};
  for (const c of y.seq(y.get(shape, 'coefficients'))) {
    const nm = y.str(y.get(c, 'name'));
    if (nm) coefDefaults[nm] = y.num(y.get(c, 'default'), `coefficient ${nm}.default`) ?? 1;
  }
  const inst = y.get(node, 'instance');
  const bounds: Record<string, number> = {};
  const coefs = { ...coefDefaults };
  for (const k of y.keys(inst)) {
    const v = y.num(y.get(inst, k.key), `problem.instance.${k.key}`);
    if (v === undefined) continue;
    if (dims.includes(k.key)) bounds[k.key] = v;
    else if (k.key in coefDefaults) coefs[k.key] = v;
    else if (k.key === 'densities') y.issue(k.node, 'problem.instance.densities: sparse workloads are not supported');
    else
      y.issue(
        k.node,
        `problem.instance.${k.key} is neither a dimension (${dims.join(', ')}) nor a coefficient${Object.keys(coefDefaults).length ? ` (${Object.keys(coefDefaults).join(', ')})` : ''}`,
      );
  }
  for (const d of dims) if (!(d in bounds)) bounds[d] = 1;
  for (const d of dims)
    if (!Number.isInteger(bounds[d]) || bounds[d] < 1)
      y.issue(y.get(inst, d) ?? inst, `problem.instance.${d} must be a positive integer (got ${bounds[d]})`);
  const dataSpaces: DataSpace[] = [];
  for (const ds of y.seq(y.get(shape, 'data_spaces') ?? y.get(shape, 'data-spaces'))) {
    y.onlyKeys(ds, 'data space', ['name', 'projection', 'read_write', 'read-write'], []);
    const nm = y.str(y.get(ds, 'name')) ?? '?';
    const proj = y.get(ds, 'projection');
    if (!y.isSeq(proj)) {
      y.issue(
        proj ?? ds,
        `data space ${nm}: projection must be a list of coordinates, each a list of [dimension] or [dimension, coefficient] terms`,
      );
      continue;
    }
    const projection: Term[][] = y.seq(proj).map((coord) =>
      y.seq(coord).map((term) => {
        const parts = y.seq(term).map((t) => y.str(t) ?? '');
        const dim = parts.find((p) => dims.includes(p));
        if (!dim) {
          y.issue(
            term,
            `data space ${nm}: term [${parts.join(', ')}] names no dimension (dimensions: ${dims.join(', ')})`,
          );
          return { dim: dims[0], coef: 0 };
        }
        const other = parts.filter((p) => p !== dim);
        let coef = 1;
        for (const o of other) {
          if (o in coefs) coef *= coefs[o];
          else if (Number.isFinite(Number(o))) coef *= Number(o);
          else y.issue(term, `data space ${nm}: coefficient '${o}' is not declared in problem.shape.coefficients`);
        }
        return { dim, coef };
      }),
    );
    const rw = y.js(y.get(ds, 'read_write') ?? y.get(ds, 'read-write'));
    dataSpaces.push({ name: nm, readWrite: rw === true || rw === 'True' || rw === 'true', projection });
  }
  if (!dataSpaces.length) y.issue(shape, 'problem.shape needs `data_spaces`');
  return { name: y.str(y.get(shape, 'name')) ?? 'problem', dims, bounds, dataSpaces };
}

// ------------------------------------------------------------------------------------------------ mapping / constraint

function parseFactors(y: YFile, node: Node | undefined, what: string): Record<string, number> | undefined {
  if (node === undefined) return undefined;
  const text = y.isSeq(node)
    ? y
        .seq(node)
        .map((x) => y.str(x) ?? '')
        .join(' ')
    : (y.str(node) ?? '');
  const out: Record<string, number> = {};
  const re = /([A-Za-z_][A-Za-z_0-9]*?)\s*=?\s*(\d+)(?=\s|,|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) out[m[1]] = Number(m[2]);
  if (text.replace(/[\s,]/g, '').length && !Object.keys(out).length)
    y.issue(node, `${what}: cannot read factors '${text}' (write them as "R=3 P=16")`);
  return out;
}

function parsePermutation(y: YFile, node: Node | undefined): string[] | undefined {
  if (node === undefined) return undefined;
  if (y.isSeq(node)) return y.seq(node).map((x) => y.str(x) ?? '');
  const s = (y.str(node) ?? '').trim();
  return s.includes(' ') || s.includes(',') ? s.split(/[\s,]+/).filter(Boolean) : [...s];
}

function readDirectives(y: YFile, node: Node | undefined, what: 'mapping' | 'constraint'): Constraint[] {
  const list = y.isSeq(node) ? y.seq(node) : y.seq(y.get(node, 'mapping') ?? y.get(node, 'targets'));
  if (!list.length && what === 'mapping') {
    y.issue(node, 'mapping must be a list of directives (target, type, factors, permutation / keep, bypass)');
    return [];
  }
  const out: Constraint[] = [];
  for (const d of list) {
    y.onlyKeys(d, what, ['target', 'type', 'factors', 'permutation', 'split', 'keep', 'bypass'], ['name']);
    const target = y.str(y.get(d, 'target'));
    const typeRaw = y.str(y.get(d, 'type')) ?? 'temporal';
    const type = typeRaw === 'bypass' || typeRaw === 'datatype' || typeRaw === 'dataspace' ? 'datatype' : typeRaw;
    if (!target) {
      y.issue(d, `${what} directive needs a target (a storage level's name)`);
      continue;
    }
    if (type !== 'temporal' && type !== 'spatial' && type !== 'datatype') {
      y.issue(y.get(d, 'type'), `${what} type '${typeRaw}' is not supported (temporal, spatial, bypass/datatype)`);
      continue;
    }
    const list2 = (k: string) =>
      y.get(d, k) !== undefined ? y.seq(y.get(d, k)).map((x) => y.str(x) ?? '') : undefined;
    const pos = y.at(d);
    out.push({
      target,
      type,
      factors: parseFactors(y, y.get(d, 'factors'), `${what} ${target} ${type}`),
      permutation: parsePermutation(y, y.get(d, 'permutation')),
      split: y.num(y.get(d, 'split'), `${target}.split`),
      keep: list2('keep'),
      bypass: list2('bypass'),
      where: `${y.file}:${pos.line}:${pos.col}`,
    });
  }
  return out;
}

/**
 * A complete mapping from directives: per level factors (missing = 1), loop order, spatial split, keep (default all).
 */
export function mappingFrom(
  a: SpatialArch,
  p: Problem,
  dirs: Constraint[],
  issue: (d: Constraint, msg: string) => void,
): Mapping {
  const m: Mapping = a.levels.map(() => ({
    temporal: {},
    order: [],
    spatial: {},
    spatialX: [],
    keep: p.dataSpaces.map((d) => d.name),
  }));
  for (const d of dirs) {
    const l = a.levels.findIndex((x) => x.name === d.target);
    if (l < 0) {
      if (d.target === a.compute.name) {
        issue(
          d,
          `${d.target} is the compute; mappings target storage levels (${a.levels.map((x) => x.name).join(', ')})`,
        );
        continue;
      }
      issue(
        d,
        `mapping target '${d.target}' is not a storage level of the architecture (${a.levels.map((x) => x.name).join(', ')})`,
      );
      continue;
    }
    const lm = m[l];
    for (const k of Object.keys(d.factors ?? {}))
      if (!p.dims.includes(k))
        issue(d, `factor ${k} at ${d.target}: not a dimension of ${p.name} (${p.dims.join(', ')})`);
    for (const k of d.permutation ?? [])
      if (!p.dims.includes(k))
        issue(d, `permutation of ${d.target} names '${k}', not a dimension of ${p.name} (${p.dims.join(', ')})`);
    if (d.type === 'temporal') {
      lm.temporal = { ...d.factors };
      lm.order = [...(d.permutation ?? [])].reverse();
    } else if (d.type === 'spatial') {
      lm.spatial = { ...d.factors };
      const perm = d.permutation ?? p.dims;
      lm.spatialX = perm.slice(0, d.split ?? perm.length);
    } else {
      const names = p.dataSpaces.map((x) => x.name);
      for (const t of [...(d.keep ?? []), ...(d.bypass ?? [])])
        if (!names.includes(t)) issue(d, `'${t}' at ${d.target}: not a data space of ${p.name} (${names.join(', ')})`);
      let keep = names;
      if (d.keep) keep = keep.filter((t) => d.keep!.includes(t) || !d.bypass);
      if (d.bypass) keep = keep.filter((t) => !d.bypass!.includes(t));
      lm.keep = keep;
    }
  }
  return m;
}

// ------------------------------------------------------------------------------------------------ mapper, ERT

function readMapper(y: YFile, node: Node | undefined): MapperOptions {
  y.onlyKeys(
    node,
    'mapper',
    [
      'version',
      'optimization_metric',
      'optimization-metric',
      'optimization_metrics',
      'num_threads',
      'num-threads',
      'algorithm',
      'victory_condition',
      'victory-condition',
      'timeout',
      'search_size',
      'search-size',
      'max_permutations_per_if_visit',
      'live_status',
      'diagnostics',
      'log_suboptimal',
      'log_stats',
    ],
    [],
  );
  const mnode =
    y.get(node, 'optimization_metric') ?? y.get(node, 'optimization-metric') ?? y.get(node, 'optimization_metrics');
  const metrics = (
    mnode ? (y.isSeq(mnode) ? y.seq(mnode).map((x) => y.str(x) ?? '') : [y.str(mnode) ?? '']) : ['edp']
  ) as Metric[];
  for (const mt of metrics)
    if (!['delay', 'energy', 'edp', 'last_level_accesses'].includes(mt))
      y.issue(mnode, `optimization metric '${mt}' is not supported (delay, energy, edp, last_level_accesses)`);
  const timeout = y.num(y.get(node, 'timeout'), 'mapper.timeout');
  const anode = y.get(node, 'algorithm');
  const aname = (y.str(anode) ?? '').replace(/_/g, '-');
  const algorithm =
    aname === ''
      ? undefined
      : (
          {
            'linear-pruned': 'linear-pruned',
            linear: 'linear-pruned',
            exhaustive: 'linear-pruned',
            'random-pruned': 'random-pruned',
            random: 'random-pruned',
            hybrid: 'hybrid',
          } as const
        )[aname];
  if (aname && !algorithm)
    y.issue(anode, `mapper algorithm '${y.str(anode)}' is not supported (linear-pruned, random-pruned, hybrid)`);
  return {
    metrics,
    ...(algorithm ? { algorithm } : {}),
    victoryCondition: y.num(
      y.get(node, 'victory_condition') ?? y.get(node, 'victory-condition'),
      'mapper.victory_condition',
    ),
    timeout,
    searchSize: y.num(y.get(node, 'search_size') ?? y.get(node, 'search-size'), 'mapper.search_size'),
    threads: y.num(y.get(node, 'num_threads') ?? y.get(node, 'num-threads'), 'mapper.num_threads'),
  };
}

function readErt(y: YFile, node: Node | undefined): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const t of y.seq(y.get(node, 'tables'))) {
    const full = y.str(y.get(t, 'name')) ?? '';
    const short = full
      .replace(/\[[^\]]*\]$/, '')
      .split('.')
      .pop()!;
    const actions: Record<string, number> = {};
    for (const a of y.seq(y.get(t, 'actions'))) {
      const an = y.str(y.get(a, 'name')) ?? '';
      const e = y.num(y.get(a, 'energy'), `${short}.${an}.energy`);
      if (e !== undefined && !(an in actions)) actions[an] = e;
    }
    out.set(short, actions);
  }
  return out;
}

function applyErt(a: SpatialArch, ert: Map<string, Record<string, number>>, warnings: TimeloopIssue[]): void {
  for (const lv of a.levels) {
    const e = ert.get(lv.name);
    if (!e) {
      warnings.push({
        file: '',
        line: 1,
        col: 1,
        message: `the ERT has no table for ${lv.name}; its energies are accelmap's defaults for ${lv.cls}`,
      });
      continue;
    }
    lv.energy = {
      read: e.read ?? lv.energy.read,
      write: e.write ?? e.update ?? lv.energy.write,
      update: e.update ?? e.write ?? lv.energy.update,
      leak: e.leak ?? 0,
    };
  }
  const c = ert.get(a.compute.name);
  if (c?.compute !== undefined) a.compute.energy = c.compute;
  else if (c?.mac_random !== undefined) a.compute.energy = c.mac_random;
  else
    warnings.push({
      file: '',
      line: 1,
      col: 1,
      message: `the ERT has no compute energy for ${a.compute.name}; using ${DEFAULT_MAC_PJ} pJ`,
    });
}
