// A linear pre-scan that bounds how deeply a text nests, run BEFORE the YAML/JSON parsers: both parsers compose
// nested collections recursively, so a document of 100,000 `[` would overflow the stack inside them.
// The estimate is conservative in the direction that matters: it may over-count (strings in odd places), and the
// thresholds are far above real specs, so a valid spec is never rejected; under-counts are caught by a RangeError
// guard around the parsers (parse-yaml.ts, parse-json.ts).
import { MAX_DEPTH } from './limits';

export interface DepthHit {
  depth: number;
  offset: number;
}

/** First offset where flow nesting (`[`/`{`) exceeds `MAX_DEPTH`, or block nesting (indent + `- `) exceeds 4x it. */
export function findExcessiveNesting(text: string, yaml: boolean): DepthHit | undefined {
  let depth = 0;
  let quote = 0; // 0, or the char code of the open quote
  let lineStart = true;
  let indent = 0;
  const blockMax = MAX_DEPTH * 4;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === 92 /* \ */ && quote === 34) i++;
      else if (c === quote) quote = 0;
      else if (c === 10 && !yaml) quote = 0;
      continue;
    }
    if (c === 10 || c === 13) {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart && yaml) {
      if (c === 32 || c === 9) {
        indent++;
        continue;
      }
      if ((c === 45 /* - */ || c === 63) /* ? */ && (text.charCodeAt(i + 1) === 32 || text.charCodeAt(i + 1) === 9)) {
        indent += 2;
        i++;
        if (indent > blockMax) return { depth: indent, offset: i };
        continue;
      }
      lineStart = false;
      if (indent > blockMax) return { depth: indent, offset: i };
    }
    lineStart = false;
    if (c === 34 /* " */ || (yaml && c === 39) /* ' */) quote = c;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth > MAX_DEPTH) return { depth, offset: i };
    } else if (c === 93 || c === 125) {
      if (depth > 0) depth--;
    } else if (yaml && c === 35 /* # */) {
      const p = i > 0 ? text.charCodeAt(i - 1) : 32;
      if (p === 32 || p === 9) {
        while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10 && text.charCodeAt(i + 1) !== 13) i++;
      }
    } else if (!yaml && c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10) i++;
    } else if (!yaml && c === 47 && text.charCodeAt(i + 1) === 42) {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? text.length : e + 1;
    }
  }
  return undefined;
}
