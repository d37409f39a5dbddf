// sim/units.ts grouped(): thousands separators as toLocaleString('en-US') writes them, without ICU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grouped } from '../../../server/src/sim/units';

test("grouped() writes integers as toLocaleString('en-US') does, at every digit count and sign", () => {
  assert.equal(grouped(1234567), '1,234,567');
  assert.equal(grouped(-1000), '-1,000');
  assert.equal(grouped(999), '999');
  const xs = [0, 1.5, 1e21, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
  for (let d = 1; d <= 16; d++) xs.push(10 ** (d - 1), -(10 ** d - 1), Math.floor(10 ** (d - 1) * 1.2345));
  for (const x of xs) assert.equal(grouped(x), x.toLocaleString('en-US'), String(x));
});
