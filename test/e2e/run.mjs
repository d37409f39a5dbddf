// Runs the e2e suite inside a real VS Code, offline: code-server's VS Code server build (installed by
// test/e2e/setup.sh into .e2e/) driven by headless Chromium, following /work/shared/e2e/README.md.
//   node test/e2e/run.mjs            (after `npm run build`; `npm run test:e2e` does both)
// Env: ACCELMAP_E2E_TIMEOUT_MS (default 240000), ACCELMAP_E2E_UPDATE_IMAGES=1 copies the README screenshots to images/.
// Exit code: 0 when the suite's run() resolved, 1 on a failure, a timeout or a harness error.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const NODE24 = process.env.ACCELMAP_NODE24 ?? join(ROOT, '.e2e/node24/node_modules/.bin/node');
const VSCODE = process.env.ACCELMAP_VSCODE_SERVER ?? join(ROOT, '.e2e/vscode/node_modules/code-server/lib/vscode');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TIMEOUT = Number(process.env.ACCELMAP_E2E_TIMEOUT_MS ?? 240000);
const SHOTS = join(ROOT, 'test-results/e2e');
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const log = (...a) => console.log('[e2e]', ...a);
function fail(msg) {
  console.error(`[e2e] ${msg}`);
  process.exit(1);
}

for (const [what, p, fix] of [
  ['Node 24', NODE24, 'bash test/e2e/setup.sh'],
  ['VS Code server (code-server)', join(VSCODE, 'out/server-main.js'), 'bash test/e2e/setup.sh'],
  ['Chromium', CHROMIUM, 'apt-get install chromium'],
  ['the extension bundle', join(ROOT, 'dist/client.js'), 'npm run build'],
  ['the language server bundle', join(ROOT, 'dist/server.js'), 'npm run build'],
  ['the webview bundle', join(ROOT, 'dist/webview.js'), 'npm run build'],
])
  if (!existsSync(p)) fail(`${what} not found at ${p}; run: ${fix}`);

// The suite bundle (dist/test/e2e/suite.js).
const b = spawnSync(process.execPath, [join(ROOT, 'test/e2e/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
if (b.status !== 0) fail('building the e2e suite failed');

const tmp = mkdtempSync(join(tmpdir(), 'accelmap-e2e-'));
const SD = join(tmp, 'server'),
  UD = join(tmp, 'user'),
  WS = join(tmp, 'ws');
mkdirSync(join(SD, 'data/Machine'), { recursive: true });
cpSync(join(ROOT, 'test/e2e/workspace'), WS, { recursive: true });
// ResNet-50 on one preset of every kind (six targets), for the save -> inlay hints measurement.
writeFileSync(
  join(WS, 'resnet50.net.yaml'),
  readFileSync(join(ROOT, 'examples/resnet50.net.yaml'), 'utf8')
    .replace(/^targets: .*$/m, 'targets: [h100-sxm, ntx, caterpillar-large, gradpim, neurotrainer, imc-radix4]')
    .replace(/^hardware: .*\n/m, ''),
);
rmSync(SHOTS, { recursive: true, force: true });
mkdirSync(SHOTS, { recursive: true });
// Without trust disabled the folder opens in Restricted Mode and the extension under test is not run.
const settings = JSON.stringify({
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'extensions.ignoreRecommendations': true,
  'editor.inlayHints.enabled': 'on',
  'files.autoSave': 'off',
  'window.commandCenter': false,
  'chat.disableAIFeatures': true,
  'workbench.colorTheme': 'Default Dark Modern',
});
writeFileSync(join(SD, 'data/Machine/settings.json'), settings);

const port = await new Promise((res) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => res(p));
  });
});

const srv = spawn(
  NODE24,
  [
    join(VSCODE, 'out/server-main.js'),
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--disable-telemetry',
    '--enable-smoke-test-driver',
    '--disable-workspace-trust',
    '--server-data-dir',
    SD,
    '--user-data-dir',
    UD,
  ],
  {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ACCELMAP_E2E_SHOTS: SHOTS },
  },
);
const srvLog = [];
// Never leave the VS Code server behind, whatever way this process ends.
process.on('exit', () => srv.kill());
process.on('uncaughtException', (e) => {
  console.error('[e2e] harness error:', e);
  process.exit(1);
});
let browser;
let exitCode = null;
const cleanup = async () => {
  try {
    await browser?.close();
  } catch {
    /* already gone */
  }
  srv.kill();
};
const timer = setTimeout(async () => {
  log(`TIMEOUT after ${TIMEOUT} ms`);
  await shoot('timeout').catch(() => undefined);
  console.log(srvLog.slice(-40).join(''));
  await cleanup();
  process.exit(1);
}, TIMEOUT);

try {
  await new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error('the VS Code server did not start within 60 s')), 60000);
    const on = (d) => {
      const s = d.toString();
      srvLog.push(s);
      if (/Extension host agent listening on|Web UI available at/.test(s)) {
        clearTimeout(t);
        res();
      }
    };
    srv.stdout.on('data', on);
    srv.stderr.on('data', on);
    srv.on('exit', (c) => rej(new Error(`the VS Code server exited with ${c}: ${srvLog.join('').slice(-2000)}`)));
  });
  log(`VS Code server on 127.0.0.1:${port}`);
} catch (e) {
  clearTimeout(timer);
  await cleanup();
  fail(String(e));
}

browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
page.on('pageerror', (e) => log('[pageerror]', String(e).slice(0, 300)));
// CSP violations (e.g. in the dashboard webview) show up as console errors of the page or its frames.
const cspViolations = [];
page.on('console', (m) => {
  if (/Content Security Policy/i.test(m.text())) {
    cspViolations.push(m.text());
    log('[csp]', m.text().slice(0, 300));
  }
});

async function shoot(name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  log(`screenshot ${name}.png`);
}

/** The suite asks for screenshots by logging `ACCELMAP_SHOT {"name","expect"}`; the answer goes to <name>.done. */
async function onShot(req) {
  await new Promise((r) => setTimeout(r, 300)); // let the workbench paint
  await shoot(req.name);
  let verdict = 'ok';
  if (req.expect) {
    // Text of the workbench and of the webview frames (the dashboard lives in nested iframes).
    const texts = [await page.evaluate(() => document.body.innerText)];
    for (const f of page.frames()) texts.push(await f.evaluate(() => document.body?.innerText ?? '').catch(() => ''));
    verdict = texts.some((t) => t.includes(req.expect)) ? 'ok' : 'missing';
    log(`screenshot ${req.name}: "${req.expect}" ${verdict === 'ok' ? 'is visible' : 'NOT visible'}`);
  }
  writeFileSync(join(SHOTS, `${req.name}.done`), verdict);
}

await page.exposeFunction('codeAutomationLog', (type, args) => {
  const text = (Array.isArray(args) ? args : [args])
    .map((a) => (typeof a === 'string' ? a : JSON.stringify(a)))
    .join(' ');
  const m = /ACCELMAP_SHOT (\{.*\})/.exec(text);
  if (m) {
    onShot(JSON.parse(m[1])).catch((e) => log('screenshot failed', String(e)));
    return;
  }
  if (/E2E|accelmap|Error|error/.test(text)) console.log(`[ext-host ${type}] ${text.slice(0, 1500)}`);
});
await page.exposeFunction('codeAutomationExit', (code) => {
  exitCode = code;
});

const host = `127.0.0.1:${port}`;
const remote = (p) => `vscode-remote://${host}${p}`;
const payload = [
  ['extensionDevelopmentPath', remote(ROOT)],
  ['extensionTestsPath', remote(join(ROOT, 'dist/test/e2e/suite.js'))],
  ['skipWelcome', 'true'],
];
const t0 = Date.now();
await page.goto(
  `http://${host}/?folder=${encodeURIComponent(WS)}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
);
while (exitCode === null) await new Promise((r) => setTimeout(r, 250));
clearTimeout(timer);
await shoot('final').catch(() => undefined);
log(`CSP violations seen: ${cspViolations.length}`);
log(`suite finished with code ${exitCode} after ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in ${SHOTS}`);

if (exitCode === 0 && process.env.ACCELMAP_E2E_UPDATE_IMAGES === '1') {
  for (const [from, to] of [
    ['editor', 'screenshot-editor'],
    ['dashboard', 'screenshot-dashboard'],
    ['problems', 'screenshot-diagnostics'],
    ['roofline', 'screenshot-roofline'],
    ['timeline', 'screenshot-timeline'],
    ['mapping', 'screenshot-mapping'],
    ['explain', 'screenshot-explain'],
    ['sweep', 'screenshot-sweep'],
  ]) {
    if (existsSync(join(SHOTS, `${from}.png`)))
      copyFileSync(join(SHOTS, `${from}.png`), join(ROOT, 'images', `${to}.png`));
  }
  log('copied the README screenshots to images/');
}
await cleanup();
rmSync(tmp, { recursive: true, force: true });
process.exit(exitCode === 0 ? 0 : 1);
