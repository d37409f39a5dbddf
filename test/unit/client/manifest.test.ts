// The extension manifest and packaging: contributions match the client's code, the .vscodeignore allowlist keeps
// the vsix to the bundled files, and `vsce ls` (what `npm run package` would ship) lists nothing else.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const clientSrc = readdirSync('client/src')
  .map((f) => readFileSync(join('client/src', f), 'utf8'))
  .join('\n');

const COMMANDS = [
  'accelmap.simulate',
  'accelmap.showDashboard',
  'accelmap.showTimeline',
  'accelmap.showRoofline',
  'accelmap.showScaling',
  'accelmap.runSweep',
  'accelmap.openSweepDesign',
  'accelmap.showExplain',
  'accelmap.showMapping',
  'accelmap.searchMappings',
  'accelmap.exportReport',
  'accelmap.importOnnx',
  'accelmap.restartServer',
  'accelmap.showLogs',
  'accelmap.toggleInlayHints',
  'accelmap.pickHintTarget',
];
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE(\.md|\.txt)?$/,
  /^CHANGELOG\.md$/,
  /^images\/(icon|screenshot-[\w-]+)\.png$/,
  /^dist\/(client|server|cli|mapworker|webview)\.js$/,
  /^dist\/webview\.css$/,
  /^schemas\/[\w.-]+\.json$/,
  /^syntaxes\/[\w.-]+\.json$/,
  /^docs\/walkthrough\/[\w-]+\.md$/,
];

describe('package.json contributions', () => {
  it('declares every command (category accelmap) and the client registers each one', () => {
    const cmds = pkg.contributes.commands as { command: string; category: string; title: string }[];
    assert.deepEqual(cmds.map((c) => c.command).sort(), [...COMMANDS].sort());
    for (const c of cmds) {
      assert.equal(c.category, 'accelmap');
      assert.ok(clientSrc.includes(`'${c.command}'`), `${c.command} is not registered in client/src`);
    }
    assert.deepEqual(
      pkg.contributes.menus['explorer/context'].map((m: any) => [m.command, m.when]),
      [['accelmap.importOnnx', 'resourceExtname == .onnx']],
    );
  });
  it('declares the settings, activation events, schemas, grammar and capabilities', () => {
    assert.deepEqual(Object.keys(pkg.contributes.configuration.properties).sort(), [
      'accelmap.baseline',
      'accelmap.files.hardware',
      'accelmap.files.network',
      'accelmap.inlayHints.enabled',
      'accelmap.inlayHints.target',
      'accelmap.simulate.run',
      'accelmap.targets',
      'accelmap.trace.server',
      'accelmap.validate.delayMs',
    ]);
    assert.deepEqual(pkg.contributes.configuration.properties['accelmap.simulate.run'].enum, [
      'onSave',
      'onType',
      'manual',
    ]);
    // Not on every YAML or JSON file: a workspace with spec files, the dashboard, or one of the commands (implicit).
    assert.deepEqual(pkg.activationEvents, [
      'workspaceContains:**/*.{net,hw}.{yaml,yml,json}',
      'onWebviewPanel:accelmap.dashboard',
    ]);
    // Per-folder settings are resource-scoped; the trace setting is the window's.
    for (const [k, v] of Object.entries<any>(pkg.contributes.configuration.properties))
      assert.equal(v.scope, k === 'accelmap.trace.server' ? 'window' : 'resource', k);
    // The walkthrough's steps open real commands and ship their media.
    const steps = pkg.contributes.walkthroughs[0].steps;
    assert.deepEqual(
      steps.map((s: any) => s.id),
      ['open', 'simulate', 'dashboard', 'import'],
    );
    for (const s of steps) assert.ok(existsSync(s.media.markdown), s.media.markdown);
    assert.deepEqual(pkg.contributes.jsonValidation, [
      { fileMatch: ['*.net.json'], url: './schemas/network.schema.json' },
      { fileMatch: ['*.hw.json'], url: './schemas/hardware.schema.json' },
    ]);
    assert.equal(pkg.contributes.grammars[0].injectTo[0], 'source.yaml');
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
    assert.equal(pkg.main, './dist/client.js');
  });
  it('has a 128x128 PNG icon', () => {
    const png = readFileSync(pkg.icon);
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.equal(png.readUInt32BE(16), 128);
    assert.equal(png.readUInt32BE(20), 128);
  });
});

describe('vsix contents', () => {
  it('.vscodeignore is an allowlist', () => {
    const lines = readFileSync('.vscodeignore', 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    assert.equal(lines[0], '**');
    assert.ok(lines.slice(1).every((l) => l.startsWith('!')));
  });
  it('vsce ls lists only bundled files, never sources, maps or node_modules', () => {
    const r = spawnSync(process.execPath, ['node_modules/@vscode/vsce/vsce', 'ls', '--no-dependencies'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const files = r.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    assert.ok(files.includes('package.json'));
    assert.ok(files.includes('images/icon.png'));
    for (const f of files)
      assert.ok(
        ALLOWED.some((re) => re.test(f)),
        `unexpected file in the vsix: ${f}`,
      );
  });
});
