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
import { systemSim } from './system';

// Built on first use, not at load: the system kind's model simulates its device through this registry, so the
// modules import each other and none may read another's exports while loading.
let REGISTRY: Partial<Record<TargetKind, TargetSimulator>> | undefined;
const registry = (): Partial<Record<TargetKind, TargetSimulator>> => (REGISTRY ??= {
  ntx: ntxSim,
  caterpillar: caterpillarSim,
  gradpim: gradpimSim,
  neurotrainer: neurotrainerSim,
  imc: imcSim,
  gpu: gpuSim,
  spatial: spatialSim,
  system: systemSim,
});

const fallbacks = new Map<string, TargetSimulator>();

export function simulatorFor(kind: TargetKind): TargetSimulator {
  const s = registry()[kind];
  if (s) return s;
  let f = fallbacks.get(kind);
  if (!f) { f = rooflineFallback(kind); fallbacks.set(kind, f); }
  return f;
}

/** True when a dedicated model (not the roofline fallback) is registered for the kind. */
export function hasSimulator(kind: TargetKind): boolean { return registry()[kind] !== undefined; }

/** Kinds whose model computes silicon area (the sweep's `area` objective needs one). */
export function areaKinds(): TargetKind[] {
  return (Object.keys(registry()) as TargetKind[]).filter((k) => registry()[k]?.area !== undefined);
}
