// analyze(): text -> SpecDocument. Limits first (size, nesting), then parse to the syntax tree, detect the kind,
// and check the network or hardware document. Never throws: an unexpected exception becomes one diagnostic.
import type { SpecDocument, SpecKind } from './types';
import type { AstMap, AstNode, SpecSyntax } from './ast';
import { get } from './ast';
import { LineIndex } from './lines';
import { Diags } from './diag';
import { MAX_DOC_CHARS } from './limits';
import { findExcessiveNesting } from './depth';
import { parseYaml } from './parse-yaml';
import { parseJson } from './parse-json';
import { checkNetwork } from './network';
import { checkHardware } from './hardware';
import { readEnum } from './values';
import { SPEC_KINDS } from './vocab';

export interface AnalyzeOptions {
  version?: number;
  format?: 'yaml' | 'json';
  /**
   * Other hardware documents (e.g. of the workspace) whose targets `extends:` may name. Additive option:
   * without it, `extends` resolves against this document and the built-in presets only.
   */
  hardwareDocs?: SpecDocument[];
}

export function formatOf(uri: string): 'yaml' | 'json' {
  return /\.json[c]?$/i.test(uri.replace(/[?#].*$/, '')) ? 'json' : 'yaml';
}

/** The kind a file name suggests (`*.net.yaml`, `*.hw.json`, ...), for the missing-`kind` quick fix. */
export function kindFromName(uri: string): SpecKind | null {
  const u = uri.replace(/[?#].*$/, '');
  if (/\.net\.(ya?ml|json)$/i.test(u)) return 'network';
  if (/\.hw\.(ya?ml|json)$/i.test(u)) return 'hardware';
  return null;
}

export function analyze(uri: string, text: string, opts: AnalyzeOptions = {}): SpecDocument {
  const format = opts.format ?? formatOf(uri);
  const doc: SpecDocument = { uri, format, kind: null, diagnostics: [] };
  if (opts.version !== undefined) doc.version = opts.version;
  if (typeof text !== 'string') text = String(text ?? '');
  if (text.length > MAX_DOC_CHARS) {
    const lines = new LineIndex(text.slice(0, 1000));
    doc.diagnostics.push({
      range: lines.toLineEnd(0),
      severity: 'error',
      code: 'AM9001',
      message: `This document has ${text.length} characters; accelmap analyses documents up to ${MAX_DOC_CHARS} (8 MiB). Split it into smaller files.`,
    });
    return doc;
  }
  const lines = new LineIndex(text);
  const d = new Diags(lines);
  const syntax: SpecSyntax = { root: null, lines, text };
  doc.syntax = syntax;
  try {
    run(doc, text, d, syntax, opts);
  } catch (e) {
    d.error(
      'AM9004',
      lines.toLineEnd(0),
      `Internal error while analysing (${(e as Error)?.message ?? e}); please report it with this file.`,
    );
  }
  doc.diagnostics = d.finish();
  return doc;
}

function run(doc: SpecDocument, text: string, d: Diags, syntax: SpecSyntax, opts: AnalyzeOptions): void {
  if (text.trim() === '' || (doc.format === 'yaml' && /^\s*(#[^\n]*\s*)*$/.test(text))) {
    const k = kindFromName(doc.uri);
    d.add(
      'AM2011',
      'information',
      d.lines.toLineEnd(0),
      k === 'hardware'
        ? 'Empty hardware spec. Start with `kind: hardware` and a `targets:` list (e.g. `- {name: my-ntx, extends: ntx}`).'
        : k === 'network'
          ? 'Empty network spec. Start with `kind: network`, `input_shape: [3, 224, 224]` and a `layers:` list.'
          : 'Empty spec. Write `kind: network` (a DNN to train) or `kind: hardware` (target accelerators) on the first line.',
    );
    return;
  }
  const deep = findExcessiveNesting(text, doc.format === 'yaml');
  if (deep) {
    d.error(
      'AM9002',
      d.lines.toLineEnd(deep.offset),
      `Nesting is too deep here (over ${deep.depth} levels); accelmap analyses at most a few hundred. Flatten the document.`,
    );
    return;
  }
  const root = doc.format === 'json' ? parseJson(text, d) : parseYaml(text, d);
  syntax.root = root;
  if (!root) return;
  if (root.t !== 'map') {
    d.error(
      'AM1006',
      [root.start, Math.max(root.start + 1, Math.min(root.end, root.start + 80))],
      'A spec is a mapping of keys at the top level, starting with `kind: network` or `kind: hardware`.',
    );
    return;
  }
  const kind = detectKind(root, doc.uri, d);
  doc.kind = kind;
  if (kind === 'network') doc.network = checkNetwork(root, doc.uri, d);
  else if (kind === 'hardware') {
    const hw = checkHardware(root, doc.uri, d, opts.hardwareDocs ?? []);
    doc.hardware = hw.model;
    syntax.rawTargets = hw.raw;
  }
}

function detectKind(root: AstMap, uri: string, d: Diags): SpecKind | null {
  const p = get(root, 'kind');
  if (!p) {
    const k = kindFromName(uri);
    const first = root.pairs[0]?.keyNode ?? root;
    const json = d.lines.text.charCodeAt(root.start) === 123; // `{`: JSON or a YAML flow mapping
    const at = json ? d.lines.positionAt(root.start + 1) : { line: d.lines.positionAt(root.start).line, character: 0 };
    const fix = (kind: SpecKind) => ({
      title: `Add \`kind: ${kind}\``,
      edits: [{ range: { start: at, end: at }, newText: json ? `"kind": "${kind}", ` : `kind: ${kind}\n` }],
      isPreferred: k === kind,
    });
    const guess = k ?? (get(root, 'layers') ? 'network' : get(root, 'targets') ? 'hardware' : null);
    d.error(
      'AM2001',
      first as AstNode,
      guess
        ? `Missing \`kind\`: add \`kind: ${guess}\` at the top of the file.`
        : 'Missing `kind`: add `kind: network` (a DNN to train) or `kind: hardware` (target accelerators) at the top of the file.',
      guess ? [fix(guess)] : [fix('network'), fix('hardware')],
    );
    return guess;
  }
  const v = p.value;
  if (v.t === 'scalar' && typeof v.value === 'string' && !(SPEC_KINDS as readonly string[]).includes(v.value)) {
    readEnum(v, 'kind', SPEC_KINDS, d);
    return null;
  }
  const k = readEnum(v, 'kind', SPEC_KINDS, d);
  return k ?? null;
}
