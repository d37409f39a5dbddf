// Units: parsing to SI, formatting with engineering prefixes, and the errors with their hints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatQuantity, parseQuantity } from '../../../server/src/spec/units';
import type { Dimension } from '../../../server/src/spec/params';

const ok = (text: string | number, dim: Dimension, want: number) => {
  const q = parseQuantity(text, dim);
  assert.ok('value' in q, `${text} (${dim}): ${'error' in q ? q.error : ''}`);
  assert.ok(Math.abs(q.value - want) <= Math.abs(want) * 1e-12, `${text} (${dim}) = ${q.value}, want ${want}`);
};
const bad = (text: string | number, dim: Dimension, re: RegExp, hint?: string) => {
  const q = parseQuantity(text, dim);
  assert.ok('error' in q, `${text} (${dim}) should fail`);
  assert.match(q.error, re);
  if (hint !== undefined) assert.equal(q.hint, hint);
};

test('the quantities of docs/spec-format.md parse to SI', () => {
  ok('1.25 GHz', 'frequency', 1.25e9);
  ok('1250 MHz', 'frequency', 1.25e9);
  ok('320 GB/s', 'bandwidth', 320e9);
  ok('25.6 GiB/s', 'bandwidth', 25.6 * 1024 ** 3);
  ok('30 Gb/s', 'bandwidth', 30e9 / 8);
  ok('8.4 pJ', 'energy', 8.4e-12);
  ok('3.7 pJ/bit', 'energyPerByte', 3.7e-12 * 8);
  ok('0.46 pJ/B', 'energyPerByte', 0.46e-12);
  ok('64 KiB', 'size', 65536);
  ok('2 MB', 'size', 2e6);
  ok('168 mW', 'power', 0.168);
  ok('10 ns', 'time', 10e-9);
  ok('20 GFLOP/s', 'flopRate', 20e9);
  ok('1.2 TFLOPS', 'flopRate', 1.2e12);
  ok('1 mm2', 'area', 1e-6);
});

test('more spellings: no space, K as k, bits, Gbps, MAC-based rates and energies, bare pJ per FLOP, percent ratios', () => {
  ok('1.25GHz', 'frequency', 1.25e9);
  ok('64 KB', 'size', 64000);
  ok('64 kB', 'size', 64000);
  ok('512 b', 'size', 64);
  ok('10 Gbps', 'bandwidth', 1.25e9);
  ok('3.35 TB/s', 'bandwidth', 3.35e12);
  ok('1 GMAC/s', 'flopRate', 2e9);
  ok('1 pJ/MAC', 'energyPerFlop', 0.5e-12);
  ok('8.4 pJ', 'energyPerFlop', 8.4e-12);
  ok('8.4 pJ/FLOP', 'energyPerFlop', 8.4e-12);
  ok('2.5 um2', 'area', 2.5e-12);
  ok('1 µs', 'time', 1e-6);
  ok('1e3 Hz', 'frequency', 1000);
  ok('50 %', 'ratio', 0.5);
  ok('0.25', 'ratio', 0.25);
  ok(12, 'count', 12);
  ok('1.5', 'number', 1.5);
});

test('a missing unit is an error with the most likely unit as hint', () => {
  bad(320, 'bandwidth', /needs a unit: it is a bandwidth \(in B\/s\)/);
  bad('1.25', 'frequency', /needs a unit.*e\.g\. `1\.25 GHz`/);
  assert.equal((parseQuantity(1.25, 'frequency', 1e9) as { hint: string }).hint, 'GHz');
  assert.equal((parseQuantity(1250, 'frequency', 1e9) as { hint: string }).hint, 'MHz');
  assert.equal((parseQuantity(320, 'bandwidth', 320e9) as { hint: string }).hint, 'GB/s');
  assert.equal((parseQuantity(64, 'size', 65536) as { hint: string }).hint, 'KiB');
  assert.equal((parseQuantity(8.4, 'energyPerFlop', 8e-12) as { hint: string }).hint, 'pJ/FLOP');
});

test('a unit of another dimension is an error naming the expected unit', () => {
  bad('320 GB', 'bandwidth', /`GB` is a unit of size, but this is a bandwidth: write it in B\/s, e\.g\. `320 GB\/s`/);
  bad('1 GHz', 'size', /unit of frequency.*write it in B/);
  bad('3.7 pJ', 'energyPerByte', /unit of energy.*J\/B/);
  bad('5 GHz', 'count', /without a unit, but `GHz` is a unit of frequency/);
});

test('unknown units and malformed quantities are errors', () => {
  bad('3 furlongs', 'size', /Unknown unit `furlongs`/);
  bad('fast', 'frequency', /is not a quantity/);
  bad('1e400 GHz', 'frequency', /not a finite number/);
  bad('1e300 GHz', 'frequency', /overflows to infinity/);
  bad(Number.NaN, 'count', /not a finite number/);
  bad(1.5, 'count', /must be an integer/);
  bad('1 KiHz', 'frequency', /Unknown unit/); // binary prefixes are for bytes only
});

test('formatQuantity: engineering prefixes, binary sizes, per-byte energies', () => {
  assert.equal(formatQuantity(1.25e9, 'frequency'), '1.25 GHz');
  assert.equal(formatQuantity(320e9, 'bandwidth'), '320 GB/s');
  assert.equal(formatQuantity(65536, 'size'), '64 KiB');
  assert.equal(formatQuantity(1.5 * 1024 ** 2, 'size'), '1.5 MiB');
  assert.equal(formatQuantity(2e6, 'size'), '2 MB');
  assert.equal(formatQuantity(8.4e-12, 'energy'), '8.4 pJ');
  assert.equal(formatQuantity(3.7e-12 * 8, 'energyPerByte'), '29.6 pJ/B');
  assert.equal(formatQuantity(8.4e-12, 'energyPerFlop'), '8.4 pJ/FLOP');
  assert.equal(formatQuantity(0.168, 'power'), '168 mW');
  assert.equal(formatQuantity(1e-8, 'time'), '10 ns');
  assert.equal(formatQuantity(20e9, 'flopRate'), '20 GFLOP/s');
  assert.equal(formatQuantity(1e-6, 'area'), '1 mm2');
  assert.equal(formatQuantity(0.5, 'ratio'), '50 %');
  assert.equal(formatQuantity(0, 'power'), '0 W');
  assert.equal(formatQuantity(999.96e6, 'frequency'), '1 GHz');
});

test('format then parse round-trips for every unit dimension', () => {
  const cases: [number, Dimension][] = [
    [1.98e9, 'frequency'],
    [3.35e12, 'bandwidth'],
    [50 * 1024 ** 2, 'size'],
    [123e-9, 'time'],
    [5e-12, 'energy'],
    [0.46e-12, 'energyPerByte'],
    [0.35e-12, 'energyPerFlop'],
    [700, 'power'],
    [814e-6, 'area'],
    [989e12, 'flopRate'],
  ];
  for (const [v, dim] of cases) ok(formatQuantity(v, dim), dim, v);
});
