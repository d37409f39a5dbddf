// `accelmap explain <network> --target T [--layer L] [--phase P] [--top N] [--format json]`: where a time and an
// energy come from — the compute, memory and overhead terms with the bound, the energy per component, the bytes per
// memory level — and which of the target's knobs move them most (elasticities, sim/sensitivity.ts), each with where
// its value came from (preset and source tag, spec line, or the kind's default).
import { resolve } from 'node:path';
import { simulate } from '../sim/index';
import { sensitivities, type Scope, type Sensitivity } from '../sim/sensitivity';
import { explainPhase, provenanceLine } from '../sim/explain';
import type { Phase } from '../sim/types';
import { PHASES } from '../sim/types';
import { eng } from '../lsp/format';
import { optionHelp, parseArgs, type OptSpec } from './args';
import { UsageError, writeFileAtomic, type CliIO } from './io';
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
  let terms: Record<string, unknown>;
  if (scope.layer) {
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
        `layer '${scope.layer}' has no ${scope.phase} phase on ${target.name} (it has ${l.phases.map((p) => p.phase).join(', ')})`,
      );
    terms = {
      phases: ps.map((p) => ({
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
      })),
    };
  } else {
    terms = {
      timeS: r.totals.timeS,
      offloadOverheadS: r.totals.offloadOverheadS,
      energyJ: r.totals.energyJ,
      energy: r.totals.energy,
      bytes: r.totals.bytes,
      flops: r.totals.flops,
      utilization: r.totals.utilization,
    };
  }
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
  let text: string;
  if (opts.format === 'json') text = JSON.stringify(json, null, 2) + '\n';
  else {
    const lines: string[] = [];
    lines.push(
      `${net.name} on ${target.name} (${target.kind}) — ${scope.layer ? `layer ${scope.layer}${scope.phase ? `, ${scope.phase}` : ''}` : 'the whole training step'}, batch ${net.batch}`,
    );
    const phases = (
      terms as {
        phases?: {
          phase: string;
          timeS: number;
          computeS: number;
          memoryS: number;
          overheadS: number;
          bound: string;
          energyJ: number;
          energy: Record<string, number>;
          bytes: Record<string, number>;
          formulas: string[];
          mapping?: string;
        }[];
      }
    ).phases;
    if (phases) {
      for (const p of phases) {
        lines.push(
          `  ${p.phase}: ${si(p.timeS, 's')} = ${p.bound}-bound (compute ${si(p.computeS, 's')}, memory ${si(p.memoryS, 's')}, overhead ${si(p.overheadS, 's')})`,
        );
        for (const f of p.formulas) lines.push(`    ${f}`);
        if (p.mapping) lines.push(`    mapping: ${p.mapping}`);
        lines.push(
          `    energy ${si(p.energyJ, 'J')}: ${Object.entries(p.energy)
            .filter(([, v]) => v > 0)
            .map(([k, v]) => `${k} ${si(v, 'J')}`)
            .join(', ')}`,
        );
        lines.push(
          `    bytes: ${
            Object.entries(p.bytes)
              .map(([k, v]) => `${k} ${si(v, 'B')}`)
              .join(', ') || 'none'
          }`,
        );
      }
    } else {
      lines.push(
        `  time ${si(r.totals.timeS, 's')} (exposed offload/host overhead ${si(r.totals.offloadOverheadS, 's')}), utilization ${(r.totals.utilization * 100).toFixed(1)} %`,
      );
      lines.push(
        `  energy ${si(r.totals.energyJ, 'J')}: ${Object.entries(r.totals.energy)
          .filter(([, v]) => v > 0)
          .map(([k, v]) => `${k} ${si(v, 'J')}`)
          .join(', ')}`,
      );
      lines.push(
        `  bytes: ${Object.entries(r.totals.bytes)
          .map(([k, v]) => `${k} ${si(v, 'B')}`)
          .join(', ')}`,
      );
    }
    const top = (opts.top as number | undefined) ?? 12;
    const moving = sens.filter((s) => s.time !== 0 || s.energy !== 0);
    lines.push(
      '',
      `what moves it (elasticity: % change of the result per 1% more of the parameter; ${moving.length} of ${sens.length} parameters matter here):`,
    );
    const row = (s: Sensitivity & { source: string }) =>
      `  ${s.path.padEnd(34)} ${String(Number(s.value.toPrecision(4))).padStart(10)}   time ${fmt(s.time)}   energy ${fmt(s.energy)}   ${s.source}`;
    for (const s of moving.slice(0, top)) lines.push(row(s));
    if (!moving.length) lines.push('  (no parameter of this target changes the result)');
    text = lines.join('\n') + '\n';
  }
  if (opts.out) {
    writeFileAtomic(resolve(io.cwd, opts.out as string), text);
    io.err(`wrote ${opts.out}\n`);
  } else io.out(text);
  return 0;
}

const fmt = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(3);
