// Registry of target kinds, the model half: kind -> simulator (kinds/<kind>/model.ts). Adding a kind: its folder,
// one line here and one in kinds/params.ts. A kind without a model falls back to the documented roofline
// (sim/roofline.ts) so everything runs.
import type { TargetKind } from '../spec/types';
import type { TargetSimulator } from '../sim/target';
import { rooflineFallback } from '../sim/roofline';
import { ntxSim } from './ntx/model';
import { caterpillarSim } from './caterpillar/model';
import { gradpimSim } from './gradpim/model';
import { neurotrainerSim } from './neurotrainer/model';
import { imcSim } from './imc/model';
import { gpuSim } from './gpu/model';
import { spatialSim } from './spatial/model';
import { systemSim } from './system/model';

// Built on first use, not at load: the system kind's model simulates its device through this registry, so the
// modules import each other and none may read another's exports while loading.
let REGISTRY: Partial<Record<TargetKind, TargetSimulator>> | undefined;
const registry = (): Partial<Record<TargetKind, TargetSimulator>> =>
  (REGISTRY ??= {
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
  if (!f) {
    f = rooflineFallback(kind);
    fallbacks.set(kind, f);
  }
  return f;
}

/** True when a dedicated model (not the roofline fallback) is registered for the kind. */
export function hasSimulator(kind: TargetKind): boolean {
  return registry()[kind] !== undefined;
}

/** Kinds whose model computes silicon area (the sweep's `area` objective needs one). */
export function areaKinds(): TargetKind[] {
  return (Object.keys(registry()) as TargetKind[]).filter((k) => registry()[k]?.area !== undefined);
}
