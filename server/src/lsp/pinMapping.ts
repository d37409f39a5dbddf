// "Pin this mapping": the mapping the mapper found for a layer on a spatial target, written into the layer's
// `mapping:` (flow YAML / JSON, every level's factors, loop order, X dimensions and keep set), so later runs use it
// as given. Also the replacement a `mapping.illegal` warning offers: the mapper's own mapping for that phase. Only
// mappings the last simulation found are used (from the mapper's cache): building an action never searches.
import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver/node';
import type { LayerModel, NestPhaseName, NetworkModel, QuickFix, Range, TargetModel } from '../spec/types';
import type { ServerState } from './state';
import { lastResult } from './simulation';
import type { LayerWork } from '../sim/workload';
import { lower } from '../sim/lower';
import { phaseProblems, type NestPhase } from '../sim/nest/training';
import type { Problem, SpatialArch } from '../sim/nest/types';
import { pinText } from '../sim/nest/format';
import { cachedMapping, spatialArch } from '../kinds/spatial/model';
import { phasePins } from '../sim/nest/pins';
import { PROVISIONAL_BUDGET } from './mappingSearch';

/**
 * The mapping the last run used for a nest: pinned when the pins were met, else the mapper's own (full, then quick).
 */
function usedMapping(
  p: Problem,
  t: TargetModel,
  a: SpatialArch,
  lw: LayerWork,
  phase: NestPhase,
  net: NetworkModel,
  ownOnly: boolean,
) {
  const quick = { ...t, params: { ...t.params, 'mapper.budget': PROVISIONAL_BUDGET } };
  const pins = ownOnly ? undefined : phasePins(net.layers[lw.index]?.attrs.mapping, phase);
  const pinned = pins ? (cachedMapping(p, t, a, pins) ?? cachedMapping(p, quick, a, pins)) : undefined;
  if (pinned?.result.legal) return pinned;
  return cachedMapping(p, t, a) ?? cachedMapping(p, quick, a);
}

/**
 * `{fwd: {...}, bwd_data: {...}, bwd_weight: {...}}` for a layer on `t`; undefined when the last run mapped none of it.
 */
export function layerMappingText(
  net: NetworkModel,
  layer: LayerModel,
  t: TargetModel,
  json: boolean,
  only?: NestPhaseName,
  ownOnly = false,
): string | undefined {
  const lw = lower({ ...net, layers: net.layers }).layers[layer.index];
  if (!lw) return undefined;
  const a = spatialArch(t);
  const q = (s: string) => (json ? `"${s}"` : s);
  const parts: string[] = [];
  for (const ph of lw.phases) {
    if (ph.phase === 'update' || ph.kind !== 'mvm' || (only && ph.phase !== only)) continue;
    // a product of two activations has two backward-data nests (dA, dB): one pin applies to both; dA's is written
    const [p] = phaseProblems(lw, ph.phase);
    const m = p && usedMapping(p, t, a, lw, ph.phase, net, ownOnly);
    if (!m) return undefined;
    parts.push(only ? pinText(p, a, m.mapping, json) : `${q(ph.phase)}: ${pinText(p, a, m.mapping, json)}`);
  }
  if (!parts.length) return undefined;
  return only ? parts[0] : `{${parts.join(', ')}}`;
}

/** The edit that writes `mapping:` into a layer: replaces its value, or adds the key to the layer. */
export function pinEdit(
  text: string,
  layer: LayerModel,
  value: string,
  json: boolean,
): { range: Range; newText: string } | undefined {
  const at = layer.ranges.keys['mapping'];
  if (at) return { range: at, newText: value };
  const lines = text.split(/\r?\n/);
  const node = layer.ranges.node;
  const first = lines[node.start.line] ?? '';
  const flow = first.slice(node.start.character).trimStart().startsWith('{');
  if (json || flow) {
    // before the closing brace of the layer's mapping
    const end = node.end;
    const pos = { line: end.line, character: Math.max(0, end.character - 1) };
    return { range: { start: pos, end: pos }, newText: json ? `, "mapping": ${value}` : `, mapping: ${value}` };
  }
  // a block mapping: a new line after the layer's last line, indented like its `type:` key
  const typeLine = lines[layer.ranges.type.start.line] ?? '';
  const indent = /^(\s*)(?:-\s+)?/.exec(typeLine)?.[0].replace('-', ' ').length ?? 4;
  const endLine = node.end.character === 0 ? node.end.line - 1 : node.end.line;
  const eol = (lines[endLine] ?? '').length;
  return {
    range: { start: { line: endLine, character: eol }, end: { line: endLine, character: eol } },
    newText: `\n${' '.repeat(indent)}mapping: ${value}`,
  };
}

/** "Pin this mapping" for the layer at `line`, once per simulated spatial target. */
export function pinActions(
  net: NetworkModel,
  text: string,
  json: boolean,
  line: number,
  targets: TargetModel[],
): QuickFix[] {
  const layer = net.layers.find((l) => l.ranges.node.start.line <= line && line <= l.ranges.node.end.line);
  if (!layer) return [];
  const out: QuickFix[] = [];
  for (const t of targets) {
    if (t.kind !== 'spatial') continue;
    const value = layerMappingText(net, layer, t, json);
    const edit = value && pinEdit(text, layer, value, json);
    if (edit) out.push({ title: `Pin the mapping of ${layer.name} found on ${t.name}`, edits: [edit] });
  }
  return out;
}

/** Code actions (refactor.rewrite) "Pin the mapping of <layer> found on <target>" at the request's position. */
export function pinCodeActions(state: ServerState, params: CodeActionParams): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((k) => CodeActionKind.RefactorRewrite.startsWith(k) || k === '')) return [];
  const uri = params.textDocument.uri;
  const doc = state.analysis(uri),
    net = doc?.network,
    td = state.documents.get(uri);
  const sim = lastResult(state, uri);
  if (!doc || !net || !td || !sim?.result) return [];
  const simulated = new Set(sim.result.targets.map((t) => t.name));
  const targets = (state.targets(uri)?.targets ?? []).filter((t) => simulated.has(t.name));
  return pinActions(net, td.getText(), doc.format === 'json', params.range.start.line, targets).map((f) => ({
    title: f.title,
    kind: CodeActionKind.RefactorRewrite,
    edit: { changes: { [uri]: f.edits } },
  }));
}
