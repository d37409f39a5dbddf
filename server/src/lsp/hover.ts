// Hover. Network: on a layer, its inferred input/output shapes (batch included), parameter count, MACs and FLOPs per
// training phase, and after a simulation its time/energy/bound on every target; on a key, the key's meaning and
// default; on a precision/optimizer value or a `targets:` entry, what it names. Hardware: on a parameter, its
// meaning, unit, the value after `extends` with its provenance; on `extends:`/a preset name, the preset.
// Position lookup uses only the ranges the spec core put in the models.
import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import type {
  LayerModel,
  NetworkModel,
  Position,
  Range,
  TargetModel,
  HardwareModel,
  Provenance,
  ParamValue,
} from '../spec/types';
import type { KeyInfo } from '../spec/vocab';
import { LAYER_TYPES, NETWORK_KEYS, OPTIMIZER_DOCS, PRECISION_DOCS, TARGET_KEYS, layerKeys } from '../spec/vocab';
import { kindSpec } from '../kinds/params';
import type { ParamSpec } from '../spec/params';
import { lower, type Workload } from '../sim';
import type { SimulateResponse } from './protocol';
import type { ServerState } from './state';
import { contains } from './ranges';
import { fmtCount, fmtEnergy, fmtPercent, fmtShape, fmtTime } from './format';
import { BOUND_LABEL, layerByName, layerFigures } from './layerSummary';
import { findPreset, specValue } from './presetSource';
import { lastResult } from './simulation';
import { mappingSection } from './mappingHover';
import { cachedExplain, explainReport } from './explainView';
import { explainTerms } from '../sim/explain';
import type { SimulationResult } from '../sim/types';
import { uriToPath } from './hardwareIndex';

const md = (value: string, range?: Range): Hover => ({ contents: { kind: MarkupKind.Markdown, value }, range });

/** The key whose value range contains `pos`, or whose value starts on `pos`'s line after it (cursor on the key). */
export function keyAt(keys: Record<string, Range>, pos: Position): string | undefined {
  let best: string | undefined;
  for (const [k, r] of Object.entries(keys)) {
    if (contains(r, pos)) {
      // Prefer the innermost (latest-starting) range.
      if (
        !best ||
        keys[best].start.line < r.start.line ||
        (keys[best].start.line === r.start.line && keys[best].start.character < r.start.character)
      )
        best = k;
    }
  }
  if (best) return best;
  for (const [k, r] of Object.entries(keys))
    if (r.start.line === pos.line && pos.character < r.start.character) return k;
  return undefined;
}

/** The key written on line `line` of `text` (`key:` or `- key:`), for keys the models keep no range of. */
export function lineKey(text: string | undefined, line: number): string | undefined {
  if (text === undefined) return undefined;
  let start = 0;
  for (let i = 0; i < line; i++) {
    start = text.indexOf('\n', start) + 1;
    if (start === 0) return undefined;
  }
  const end = text.indexOf('\n', start);
  const m = /^\s*(?:-\s+)?["']?([A-Za-z_][\w-]*)["']?\s*:/.exec(text.slice(start, end < 0 ? undefined : end));
  return m?.[1];
}

function keyDoc(info: KeyInfo | undefined, key: string): string {
  if (!info) return `**${key}**`;
  const dflt =
    info.default !== undefined ? ` Default: \`${String(info.default)}\`.` : info.required ? ' Required.' : '';
  return `**${key}** — ${info.doc}${dflt}`;
}

// One lowering per network model (the models are immutable per document version).
const workloads = new WeakMap<NetworkModel, Workload | null>();
function workloadOf(net: NetworkModel): Workload | null {
  if (!workloads.has(net)) {
    let w: Workload | null = null;
    try {
      w = lower(net);
    } catch {
      w = null;
    }
    workloads.set(net, w);
  }
  return workloads.get(net) ?? null;
}

/** Networks up to this many layers get the layer's sensitivities computed for the hover (on larger ones, the
 * Explain view of the dashboard computes them; the hover shows them once it has). */
const HOVER_SENSITIVITY_LAYERS = 400;

/** The hint target's terms for the layer, with their arithmetic, and the three knobs that move it most. */
function whereTheTimeGoes(
  net: NetworkModel,
  layer: LayerModel,
  result: SimulationResult,
  targets: TargetModel[],
  hintTarget: string,
): string[] {
  const name = result.targets.some((t) => t.name === hintTarget) ? hintTarget : result.targets[0]?.name;
  const t = result.targets.find((x) => x.name === name);
  if (!t) return [];
  const phases = explainTerms(t, { layer: layer.name });
  if ('error' in phases || !phases.length) return [];
  const out = ['', `**Where the time goes on ${t.name}**`, ''];
  for (const p of phases) out.push(`- ${p.phase}: ${p.formulas.join('; ')}`);
  const rep =
    net.layers.length <= HOVER_SENSITIVITY_LAYERS
      ? explainReport(net, result, targets, t.name, { layer: layer.name })
      : cachedExplain(result, t.name, { layer: layer.name });
  if (rep && !('error' in rep)) {
    const top = rep.sensitivities.filter((x) => x.time !== 0).slice(0, 3);
    if (top.length) {
      out.push('', `**What moves it** (elasticity of the layer's time on ${t.name}: % per 1% more of the knob)`, '');
      for (const x of top)
        out.push(
          `- \`${x.path}\` = ${x.valueText}: time ${x.time >= 0 ? '+' : ''}${x.time.toFixed(2)}, energy ${x.energy >= 0 ? '+' : ''}${x.energy.toFixed(2)} — ${x.source}`,
        );
    }
  }
  return out;
}

function layerHover(
  net: NetworkModel,
  layer: LayerModel,
  sim: SimulateResponse | undefined,
  stale: boolean,
  targets: TargetModel[] = [],
  hintTarget = '',
): string {
  const info = LAYER_TYPES[layer.type];
  const out: string[] = [`**${layer.name}** · \`${layer.type}\`${info ? ' — ' + info.doc : ''}`, ''];
  const inputs = layer.inShapes.map((s) => fmtShape(s, net.batch)).join(' + ') || '—';
  out.push(`input ${inputs} → output ${fmtShape(layer.outShape, net.batch)} (batch ${net.batch})`, '');
  out.push(`parameters: ${layer.params.toLocaleString('en-US')} · forward MACs: ${fmtCount(layer.macs)}`);
  const lw = workloadOf(net)?.layers[layer.index];
  if (lw && lw.name === layer.name) {
    out.push('', '| phase | FLOPs | MACs |', '|---|---|---|');
    for (const p of lw.phases) out.push(`| ${p.phase} | ${fmtCount(p.flops)} | ${fmtCount(p.macs)} |`);
  }
  if (layer.attrs.origin) out.push('', `origin: \`${layer.attrs.origin}\``);
  if (sim?.result) {
    out.push(
      '',
      `**Last simulation**${stale ? ' (before your latest edits)' : ''}`,
      '',
      '| target | time | energy | bound |',
      '|---|---|---|---|',
    );
    for (const t of sim.result.targets) {
      const lr = layerByName(t, layer.name);
      if (!lr) continue;
      const f = layerFigures(lr);
      out.push(`| ${t.name} | ${fmtTime(f.timeS)} | ${fmtEnergy(f.energyJ)} | ${BOUND_LABEL[f.bound]} |`);
    }
    if (!stale) out.push(...whereTheTimeGoes(net, layer, sim.result, targets, hintTarget));
    if (lw && lw.name === layer.name && !stale) {
      const simulated = new Set(sim.result.targets.map((t) => t.name));
      out.push(
        ...mappingSection(
          lw,
          targets.filter((t) => simulated.has(t.name)),
          layer.attrs.mapping,
        ),
      );
    }
  }
  return out.join('\n');
}

export function presetHover(name: string): string | undefined {
  const found = findPreset(name);
  if (!found) return undefined;
  const { preset, kind } = found;
  const out = [`**${preset.name}** — built-in \`${preset.kind}\` preset (${kind.title})`, '', preset.description];
  if (preset.keyFigures?.length) out.push('', ...preset.keyFigures.map((f) => `- ${f}`));
  if (preset.notes.length) out.push('', '_Notes:_', ...preset.notes.map((n) => `- ${n}`));
  return out.join('\n');
}

function targetHover(t: TargetModel, where: string): string {
  const chain = t.extendsChain.length ? ` extends ${t.extendsChain.join(' → ')}` : '';
  return [`**${t.name}** — \`${t.kind}\` target${chain} (${where})`, '', t.description].filter(Boolean).join('\n');
}

function networkHover(state: ServerState, uri: string, net: NetworkModel, pos: Position): Hover | null {
  const layer = net.layers.find((l) => contains(l.ranges.node, pos));
  if (layer) {
    const key = keyAt(layer.ranges.keys, pos);
    const sim = lastResult(state, uri);
    const stale = !!sim && sim.version !== state.documents.get(uri)?.version;
    if (key === 'inputs') {
      const i = layer.ranges.inputEntries.findIndex((r) => contains(r, pos));
      const src = i >= 0 ? layer.inputs[i] : undefined;
      if (src !== undefined && src >= 0 && net.layers[src])
        return md(layerHover(net, net.layers[src], sim, stale), layer.ranges.inputEntries[i]);
      if (src === -1)
        return md(`**input** — the network input ${fmtShape(net.inputShape, net.batch)}`, layer.ranges.inputEntries[i]);
    }
    if (key && key !== 'name' && key !== 'type' && key !== 'inputs') {
      const info = layerKeys(layer.type).find((k) => k.key === key);
      return md(keyDoc(info, key));
    }
    return md(layerHover(net, layer, sim, stale, state.targets(uri)?.targets ?? [], state.settings.inlayHintsTarget));
  }
  const key = keyAt(net.ranges.keys, pos);
  if (!key) return null;
  if (key === 'targets') {
    const i = net.ranges.targetEntries.findIndex((r) => contains(r, pos));
    if (i >= 0) {
      const name = net.targets[i];
      const t = state.targets(uri)?.targets.find((x) => x.name === name);
      const text =
        (t && !t.ranges ? presetHover(name) : undefined) ??
        (t ? targetHover(t, 'workspace hardware') : `\`${name}\`: unknown target`);
      return md(
        text + lastRunOf(name, lastResult(state, uri), state.documents.get(uri)?.version),
        net.ranges.targetEntries[i],
      );
    }
  }
  const r = net.ranges.keys[key];
  const onValue = contains(r, pos);
  if (
    (onValue && key === 'precision') ||
    (onValue && key === 'gradient_precision') ||
    (onValue && key === 'master_weights')
  ) {
    const v =
      key === 'precision' ? net.precision : key === 'gradient_precision' ? net.gradientPrecision : net.masterWeights;
    if (v && PRECISION_DOCS[v]) return md(`**${v}** — ${PRECISION_DOCS[v]}`, r);
  }
  if (key === 'name') return md(networkSummary(net, lastResult(state, uri)));
  if (onValue && key === 'optimizer')
    return md(`**${net.optimizer.type}** — ${OPTIMIZER_DOCS[net.optimizer.type]} lr ${net.optimizer.lr}`, r);
  return md(
    keyDoc(
      NETWORK_KEYS.find((k) => k.key === key),
      key,
    ),
  );
}

/** Findings worth a line in a target entry's hover: a system's step split and fit, capacity and power problems. */
const ENTRY_FINDINGS = new Set([
  'system.step',
  'system.invalid',
  'memory.exceeds-device',
  'memory.weights-streamed',
  'power.over-limit',
]);

/**
 * After a run: the target's step totals and its step-level findings (for a system: the split, the collectives, the
 * fit).
 */
function lastRunOf(name: string, sim: SimulateResponse | undefined, version: number | undefined): string {
  const r = sim?.result?.targets.find((t) => t.name === name);
  if (!r) return '';
  const out = [
    '',
    '',
    `**Last simulation**${sim!.version !== version ? ' (before your latest edits)' : ''}: step ${fmtTime(r.totals.timeS)}, ${fmtEnergy(r.totals.energyJ)}, ${r.totals.samplesPerS.toPrecision(3)} samples/s, utilization ${fmtPercent(r.totals.utilization)}`,
  ];
  for (const f of r.findings) if (ENTRY_FINDINGS.has(f.code)) out.push('', `- ${f.message}`);
  return out.join('\n');
}

/** The network as a whole: size, and after a run one line per target with its totals for one training step. */
function networkSummary(net: NetworkModel, sim: SimulateResponse | undefined): string {
  const params = net.layers.reduce((a, l) => a + l.params, 0);
  const macs = net.layers.reduce((a, l) => a + l.macs, 0);
  const out = [
    `**${net.name}** — ${net.layers.length} layers, ${params.toLocaleString('en-US')} parameters, ${fmtCount(macs)} forward MACs per batch of ${net.batch} (${net.precision})`,
  ];
  if (sim?.result) {
    out.push('', '| target | step time | energy | samples/s | utilization |', '|---|---|---|---|---|');
    for (const t of sim.result.targets) {
      out.push(
        `| ${t.name} | ${fmtTime(t.totals.timeS)} | ${fmtEnergy(t.totals.energyJ)} | ${t.totals.samplesPerS.toPrecision(3)} | ${fmtPercent(t.totals.utilization)} |`,
      );
    }
  }
  return out.join('\n');
}

function formatValue(v: ParamValue, spec: ParamSpec): string {
  const w = specValue(v, spec.dim);
  return typeof w === 'number' && spec.dim === 'ratio' ? `${w} (${fmtPercent(w)})` : String(w);
}

function provenanceText(p: Provenance | undefined): string {
  if (!p) return '';
  if (p.from === 'preset') return `from preset \`${p.preset}\` (${p.tag}): ${p.source}`;
  if (p.from === 'default') return `kind default (${p.tag}): ${p.source}`;
  const file = uriToPath(p.uri)?.split('/').pop() ?? p.uri;
  return `set by target \`${p.target}\` in ${file}:${p.range.start.line + 1}`;
}

function hardwareHover(hw: HardwareModel, pos: Position, text: string | undefined): Hover | null {
  const t = hw.targets.find((x) => x.ranges && contains(x.ranges.node, pos));
  if (!t || !t.ranges) return null;
  const key = keyAt(t.ranges.keys, pos) ?? lineKey(text, pos.line);
  if (!key || key === 'name') return md(targetHover(t, 'this file'));
  if (key === 'extends') {
    const base = t.extendsChain[0];
    return md((base && presetHover(base)) ?? `extends \`${base ?? '?'}\``);
  }
  const top = TARGET_KEYS.find((k) => k.key === key);
  if (top) return md(keyDoc(top, key));
  let spec: ParamSpec | undefined;
  try {
    spec = kindSpec(t.kind).params.find((p) => p.path === key || p.path.endsWith('.' + key));
  } catch {
    spec = undefined;
  }
  if (!spec) return null;
  const path = spec.path;
  const v = t.params[path];
  const lines = [`**${path}** (${spec.dim}) — ${spec.doc}`];
  if (v !== undefined) lines.push('', `value for \`${t.name}\`: **${formatValue(v, spec)}**`);
  const prov = provenanceText(t.provenance[path]);
  if (prov) lines.push('', prov);
  if (spec.min !== undefined || spec.max !== undefined) {
    lines.push(
      '',
      `range: ${spec.min !== undefined ? formatValue(spec.min, spec) : '−∞'} … ${spec.max !== undefined ? formatValue(spec.max, spec) : '∞'}`,
    );
  }
  return md(lines.join('\n'));
}

export function hover(state: ServerState, uri: string, pos: Position): Hover | null {
  const doc = state.analysis(uri);
  if (!doc) return null;
  if (doc.network) return networkHover(state, uri, doc.network, pos);
  if (doc.hardware) return hardwareHover(doc.hardware, pos, state.documents.get(uri)?.getText());
  return null;
}
