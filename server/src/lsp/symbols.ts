// Document symbols (outline): network -> its layers (type and output shape as detail); hardware -> its targets.
import { DocumentSymbol, SymbolKind } from 'vscode-languageserver/node';
import type { SpecDocument, Range } from '../spec/types';
import { comparePos } from './ranges';
import { fmtShape } from './format';

/** LSP requires selectionRange to lie inside range; clamp rather than send an invalid symbol. */
function sym(
  name: string,
  detail: string,
  kind: SymbolKind,
  range: Range,
  sel: Range,
  children?: DocumentSymbol[],
): DocumentSymbol {
  const inside = comparePos(range.start, sel.start) <= 0 && comparePos(sel.end, range.end) <= 0;
  return { name: name || '(unnamed)', detail, kind, range, selectionRange: inside ? sel : range, children };
}

export function documentSymbols(doc: SpecDocument | undefined): DocumentSymbol[] {
  if (!doc) return [];
  if (doc.network) {
    const n = doc.network;
    const layers = n.layers.map((l) =>
      sym(l.name, `${l.type} → ${fmtShape(l.outShape)}`, SymbolKind.Function, l.ranges.node, l.ranges.name),
    );
    const root = n.ranges.root;
    return [
      sym(
        n.name || 'network',
        `network · batch ${n.batch} · ${n.precision} · ${n.layers.length} layers`,
        SymbolKind.Module,
        root,
        n.ranges.keys['name'] ?? root,
        layers,
      ),
    ];
  }
  if (doc.hardware) {
    return doc.hardware.targets
      .filter((t) => t.ranges)
      .map((t) =>
        sym(
          t.name,
          t.kind + (t.extendsChain.length ? ` extends ${t.extendsChain[0]}` : ''),
          SymbolKind.Class,
          t.ranges!.node,
          t.ranges!.name,
        ),
      );
  }
  return [];
}
