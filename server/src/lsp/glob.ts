// The file-name patterns of spec documents (settings `accelmap.files.*`), matched by picomatch (the glob library
// of the JavaScript tooling ecosystem: `**`, `*`, `?`, `{a,b}`, `[...]`). Case-insensitive, dot files included;
// a pattern that does not start with `**/` or `/` matches at any folder depth (`specs/*.yaml` = `**/specs/*.yaml`).
import picomatch from 'picomatch';

const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let rx = cache.get(glob);
  if (!rx) {
    const g = glob.replace(/\\/g, '/');
    rx = picomatch.makeRe(g.startsWith('**/') || g.startsWith('/') ? g : `**/${g}`, { nocase: true, dot: true });
    cache.set(glob, rx);
  }
  return rx;
}

export function matchesAny(path: string, globs: readonly string[]): boolean {
  const p = path.replace(/\\/g, '/');
  return globs.some((g) => globToRegExp(g).test(p));
}
