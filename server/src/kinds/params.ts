// Registry of target kinds, the data half: each kind's parameters (with units, defaults and sources) and its built-in
// presets, from kinds/<kind>/params.ts. The spec core reads this; it imports no model (the models are kinds/models.ts).
import type { KindSpec } from '../spec/params';
import { ntx } from './ntx/params';
import { caterpillar } from './caterpillar/params';
import { gradpim } from './gradpim/params';
import { neurotrainer } from './neurotrainer/params';
import { imc } from './imc/params';
import { gpu } from './gpu/params';
import { spatial } from './spatial/params';
import { system } from './system/params';

const REGISTRY = { ntx, caterpillar, gradpim, neurotrainer, imc, gpu, spatial, system };

/** A target kind: the keys of this registry (adding a kind is its folder, a line here and one in kinds/models.ts). */
export type TargetKind = keyof typeof REGISTRY;

export const KINDS: readonly KindSpec[] = Object.values(REGISTRY);

export function kindSpec(kind: TargetKind): KindSpec {
  const k = KINDS.find((s) => s.kind === kind);
  if (!k) throw new Error(`unknown target kind ${kind}`);
  return k;
}
