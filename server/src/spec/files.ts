// How spec files are named, once for the CLI, the language server and the extension: `<name>.net.yaml` networks,
// `<name>.hw.yaml` hardware (and their .yml / .json twins). The editor's patterns are settings (accelmap.files.*)
// whose defaults are these; any other YAML/JSON file is a spec only with a top-level `kind:`.

/** Default file-name patterns of network and hardware specs (package.json's defaults of accelmap.files.*). */
export const SPEC_FILE_GLOBS: { readonly network: readonly string[]; readonly hardware: readonly string[] } = {
  network: ['**/*.net.yaml', '**/*.net.yml', '**/*.net.json'],
  hardware: ['**/*.hw.yaml', '**/*.hw.yml', '**/*.hw.json'],
};

const SPEC_NAME = /\.(net|hw)\.(ya?ml|json)$/i;

/** 'network' / 'hardware' when a path is named as one, else undefined. */
export function specKindByName(path: string): 'network' | 'hardware' | undefined {
  const m = SPEC_NAME.exec(path);
  return m ? (m[1].toLowerCase() === 'net' ? 'network' : 'hardware') : undefined;
}

/** The file name without its folder and its spec suffix: `a/resnet50.net.yaml` -> `resnet50` (`x.yaml` -> `x`). */
export function specBaseName(path: string): string {
  const file = path.split(/[\\/]/).pop() ?? '';
  return file.replace(SPEC_NAME, '').replace(/\.(ya?ml|json)$/i, '');
}

/** The network spec written next to an ONNX model: `/m/resnet50.onnx` -> `/m/resnet50.net.yaml`. */
export function networkSpecPathFor(onnxPath: string): string {
  return `${onnxPath.replace(/\.onnx$/i, '')}.net.yaml`;
}
