// Completion: keys valid at the cursor (network top level, optimizer, a layer of its type; hardware targets and
// their parameter groups of the target's kind), layer types, enum values (precision, optimizer, kind, enum
// parameters), preset names after `extends:` and in `targets:`, and earlier layer names inside `inputs:`.
// The vocabulary comes from spec/vocab.ts and the KINDS table; the cursor context from completionContext.ts.
import { CompletionItemKind, MarkupKind, type CompletionItem, type Position } from 'vscode-languageserver/node';
import {
  LAYER_TYPES,
  LAYER_TYPE_NAMES,
  NETWORK_KEYS,
  OPTIMIZER_KEYS,
  OPTIMIZERS,
  OPTIMIZER_DOCS,
  PRECISIONS,
  PRECISION_DOCS,
  TARGET_KEYS,
  HARDWARE_KEYS,
  TARGET_KINDS,
  COMMON_LAYER_KEYS,
  layerKeys,
  type KeyInfo,
} from '../spec/vocab';
import { KINDS } from '../kinds/params';
import type { LayerType, TargetKind, SpecDocument } from '../spec/types';
import type { ParamSpec } from '../spec/params';
import type { ServerState } from './state';
import { completionContext, type CompletionContext } from './completionContext';
import { contains } from './ranges';
import { presetHover } from './hover';
import { uriToPath } from './hardwareIndex';
import { dirname, relative, sep } from 'node:path';

function keyItems(keys: readonly KeyInfo[], ctx: CompletionContext): CompletionItem[] {
  const have = new Set(ctx.siblings);
  return keys
    .filter((k) => !have.has(k.key) && k.key !== '')
    .map((k, i) => ({
      label: k.key,
      kind: CompletionItemKind.Property,
      detail: k.required ? 'required' : k.default !== undefined ? `default ${String(k.default)}` : undefined,
      documentation: { kind: MarkupKind.Markdown, value: k.doc },
      insertText: `${k.key}: `,
      sortText: `${k.required ? 0 : 1}${String(i).padStart(3, '0')}`,
    }));
}

function valueItems(
  values: readonly string[],
  kind: CompletionItemKind,
  doc?: (v: string) => string | undefined,
  exclude: string[] = [],
): CompletionItem[] {
  const skip = new Set(exclude);
  return values
    .filter((v) => !skip.has(v))
    .map((v, i) => {
      const d = doc?.(v);
      return {
        label: v,
        kind,
        documentation: d ? { kind: MarkupKind.Markdown, value: d } : undefined,
        sortText: String(i).padStart(4, '0'),
      };
    });
}

function presetItems(
  state: ServerState,
  exclude: string[],
  includeWorkspace: boolean,
  selfDoc?: SpecDocument,
): CompletionItem[] {
  const items: CompletionItem[] = [];
  const skip = new Set(exclude);
  for (const k of KINDS)
    for (const p of k.presets) {
      if (skip.has(p.name)) continue;
      skip.add(p.name);
      items.push({
        label: p.name,
        kind: CompletionItemKind.Constant,
        detail: `${p.kind} preset`,
        documentation: { kind: MarkupKind.Markdown, value: presetHover(p.name) ?? p.description },
      });
    }
  const docs = includeWorkspace ? state.hardware.all() : [];
  if (selfDoc?.hardware && !docs.some((d) => d.uri === selfDoc.uri)) docs.unshift(selfDoc);
  for (const d of docs)
    for (const t of d.hardware?.targets ?? []) {
      if (skip.has(t.name)) continue;
      skip.add(t.name);
      items.push({
        label: t.name,
        kind: CompletionItemKind.Reference,
        detail: `${t.kind} target (${d.uri.split('/').pop()})`,
        documentation: t.description || undefined,
      });
    }
  return items;
}

/** Layer type of the layer under the cursor: from the analysis, else from the item's `type:` line. */
function layerTypeAt(
  state: ServerState,
  uri: string,
  ctx: CompletionContext,
  pos: Position,
  lines: string[],
): LayerType | undefined {
  const net = state.network(uri)?.net;
  const l = net?.layers.find((x) => contains(x.ranges.node, pos));
  if (l) return l.type;
  if (ctx.itemLine === undefined) return undefined;
  for (let i = ctx.itemLine; i < Math.min(lines.length, ctx.itemLine + 40); i++) {
    if (i > ctx.itemLine && /^\s*-\s/.test(lines[i])) break;
    const m = /^\s*(?:-\s+)?type\s*:\s*["']?(\w+)/.exec(lines[i]);
    if (m && m[1] in LAYER_TYPES) return m[1] as LayerType;
  }
  return undefined;
}

function targetKindAt(
  state: ServerState,
  uri: string,
  ctx: CompletionContext,
  pos: Position,
  lines: string[],
): TargetKind | undefined {
  const hw = state.hardwareModel(uri)?.hw;
  const t = hw?.targets.find((x) => x.ranges && contains(x.ranges.node, pos));
  if (t) return t.kind;
  if (ctx.itemLine === undefined) return undefined;
  for (let i = ctx.itemLine; i < Math.min(lines.length, ctx.itemLine + 200); i++) {
    if (
      i > ctx.itemLine &&
      /^\s*-\s/.test(lines[i]) &&
      lines[i].length - lines[i].trimStart().length <=
        lines[ctx.itemLine].length - lines[ctx.itemLine].trimStart().length
    )
      break;
    const k = /^\s*(?:-\s+)?kind\s*:\s*["']?(\w+)/.exec(lines[i]);
    if (k && (TARGET_KINDS as string[]).includes(k[1])) return k[1] as TargetKind;
    const e = /^\s*(?:-\s+)?extends\s*:\s*["']?([\w.-]+)/.exec(lines[i]);
    if (e) {
      const base =
        KINDS.find((ks) => ks.presets.some((p) => p.name === e[1]))?.kind ??
        hw?.targets.find((x) => x.name === e[1])?.kind ??
        state.hardware
          .all()
          .flatMap((d) => d.hardware?.targets ?? [])
          .find((x) => x.name === e[1])?.kind;
      if (base) return base;
    }
  }
  return undefined;
}

function paramItems(params: readonly ParamSpec[], group: string[], ctx: CompletionContext): CompletionItem[] {
  // group: [] -> group names (and top-level params); ['compute'] -> params under compute.
  const prefix = group.length ? group.join('.') + '.' : '';
  const have = new Set(ctx.siblings);
  const out = new Map<string, CompletionItem>();
  for (const p of params) {
    if (!p.path.startsWith(prefix)) continue;
    const rest = p.path.slice(prefix.length).split('.');
    const label = rest[0];
    if (have.has(label) || out.has(label)) continue;
    if (rest.length > 1)
      out.set(label, { label, kind: CompletionItemKind.Module, insertText: `${label}:\n`, detail: 'parameter group' });
    else
      out.set(label, {
        label,
        kind: CompletionItemKind.Property,
        insertText: `${label}: `,
        detail: p.dim,
        documentation: { kind: MarkupKind.Markdown, value: p.doc },
      });
  }
  return [...out.values()];
}

export function completion(state: ServerState, uri: string, pos: Position): CompletionItem[] {
  const td = state.documents.get(uri);
  const guess = state.specGuess(uri);
  if (!td || !guess) return [];
  const text = td.getText();
  const lines = text.split(/\r?\n/);
  const ctx = completionContext(text, pos.line, pos.character);
  const kind = guess === 'unknown' ? (/^kind\s*:\s*["']?hardware/m.test(text) ? 'hardware' : 'network') : guess;
  const p = ctx.path;

  if (ctx.on === 'key') {
    // Key completion reads YAML block indentation; JSON documents get value completion only (ASM: JSON specs are
    // mostly generated, e.g. by the ONNX importer or scripts, and rarely typed by hand).
    if (td.languageId === 'json' || td.languageId === 'jsonc' || /\.json$/i.test(uri)) return [];
    if (kind === 'network') {
      if (p.length === 0) return keyItems(NETWORK_KEYS, ctx);
      if (p.length === 1 && p[0] === 'optimizer') return keyItems(OPTIMIZER_KEYS, ctx);
      if (p.length === 2 && p[0] === 'layers' && p[1] === '#') {
        const type = layerTypeAt(state, uri, ctx, pos, lines);
        return keyItems(type ? layerKeys(type) : COMMON_LAYER_KEYS, ctx);
      }
      return [];
    }
    if (p.length === 0) return keyItems(HARDWARE_KEYS, ctx);
    if (p[0] === 'targets' && p[1] === '#') {
      const tk = targetKindAt(state, uri, ctx, pos, lines);
      const params = tk ? (KINDS.find((k) => k.kind === tk)?.params ?? []) : [];
      return p.length === 2
        ? [...keyItems(TARGET_KEYS, ctx), ...paramItems(params, [], ctx)]
        : paramItems(params, p.slice(2), ctx);
    }
    return [];
  }

  // Values.
  const key = ctx.key ?? '';
  if (key === 'kind' && p.length === 0) return valueItems(['network', 'hardware'], CompletionItemKind.EnumMember);
  if (kind === 'network') {
    if (['precision', 'gradient_precision'].includes(key) && p.length === 0)
      return valueItems(
        PRECISIONS,
        CompletionItemKind.EnumMember,
        (v) => PRECISION_DOCS[v as keyof typeof PRECISION_DOCS],
      );
    if (key === 'master_weights' && p.length === 0)
      return valueItems(
        [...PRECISIONS, 'none'],
        CompletionItemKind.EnumMember,
        (v) => PRECISION_DOCS[v as keyof typeof PRECISION_DOCS],
      );
    if ((key === 'optimizer' && p.length === 0) || (key === 'type' && p[0] === 'optimizer')) {
      return valueItems(
        OPTIMIZERS,
        CompletionItemKind.EnumMember,
        (v) => OPTIMIZER_DOCS[v as keyof typeof OPTIMIZER_DOCS],
      );
    }
    if (key === 'targets' && p.length === 0) return presetItems(state, ctx.written, true);
    if (key === 'hardware' && p.length === 0) return hardwareFileItems(state, uri, ctx.written);
    if (p[0] === 'layers' && key === 'type') {
      return valueItems(
        LAYER_TYPE_NAMES,
        CompletionItemKind.Class,
        (v) => `${LAYER_TYPES[v as LayerType].doc}\n\n\`${LAYER_TYPES[v as LayerType].shapes}\``,
      );
    }
    if (p[0] === 'layers' && key === 'inputs') return inputItems(state, uri, pos, lines, ctx);
    if (p[0] === 'layers') {
      const type = layerTypeAt(state, uri, ctx, pos, lines);
      const info = type ? layerKeys(type).find((k) => k.key === key) : undefined;
      if (info?.type.t === 'bool') return valueItems(['true', 'false'], CompletionItemKind.Value);
      if (info?.type.t === 'enum') return valueItems(info.type.values, CompletionItemKind.EnumMember);
      if (info?.type.t === 'padding') return valueItems(['same'], CompletionItemKind.EnumMember);
    }
    return [];
  }
  if (p[0] === 'targets' && p[1] === '#') {
    if (p.length === 2 && key === 'extends') {
      const self = state.analysis(uri);
      return presetItems(state, [], true, self);
    }
    if (p.length === 2 && key === 'kind')
      return valueItems(TARGET_KINDS, CompletionItemKind.EnumMember, (v) => KINDS.find((k) => k.kind === v)?.title);
    const tk = targetKindAt(state, uri, ctx, pos, lines);
    const spec = KINDS.find((k) => k.kind === tk)?.params.find((x) => x.path === [...p.slice(2), key].join('.'));
    if (spec?.dim === 'enum' && spec.values) return valueItems(spec.values, CompletionItemKind.EnumMember);
    if (spec?.dim === 'bool') return valueItems(['true', 'false'], CompletionItemKind.Value);
  }
  return [];
}

/** Earlier layers (and `input`) for an `inputs:` entry of the layer at the cursor. */
function inputItems(
  state: ServerState,
  uri: string,
  pos: Position,
  lines: string[],
  ctx: CompletionContext,
): CompletionItem[] {
  const net = state.network(uri)?.net;
  let names: string[];
  if (net) {
    const idx = net.layers.findIndex((l) => contains(l.ranges.node, pos));
    const upTo = idx >= 0 ? idx : net.layers.filter((l) => l.ranges.node.start.line < pos.line).length;
    names = net.layers.slice(0, upTo).map((l) => l.name);
  } else {
    // Broken document: read the names written above the cursor.
    names = [];
    for (let i = 0; i < pos.line; i++) {
      const m = /^(?:\s+|\s*-\s+)name\s*:\s*["']?([\w.\-/]+)/.exec(lines[i]); // indented: layer names only
      if (m) names.push(m[1]);
    }
  }
  const items = valueItems(['input', ...names.reverse()], CompletionItemKind.Reference, undefined, ctx.written);
  items.forEach((it) => {
    it.detail = it.label === 'input' ? 'the network input' : 'earlier layer';
  });
  return items;
}

/** Workspace hardware files, as paths relative to the network's folder (`./x.hw.yaml`, `../hw/y.hw.yaml`). */
function hardwareFileItems(state: ServerState, uri: string, written: string[]): CompletionItem[] {
  const from = uriToPath(uri);
  if (!from) return [];
  const have = new Set(written.map((w) => w.replace(/^\.\//, '')));
  const items: CompletionItem[] = [];
  for (const d of state.hardware.all()) {
    const p = uriToPath(d.uri);
    if (!p) continue;
    let rel = relative(dirname(from), p).split(sep).join('/');
    if (have.has(rel)) continue;
    if (!rel.startsWith('.')) rel = './' + rel;
    const names = (d.hardware?.targets ?? []).map((t) => t.name);
    items.push({
      label: rel,
      kind: CompletionItemKind.File,
      detail: names.length ? `targets: ${names.join(', ')}` : 'hardware spec',
    });
  }
  return items;
}
