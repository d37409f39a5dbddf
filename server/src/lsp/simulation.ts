// Runs the embedded simulator for an open network document and keeps the last result per uri.
// The result feeds accelmap/simulationResult, inlay hints, code lenses and layer hovers.
import { performance } from 'node:perf_hooks';
import { simulate } from '../sim';
import type { SimulateParams, SimulateResponse } from './protocol';
import type { ServerState } from './state';
import { hasErrors } from './diagnostics';
import { planSearch, PROVISIONAL_BUDGET, type SearchPlan } from './mappingSearch';

export function runSimulation(
  state: ServerState,
  params: SimulateParams,
  onSearch?: (plan: SearchPlan) => void,
): SimulateResponse {
  const t0 = performance.now();
  const td = state.documents.get(params.uri);
  const done = (r: Omit<SimulateResponse, 'elapsedMs' | 'uri' | 'version'>): SimulateResponse => ({
    uri: params.uri,
    version: td?.version ?? null,
    ...r,
    elapsedMs: performance.now() - t0,
  });
  if (!td) return done({ error: 'The document is not open in the editor.' });
  const n = state.network(params.uri);
  if (!n) {
    return done({
      error: state.isSpec(params.uri)
        ? 'Not a network spec (needs `kind: network` and a valid `layers:` list).'
        : 'Not an accelmap spec document.',
    });
  }
  const diags = state.diagnostics(params.uri);
  if (hasErrors(diags)) {
    const n = diags.filter((d) => d.severity === 'error').length;
    return done({ error: `Fix the ${n} error${n === 1 ? '' : 's'} in this file first (see Problems).` });
  }
  const resolved = state.targets(params.uri);
  let targets = resolved?.targets ?? [];
  if (params.targets?.length) {
    const want = new Set(params.targets);
    targets = targets.filter((t) => want.has(t.name));
    const missing = params.targets.filter((t) => !targets.some((x) => x.name === t));
    if (missing.length) return done({ error: `Unknown target(s) for this network: ${missing.join(', ')}.` });
  }
  if (!targets.length)
    return done({ error: 'No targets to simulate on: add `targets:` to the network or set accelmap.targets.' });
  const baseline = params.baseline ?? state.settings.baseline;
  // spatial targets whose nests are not cached yet: a quick search now, the full one in the background (onSearch)
  const plan: SearchPlan = onSearch ? planSearch(n.net, targets) : { targets, provisional: [], work: [], nests: 0 };
  const result = simulate(
    n.net,
    plan.targets,
    baseline && targets.some((t) => t.name === baseline) ? { baseline } : {},
  );
  for (const t of result.targets) {
    if (!plan.provisional.includes(t.name)) continue;
    const msg = `Provisional mappings (a quick search of ${PROVISIONAL_BUDGET} per loop nest) while the full search runs in the background; the figures update when it ends.`;
    t.findings = [
      ...t.findings,
      {
        code: 'spatial.provisional',
        severity: 'info',
        message: msg,
        numbers: { provisionalBudget: PROVISIONAL_BUDGET },
        target: t.name,
      },
    ];
    t.notes = [msg, ...t.notes];
  }
  if (plan.work.length) onSearch?.(plan);
  const response = done({ result });
  state.simulations.set(params.uri, response);
  return response;
}

/** The last result, only when it belongs to the document's current version (stale hints are worse than none). */
export function currentResult(state: ServerState, uri: string): SimulateResponse | undefined {
  const r = state.simulations.get(uri);
  const td = state.documents.get(uri);
  if (!r?.result || !td) return undefined;
  return r.version === td.version ? r : undefined;
}

/** The last result even when the document changed since (used for hover, which says how old it is). */
export function lastResult(state: ServerState, uri: string): SimulateResponse | undefined {
  const r = state.simulations.get(uri);
  return r?.result ? r : undefined;
}
