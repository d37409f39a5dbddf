// Colours from the VS Code theme: the --vscode-* CSS variables VS Code sets on the webview's <html>.
// `paletteFrom` is pure (takes a variable reader) so the mapping is unit-tested; fallbacks are VS Code's Dark+.
import type { Phase } from '../../server/src/sim/types';

export interface Palette {
  foreground: string;
  muted: string;
  background: string;
  grid: string;
  font: string;
  phase: Record<Phase, string>;
  /** Ceiling lines of the roofline, one per memory level then compute. */
  ceilings: string[];
}

export type VarReader = (name: string) => string;

const FALLBACK = {
  '--vscode-editor-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-editor-background': '#1e1e1e',
  '--vscode-panel-border': '#80808059',
  '--vscode-font-family': 'system-ui, sans-serif',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-foreground': '#cccccc',
} as const;

export function paletteFrom(read: VarReader): Palette {
  const v = (name: keyof typeof FALLBACK): string => read(name).trim() || FALLBACK[name];
  return {
    foreground: v('--vscode-editor-foreground'),
    muted: v('--vscode-descriptionForeground'),
    background: v('--vscode-editor-background'),
    grid: v('--vscode-panel-border'),
    font: v('--vscode-font-family'),
    phase: {
      fwd: v('--vscode-charts-blue'),
      bwd_data: v('--vscode-charts-orange'),
      bwd_weight: v('--vscode-charts-purple'),
      update: v('--vscode-charts-green'),
    },
    ceilings: [
      v('--vscode-charts-red'),
      v('--vscode-charts-yellow'),
      v('--vscode-charts-foreground'),
      v('--vscode-charts-green'),
    ],
  };
}

/** `#rrggbb` (or `#rrggbbaa`) with the alpha replaced; other colour syntaxes are returned unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(color.trim());
  if (!m) return color;
  const a = Math.round(Math.min(1, Math.max(0, alpha)) * 255)
    .toString(16)
    .padStart(2, '0');
  return `#${m[1]}${a}`;
}

export const PHASE_LABEL: Record<Phase, string> = {
  fwd: 'forward',
  bwd_data: 'backward (data)',
  bwd_weight: 'backward (weight)',
  update: 'weight update',
};

/**
 * Options every dashboard chart shares: no animation (results change as the user saves), sized by its container,
 * text in the editor's colour and font. Spread into a chart's `options`.
 */
export function chartBase(pal: Palette) {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    color: pal.foreground,
    font: { family: pal.font },
  } as const;
}
