// Registry of target kinds, the data half: each kind's parameters (with units, defaults and sources) and its built-in
// presets, from kinds/<kind>/params.ts. The spec core reads this; it imports no model (the models are kinds/models.ts).
import type { KindSpec } from '../spec/params';
import type { TargetKind } from '../spec/types';
import { ntx } from './ntx/params';
import { caterpillar } from './caterpillar/params';
import { gradpim } from './gradpim/params';
import { neurotrainer } from './neurotrainer/params';
import { imc } from './imc/params';
import { gpu } from './gpu/params';
import { spatial } from './spatial/params';
import { system } from './system/params';

export const KINDS: readonly KindSpec[] = [ntx, caterpillar, gradpim, neurotrainer, imc, gpu, spatial, system];

export function kindSpec(kind: TargetKind): KindSpec {
  const k = KINDS.find((s) => s.kind === kind);
  if (!k) throw new Error(`unknown target kind ${kind}`);
  return k;
}
