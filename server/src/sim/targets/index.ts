// Registry: target kind -> simulator. Owners of the other kinds add their import and entry here.
// Kinds without an entry fall back to a documented roofline model (roofline.ts) so everything runs.
import type { TargetKind } from '../../spec/types';
import type { TargetSimulator } from '../target';
import { rooflineFallback } from './roofline';
import { ntxSim } from './ntx';
import { caterpillarSim } from './caterpillar';
import { gradpimSim } from './gradpim';
import { neurotrainerSim } from './neurotrainer';
import { imcSim } from './imc';
import { gpuSim } from './gpu';
import { spatialSim } from './spatial';

const REGISTRY: Partial<Record<TargetKind, TargetSimulator>> = {
  ntx: ntxSim,
  caterpillar: caterpillarSim,
  gradpim: gradpimSim,
  neurotrainer: neurotrainerSim,
  imc: imcSim,
  gpu: gpuSim,
  spatial: spatialSim,
};

const fallbacks = new Map<string, TargetSimulator>();

export function simulatorFor(kind: TargetKind): TargetSimulator {
  const s = REGISTRY[kind];
  if (s) return s;
  let f = fallbacks.get(kind);
  if (!f) { f = rooflineFallback(kind); fallbacks.set(kind, f); }
  return f;
}

/** True when a dedicated model (not the roofline fallback) is registered for the kind. */
export function hasSimulator(kind: TargetKind): boolean { return REGISTRY[kind] !== undefined; }
