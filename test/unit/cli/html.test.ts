// `accelmap simulate --format html`: one self-contained file (no script, no external resource) with the summary,
// two SVG charts, every target's per-layer table, its findings and notes, and every parameter with its source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from './run-cli';
import { KINDS } from '../../../server/src/kinds/params';

const RESNET18 = join(__dirname, '..', '..', '..', 'examples', 'resnet18.net.yaml');

test('the HTML report holds the summary, charts, per-layer tables, findings and sources, and nothing external', () => {
  const r = runCli(['simulate', RESNET18, '-t', 'ntx', '-t', 'h100-sxm', '--baseline', 'h100-sxm', '-f', 'html']);
  assert.equal(r.code, 0, r.err);
  const h = r.out;
  assert.match(h, /^<!doctype html>/);
  assert.doesNotMatch(h, /<script/i);
  assert.doesNotMatch(h, /(src|href)="(https?:)?\/\//i);
  assert.match(h, /<title>accelmap report: resnet18<\/title>/);
  // summary: one row per target with the baseline ratio
  assert.match(h, /<tr><td>ntx<\/td><td>ntx<\/td><td class="n">[\d.]+ ms<\/td>/);
  assert.match(h, /<td class="n">baseline<\/td>/);
  // two charts, a bar segment per non-zero phase / component with a tooltip
  assert.equal((h.match(/<svg /g) ?? []).length, 2);
  assert.ok((h.match(/<rect [^>]*><title>ntx fwd: /g) ?? []).length === 1);
  // per-layer tables: ResNet-18 has 69 layers on each target
  for (const t of ['ntx', 'h100-sxm']) {
    const sec = h.split(`<h2>${t} <small>`)[1].split('</section>')[0];
    assert.match(sec, /<summary>Per layer \(69 layers\)<\/summary>/);
    assert.equal(
      (
        sec
          .split('<summary>Per layer')[1]
          .split('</details>')[0]
          .match(/<tr><td>/g) ?? []
      ).length,
      69,
    );
    const kind = t === 'ntx' ? 'ntx' : 'gpu';
    const params = KINDS.find((k) => k.kind === kind)!.params.length;
    assert.equal((sec.split('Parameters and their sources')[1].match(/<tr><td><code>/g) ?? []).length, params);
    assert.match(sec, /(SRC|DER|REC|ASM) (default )?— /);
  }
  assert.match(
    h,
    /<li class="info"><b>info<\/b> <code>precision\.substituted<\/code>|<li class="info"><b>info<\/b> <code>[\w.-]+<\/code>/,
  );
  // printable: details open up in print
  assert.match(h, /@media print\{details\{display:block\}/);
});
