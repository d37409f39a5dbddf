// Pure mapping StatusParams -> what the status bar item shows (no `vscode` import: unit-tested in Node).
import type { StatusParams } from '../../server/src/lsp/protocol';

export interface StatusView {
  text: string;
  tooltip: string;
  severity: 'info' | 'error';
}

const ICON: Record<StatusParams['state'], string> = {
  starting: '$(loading~spin)',
  ready: '$(pulse)',
  busy: '$(sync~spin)',
  error: '$(error)',
};

/** Milliseconds as the status bar shows them: < 10 ms with one decimal, else whole, >= 10 s in seconds. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function statusView(p: StatusParams): StatusView {
  const state = p.state in ICON ? p.state : 'error';
  const last = typeof p.lastRunMs === 'number' ? ` · ${formatMs(p.lastRunMs)}` : '';
  const lines = [
    `accelmap language server: ${state}`,
    p.message ? p.message : '',
    `spec documents tracked: ${Number.isFinite(p.documents) ? p.documents : 0}`,
    typeof p.lastRunMs === 'number' ? `last simulation: ${formatMs(p.lastRunMs)}` : '',
    'Click to show the logs.',
  ].filter(Boolean);
  return {
    text: `${ICON[state]} accelmap${state === 'ready' ? '' : `: ${state}`}${last}`,
    tooltip: lines.join('\n'),
    severity: state === 'error' ? 'error' : 'info',
  };
}
