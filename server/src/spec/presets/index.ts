// Registry of target kinds: their parameters (with units, defaults and sources) and their built-in presets.
import type { KindSpec } from '../params';
import type { TargetKind } from '../types';
import { ntx } from './ntx';
import { caterpillar } from './caterpillar';
import { gradpim } from './gradpim';
import { neurotrainer } from './neurotrainer';
import { imc } from './imc';
import { gpu } from './gpu';
import { spatial } from './spatial';
import { system } from './system';

export const KINDS: readonly KindSpec[] = [ntx, caterpillar, gradpim, neurotrainer, imc, gpu, spatial, system];

export function kindSpec(kind: TargetKind): KindSpec {
  const k = KINDS.find((s) => s.kind === kind);
  if (!k) throw new Error(`unknown target kind ${kind}`);
  return k;
}
