// Where the cursor is, for completion, read from the text itself: while typing, the document is usually broken, so
// this looks at indentation (YAML block style) and the current line rather than at a parsed tree.
// Result: the path of the enclosing mapping (e.g. ['layers', '#'] for inside a layer item, ['targets', '#',
// 'compute'] for a hardware parameter group), whether a key or a value is being typed, and the key of the value.

export interface CompletionContext {
  /** Keys of the enclosing mappings from the root; '#' marks a sequence item. */
  path: string[];
  on: 'key' | 'value';
  /** For values: the key being filled in (for a list entry, the key that owns the list). */
  key?: string;
  /** The word under the cursor before it (replaced by the completion). */
  prefix: string;
  /** First line of the enclosing sequence item (for reading its sibling keys), when inside one. */
  itemLine?: number;
  /** Sibling keys already written in the enclosing mapping. */
  siblings: string[];
  /** For a sequence value (`inputs: [a, b|` or a block list entry): entries already written. */
  written: string[];
}

const KEY_LINE = /^(\s*)(-\s+)?("?)([A-Za-z_][\w-]*)\3\s*:(?:\s|$)/;

interface LineInfo {
  indent: number;
  item: boolean;
  key?: string;
  contentIndent: number;
  hasValue: boolean;
}

function info(line: string): LineInfo | undefined {
  if (!line.trim() || /^\s*#/.test(line)) return undefined;
  const indent = line.length - line.trimStart().length;
  const dash = /^(\s*)-(\s+|$)/.exec(line);
  const m = KEY_LINE.exec(line);
  const hasValue = !!m && line.slice(m[0].length).replace(/#.*/, '').trim() !== '';
  return { indent, item: !!dash, key: m?.[4], contentIndent: dash ? dash[0].length : indent, hasValue };
}

/** Keys of the mapping whose entries sit at `indent` around line `at` (stops at less indented lines). */
function siblingKeys(lines: string[], at: number, indent: number): string[] {
  const keys: string[] = [];
  const visit = (i: number): boolean => {
    const li = info(lines[i]);
    if (!li) return true;
    if (li.item && li.contentIndent === indent) {
      if (li.key && i !== at) keys.push(li.key);
      return false;
    }
    if (li.indent < indent) return false;
    if (li.key && li.indent === indent && i !== at) keys.push(li.key);
    return true;
  };
  const curInfo = info(lines[at] ?? '');
  if (!(curInfo?.item && curInfo.contentIndent === indent)) for (let i = at - 1; i >= 0 && visit(i); i--);
  for (let i = at + 1; i < lines.length; i++) {
    const li = info(lines[i]);
    if (li && (li.indent < indent || (li.item && li.indent < indent))) break;
    if (li && li.item && li.contentIndent === indent) break;
    if (li?.key && li.indent === indent) keys.push(li.key);
  }
  return keys;
}

export function completionContext(text: string, line: number, character: number): CompletionContext {
  const lines = text.split(/\r?\n/);
  const cur = lines[line] ?? '';
  const before = cur.slice(0, character);
  const prefix = /[\w.-]*$/.exec(before)?.[0] ?? '';

  let on: 'key' | 'value' = 'key';
  let key: string | undefined;
  let written: string[] = [];
  const lead = /^(\s*)(-(?:\s+|$))?/.exec(before)!;
  const indent = lead[1].length + (lead[2]?.length ?? 0);
  const isItemStart = !!lead[2];
  // Value of `key: ...` on this line (possibly inside a flow list `[a, b, |`).
  const kv = /^\s*(?:-\s+)?"?([A-Za-z_][\w-]*)"?\s*:\s*(.*)$/.exec(before);
  if (kv) {
    on = 'value';
    key = kv[1];
    const flow = /\[([^\]]*)$/.exec(kv[2]);
    if (flow)
      written = flow[1]
        .split(',')
        .map((x) => x.trim().replace(/^["']|["']$/g, ''))
        .filter(Boolean);
  }

  // Walk up for the enclosing keys and sequence items.
  const path: string[] = isItemStart ? ['#'] : [];
  let itemLine: number | undefined = isItemStart ? line : undefined;
  let need = isItemStart ? lead[1].length + 1 : indent;
  let skipItemsAt = isItemStart ? lead[1].length : -1;
  for (let i = line - 1; i >= 0 && need > 0; i--) {
    const li = info(lines[i]);
    if (!li) continue;
    if (li.item) {
      if (li.indent === skipItemsAt) continue;
      if (li.indent < need && li.contentIndent <= need) {
        if (li.key && !li.hasValue && li.contentIndent < need) path.unshift(li.key);
        path.unshift('#');
        itemLine ??= i;
        need = li.indent + 1;
        skipItemsAt = li.indent;
      }
      continue;
    }
    if (li.key && li.indent < need) {
      path.unshift(li.key);
      need = li.indent;
      skipItemsAt = -1;
    }
  }
  // `- |` in a list of names (targets:, inputs:, hardware:) is a value of the list's key, not a new mapping.
  const owner = path[path.length - 2];
  const hardwareDoc = /^kind\s*:\s*["']?hardware/m.test(text.slice(0, 4096));
  if (
    !kv &&
    isItemStart &&
    owner &&
    (owner === 'inputs' || owner === 'hardware' || (owner === 'targets' && !hardwareDoc))
  ) {
    on = 'value';
    key = owner;
    path.splice(path.length - 2, 2);
  }
  const siblings = on === 'key' ? siblingKeys(lines, line, indent) : [];
  return { path, on, key, prefix, itemLine, siblings, written };
}
