// accelmap/explain and the hover's "where the time goes": a layer's (or the step's) terms with their arithmetic and
// the knobs that move it (sim/explain.ts), for one simulated target of the last run. Sensitivities cost one
// re-simulation per knob and direction (~50-150 ms for ResNet-50 on one target), so each report is kept for its run.
import type { NetworkModel, TargetModel } from '../spec/types';
import type { ExplainReport, ExplainScope, SimulationResult } from '../sim/types';
import { explain } from '../sim/explain';

const cache = new WeakMap<SimulationResult, Map<string, ExplainReport | { error: string }>>();
const keyOf = (target: string, scope: ExplainScope) =>
  JSON.stringify([target, scope.layer ?? null, scope.phase ?? null]);

export function explainReport(
  net: NetworkModel,
  result: SimulationResult,
  targets: TargetModel[],
  target: string | undefined,
  scope: ExplainScope,
): ExplainReport | { error: string } {
  const name = target || result.targets[0]?.name;
  const t = result.targets.find((x) => x.name === name);
  const model = targets.find((x) => x.name === name);
  if (!t || !model)
    return {
      error: `\`${name ?? '(none)'}\` was not simulated in the last run (it simulated ${result.targets.map((x) => x.name).join(', ') || 'nothing'}).`,
    };
  let m = cache.get(result);
  if (!m) {
    m = new Map();
    cache.set(result, m);
  }
  const key = keyOf(t.name, scope);
  let rep = m.get(key);
  if (!rep) {
    rep = explain(net, model, t, scope);
    m.set(key, rep);
  }
  return rep;
}

/** The report if it was already computed for this run (the hover never waits for sensitivities it has not got). */
export function cachedExplain(
  result: SimulationResult,
  target: string,
  scope: ExplainScope,
): ExplainReport | undefined {
  const r = cache.get(result)?.get(keyOf(target, scope));
  return r && !('error' in r) ? r : undefined;
}
