// Source ranges of a layer, computed from its AST node the first time each is asked for, then kept.
// A 10,000-layer document has ~60,000 of them; built eagerly (three objects each) they were a fifth of an
// analysis, mostly the garbage collector copying them, while a keystroke's diagnostics need almost none: errors,
// hover, outline and go-to-definition read them on demand.
import type { AstNode } from './ast';
import type { LineIndex } from './lines';
import type { LayerRanges, Range } from './types';

export class LazyLayerRanges implements LayerRanges {
  private nodeRange: Range | undefined;
  private keyRanges: Record<string, Range> | undefined;
  private atRange: Range | undefined;
  private entryRanges: Range[] | undefined;
  private entryNodes: readonly AstNode[] = [];

  constructor(
    private readonly n: AstNode,
    private readonly lines: LineIndex,
  ) {}

  /** The whole mapping node of the layer. */
  get node(): Range {
    return (this.nodeRange ??= this.lines.range(this.n.start, this.n.end));
  }

  /** Range of each key's value, by spec key. */
  get keys(): Record<string, Range> {
    if (!this.keyRanges) {
      const keys: Record<string, Range> = {};
      if (this.n.t === 'map') for (const p of this.n.pairs) keys[p.key] = this.lines.range(p.value.start, p.value.end);
      this.keyRanges = keys;
    }
    return this.keyRanges;
  }

  /** The `name:` value, else the start of the node (one shared empty range). */
  get name(): Range {
    return this.keys.name ?? this.at();
  }
  get type(): Range {
    return this.keys.type ?? this.at();
  }

  /** Ranges of each entry of `inputs:`. */
  get inputEntries(): Range[] {
    return (this.entryRanges ??= this.entryNodes.map((x) => this.lines.range(x.start, x.end)));
  }

  /** The nodes of the `inputs:` entries, in order (their ranges are made on demand). */
  setInputEntries(nodes: readonly AstNode[]): void {
    this.entryNodes = nodes;
    this.entryRanges = undefined;
  }

  private at(): Range {
    return (this.atRange ??= { start: this.node.start, end: this.node.start });
  }

  /** As a plain object (JSON, logs): every range computed. */
  toJSON(): LayerRanges {
    return { node: this.node, name: this.name, type: this.type, keys: this.keys, inputEntries: this.inputEntries };
  }
}
