// Read-only documents for the built-in presets: `accelmap-preset:/<name>.hw.yaml`, served by the server's
// `accelmap/presetSource` (go-to-definition on a preset name lands here).
import * as vscode from 'vscode';
import {
  PRESET_SCHEME,
  PresetSourceRequest,
  type PresetSourceParams,
  type PresetSourceResponse,
} from '../../server/src/lsp/protocol';
import type { Ctx } from './ctx';
import { presetNameFromPath } from './paths';

export function registerPresetDocs(ctx: Ctx): vscode.Disposable {
  const provider: vscode.TextDocumentContentProvider = {
    async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
      const name = presetNameFromPath(uri.path);
      if (!name)
        return `# not an accelmap preset URI: ${uri.toString()}\n# expected ${PRESET_SCHEME}:/<name>.hw.yaml\n`;
      try {
        const client = await ctx.client();
        const r = await client.sendRequest<PresetSourceResponse>(PresetSourceRequest, {
          name,
        } satisfies PresetSourceParams);
        return r.text;
      } catch (e) {
        ctx.log.error(`preset ${name}: ${String(e)}`);
        return `# accelmap could not load the preset "${name}": ${String(e)}\n# Run "accelmap: Show Logs" for details.\n`;
      }
    },
  };
  return vscode.workspace.registerTextDocumentContentProvider(PRESET_SCHEME, provider);
}
