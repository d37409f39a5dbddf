// "Import ONNX Model…": pick a model (or take the explorer's), choose a batch size, have the server write
// `<model>.net.yaml` next to it via `accelmap/importOnnx`, ask before overwriting, then open the spec.
import * as vscode from 'vscode';
import { ImportOnnxRequest, type ImportOnnxParams, type ImportOnnxResponse } from '../../server/src/lsp/protocol';
import type { Ctx } from './ctx';
import { parseBatch, specPathFor } from './paths';

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Returns the written spec's URI, or undefined when the user cancelled or the import failed (already reported). */
export async function importOnnx(ctx: Ctx, arg?: vscode.Uri, opts: { batch?: number; overwrite?: boolean } = {}): Promise<vscode.Uri | undefined> {
  let model = arg instanceof vscode.Uri ? arg : undefined;
  if (!model) {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'ONNX models': ['onnx'] }, openLabel: 'Import' });
    model = picked?.[0];
  }
  if (!model) return undefined;
  if (model.scheme !== 'file') {
    void vscode.window.showErrorMessage(`accelmap can only import ONNX models from local files, not ${model.scheme}: URIs.`);
    return undefined;
  }

  let batch = opts.batch;
  if (batch === undefined) {
    const text = await vscode.window.showInputBox({
      title: 'Import ONNX Model',
      prompt: 'Training batch size (samples per step)',
      value: '32',
      validateInput: (t) => {
        const r = parseBatch(t);
        return r.ok ? undefined : r.message;
      },
    });
    if (text === undefined) return undefined;
    const r = parseBatch(text);
    if (!r.ok) return undefined;
    batch = r.value;
  }

  const out = vscode.Uri.file(specPathFor(model.fsPath));
  let overwrite = opts.overwrite ?? false;
  if (!overwrite && (await exists(out))) {
    const answer = await vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(out)} already exists. Overwrite it?`, { modal: true }, 'Overwrite');
    if (answer !== 'Overwrite') return undefined;
    overwrite = true;
  }

  const client = await ctx.client();
  const params: ImportOnnxParams = { path: model.fsPath, outPath: out.fsPath, overwrite, batch };
  let r: ImportOnnxResponse;
  try {
    r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Importing ${vscode.workspace.asRelativePath(model)}…` },
      () => client.sendRequest<ImportOnnxResponse>(ImportOnnxRequest, params),
    );
  } catch (e) {
    ctx.log.error(`importOnnx: ${String(e)}`);
    void vscode.window.showErrorMessage(`ONNX import failed: ${String(e)}`);
    return undefined;
  }
  if (!r.written) {
    const why = r.reason === 'exists' ? 'the spec file already exists' : (r.error ?? 'unknown error');
    void vscode.window.showErrorMessage(`ONNX import did not write ${r.outPath}: ${why}`);
    return undefined;
  }
  for (const w of r.warnings) ctx.log.warn(`importOnnx ${model.fsPath}: ${w}`);
  const written = vscode.Uri.file(r.outPath);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(written));
  const extra = r.warnings.length ? ` with ${r.warnings.length} warning(s) (see the logs)` : '';
  void vscode.window.showInformationMessage(`Imported ${r.layerCount} layers into ${vscode.workspace.asRelativePath(written)}${extra}.`);
  return written;
}
