// Test helper: tokenizes YAML text with a YAML host grammar plus the accelmap injection grammar, the way VS Code
// does (vscode-textmate + the oniguruma wasm that ships in vscode-oniguruma; nothing is downloaded).
//
// Host grammars: `tm-grammars`' yaml.json (a devDependency, always present) and, when it is on disk, the YAML
// grammar VS Code itself ships (RedCMD's, under code-server's lib/vscode/extensions/yaml; present once the e2e
// tier has installed code-server into .e2e/). The injection must work over both.
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

const ROOT = resolve(__dirname, '..', '..', '..');
const require_ = createRequire(join(ROOT, 'package.json'));

export const INJECTION_PATH = join(ROOT, 'syntaxes', 'accelmap.injection.tmLanguage.json');
export const INJECTION_SCOPE = 'accelmap.injection';

export interface Token {
  text: string;
  scopes: string[];
}
export type Tokenize = (text: string) => Token[][];

export interface HostGrammar {
  label: string;
  /** scopeName -> absolute path of the grammar file (source.yaml and whatever it includes). */
  files: Record<string, string>;
}

/** The YAML host grammars available on this machine (tm-grammars always; VS Code's when installed). */
export function hostGrammars(): HostGrammar[] {
  const out: HostGrammar[] = [];
  const tm = join(require_.resolve('vscode-textmate'), '..', '..', '..', 'tm-grammars', 'grammars', 'yaml.json');
  if (existsSync(tm)) out.push({ label: 'tm-grammars yaml', files: { 'source.yaml': tm } });
  const vsDir = join(
    ROOT,
    '.e2e',
    'vscode',
    'node_modules',
    'code-server',
    'lib',
    'vscode',
    'extensions',
    'yaml',
    'syntaxes',
  );
  if (existsSync(join(vsDir, 'yaml.tmLanguage.json'))) {
    const files: Record<string, string> = {};
    for (const f of readdirSync(vsDir).filter((n) => n.endsWith('.tmLanguage.json'))) {
      const g = JSON.parse(readFileSync(join(vsDir, f), 'utf8')) as { scopeName?: string };
      if (g.scopeName) files[g.scopeName] = join(vsDir, f);
    }
    out.push({ label: "VS Code's yaml grammar", files });
  }
  return out;
}

let onigLib: Promise<vsctm.IOnigLib> | undefined;
function onig(): Promise<vsctm.IOnigLib> {
  onigLib ??= (async () => {
    const wasm = readFileSync(join(require_.resolve('vscode-oniguruma'), '..', 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    return {
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    };
  })();
  return onigLib;
}

/** A tokenizer for `source.yaml` with the accelmap grammar injected (pass `inject: false` for plain YAML). */
export async function makeTokenizer(host: HostGrammar, inject = true): Promise<Tokenize> {
  const registry = new vsctm.Registry({
    onigLib: onig(),
    loadGrammar: async (scopeName) => {
      const file = scopeName === INJECTION_SCOPE ? INJECTION_PATH : host.files[scopeName];
      if (!file) return null;
      return vsctm.parseRawGrammar(readFileSync(file, 'utf8'), file);
    },
    getInjections: (scopeName) => (inject && scopeName === 'source.yaml' ? [INJECTION_SCOPE] : []),
  });
  const grammar = await registry.loadGrammar('source.yaml');
  if (!grammar) throw new Error(`could not load source.yaml from ${host.label}`);
  return (text) => {
    let state = vsctm.INITIAL;
    return text.split('\n').map((line) => {
      const r = grammar.tokenizeLine(line, state);
      state = r.ruleStack;
      return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
    });
  };
}

/** Scopes of the first token on `line` whose text is exactly `text` (undefined when there is none). */
export function scopesOf(lines: Token[][], line: number, text: string): string[] | undefined {
  return lines[line]?.find((t) => t.text === text)?.scopes;
}

/** Every token text on any line that carries a scope starting with `prefix`. */
export function textsWithScope(lines: Token[][], prefix: string): string[] {
  return lines
    .flat()
    .filter((t) => t.scopes.some((s) => s.startsWith(prefix)))
    .map((t) => t.text);
}
