// Text renderings of a SimulationResult: aligned tables with units (ms, mJ, GB/s, %), and CSV.
import type { Dimension } from '../spec/params';
import { formatQuantity } from '../spec/units';
import type { PhaseResult, SimulationResult, TargetResult } from '../sim/types';

export const q = (v: number, dim: Dimension): string => (Number.isFinite(v) ? formatQuantity(v, dim) : '—');
export const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(v >= 0.1 ? 1 : 2)} %` : '—');
const num = (v: number): string =>
  v >= 1e4 || (v > 0 && v < 1e-2) ? v.toExponential(2) : Number(v.toPrecision(4)).toString();

/** Renders rows as an aligned table; columns whose header starts with '>' are right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const right = header.map((h) => h.startsWith('>'));
  const head = header.map((h) => h.replace(/^>/, ''));
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (right[i] ? c.padStart(w[i]) : c.padEnd(w[i])))
      .join('  ')
      .trimEnd();
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

const outermost = (t: TargetResult): string | undefined => t.peak.levels[0]?.name ?? Object.keys(t.totals.bytes)[0];

export function summaryTable(r: SimulationResult): string {
  const rows = r.targets.map((t) => {
    const lvl = outermost(t);
    const bytes = lvl ? (t.totals.bytes[lvl] ?? 0) : 0;
    return [
      t.name,
      t.kind,
      q(t.totals.timeS, 'time'),
      q(t.totals.energyJ, 'energy'),
      num(t.totals.samplesPerS),
      pct(t.totals.utilization),
      q(t.totals.offloadOverheadS, 'time'),
      lvl ? `${q(bytes, 'size')} ${lvl}` : '—',
      t.totals.timeS > 0 ? q(bytes / t.totals.timeS, 'bandwidth') : '—',
      q(t.totals.flopsPerJoule, 'flopRate').replace('FLOP/s', 'FLOP/J'),
      r.baseline && t.vsBaseline?.baseline === r.baseline
        ? `${num(t.vsBaseline.speedup)}x`
        : r.baseline === t.name
          ? 'baseline'
          : '',
    ];
  });
  const head = [
    'target',
    'kind',
    '>time/iter',
    '>energy/iter',
    '>samples/s',
    '>util',
    '>offload',
    '>bytes (outer)',
    '>bandwidth',
    '>efficiency',
  ];
  return r.baseline
    ? table([...head, `>vs ${r.baseline}`], rows)
    : table(
        head,
        rows.map((x) => x.slice(0, -1)),
      );
}

const phaseTime = (ps: PhaseResult[], phase: string) => ps.find((p) => p.phase === phase)?.timeS ?? 0;

export function layerTable(t: TargetResult): string {
  const rows = t.layers.map((l) => {
    const total = l.phases.reduce((a, p) => a + p.timeS, 0);
    const energy = l.phases.reduce((a, p) => a + p.energyJ, 0);
    const flops = l.phases.reduce((a, p) => a + p.flops, 0);
    const dominant = l.phases.reduce<PhaseResult | undefined>((a, p) => (!a || p.timeS > a.timeS ? p : a), undefined);
    const peak = t.peak.flops;
    return [
      l.name,
      l.op,
      q(phaseTime(l.phases, 'fwd'), 'time'),
      q(phaseTime(l.phases, 'bwd_data'), 'time'),
      q(phaseTime(l.phases, 'bwd_weight'), 'time'),
      q(phaseTime(l.phases, 'update'), 'time'),
      q(total, 'time'),
      q(energy, 'energy'),
      total > 0 && peak > 0 ? pct(flops / total / peak) : '—',
      dominant?.bound ?? '—',
      dominant?.engine ?? '—',
    ];
  });
  return table(
    ['layer', 'op', '>fwd', '>bwd data', '>bwd weight', '>update', '>total', '>energy', '>util', 'bound', 'engine'],
    rows,
  );
}

export function textReport(r: SimulationResult, opts: { layers: boolean }): string {
  const n = r.network;
  const parts = [
    `${n.name}: ${n.layerCount} layers, batch ${n.batch}, ${n.precision}, ${num(n.flops)} FLOP per training iteration\n\n`,
    summaryTable(r),
  ];
  for (const t of r.targets)
    if (t.area)
      parts.push(
        `\nsilicon area of ${t.name}: ${q(t.area.m2, 'area')} (${t.area.parts.map((p) => `${p.name} ${q(p.m2, 'area')}`).join(', ')})\n`,
      );
  for (const t of r.targets) {
    if (t.notes.length) parts.push(`\nnotes for ${t.name}:\n${t.notes.map((x) => `  - ${x}`).join('\n')}\n`);
  }
  if (opts.layers) for (const t of r.targets) parts.push(`\n${t.name} (${t.kind}) per layer:\n`, layerTable(t));
  return parts.join('');
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per (target, layer, phase); numbers in SI units, unrounded. */
export function csvReport(r: SimulationResult): string {
  const levels = [
    ...new Set(r.targets.flatMap((t) => t.layers.flatMap((l) => l.phases.flatMap((p) => Object.keys(p.bytes))))),
  ].sort();
  const header = [
    'target',
    'kind',
    'layer',
    'op',
    'phase',
    'engine',
    'bound',
    'flops',
    'time_s',
    'compute_s',
    'memory_s',
    'overhead_s',
    'energy_j',
    'bandwidth_bps',
    'utilization',
    'intensity',
    ...levels.map((l) => `bytes_${l}`),
  ];
  const lines = [header.join(',')];
  for (const t of r.targets)
    for (const l of t.layers)
      for (const p of l.phases) {
        lines.push(
          [
            t.name,
            t.kind,
            l.name,
            l.op,
            p.phase,
            p.engine,
            p.bound,
            p.flops,
            p.timeS,
            p.computeS,
            p.memoryS,
            p.overheadS,
            p.energyJ,
            p.bandwidthBps,
            p.utilization,
            p.intensity,
            ...levels.map((lv) => p.bytes[lv] ?? 0),
          ]
            .map(csvCell)
            .join(','),
        );
      }
  return lines.join('\n') + '\n';
}
