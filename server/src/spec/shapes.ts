// Shape inference through the layer graph: inputs resolved by name (unknown, later and self references are errors
// with a did-you-mean), arity checked, then each layer's own rule — its module's `infer` in layers/, with the
// parameter and MAC counts of PyTorch's definitions (checked against the layer tables of real networks in
// test/unit/spec/). Shapes exclude the batch.
import type { AstNode, AstScalar } from './ast';
import type { Diags } from './diag';
import type { LayerAttrs, LayerModel, LayerRanges, LayerType, Shape } from './types';
import type { Inferred } from '../layers/def';
import { LAYER_TYPES } from './vocab';
import { LAYERS } from '../layers/index';
import { fmt, prod } from '../layers/common';
export { sliceLength } from '../layers/slice';
import { didYouMean } from './suggest';

export interface LayerSource {
  index: number;
  node: AstNode;
  name: string;
  nameNode: AstScalar | undefined;
  type: LayerType | undefined;
  attrs: LayerAttrs;
  inputs: { name: string; node: AstScalar }[] | undefined;
  outputShape: { shape: number[] | undefined; node: AstNode } | undefined;
  ranges: LayerRanges;
  /** A value the shape depends on was unusable (already reported): the output shape is unknown. */
  bad?: boolean;
  /** `padding: same` (output spatial size = input size). */
  samePadding?: boolean;
}

export { fmt };

export function inferShapes(sources: LayerSource[], input: Shape | null, batch: number, d: Diags): LayerModel[] {
  const firstIndex = layerIndex(sources, d);
  const shapes: (Shape | null)[] = new Array(sources.length);
  const out: LayerModel[] = new Array(sources.length);
  for (const s of sources) {
    const i = s.index;
    const { inputs, inShapes, resolved } = resolveInputs(s, sources, firstIndex, input, shapes, d);
    let inferred: Inferred | null = null;
    const type = s.type;
    if (type && resolved && !s.bad && arityOk(s, type, inputs, d) && inShapes.every((x) => x !== null)) {
      inferred = inferOne(
        s,
        type,
        inShapes as Shape[],
        inputs.map((j) => (j < 0 ? 'input' : sources[j].name)),
        batch,
        d,
      );
    }
    const stated = s.outputShape?.shape;
    if (inferred) inferred = checkInferred(s, inferred, batch, d);
    const shape = inferred?.shape ?? stated ?? null;
    shapes[i] = shape;
    out[i] = {
      index: i,
      name: s.name,
      type: type ?? 'unsupported',
      attrs: s.attrs,
      inputs,
      inShapes: inShapes.map((x) => x ?? []),
      outShape: shape ?? [],
      params: inferred?.params ?? 0,
      macs: inferred?.macs ?? 0,
      ranges: s.ranges,
    };
  }
  return out;
}

/**
 * The first index of each layer name (to tell "later layer" from "unknown"); a layer named `input` and a name used
 * twice are errors with a rename fix.
 */
function layerIndex(sources: LayerSource[], d: Diags): Map<string, number> {
  const firstIndex = new Map<string, number>();
  for (const s of sources) {
    if (s.name === 'input' && s.nameNode) {
      d.error(
        'AM4005',
        s.nameNode,
        '`input` names the network input in `inputs:` lists; give this layer another name.',
        [d.replaceFix('Rename to `input_layer`', s.nameNode, 'input_layer')],
      );
    }
    const prev = firstIndex.get(s.name);
    if (prev === undefined) firstIndex.set(s.name, s.index);
    else {
      const at: AstNode = s.nameNode ?? s.node;
      const fresh = uniqueName(s.name, firstIndex);
      d.error(
        'AM4005',
        s.nameNode ? at : [s.node.start, Math.min(s.node.end, s.node.start + 1)],
        `Layer name \`${s.name}\` is already used by layer ${prev}; names must be unique. Rename this one.`,
        s.nameNode ? [d.replaceFix(`Rename to \`${fresh}\``, at, fresh)] : undefined,
      );
    }
  }
  return firstIndex;
}

/**
 * A layer's producers (-1 = the network input) and their shapes: the layer before when `inputs:` is absent (none
 * for a further `input` layer), else each named layer, which must come earlier (errors with a fix otherwise).
 */
function resolveInputs(
  s: LayerSource,
  sources: LayerSource[],
  firstIndex: Map<string, number>,
  input: Shape | null,
  shapes: (Shape | null)[],
  d: Diags,
): { inputs: number[]; inShapes: (Shape | null)[]; resolved: boolean } {
  const i = s.index;
  const inputs: number[] = [];
  const inShapes: (Shape | null)[] = [];
  let resolved = true;
  if (s.inputs === undefined && s.type === 'input') return { inputs, inShapes, resolved }; // a further network input
  if (s.inputs === undefined) {
    inputs.push(i - 1);
    inShapes.push(i === 0 ? input : shapes[i - 1]);
    return { inputs, inShapes, resolved };
  }
  for (const ref of s.inputs) {
    const j = ref.name === 'input' && !firstIndex.has('input') ? -1 : firstIndex.get(ref.name);
    if (j === undefined) {
      resolved = false;
      const guess = d.maySuggest() ? didYouMean(ref.name, earlierNames(sources, i)) : undefined;
      d.error(
        'AM4003',
        ref.node,
        `\`inputs\`: no earlier layer is named \`${ref.name}\`${guess ? `; did you mean \`${guess}\`?` : '. Name an earlier layer or `input` (the network input).'}`,
        guess ? [d.replaceFix(`Change to \`${guess}\``, ref.node, guess)] : undefined,
      );
    } else if (j >= i) {
      resolved = false;
      d.error(
        'AM4004',
        ref.node,
        j === i
          ? `Layer \`${s.name}\` names itself in \`inputs\`; inputs may only name earlier layers (or \`input\`).`
          : `\`${ref.name}\` is layer ${j}, after this layer (${i}); inputs may only name earlier layers. Move this layer below it.`,
      );
    } else {
      inputs.push(j);
      inShapes.push(j < 0 ? input : shapes[j]);
    }
  }
  return { inputs, inShapes, resolved };
}

/**
 * `output_shape` checked against the inferred shape (it stands in when inference could not run); sizes past 2^53
 * cannot be counted exactly (and overflow to Infinity further on): refused, null returned.
 */
function checkInferred(s: LayerSource, inferred: Inferred, batch: number, d: Diags): Inferred | null {
  const stated = s.outputShape?.shape;
  if (stated && !sameShape(stated, inferred.shape)) {
    d.error(
      'AM4006',
      s.outputShape!.node,
      `\`output_shape\` ${fmt(stated)} disagrees with the inferred shape ${fmt(inferred.shape)}; correct one of them.`,
      [d.replaceFix(`Change to ${fmt(inferred.shape)}`, s.outputShape!.node, `[${inferred.shape.join(', ')}]`)],
    );
  }
  const exact =
    Number.isSafeInteger(inferred.macs) &&
    Number.isSafeInteger(inferred.params) &&
    Number.isSafeInteger(batch * prod(inferred.shape));
  if (exact) return inferred;
  d.error(
    'AM2005',
    at(s),
    `\`${s.name}\` is too large to count exactly (output ${fmt(inferred.shape)}, ${inferred.macs.toExponential(2)} MACs for the batch); use realistic sizes.`,
  );
  return null;
}

function uniqueName(name: string, taken: Map<string, number>): string {
  for (let k = 2; ; k++) if (!taken.has(`${name}_${k}`)) return `${name}_${k}`;
}

function earlierNames(sources: LayerSource[], i: number): string[] {
  const out = ['input'];
  for (let j = 0; j < i; j++) out.push(sources[j].name);
  return out;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Where shape problems of a layer are shown: its `inputs:` when given, else its `type`. */
function at(s: LayerSource): import('./types').Range {
  return s.ranges.keys.inputs ?? s.ranges.type;
}
function keyAt(s: LayerSource, key: string): import('./types').Range {
  return s.ranges.keys[key] ?? s.ranges.type;
}

function arityOk(s: LayerSource, type: LayerType, inputs: number[], d: Diags): boolean {
  const arity = LAYER_TYPES[type].inputs;
  const n = inputs.length;
  if (arity === 'one' && n !== 1) {
    d.error(
      'AM4009',
      at(s),
      `A \`${type}\` layer takes one input; \`inputs\` names ${n}. Merge them first with an \`add\` or \`concat\` layer.`,
    );
    return false;
  }
  if (arity === 'two' && n !== 2) {
    d.error(
      'AM4009',
      at(s),
      `A \`${type}\` layer takes exactly two \`inputs\` (A and B); it has ${n}. Write e.g. \`inputs: [q, k]\`.`,
    );
    return false;
  }
  if (arity === 'none' && n !== 0) {
    d.error(
      'AM4009',
      at(s),
      `An \`input\` layer is a network input: it takes no \`inputs\` (it names ${n}). Remove \`inputs\`.`,
    );
    return false;
  }
  if (arity === 'any' && n < 1) {
    d.error('AM4009', at(s), `A \`${type}\` layer needs at least one input.`);
    return false;
  }
  if (arity === 'many' && type !== 'unsupported' && n < 2) {
    d.error(
      'AM4009',
      at(s),
      `A \`${type}\` layer needs two or more \`inputs\`; it has ${n}. Write e.g. \`inputs: [conv3, shortcut]\`.`,
    );
    return false;
  }
  return true;
}

/** Shape, parameters and MACs of one layer whose input shapes are known: its module's `infer` (layers/). */
function inferOne(
  s: LayerSource,
  type: LayerType,
  ins: Shape[],
  names: string[],
  N: number,
  d: Diags,
): Inferred | null {
  const where = (key?: string): import('./types').Range =>
    key === 'type' ? s.ranges.type : key ? keyAt(s, key) : at(s);
  const x = ins[0];
  return LAYERS[type].infer({
    type,
    attrs: s.attrs,
    ins,
    x,
    names,
    N,
    samePadding: !!s.samePadding,
    statedShape: s.outputShape?.shape,
    hasOutputShape: s.outputShape !== undefined,
    rank(want, ok) {
      if (!ok)
        d.error(
          'AM4008',
          at(s),
          `\`${type}\` expects ${want} input (batch excluded), but \`${names[0]}\` gives ${fmt(x)}. Insert a reshape or flatten layer, or fix \`inputs\`.`,
        );
      return ok;
    },
    // The message and its range are built only when the check fails (a layer's ranges are made on demand).
    positive(shape, why, key) {
      if (shape.some((v) => !(v >= 1))) {
        d.error('AM4007', keyAt(s, key), `\`${type}\` output would be ${fmt(shape)}: ${why()}`);
        return false;
      }
      return true;
    },
    error: (code, message, key) => d.error(code, where(key), message),
    warn: (code, message, key) => d.warn(code, where(key), message),
  });
}
