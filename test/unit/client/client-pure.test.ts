// Pure parts of the VS Code client: settings, status bar text, paths, the dashboard's HTML and CSP.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, readConfig } from '../../../client/src/config';
import { csp, dashboardHtml, makeNonce } from '../../../client/src/dashboardHtml';
import { layerNameOffset, parseBatch, presetNameFromPath, specPathFor } from '../../../client/src/paths';
import { formatMs, statusView } from '../../../client/src/statusView';
import { ReadyQueue } from '../../../client/src/readyQueue';

describe('readConfig', () => {
  it('gives the defaults for an empty configuration', () => {
    assert.deepEqual(
      readConfig(() => undefined),
      {
        ...DEFAULT_CONFIG,
        targets: [],
        filesNetwork: [...DEFAULT_CONFIG.filesNetwork],
        filesHardware: [...DEFAULT_CONFIG.filesHardware],
      },
    );
  });
  it('reads valid values and replaces wrong types and ranges', () => {
    const vals: Record<string, unknown> = {
      targets: ['ntx', ' ', 3, 'h100-sxm '],
      baseline: ' h100-sxm',
      'validate.delayMs': 99999,
      'simulate.run': 'onType',
      'inlayHints.enabled': false,
      'files.network': 'one.n.yaml',
      'files.hardware': [3, ' '],
      'trace.server': 'loud',
    };
    const c = readConfig((k) => vals[k]);
    assert.deepEqual(c.targets, ['ntx', 'h100-sxm']);
    assert.equal(c.baseline, 'h100-sxm');
    assert.equal(c.validateDelayMs, 10000);
    assert.equal(c.simulateRun, 'onType');
    assert.equal(c.inlayHintsEnabled, false);
    // one pattern as a string is taken as a list of one (as the server always did); nothing usable -> the defaults
    assert.deepEqual(c.filesNetwork, ['one.n.yaml']);
    assert.deepEqual(c.filesHardware, DEFAULT_CONFIG.filesHardware);
    assert.equal(c.trace, 'off');
    // a negative debounce is a typo: the default, on both sides
    assert.equal(
      readConfig((k) => (k === 'validate.delayMs' ? -5 : undefined)).validateDelayMs,
      DEFAULT_CONFIG.validateDelayMs,
    );
  });
});

describe('statusView', () => {
  it('shows state, last run time and an error background', () => {
    assert.deepEqual(statusView({ state: 'ready', message: 'ok', documents: 2, lastRunMs: 12.34 }), {
      text: '$(pulse) accelmap · 12 ms',
      tooltip:
        'accelmap language server: ready\nok\nspec documents tracked: 2\nlast simulation: 12 ms\nClick to show the logs.',
      severity: 'info',
    });
    assert.equal(statusView({ state: 'busy', message: '', documents: 1 }).text, '$(sync~spin) accelmap: busy');
    assert.equal(statusView({ state: 'error', message: 'crashed', documents: 0 }).severity, 'error');
    assert.equal(statusView({ state: 'weird' as any, message: '', documents: 0 }).severity, 'error');
    assert.equal(formatMs(3.21), '3.2 ms');
    assert.equal(formatMs(12345), '12.3 s');
    assert.equal(formatMs(-1), '?');
  });
});

describe('paths', () => {
  it('maps preset URIs, ONNX paths and batch input', () => {
    assert.equal(presetNameFromPath('/ntx.hw.yaml'), 'ntx');
    assert.equal(presetNameFromPath('/h100-sxm.hw.yml'), 'h100-sxm');
    assert.equal(presetNameFromPath('/../etc/passwd'), null);
    assert.equal(presetNameFromPath('/a/b.hw.yaml'), null);
    assert.equal(specPathFor('/m/resnet50.onnx'), '/m/resnet50.net.yaml');
    assert.equal(specPathFor('/m/Model.ONNX'), '/m/Model.net.yaml');
    assert.deepEqual(parseBatch(' 32 '), { ok: true, value: 32 });
    assert.equal(parseBatch('0').ok, false);
    assert.equal(parseBatch('3.5').ok, false);
    assert.equal(parseBatch('').ok, false);
  });
});

describe('dashboard HTML', () => {
  it('allows only the nonce script and the webview origin, nothing inline', () => {
    const nonce = makeNonce((n) => new Uint8Array(n).map((_, i) => i * 7));
    assert.match(nonce, /^[A-Za-z0-9]{32}$/);
    assert.equal(
      csp('https://x.vscode-cdn.net', 'N'),
      "default-src 'none'; img-src https://x.vscode-cdn.net data:; style-src https://x.vscode-cdn.net; font-src https://x.vscode-cdn.net; script-src 'nonce-N'",
    );
    const html = dashboardHtml({
      cspSource: 'https://x.vscode-cdn.net',
      scriptUri: 'https://x/dist/webview.js',
      styleUri: 'https://x/dist/webview.css',
      nonce,
    });
    assert.ok(!html.includes('unsafe-inline'));
    assert.ok(!/style="/.test(html));
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.deepEqual(scripts, [`<script nonce="${nonce}" src="https://x/dist/webview.js">`]);
    assert.ok(html.includes('<link rel="stylesheet" href="https://x/dist/webview.css">'));
    assert.ok(
      dashboardHtml({ cspSource: 'a', scriptUri: 'x"><script>', styleUri: 's', nonce: 'n' }).includes(
        'x&quot;>&lt;script>',
      ),
    );
  });
});

describe('ReadyQueue (dashboard delivery)', () => {
  const res = (uri: string) => ({
    type: 'result' as const,
    uri,
    version: 1,
    elapsedMs: 1,
    result: {
      schemaVersion: 1,
      network: { name: 'n', batch: 1, precision: 'fp32', layerCount: 0, flops: 0 },
      targets: [],
    },
  });
  it('holds messages until ready, keeping only the newest content and view', () => {
    const q = new ReadyQueue();
    assert.deepEqual(q.push(res('a')), []);
    assert.deepEqual(q.push({ type: 'show', view: 'timeline' }), []);
    assert.deepEqual(q.push({ type: 'error', uri: 'b', message: 'bad' }), []);
    assert.deepEqual(q.push({ type: 'show', view: 'roofline' }), []);
    assert.deepEqual(q.markReady(), [
      { type: 'error', uri: 'b', message: 'bad' },
      { type: 'show', view: 'roofline' },
    ]); // in push order
    assert.deepEqual(q.push(res('c')), [res('c')]);
  });
  it('gives a reloaded webview the last content first', () => {
    const q = new ReadyQueue();
    q.push(res('a'));
    q.markReady();
    q.reset();
    q.push({ type: 'show', view: 'layers' });
    assert.deepEqual(q.markReady(), [res('a'), { type: 'show', view: 'layers' }]);
    assert.deepEqual(q.markReady(), [res('a')]); // a second `ready` (webview reloaded while visible)
  });
  it("answers to the webview's requests are queued as they come and never replace the result a reloaded webview gets", () => {
    const q = new ReadyQueue();
    const wire = { type: 'resultWire' as const, uri: 'a', version: 2, elapsedMs: 1, wire: {} as never };
    q.push(wire);
    const m1 = { type: 'mapping' as const, uri: 'a', layer: 'conv1', error: 'x' };
    const m2 = { type: 'explain' as const, uri: 'a', target: 'ntx', layer: '', error: 'y' };
    q.push(m1);
    q.push(m2);
    assert.deepEqual(q.markReady(), [wire, m1, m2]);
    assert.equal(q.lastContent, wire);
    q.reset();
    assert.deepEqual(q.markReady(), [wire]);
  });
});

describe('layerNameOffset', () => {
  it('finds a layer in block, flow and JSON specs, not a prefix of another name', () => {
    const yaml = 'layers:\n  - name: conv10\n    type: conv2d\n  - {name: conv1, type: relu}\n';
    assert.equal(layerNameOffset(yaml, 'conv1'), yaml.indexOf('{name: conv1') + 1);
    assert.equal(layerNameOffset(yaml, 'conv10'), yaml.indexOf('name: conv10'));
    const json = '{"layers": [{"name": "fc", "type": "linear"}]}';
    assert.equal(layerNameOffset(json, 'fc'), json.indexOf('"name"'));
    assert.equal(layerNameOffset('name: a.b\n', 'a.b'), 0);
    assert.equal(layerNameOffset('name: axb\n', 'a.b'), -1);
    assert.equal(layerNameOffset(yaml, 'missing'), -1);
    assert.equal(layerNameOffset('  - name: last', 'last'), 4);
  });
});

describe('one settings parser and one spec-file naming for the server and the extension', () => {
  it("package.json's defaults of accelmap.files.* are the spec-file patterns of spec/files.ts, which both sides use", async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { SPEC_FILE_GLOBS } = await import('../../../server/src/spec/files');
    const { DEFAULT_SETTINGS } = await import('../../../server/src/lsp/settings');
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
    const props = pkg.contributes.configuration.properties;
    assert.deepEqual(props['accelmap.files.network'].default, SPEC_FILE_GLOBS.network);
    assert.deepEqual(props['accelmap.files.hardware'].default, SPEC_FILE_GLOBS.hardware);
    assert.deepEqual(DEFAULT_CONFIG.filesNetwork, SPEC_FILE_GLOBS.network);
    assert.deepEqual(DEFAULT_SETTINGS.hardwareGlobs, SPEC_FILE_GLOBS.hardware);
    assert.equal(props['accelmap.validate.delayMs'].default, DEFAULT_CONFIG.validateDelayMs);
  });
  it('the client reads what the server reads from the same values', async () => {
    const { parseSettings } = await import('../../../server/src/lsp/settings');
    const vals: Record<string, unknown> = {
      'validate.delayMs': 12.6,
      'simulate.run': 'onType',
      targets: [' ntx ', '', 3],
      baseline: ' h100-sxm ',
      'inlayHints.enabled': false,
      'files.network': [' a.n.yaml '],
    };
    const c = readConfig((k) => vals[k]);
    const s = parseSettings({
      validate: { delayMs: 12.6 },
      simulate: { run: 'onType' },
      targets: [' ntx ', '', 3],
      baseline: ' h100-sxm ',
      inlayHints: { enabled: false },
      files: { network: [' a.n.yaml '] },
    });
    assert.deepEqual(
      [c.validateDelayMs, c.simulateRun, c.targets, c.baseline, c.inlayHintsEnabled, c.filesNetwork],
      [s.validateDelayMs, s.simulateRun, s.targets, s.baseline, s.inlayHintsEnabled, s.networkGlobs],
    );
    assert.deepEqual(
      [c.validateDelayMs, c.targets, c.baseline, c.filesNetwork],
      [13, ['ntx'], 'h100-sxm', ['a.n.yaml']],
    );
  });
});
