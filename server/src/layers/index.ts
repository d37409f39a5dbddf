// The layer registry: every layer type, one module each (def.ts says what a module holds). Adding a type is one new
// module here, one line below, and `node --import tsx scripts/gen-schemas.ts` (JSON Schemas, docs/layers.md, the
// grammar's type list); test/unit/layers/registry.test.ts checks every registered type has every part.
// The order is the order of completion lists, schemas and docs.
import type { LayerDef } from './def';
import { conv2d } from './conv2d';
import { linear } from './linear';
import { matmul } from './matmul';
import { lstm } from './lstm';
import { gru } from './gru';
import { maxpool } from './maxpool';
import { avgpool } from './avgpool';
import { global_avgpool } from './global_avgpool';
import { global_maxpool } from './global_maxpool';
import { adaptive_avgpool } from './adaptive_avgpool';
import { batchnorm } from './batchnorm';
import { layernorm } from './layernorm';
import { relu } from './relu';
import { relu6 } from './relu6';
import { leaky_relu } from './leaky_relu';
import { gelu } from './gelu';
import { sigmoid } from './sigmoid';
import { tanh } from './tanh';
import { silu } from './silu';
import { hardswish } from './hardswish';
import { add } from './add';
import { mul } from './mul';
import { concat } from './concat';
import { embedding } from './embedding';
import { softmax } from './softmax';
import { flatten } from './flatten';
import { reshape } from './reshape';
import { transpose } from './transpose';
import { dropout } from './dropout';
import { input } from './input';
import { rnn } from './rnn';
import { conv_transpose2d } from './conv_transpose2d';
import { groupnorm } from './groupnorm';
import { resize } from './resize';
import { pad } from './pad';
import { slice } from './slice';
import { expand } from './expand';
import { reduce } from './reduce';
import { elementwise } from './elementwise';
import { unsupported } from './unsupported';

export const LAYERS = {
  conv2d,
  linear,
  matmul,
  lstm,
  gru,
  maxpool,
  avgpool,
  global_avgpool,
  global_maxpool,
  adaptive_avgpool,
  batchnorm,
  layernorm,
  relu,
  relu6,
  leaky_relu,
  gelu,
  sigmoid,
  tanh,
  silu,
  hardswish,
  add,
  mul,
  concat,
  embedding,
  softmax,
  flatten,
  reshape,
  transpose,
  dropout,
  input,
  rnn,
  conv_transpose2d,
  groupnorm,
  resize,
  pad,
  slice,
  expand,
  reduce,
  elementwise,
  unsupported,
} satisfies Record<string, LayerDef>;

/** A `type:` value of a layer. */
export type LayerType = keyof typeof LAYERS;

export const LAYER_DEFS: readonly LayerDef[] = Object.values(LAYERS);
export const layerDef = (type: LayerType): LayerDef => LAYERS[type];
