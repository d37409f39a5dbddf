// Regenerates schemas/network.schema.json and schemas/hardware.schema.json from the validator's own tables
// (server/src/spec/vocab.ts and the KINDS parameter tables). Run: node --import tsx scripts/gen-schemas.ts
// test/unit/spec/schemas.test.ts fails when the committed files differ from what this would write.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaFiles } from '../server/src/spec/schema-gen';

const dir = join(__dirname, '..', 'schemas');
mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(schemaFiles())) {
  writeFileSync(join(dir, name), text);
  console.log(`wrote schemas/${name} (${text.length} bytes)`);
}
