// Corrupted real models (seeded byte flips, truncations, spliced garbage): the importer either imports or throws
// an ImportError whose message names the file — never another exception, never a hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importOnnxBuffer, ImportError } from '../../../server/src/onnx/index';
import { SHARED_ONNX } from '../../shared-data';
import { join } from 'node:path';
import { rng } from '../../rng';

for (const name of ['alexnet-train', 'resnet50', 'mobilenet_v2']) {
  test(`${name}.onnx with 300 random corruptions: imports or fails with a clear ImportError`, () => {
    const good = readFileSync(join(SHARED_ONNX, `${name}.onnx`));
    const rand = rng(name.length * 7919);
    let imported = 0,
      rejected = 0;
    for (let k = 0; k < 300; k++) {
      const b = Buffer.from(good);
      const kind = k % 3;
      if (kind === 0)
        for (let j = 0; j < 1 + Math.floor(rand() * 4); j++)
          b[Math.floor(rand() * b.length)] ^= 1 << Math.floor(rand() * 8);
      else if (kind === 1) b.fill(0xff, Math.floor(rand() * b.length), Math.floor(rand() * b.length));
      const data = kind === 2 ? b.subarray(0, Math.floor(rand() * b.length)) : b;
      try {
        const r = importOnnxBuffer(data, `${name}-${k}.onnx`, { batch: 4 });
        assert.equal(typeof r.yaml, 'string');
        imported++;
      } catch (e) {
        assert.ok(e instanceof ImportError, `case ${k}: ${(e as Error).stack}`);
        assert.ok((e as Error).message.startsWith(`${name}-${k}.onnx: `), (e as Error).message);
        assert.doesNotMatch((e as Error).message, /undefined|NaN|\[object/);
        rejected++;
      }
    }
    assert.equal(imported + rejected, 300);
    assert.ok(rejected > 0);
  });
}
