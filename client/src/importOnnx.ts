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
export async function importOnnx(
  ctx: Ctx,
  arg?: vscode.Uri,
  opts: { batch?: number; overwrite?: boolean; dims?: Record<string, number> } = {},
): Promise<vscode.Uri | undefined> {
  let model = arg instanceof vscode.Uri ? arg : undefined;
  if (!model) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      filters: { 'ONNX models': ['onnx'] },
      openLabel: 'Import',
    });
    model = picked?.[0];
  }
  if (!model) return undefined;
  if (model.scheme !== 'file') {
    void vscode.window.showErrorMessage(
      `accelmap can only import ONNX models from local files, not ${model.scheme}: URIs.`,
    );
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
    const answer = await vscode.window.showWarningMessage(
      `${vscode.workspace.asRelativePath(out)} already exists. Overwrite it?`,
      { modal: true },
      'Overwrite',
    );
    if (answer !== 'Overwrite') return undefined;
    overwrite = true;
  }

  const client = await ctx.client();
  const dims: Record<string, number> = { ...(opts.dims ?? {}) };
  let r: ImportOnnxResponse;
  // A model with symbolic dimensions (a sequence length) asks for their values, once each, then imports again.
  for (let attempt = 0; ; attempt++) {
    const params: ImportOnnxParams = { path: model.fsPath, outPath: out.fsPath, overwrite, batch, dims };
    try {
      r = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Importing ${vscode.workspace.asRelativePath(model)}…`,
        },
        () => client.sendRequest<ImportOnnxResponse>(ImportOnnxRequest, params),
      );
    } catch (e) {
      ctx.log.error(`importOnnx: ${String(e)}`);
      void vscode.window.showErrorMessage(`ONNX import failed: ${String(e)}`);
      return undefined;
    }
    const missing = (r.missingDims ?? []).filter((d) => dims[d] === undefined);
    if (r.written || !missing.length || attempt > 4) break;
    for (const name of missing) {
      const text = await vscode.window.showInputBox({
        title: 'Import ONNX Model',
        prompt: `Value of the model's symbolic dimension '${name}' (e.g. the sequence length)`,
        value: '128',
        validateInput: (t) => (parseBatch(t).ok ? undefined : `'${name}' must be a positive integer`),
      });
      if (text === undefined) return undefined;
      const v = parseBatch(text);
      if (!v.ok) return undefined;
      dims[name] = v.value;
    }
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
  void vscode.window.showInformationMessage(
    `Imported ${r.layerCount} layers into ${vscode.workspace.asRelativePath(written)}${extra}.`,
  );
  return written;
}
