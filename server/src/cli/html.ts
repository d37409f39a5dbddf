// `accelmap simulate --format html`: one self-contained HTML report — summary, charts (inline SVG: time per target
// by training phase, energy per target by component), the per-layer table of each target, findings and notes, and
// every parameter of every target with its value, source tag and source — readable offline and printable (no
// script, no external resource).
import type { NetworkModel, Provenance, TargetModel } from '../spec/types';
import type { SimulationResult, TargetResult } from '../sim/types';
import { PHASES } from '../sim/types';
import { KINDS } from '../kinds/params';
import { formatQuantity } from '../spec/units';
import { pct, q } from './format';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const PHASE_COLORS: Record<string, string> = {
  fwd: '#4e79a7',
  bwd_data: '#f28e2b',
  bwd_weight: '#e15759',
  update: '#76b7b2',
};
const ENERGY_COLORS: Record<string, string> = {
  compute: '#4e79a7',
  sram: '#59a14f',
  dram: '#edc948',
  link: '#b07aa1',
  control: '#ff9da7',
  static: '#9c755f',
};

/** A horizontal stacked bar chart as SVG: one bar per row, one segment per key. */
function stackedBars(
  title: string,
  rows: { label: string; parts: Record<string, number> }[],
  colors: Record<string, string>,
  fmt: (v: number) => string,
): string {
  const W = 720,
    left = 150,
    barH = 22,
    gap = 10,
    top = 34;
  const max = Math.max(1e-300, ...rows.map((r) => Object.values(r.parts).reduce((a, b) => a + b, 0)));
  const H = top + rows.length * (barH + gap) + 30;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">`,
    `<text x="0" y="18" font-weight="bold">${esc(title)}</text>`,
  ];
  rows.forEach((r, i) => {
    const y = top + i * (barH + gap);
    out.push(`<text x="${left - 8}" y="${y + 15}" text-anchor="end">${esc(r.label)}</text>`);
    let x = left;
    let total = 0;
    for (const [k, v] of Object.entries(r.parts)) {
      if (!(v > 0)) continue;
      const w = ((W - left - 90) * v) / max;
      out.push(
        `<rect x="${x.toFixed(1)}" y="${y}" width="${Math.max(0.5, w).toFixed(1)}" height="${barH}" fill="${colors[k] ?? '#bab0ac'}"><title>${esc(`${r.label} ${k}: ${fmt(v)}`)}</title></rect>`,
      );
      x += w;
      total += v;
    }
    out.push(`<text x="${(x + 6).toFixed(1)}" y="${y + 15}">${esc(fmt(total))}</text>`);
  });
  const keys = Object.keys(colors);
  keys.forEach((k, i) =>
    out.push(
      `<rect x="${left + i * 95}" y="${H - 18}" width="12" height="12" fill="${colors[k]}"/><text x="${left + i * 95 + 16}" y="${H - 8}">${esc(k)}</text>`,
    ),
  );
  out.push('</svg>');
  return out.join('');
}

const provenance = (p?: Provenance) =>
  !p
    ? ''
    : p.from === 'preset'
      ? `${p.tag} — ${p.source} (preset ${p.preset})`
      : p.from === 'spec'
        ? `set in the spec (line ${p.range.start.line + 1})`
        : `${p.tag} default — ${p.source}`;

function layerRows(t: TargetResult): string {
  const rows = t.layers.map((l) => {
    const by = (ph: string) => l.phases.find((p) => p.phase === ph)?.timeS ?? 0;
    const total = l.phases.reduce((a, p) => a + p.timeS, 0),
      e = l.phases.reduce((a, p) => a + p.energyJ, 0);
    const dom = l.phases.reduce<(typeof l.phases)[number] | undefined>(
      (a, p) => (!a || p.timeS > a.timeS ? p : a),
      undefined,
    );
    return `<tr><td>${esc(l.name)}</td><td>${esc(l.op)}</td>${PHASES.map((p) => `<td class="n">${q(by(p), 'time')}</td>`).join('')}<td class="n">${q(total, 'time')}</td><td class="n">${q(e, 'energy')}</td><td>${dom?.bound ?? '—'}</td></tr>`;
  });
  return `<table><thead><tr><th>layer</th><th>op</th>${PHASES.map((p) => `<th>${p}</th>`).join('')}<th>total</th><th>energy</th><th>bound</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function htmlReport(
  r: SimulationResult,
  net: NetworkModel | undefined,
  targets: TargetModel[],
  version: string,
): string {
  const phaseRows = r.targets.map((t) => {
    const parts: Record<string, number> = {};
    for (const p of PHASES) parts[p] = 0;
    for (const l of t.layers) for (const p of l.phases) parts[p.phase] += p.timeS;
    if (!t.layers.length) parts.fwd = t.totals.timeS;
    return { label: t.name, parts };
  });
  const energyRows = r.targets.map((t) => ({
    label: t.name,
    parts: { ...t.totals.energy } as unknown as Record<string, number>,
  }));
  const summary = r.targets
    .map(
      (t) =>
        `<tr><td>${esc(t.name)}</td><td>${esc(t.kind)}</td><td class="n">${q(t.totals.timeS, 'time')}</td><td class="n">${q(t.totals.energyJ, 'energy')}</td><td class="n">${t.totals.samplesPerS.toPrecision(4)}</td><td class="n">${pct(t.totals.utilization)}</td><td class="n">${q(t.totals.offloadOverheadS, 'time')}</td><td class="n">${r.baseline && t.vsBaseline ? `${t.vsBaseline.speedup.toPrecision(3)}x` : r.baseline === t.name ? 'baseline' : ''}</td></tr>`,
    )
    .join('');
  const perTarget = r.targets
    .map((t) => {
      const tm = targets.find((x) => x.name === t.name);
      const spec = KINDS.find((k) => k.kind === t.kind);
      const params =
        tm && spec
          ? spec.params
              .map((p) => {
                const v = tm.params[p.path];
                const shown = typeof v === 'number' ? formatQuantity(v, p.dim) : String(v);
                return `<tr><td><code>${esc(p.path)}</code></td><td class="n">${esc(shown)}</td><td>${esc(provenance(tm.provenance[p.path]))}</td></tr>`;
              })
              .join('')
          : '';
      const findings = t.findings
        .map(
          (f) =>
            `<li class="${f.severity}"><b>${esc(f.severity)}</b> <code>${esc(f.code)}</code> ${esc(f.message)}</li>`,
        )
        .join('');
      const notes = t.notes
        .filter((n) => !t.findings.some((f) => f.message === n))
        .map((n) => `<li>${esc(n)}</li>`)
        .join('');
      return `<section><h2>${esc(t.name)} <small>(${esc(t.kind)}${tm?.extendsChain.length ? `, extends ${esc(tm.extendsChain.join(' → '))}` : ''})</small></h2>
${tm?.description ? `<p>${esc(tm.description)}</p>` : ''}
<h3>Findings and assumptions</h3><ul>${findings}${notes}</ul>
<details><summary>Per layer (${t.layers.length} layers)</summary>${layerRows(t)}</details>
<details><summary>Parameters and their sources</summary><table><thead><tr><th>parameter</th><th>value</th><th>source</th></tr></thead><tbody>${params}</tbody></table></details></section>`;
    })
    .join('\n');
  const n = r.network;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>accelmap report: ${esc(n.name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:960px;color:#222;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}h2 small{font-weight:normal;color:#666}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border-bottom:1px solid #eee;padding:2px 6px;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}th{background:#f6f6f6}
svg{font:12px system-ui,sans-serif;max-width:100%;height:auto}li.warning b{color:#b35900}li.error b{color:#c00}li.info b{color:#06c}
details{margin:.5em 0}summary{cursor:pointer}code{font-size:.92em}
@media print{details{display:block}details>summary{display:none}details>*{display:block}body{margin:0;max-width:none}section{break-inside:avoid-page}}
</style></head><body>
<h1>${esc(n.name)}: one training iteration on ${r.targets.length} target${r.targets.length === 1 ? '' : 's'}</h1>
<p>Batch ${n.batch}, ${esc(n.precision)}${net ? `, optimizer ${esc(net.optimizer.type)}` : ''}; ${n.layerCount} layers, ${n.flops.toExponential(3)} FLOP per iteration. Generated by accelmap ${esc(version)}; every preset value is tagged SRC (stated in its source), DER (derived), REC (recalled, unverified) or ASM (assumption).</p>
<h2>Summary</h2>
<table><thead><tr><th>target</th><th>kind</th><th>time / iteration</th><th>energy / iteration</th><th>samples/s</th><th>utilization</th><th>offload / host overhead</th><th>${r.baseline ? `vs ${esc(r.baseline)}` : ''}</th></tr></thead><tbody>${summary}</tbody></table>
${stackedBars('Time per iteration by training phase', phaseRows, PHASE_COLORS, (v) => q(v, 'time'))}
${stackedBars('Energy per iteration by component', energyRows, ENERGY_COLORS, (v) => q(v, 'energy'))}
${perTarget}
</body></html>
`;
}
