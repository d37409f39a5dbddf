// Go to definition: an `inputs:` entry -> that layer; a `hardware:` entry -> that file; a `targets:` entry or
// `extends:` -> the target in its
// hardware file, or for a built-in preset the read-only document accelmap-preset:/<name>.hw.yaml
// (its text comes from accelmap/presetSource).
import type { Location } from 'vscode-languageserver/node';
import type { Position, SpecDocument, Range } from '../spec/types';
import type { ServerState } from './state';
import { contains } from './ranges';
import { keyAt, lineKey } from './hover';
import { findPreset, presetUri, renderPreset } from './presetSource';
import { pathToUri, uriToPath } from './hardwareIndex';
import { dirname, resolve as resolvePath } from 'node:path';

function presetLocation(name: string): Location | undefined {
  if (!findPreset(name)) return undefined;
  const text = renderPreset(name)?.text ?? '';
  const line = Math.max(
    0,
    text.split('\n').findIndex((l) => /^\s*-\s+name:/.test(l)),
  );
  const range: Range = { start: { line, character: 0 }, end: { line, character: 0 } };
  return { uri: presetUri(name), range };
}

/** A target by name: in `self` (a hardware doc), then the given hardware docs, then the presets. */
function targetLocation(name: string, docs: SpecDocument[]): Location | undefined {
  for (const d of docs) {
    const t = d.hardware?.targets.find((x) => x.name === name && x.ranges);
    if (t?.ranges) return { uri: d.uri, range: t.ranges.name };
  }
  return presetLocation(name);
}

export function definition(state: ServerState, uri: string, pos: Position): Location | null {
  const doc = state.analysis(uri);
  if (!doc) return null;
  if (doc.network) {
    const net = doc.network;
    const layer = net.layers.find((l) => contains(l.ranges.node, pos));
    if (layer) {
      const i = layer.ranges.inputEntries.findIndex((r) => contains(r, pos));
      const src = i >= 0 ? layer.inputs[i] : undefined;
      if (src !== undefined && src >= 0 && net.layers[src]) return { uri, range: net.layers[src].ranges.name };
      return null;
    }
    const i = net.ranges.targetEntries.findIndex((r) => contains(r, pos));
    if (i >= 0) return targetLocation(net.targets[i], state.targets(uri)?.hardwareDocs ?? []) ?? null;
    const hwRange = net.ranges.keys['hardware'];
    if (hwRange && contains(hwRange, pos)) return hardwareFileLocation(state, uri, net.hardwareFiles, pos);
    return null;
  }
  if (doc.hardware) {
    const t = doc.hardware.targets.find((x) => x.ranges && contains(x.ranges.node, pos));
    if (
      !t?.ranges ||
      (keyAt(t.ranges.keys, pos) ?? lineKey(state.documents.get(uri)?.getText(), pos.line)) !== 'extends'
    )
      return null;
    const base = t.extendsChain[0];
    if (!base) return null;
    const others = state.hardware.all().filter((d) => d.uri !== uri);
    return targetLocation(base, [doc, ...others]) ?? null;
  }
  return null;
}

/** A `hardware:` entry -> the start of that file. Entries have no ranges of their own: find the name on the line. */
function hardwareFileLocation(state: ServerState, uri: string, files: string[], pos: Position): Location | null {
  const from = uriToPath(uri);
  const td = state.documents.get(uri);
  if (!from || !td) return null;
  const line = td.getText({ start: { line: pos.line, character: 0 }, end: { line: pos.line + 1, character: 0 } });
  for (const f of files) {
    for (let at = line.indexOf(f); at >= 0; at = line.indexOf(f, at + 1)) {
      if (pos.character >= at && pos.character <= at + f.length) {
        return {
          uri: pathToUri(resolvePath(dirname(from), f)),
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        };
      }
    }
  }
  return null;
}
