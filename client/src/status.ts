// Status bar item: server health from `accelmap/status` (starting / ready / busy / error) and the last run's time.
// Clicking it shows the logs. `statusView` is pure so it can be unit-tested without VS Code.
import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/lsp/protocol';
import { statusView } from './statusView';

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('accelmap.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'accelmap';
    this.item.command = 'accelmap.showLogs';
    this.set({ state: 'starting', message: 'starting the language server', documents: 0 });
    this.item.show();
  }

  set(p: StatusParams): void {
    const v = statusView(p);
    this.item.text = v.text;
    this.item.tooltip = v.tooltip;
    this.item.backgroundColor =
      v.severity === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
