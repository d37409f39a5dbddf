// Layer names from ONNX node names. PyTorch's exporter names nodes by module path and op, e.g.
// `/layer1/layer1.0/conv1/Conv`; the module path already repeats its parents (`layer1.0` inside `layer1`), so
// the name becomes the innermost qualified module name, `layer1.0.conv1`, as PyTorch's named_modules() spells it.

const SAFE = /[^A-Za-z0-9_.-]/g;

/** `/layer1/layer1.0/conv1/Conv` -> `layer1.0.conv1`; '' when nothing is left (then the caller names by type). */
export function moduleName(nodeName: string, opType: string, containers?: ReadonlySet<string>): string {
  const segs = nodeName.split('/').filter((s) => s.length > 0);
  if (!segs.length) return '';
  const last = segs[segs.length - 1];
  // The exporter appends the op type (`Conv`, `Conv_1`, `Add_3`) as the last segment.
  if (segs.length > 1 && (last === opType || last.startsWith(opType + '_'))) segs.pop();
  else if (segs.length === 1 && (last === opType || last.startsWith(opType + '_'))) return '';
  const name = collapse(segs);
  // A functional op inside a container module (the residual Add of `layer1.0`) is named `layer1.0.add`.
  return containers?.has(name) ? `${name}.${opType.toLowerCase()}` : name;
}

/** Names of modules that contain other modules (proper prefixes of some node's module path). */
export function containerNames(nodeNames: string[]): Set<string> {
  const out = new Set<string>();
  for (const n of nodeNames) {
    const segs = n.split('/').filter((s) => s.length > 0);
    for (let k = 1; k < segs.length - 1; k++) out.add(collapse(segs.slice(0, k)));
  }
  return out;
}

function collapse(segs: string[]): string {
  const acc: string[] = [];
  for (const s of segs) {
    if (acc.length && s.startsWith(acc[acc.length - 1] + '.')) acc[acc.length - 1] = s;
    else acc.push(s);
  }
  return acc
    .join('.')
    .replace(SAFE, '_')
    .replace(/^[.-]+/, '');
}

/** Hands out unique layer names: `x`, `x_2`, `x_3`… (`input` is reserved for the network input). */
export class NameTable {
  private readonly used = new Set<string>(['input']);
  private readonly perType = new Map<string, number>();

  take(base: string, type: string): string {
    let b = base;
    if (!b) {
      const n = (this.perType.get(type) ?? 0) + 1;
      this.perType.set(type, n);
      b = `${type}${n}`;
    }
    let name = b;
    for (let i = 2; this.used.has(name); i++) name = `${b}_${i}`;
    this.used.add(name);
    return name;
  }
}
