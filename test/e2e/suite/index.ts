// The accelmap extension inside a real VS Code. Same contract as @vscode/test-electron (`run(): Promise<void>`):
// test/e2e/run.mjs runs it on code-server's VS Code server build in headless Chromium, test/e2e/electron.mjs in a
// downloaded desktop VS Code. Every step asserts on values; the first failure rejects `run` (exit code 1).
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import type { AccelmapApi } from '../../../client/src/extension';
import type { SearchMappingsResponse, SimulationResultParams } from '../../../server/src/lsp/protocol';
import type { RenderedInfo } from '../../../webview/src/protocol';
import { diagCode, retry, screenshot, sleep, waitFor, workspaceFile } from './util';

type Step = [name: string, fn: () => Promise<void>];
const hoverText = (hs: vscode.Hover[]) =>
  hs.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');

export async function run(): Promise<void> {
  const t0 = Date.now();
  const tiny = workspaceFile('tiny.net.yaml');
  let api: AccelmapApi | undefined;
  let doc: vscode.TextDocument | undefined;

  const steps: Step[] = [
    [
      'activates on a spec file',
      async () => {
        const ext = vscode.extensions.getExtension<AccelmapApi>('accelmap.accelmap');
        assert.ok(ext, 'extension accelmap.accelmap is not installed in the test instance');
        doc = await vscode.workspace.openTextDocument(tiny);
        await vscode.window.showTextDocument(doc);
        // room for the editor and the dashboard
        await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
        assert.equal(doc.languageId, 'yaml');
        api = await waitFor('activation on a YAML spec', () => ext.isActive && ext.exports, 30000);
        await api.whenReady();
        api.onResult((r) =>
          console.log(
            `E2E result for ${r.uri} v${r.version}: ${r.result ? `${r.result.targets.length} targets` : `error ${r.error}`} in ${r.elapsedMs} ms`,
          ),
        );
        const cmds = await vscode.commands.getCommands(true);
        for (const c of [
          'accelmap.simulate',
          'accelmap.showDashboard',
          'accelmap.importOnnx',
          'accelmap.toggleInlayHints',
        ])
          assert.ok(cmds.includes(c), `${c} not registered`);
      },
    ],

    [
      'a typo (kernal_size) gives AM2003 with a did-you-mean, shown in the Problems view',
      async () => {
        const diags = await waitFor('diagnostics of tiny.net.yaml', () => {
          const d = vscode.languages.getDiagnostics(tiny);
          return d.length ? d : undefined;
        });
        const typo = diags.find((d) => diagCode(d) === 'AM2003');
        assert.ok(typo, `no AM2003 among ${diags.map((d) => `${diagCode(d)} ${d.message}`).join(' | ')}`);
        assert.equal(typo.message, 'Unknown key `kernal_size` in a `conv2d` layer; did you mean `kernel_size`?');
        assert.equal(typo.severity, vscode.DiagnosticSeverity.Error);
        assert.equal(typo.range.start.line, 11); // `    kernal_size: 3` (0-based line 11)
        assert.equal(doc!.getText(typo.range), 'kernal_size');
        assert.ok(
          diags.some((d) => diagCode(d) === 'AM2007'),
          'the missing kernel_size (AM2007) is reported too',
        );
        await vscode.commands.executeCommand('workbench.actions.view.problems');
        await sleep(800);
        assert.notEqual(
          await screenshot('problems', 'kernal_size'),
          'missing',
          'the Problems view does not show the kernal_size diagnostic',
        );
      },
    ],

    [
      'the quick fix renames the key and the diagnostics go away',
      async () => {
        const typo = vscode.languages.getDiagnostics(tiny).find((d) => diagCode(d) === 'AM2003')!;
        await vscode.window.showTextDocument(doc!, { viewColumn: vscode.ViewColumn.One, selection: typo.range });
        // The workbench may cancel a provider request while it is busy (seen on the web build): ask again then.
        // A provider answer may also come back empty while the workbench is busy (seen once on a loaded CI machine:
        // only the built-in chat actions came back), so ask until ours is there or 10 s have passed.
        let seen = '';
        const fix = await waitFor(
          'the kernel_size quick fix',
          async () => {
            const actions = await retry('code actions', () =>
              vscode.commands.executeCommand<vscode.CodeAction[]>(
                'vscode.executeCodeActionProvider',
                tiny,
                typo.range,
                vscode.CodeActionKind.QuickFix.value,
              ),
            );
            const titles = actions.map((a) => a.title).join(' | ');
            if (titles !== seen) console.log(`E2E code actions: ${titles || '(none)'}`);
            seen = titles;
            return actions.find((a) => /kernel_size/.test(a.title));
          },
          10000,
        ).catch((e) => assert.fail(`no quick fix among: ${seen} (${String(e)})`));
        assert.ok(fix.edit, 'the quick fix carries a workspace edit');
        assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
        assert.equal(doc!.lineAt(11).text, '    kernel_size: 3');
        await waitFor(
          'the diagnostics to clear',
          () =>
            vscode.languages.getDiagnostics(tiny).filter((d) => d.severity === vscode.DiagnosticSeverity.Error)
              .length === 0,
        );
      },
    ],

    [
      'hover explains a key and completion offers the missing keys and layer types',
      async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
          'vscode.executeHoverProvider',
          tiny,
          new vscode.Position(10, 8),
        ); // out_channels
        const text = hoverText(hovers);
        console.log(`E2E hover: ${text.slice(0, 300).replace(/\n/g, ' ⏎ ')}`);
        assert.match(text, /out_channels/);
        const keys = workspaceFile('keys.net.yaml');
        await vscode.workspace.openTextDocument(keys);
        const list = await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          keys,
          new vscode.Position(8, 4),
        );
        const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
        console.log(`E2E completion: ${labels.join(', ')}`);
        for (const k of ['stride', 'padding', 'groups']) assert.ok(labels.includes(k), `completion lacks ${k}`);
        assert.ok(!labels.includes('kernel_size'), 'completion offers a key the layer already has');
        const types = await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          tiny,
          new vscode.Position(9, 10),
        ); // `type: |conv2d`
        const typeLabels = types.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
        for (const t of ['conv2d', 'linear', 'relu', 'batchnorm'])
          assert.ok(typeLabels.includes(t), `layer-type completion lacks ${t}`);
      },
    ],

    [
      'saving simulates, inlay hints appear and the dashboard shows the result',
      async () => {
        await vscode.window.showTextDocument(doc!, vscode.ViewColumn.One);
        // Saved now (or already, by auto-save): either way a result for the saved version must arrive.
        if (doc!.isDirty) {
          const saved = await doc!.save(); // false when the refactoring auto-save got there first
          await waitFor('the spec to be saved', () => saved || !doc!.isDirty, 5000);
        }
        await waitFor(
          `a simulation result for version ${doc!.version} after save`,
          () =>
            api!.results.get(tiny.toString())?.version === doc!.version && !!api!.results.get(tiny.toString())?.result,
          30000,
        );
        const r = api!.results.get(tiny.toString())!;
        assert.deepEqual(
          r.result!.targets.map((t) => t.name),
          ['h100-sxm', 'ntx'],
        );
        assert.equal(r.result!.network.name, 'tiny-cnn', 'network name');
        assert.equal(r.result!.network.layerCount, 7, 'layer count');
        for (const t of r.result!.targets)
          assert.ok(t.totals.timeS > 0 && t.totals.energyJ > 0, `${t.name} has no time/energy`);

        const hints = await waitFor('inlay hints', async () => {
          const h = await vscode.commands.executeCommand<vscode.InlayHint[]>(
            'vscode.executeInlayHintProvider',
            tiny,
            new vscode.Range(0, 0, doc!.lineCount, 0),
          );
          return h.length ? h : undefined;
        });
        const hintText = hints
          .map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')))
          .join(' | ');
        console.log(`E2E inlay hints: ${hintText.slice(0, 300)}`);
        assert.match(hintText, /s\b/); // a time with its unit

        const rendered = new Promise<{ targets: number; view: string }>((res) => {
          const sub = api!.onDashboardRendered((i) => {
            if (i.targets === 2) {
              sub.dispose();
              res(i);
            }
          });
        });
        await vscode.commands.executeCommand('workbench.action.closePanel');
        await vscode.commands.executeCommand('accelmap.showDashboard');
        const info = await Promise.race([
          rendered,
          sleep(30000).then(() => Promise.reject(new Error('the dashboard did not render the result'))),
        ]);
        assert.equal(info.view, 'summary', 'the dashboard opens on the summary');
        assert.equal(api!.isDashboardOpen(), true, 'dashboard open');
        await sleep(500);
        assert.notEqual(
          await screenshot('dashboard', 'h100-sxm'),
          'missing',
          'the dashboard does not show the h100-sxm row',
        );
        // The status bar item: ready (no state word) with the last run time, e.g. `accelmap · 12 ms`.
        assert.notEqual(
          await screenshot('status', 'accelmap · '),
          'missing',
          'the status bar item does not show the last run time',
        );

        const roof = new Promise<{ rooflinePoints: number; view: string }>((res) => {
          const sub = api!.onDashboardRendered((i) => {
            if (i.view === 'roofline') {
              sub.dispose();
              res(i);
            }
          });
        });
        await vscode.commands.executeCommand('accelmap.showRoofline');
        const ri = await Promise.race([
          roof,
          sleep(20000).then(() => Promise.reject(new Error('the roofline did not render'))),
        ]);
        assert.ok(ri.rooflinePoints > 0, 'the roofline has no points');
        await sleep(500);
        await screenshot('roofline');

        // The timeline, with the export buttons above it (trace, report, PNG, SVG).
        const tl = new Promise<{ timelineLanes: number; view: string }>((res) => {
          const sub = api!.onDashboardRendered((i) => {
            if (i.view === 'timeline') {
              sub.dispose();
              res(i);
            }
          });
        });
        await vscode.commands.executeCommand('accelmap.showTimeline');
        const ti = await Promise.race([
          tl,
          sleep(20000).then(() => Promise.reject(new Error('the timeline did not render'))),
        ]);
        assert.ok(ti.timelineLanes > 0, 'the timeline has no lanes');
        await sleep(500);
        assert.notEqual(
          await screenshot('timeline', 'SVG'),
          'missing',
          'the timeline view does not show the SVG export button',
        );

        // The dashboard's "Export trace…", without its save dialog: a Chrome trace of both targets with dependency
        // arrows.
        const out = workspaceFile('tiny.trace.json');
        assert.equal((await api!.exportTrace(tiny.toString(), out))?.toString(), out.toString());
        const trace = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(out)));
        const procs = trace.traceEvents
          .filter((e: { ph: string; name: string }) => e.ph === 'M' && e.name === 'process_name')
          .map((e: { args: { name: string } }) => e.args.name);
        assert.deepEqual(procs, ['h100-sxm (gpu)', 'ntx (ntx)']);
        assert.ok(
          trace.traceEvents.some((e: { ph: string }) => e.ph === 's'),
          'no dependency arrows in the trace',
        );

        // "Export report…", without its save dialog: a self-contained HTML report of both targets.
        const rep = workspaceFile('tiny.report.html');
        assert.equal((await api!.exportReport(tiny.toString(), rep))?.toString(), rep.toString());
        const html = new TextDecoder().decode(await vscode.workspace.fs.readFile(rep));
        assert.match(html, /^<!doctype html>/);
        assert.equal((html.match(/<h2>(h100-sxm|ntx) <small>/g) ?? []).length, 2);
        // saved as .csv: one row per target, layer and phase
        const csvFile = workspaceFile('tiny.results.csv');
        assert.equal((await api!.exportReport(tiny.toString(), csvFile))?.toString(), csvFile.toString());
        const csv = new TextDecoder()
          .decode(await vscode.workspace.fs.readFile(csvFile))
          .trim()
          .split('\n');
        assert.match(csv[0], /^target,kind,layer,op,phase,/);
        assert.deepEqual([...new Set(csv.slice(1).map((l) => l.split(',')[0]))].sort(), ['h100-sxm', 'ntx']);

        // "SVG…" on a chart, without its save dialog: the host writes the webview's SVG as it came.
        const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><path d="M 0 0 L 10 10"/></svg>';
        const svgFile = workspaceFile('roofline.svg');
        assert.equal(
          (
            await api!.exportChart(
              'roofline',
              `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
              svgFile,
            )
          )?.toString(),
          svgFile.toString(),
        );
        assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(svgFile)), svg);
        assert.equal(
          await api!.exportChart('roofline', 'data:text/html;base64,PHA+', workspaceFile('x.html')),
          undefined,
          'only PNG and SVG are written',
        );
      },
    ],

    [
      'an unsaved typo is flagged while the inlay hints and the dashboard keep the last result',
      async () => {
        await vscode.window.showTextDocument(doc!, vscode.ViewColumn.One);
        const line = doc!
          .getText()
          .split('\n')
          .findIndex((l) => l.trim() === 'padding: 1');
        const at = new vscode.Range(line, 4, line, 11); // `padding`
        const edit = new vscode.WorkspaceEdit();
        edit.replace(tiny, at, 'paddin');
        assert.equal(await vscode.workspace.applyEdit(edit, { isRefactoring: false }), true);
        const d = await waitFor('the paddin diagnostic', () =>
          vscode.languages.getDiagnostics(tiny).find((x) => diagCode(x) === 'AM2003' && /paddin/.test(x.message)),
        );
        assert.match(d.message, /did you mean `padding`/);
        await vscode.commands.executeCommand('accelmap.showRoofline');
        await sleep(1200);
        await screenshot('editor', 'paddin');
        const undo = new vscode.WorkspaceEdit();
        undo.replace(tiny, new vscode.Range(line, 4, line, 10), 'padding');
        assert.equal(await vscode.workspace.applyEdit(undo), true);
        await waitFor(
          'the diagnostic to clear',
          () => !vscode.languages.getDiagnostics(tiny).some((x) => diagCode(x) === 'AM2003'),
        );
      },
    ],

    [
      'Toggle Inlay Hints turns the hints off and on again',
      async () => {
        const hintsNow = async () =>
          (
            await vscode.commands.executeCommand<vscode.InlayHint[]>(
              'vscode.executeInlayHintProvider',
              tiny,
              new vscode.Range(0, 0, doc!.lineCount, 0),
            )
          ).length;
        assert.equal(await vscode.commands.executeCommand('accelmap.toggleInlayHints'), false);
        await waitFor('no inlay hints', async () => (await hintsNow()) === 0, 15000);
        assert.equal(await vscode.commands.executeCommand('accelmap.toggleInlayHints'), true);
        await waitFor('inlay hints again', async () => (await hintsNow()) > 0, 15000);
        // The code lens "Hints: … ▾" (here with its choice given): the hints show the other target.
        const labels = async () =>
          (
            await vscode.commands.executeCommand<vscode.InlayHint[]>(
              'vscode.executeInlayHintProvider',
              tiny,
              new vscode.Range(0, 0, doc!.lineCount, 0),
            )
          ).map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
        assert.equal(
          await vscode.commands.executeCommand('accelmap.pickHintTarget', tiny, ['h100-sxm', 'ntx'], 'ntx'),
          'ntx',
        );
        await waitFor('hints of ntx', async () => (await labels()).some((l) => l.startsWith('▸ ntx: ')), 15000);
        assert.equal(
          await vscode.commands.executeCommand('accelmap.pickHintTarget', tiny, ['h100-sxm', 'ntx'], 'h100-sxm'),
          'h100-sxm',
        );
        await waitFor(
          'hints of h100-sxm',
          async () => (await labels()).some((l) => l.startsWith('▸ h100-sxm: ')),
          15000,
        );
      },
    ],

    [
      'Restart Language Server brings a working server back',
      async () => {
        await vscode.commands.executeCommand('accelmap.restartServer');
        await api!.whenReady();
        const hovers = await waitFor(
          'a hover from the restarted server',
          async () => {
            const h = await vscode.commands.executeCommand<vscode.Hover[]>(
              'vscode.executeHoverProvider',
              tiny,
              new vscode.Position(10, 8),
            );
            return h.length ? h : undefined;
          },
          20000,
        );
        assert.match(hoverText(hovers), /out_channels/);
      },
    ],

    [
      'go-to-definition on a preset opens its read-only source (accelmap-preset:)',
      async () => {
        const line = doc!
          .getText()
          .split('\n')
          .findIndex((l) => l.startsWith('targets:'));
        const col = doc!.lineAt(line).text.indexOf('ntx') + 1;
        const defs = await retry('definition', () =>
          vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
            'vscode.executeDefinitionProvider',
            tiny,
            new vscode.Position(line, col),
          ),
        );
        const uris = defs.map((d) => ('targetUri' in d ? d.targetUri : d.uri));
        const preset = uris.find((u) => u.scheme === 'accelmap-preset');
        assert.ok(preset, `definition of ntx: ${uris.map(String).join(', ') || 'none'}`);
        const text = (await vscode.workspace.openTextDocument(preset)).getText();
        assert.match(text, /kind: hardware/);
        assert.match(text, /\bntx\b/);
      },
    ],

    [
      'Import ONNX Model writes <model>.net.yaml next to the model and opens it',
      async () => {
        const onnx = workspaceFile('alexnet.onnx');
        const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('accelmap.importOnnx', onnx, {
          batch: 16,
        });
        assert.ok(written, 'the import returned no spec');
        assert.equal(written.toString(), workspaceFile('alexnet.net.yaml').toString());
        const spec = await vscode.workspace.openTextDocument(written);
        assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), written.toString());
        assert.match(spec.getText(), /kind: network/);
        assert.match(spec.getText(), /batch_size: 16/);
        const convs = spec.getText().match(/type: conv2d/g) ?? [];
        assert.equal(convs.length, 5, 'AlexNet has five convolutions');
        await sleep(1500); // let the server analyse it
        const errors = vscode.languages
          .getDiagnostics(written)
          .filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
        assert.deepEqual(
          errors.map((d) => `${diagCode(d)} ${d.message}`),
          [],
        );
      },
    ],

    [
      'Search Mappings maps every loop nest of a spatial target on worker threads; the Mapping view draws them',
      async () => {
        const uri = workspaceFile('spatial.net.yaml');
        const d = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(d, vscode.ViewColumn.One);
        // opening does not simulate (simulate.run: onSave)
        await vscode.commands.executeCommand('accelmap.simulate', uri);
        const first = await waitFor(
          'a first (provisional) result of spatial.net.yaml',
          () => api!.results.get(uri.toString())?.result,
          30000,
        );
        assert.ok(
          first.targets[0].findings.some((f) => f.code === 'spatial.provisional'),
          'the first run is provisional',
        );
        assert.deepEqual(
          first.targets.map((t) => t.name),
          ['eyeriss-like', 'ntx'],
        );
        const republished = new Promise<SimulationResultParams>((res) => {
          const sub = api!.onResult((r) => {
            if (
              r.uri === uri.toString() &&
              r.result &&
              !r.result.targets[0].findings.some((f) => f.code === 'spatial.provisional')
            ) {
              sub.dispose();
              res(r);
            }
          });
        });
        const r = await vscode.commands.executeCommand<SearchMappingsResponse>('accelmap.searchMappings', uri, {
          targets: ['eyeriss-like'],
        });
        assert.ok(r, 'the command returned nothing');
        assert.equal(r.error, undefined);
        assert.equal(r.cancelled, false);
        assert.deepEqual(r.targets, ['eyeriss-like']);
        assert.ok(r.nests >= 6, `nests ${r.nests}`);
        assert.equal(r.mapped, r.searched);
        console.log(
          `E2E search mappings: ${r.nests} nests, ${r.searched} searched on ${r.workers} worker(s) in ${r.seconds.toFixed(2)} s`,
        );
        const after = await Promise.race([
          republished,
          sleep(30000).then(() => Promise.reject(new Error('no republished result after the search'))),
        ]);
        const conv2 = after.result!.targets[0].layers.find((l) => l.name === 'conv2')!;
        assert.match(conv2.phases[0].mapping ?? '', /^dram .*\| global_buffer .*\|\| .*\| pe_buffer/);
        const shown = new Promise<RenderedInfo>((res) => {
          const sub = api!.onDashboardRendered((i) => {
            if (i.view === 'mapping' && i.mappingPhases > 0) {
              sub.dispose();
              res(i);
            }
          });
        });
        await vscode.commands.executeCommand('accelmap.showMapping', uri);
        const info = await Promise.race([
          shown,
          sleep(30000).then(() => Promise.reject(new Error('the Mapping view did not draw a phase'))),
        ]);
        assert.equal(info.target, 'eyeriss-like');
        assert.equal(info.mappingPhases, 3, 'fwd, bwd_data and bwd_weight of the slowest layer');
        await sleep(500);
        assert.notEqual(
          await screenshot('mapping', 'found by the mapper'),
          'missing',
          'the Mapping view does not show the searched phases',
        );
      },
    ],

    [
      'Explain: the dashboard ranks what moves the step on a target, with the sources of the values',
      async () => {
        const shown = new Promise<RenderedInfo>((res) => {
          const sub = api!.onDashboardRendered((i) => {
            if (i.view === 'explain' && i.explainRows > 0) {
              sub.dispose();
              res(i);
            }
          });
        });
        // the current version (earlier steps edited it)
        await vscode.commands.executeCommand('accelmap.simulate', tiny);
        await vscode.commands.executeCommand('accelmap.showExplain', tiny);
        const info = await Promise.race([
          shown,
          sleep(30000).then(() => Promise.reject(new Error('the Explain view did not rank any knob'))),
        ]);
        assert.ok(['h100-sxm', 'ntx'].includes(info.target ?? ''), `target ${info.target}`);
        assert.ok(info.explainRows >= 5, `${info.explainRows} knobs`);
        await sleep(500);
        assert.notEqual(
          await screenshot('explain', 'where the value comes from'),
          'missing',
          'the Explain view does not show its table',
        );
      },
    ],

    [
      'Run Sweep: the Sweep view shows the Pareto front; a design point opens as an untitled hardware spec',
      async () => {
        const uri = workspaceFile('small.sweep.yaml');
        const d = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(d, vscode.ViewColumn.One);
        const shown = new Promise<RenderedInfo>((res) => {
          const sub = api!.onDashboardRendered((i) => {
            if (i.view === 'sweep' && (i.sweepFront ?? 0) > 0) {
              sub.dispose();
              res(i);
            }
          });
        });
        const r = await vscode.commands.executeCommand<{
          error?: string;
          total: number;
          feasible: number;
          uri: string;
          points: { i: number }[];
        }>('accelmap.runSweep', uri);
        assert.ok(r && !r.error, r?.error);
        assert.equal(r.total, 9);
        assert.equal(r.feasible, 9);
        const info = await Promise.race([
          shown,
          sleep(30000).then(() => Promise.reject(new Error('the Sweep view did not draw a front'))),
        ]);
        assert.equal(info.sweepPoints, 9);
        await sleep(500);
        assert.notEqual(
          await screenshot('sweep', 'within the constraints'),
          'missing',
          'the Sweep view does not show its summary',
        );
        const doc = await vscode.commands.executeCommand<vscode.TextDocument>(
          'accelmap.openSweepDesign',
          r.uri,
          r.points[0].i,
        );
        assert.ok(doc, 'no document opened');
        assert.equal(doc.uri.scheme, 'untitled');
        assert.equal(doc.languageId, 'yaml');
        assert.match(doc.getText(), new RegExp(`- name: ntx-sweep-${r.points[0].i}\\n    extends: ntx`));
      },
    ],

    [
      'measured: save -> inlay hints of ResNet-50 on six targets, through the real protocol',
      async () => {
        const uri = workspaceFile('resnet50.net.yaml');
        const d = await vscode.workspace.openTextDocument(uri);
        const ed = await vscode.window.showTextDocument(d, vscode.ViewColumn.One);
        const hintsOf = async () =>
          (
            await vscode.commands.executeCommand<vscode.InlayHint[]>(
              'vscode.executeInlayHintProvider',
              uri,
              new vscode.Range(0, 0, d.lineCount, 0),
            )
          ).length;
        // A first run warms the server (and the hints of the opened file) up; then one measured edit + save.
        await waitFor(
          'a first ResNet-50 result',
          () => !!api!.results.get(uri.toString())?.result || (d.isDirty ? false : undefined),
          5000,
        ).catch(() => undefined);
        const measure = async (): Promise<{ result: number; hints: number }> => {
          await ed.edit((e) => e.insert(new vscode.Position(0, 0), '# measured edit\n'));
          const t0 = Date.now();
          await d.save();
          let tr = 0;
          for (;;) {
            const r = api!.results.get(uri.toString());
            if (!tr && r?.version === d.version && r.result) tr = Date.now() - t0;
            if (tr && (await hintsOf()) > 0) return { result: tr, hints: Date.now() - t0 };
            if (Date.now() - t0 > 30000) throw new Error('no result or inlay hints within 30 s of the save');
            await sleep(5);
          }
        };
        await measure(); // warm-up
        const m = await measure();
        const r = api!.results.get(uri.toString())!;
        assert.equal(r.result!.targets.length, 6);
        // Speed goals live in npm run bench; this tier reports the figure as VS Code sees it.
        console.log(
          `E2E measured: save -> result ${m.result} ms, save -> inlay hints ${m.hints} ms (ResNet-50, 6 targets, server run ${r.elapsedMs.toFixed(1)} ms)`,
        );
        assert.ok(m.hints > 0);
      },
    ],
  ];

  const failures: string[] = [];
  let passed = 0;
  for (const [name, fn] of steps) {
    const s = Date.now();
    try {
      await fn();
      passed++;
      console.log(`E2E ok   ${name} (${Date.now() - s} ms)`);
    } catch (e) {
      console.log(`E2E FAIL ${name}: ${(e as Error)?.stack ?? String(e)}`);
      failures.push(name);
      break; // later steps build on earlier ones
    }
  }
  console.log(
    `E2E done in ${Date.now() - t0} ms: ${passed} ok, ${failures.length} failed, ${steps.length - passed - failures.length} not run`,
  );
  if (failures.length) throw new Error(`e2e steps failed: ${failures.join('; ')}`);
}
