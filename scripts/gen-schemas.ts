// Regenerates what is derived from the registries (server/src/spec/generated.ts): schemas/network.schema.json and
// schemas/hardware.schema.json (from the spec vocabulary, the layer modules and the kinds' parameter tables),
// docs/layers.md (the layer reference) and the word lists of syntaxes/accelmap.injection.tmLanguage.json.
// Run after adding or changing a layer type, a target kind, a parameter or a preset:
//   node --import tsx scripts/gen-schemas.ts
// test/unit/spec/schemas.test.ts fails when a committed file differs from what this would write.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedFiles } from '../server/src/spec/generated';

const root = join(__dirname, '..');
const grammar = readFileSync(join(root, 'syntaxes', 'accelmap.injection.tmLanguage.json'), 'utf8');
for (const [path, text] of Object.entries(generatedFiles(grammar))) {
  writeFileSync(join(root, path), text);
  console.log(`wrote ${path} (${text.length} bytes)`);
}
