// `accelmap explain <network> --target T [--layer L] [--phase P] [--top N] [--format json]`: where a time and an
// energy come from — the compute, memory and overhead terms with the bound, the energy per component, the bytes per
// memory level — and which of the target's knobs move them most (elasticities, sim/sensitivity.ts), each with where
// its value came from (preset and source tag, spec line, or the kind's default).
import { resolve } from 'node:path';
import { simulate } from '../sim/index';
import { sensitivities, type Scope, type Sensitivity } from '../sim/sensitivity';
import { explainPhase, provenanceLine } from '../sim/explain';
import type { Phase, PhaseResult, TargetResult } from '../sim/types';
import type { NetworkModel } from '../spec/types';
import { PHASES } from '../sim/types';
import { eng } from '../lsp/format';
import { optionHelp, parseArgs, type OptSpec } from './args';
import { UsageError, type CliIO, deliver } from './io';
import { chooseTargets, loadNetwork } from './load';
import { applyOptimizer, importOptions, ONNX_OPTIONS, TRAINING_OPTIONS } from './training';

export const EXPLAIN_OPTIONS: Record<string, OptSpec> = {
  target: {
    type: 'string',
    short: 't',
    arg: 'name',
    help: 'the target to explain (preset or target of a --hw / network hardware file)',
  },
  layer: { type: 'string', short: 'l', arg: 'name', help: 'one layer (default: the whole training step)' },
  phase: { type: 'string', choices: PHASES, arg: 'phase', help: `one phase of the layer (${PHASES.join(', ')})` },
  top: { type: 'int', arg: 'N', help: 'how many parameters to list (default 12; the JSON lists all)' },
  hw: { type: 'string', multiple: true, arg: 'file', help: 'hardware spec whose targets to use' },
  batch: { type: 'int', short: 'b', arg: 'N', help: 'batch size (overrides the spec)' },
  ...TRAINING_OPTIONS,
  ...ONNX_OPTIONS,
  format: { type: 'string', choices: ['text', 'json'], short: 'f', arg: 'fmt', help: 'text (default) or json' },
  out: { type: 'string', short: 'o', arg: 'file', help: 'write the output to a file' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};
const USAGE = 'accelmap explain <network> --target NAME [--layer NAME [--phase PHASE]] [options]';

const si = eng;

/** One phase's terms as `--format json` writes them. */
type PhaseTerms = Pick<
  PhaseResult,
  | 'phase'
  | 'timeS'
  | 'computeS'
  | 'memoryS'
  | 'overheadS'
  | 'bound'
  | 'energyJ'
  | 'energy'
  | 'bytes'
  | 'flops'
  | 'utilization'
  | 'mapping'
> & { formulas: string[] };
/** The whole step's totals as `--format json` writes them. */
type StepTerms = Pick<
  TargetResult['totals'],
  'timeS' | 'offloadOverheadS' | 'energyJ' | 'energy' | 'bytes' | 'flops' | 'utilization'
>;
type Ranked = Sensitivity & { source: string };

export function explainCommand(argv: string[], io: CliIO): number {
  const { positionals, opts } = parseArgs(argv, EXPLAIN_OPTIONS, 'explain');
  if (opts.help) {
    io.out(`usage: ${USAGE}\n\noptions:\n${optionHelp(EXPLAIN_OPTIONS)}\n`);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(`explain needs exactly one network file (got ${positionals.length}); usage: ${USAGE}`);
  if (!opts.target) throw new UsageError(`explain needs --target NAME; usage: ${USAGE}`);
  if (opts.phase && !opts.layer) throw new UsageError('--phase needs --layer (a phase of which layer?)');
  const path = resolve(io.cwd, positionals[0]);
  const loaded = loadNetwork(path, opts.batch as number | undefined, importOptions(opts));
  const net = { ...applyOptimizer(loaded.network, opts), ...(opts.batch ? { batch: opts.batch as number } : {}) };
  const hw = ((opts.hw as string[] | undefined) ?? []).map((p) => resolve(io.cwd, p));
  const [target] = chooseTargets(path, net, hw, [opts.target as string]).targets;
  const scope: Scope = { layer: opts.layer as string | undefined, phase: opts.phase as Phase | undefined };
  const r = simulate(net, [target]).targets[0];
  const terms = scope.layer ? { phases: layerTerms(net, r, scope) } : stepTerms(r);
  const sens = sensitivities(net, target, scope).map((x) => ({ ...x, source: provenanceLine(x.provenance) }));
  const json = {
    network: net.name,
    target: target.name,
    kind: target.kind,
    scope,
    terms,
    sensitivities: sens,
    findings: r.findings,
  };
  const text =
    opts.format === 'json'
      ? JSON.stringify(json, null, 2) + '\n'
      : [
          `${net.name} on ${target.name} (${target.kind}) — ${scope.layer ? `layer ${scope.layer}${scope.phase ? `, ${scope.phase}` : ''}` : 'the whole training step'}, batch ${net.batch}`,
          ...('phases' in terms ? terms.phases.flatMap(phaseLines) : stepLines(terms)),
          '',
          ...sensitivityLines(sens, (opts.top as number | undefined) ?? 12),
        ].join('\n') + '\n';
  deliver(io, opts.out, text);
  return 0;
}

/** The phases of the scope's layer (all, or the one asked for), with the arithmetic of their terms. */
function layerTerms(net: NetworkModel, r: TargetResult, scope: Scope): PhaseTerms[] {
  const l = r.layers.find((x) => x.name === scope.layer);
  if (!l)
    throw new UsageError(
      `no layer '${scope.layer}' in ${net.name} (its layers: ${net.layers
        .slice(0, 8)
        .map((x) => x.name)
        .join(', ')}${net.layers.length > 8 ? ', ...' : ''})`,
    );
  const ps = l.phases.filter((p) => !scope.phase || p.phase === scope.phase);
  if (!ps.length)
    throw new UsageError(
      `layer '${scope.layer}' has no ${scope.phase} phase on ${r.name} (it has ${l.phases.map((p) => p.phase).join(', ')})`,
    );
  return ps.map((p) => ({
    phase: p.phase,
    timeS: p.timeS,
    computeS: p.computeS,
    memoryS: p.memoryS,
    overheadS: p.overheadS,
    bound: p.bound,
    energyJ: p.energyJ,
    energy: p.energy,
    bytes: p.bytes,
    flops: p.flops,
    utilization: p.utilization,
    formulas: explainPhase(p, r).formulas,
    ...(p.mapping ? { mapping: p.mapping } : {}),
  }));
}

const stepTerms = (r: TargetResult): StepTerms => ({
  timeS: r.totals.timeS,
  offloadOverheadS: r.totals.offloadOverheadS,
  energyJ: r.totals.energyJ,
  energy: r.totals.energy,
  bytes: r.totals.bytes,
  flops: r.totals.flops,
  utilization: r.totals.utilization,
});

/** "k 1.2 MB, k2 3 MB": amounts per component or level in engineering notation (zeros left out if asked). */
const amounts = (x: object, unit: string, skipZero = false): string =>
  (Object.entries(x) as [string, number][])
    .filter(([, v]) => !skipZero || v > 0)
    .map(([k, v]) => `${k} ${si(v, unit)}`)
    .join(', ');

function phaseLines(p: PhaseTerms): string[] {
  return [
    `  ${p.phase}: ${si(p.timeS, 's')} = ${p.bound}-bound (compute ${si(p.computeS, 's')}, memory ${si(p.memoryS, 's')}, overhead ${si(p.overheadS, 's')})`,
    ...p.formulas.map((f) => `    ${f}`),
    ...(p.mapping ? [`    mapping: ${p.mapping}`] : []),
    `    energy ${si(p.energyJ, 'J')}: ${amounts(p.energy, 'J', true)}`,
    `    bytes: ${amounts(p.bytes, 'B') || 'none'}`,
  ];
}

function stepLines(t: StepTerms): string[] {
  return [
    `  time ${si(t.timeS, 's')} (exposed offload/host overhead ${si(t.offloadOverheadS, 's')}), utilization ${(t.utilization * 100).toFixed(1)} %`,
    `  energy ${si(t.energyJ, 'J')}: ${amounts(t.energy, 'J', true)}`,
    `  bytes: ${amounts(t.bytes, 'B')}`,
  ];
}

/** The knobs that move the result, ranked by time elasticity (the `top` first), with where each value came from. */
function sensitivityLines(sens: Ranked[], top: number): string[] {
  const moving = sens.filter((s) => s.time !== 0 || s.energy !== 0);
  const row = (s: Ranked) =>
    `  ${s.path.padEnd(34)} ${String(Number(s.value.toPrecision(4))).padStart(10)}   time ${fmt(s.time)}   energy ${fmt(s.energy)}   ${s.source}`;
  return [
    `what moves it (elasticity: % change of the result per 1% more of the parameter; ${moving.length} of ${sens.length} parameters matter here):`,
    ...moving.slice(0, top).map(row),
    ...(moving.length ? [] : ['  (no parameter of this target changes the result)']),
  ];
}

const fmt = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(3);
