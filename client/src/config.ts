// Typed view of the `accelmap.*` settings (package.json `contributes.configuration`). Pure: it takes a getter so unit
// tests can feed plain objects; extension code passes `workspace.getConfiguration('accelmap').get`.

export type SimulateRun = 'onSave' | 'onType' | 'manual';
export type TraceLevel = 'off' | 'messages' | 'verbose';

export interface AccelmapConfig {
  /** Targets to evaluate when a network names none (`accelmap.targets`). Empty: one preset of every kind. */
  targets: string[];
  /** Target the others are compared with (`accelmap.baseline`); '' = none. */
  baseline: string;
  /** Debounce of validation while typing, ms (`accelmap.validate.delayMs`). */
  validateDelayMs: number;
  /** When the embedded simulator runs (`accelmap.simulate.run`). */
  simulateRun: SimulateRun;
  /** Show inlay hints with per-layer time/energy (`accelmap.inlayHints.enabled`). */
  inlayHintsEnabled: boolean;
  /** The target the inlay hints show (`accelmap.inlayHints.target`; '' = the first). */
  inlayHintsTarget: string;
  /** Glob patterns that mark network / hardware specs (`accelmap.files.network` / `accelmap.files.hardware`). */
  filesNetwork: string[];
  filesHardware: string[];
  /** LSP message tracing (`accelmap.trace.server`). */
  trace: TraceLevel;
}

export const DEFAULT_CONFIG: Readonly<AccelmapConfig> = Object.freeze({
  targets: [],
  baseline: '',
  validateDelayMs: 250,
  simulateRun: 'onSave',
  inlayHintsEnabled: true,
  inlayHintsTarget: '',
  filesNetwork: ['**/*.net.yaml', '**/*.net.yml', '**/*.net.json'],
  filesHardware: ['**/*.hw.yaml', '**/*.hw.yml', '**/*.hw.json'],
  trace: 'off',
});

type Getter = (key: string) => unknown;

const strings = (v: unknown, dflt: string[]): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.trim() !== '').map((s) => s.trim()) : [...dflt];

function oneOf<T extends string>(v: unknown, allowed: readonly T[], dflt: T): T {
  return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : dflt;
}

/** Reads the settings; a wrong type falls back to the default (VS Code already warns about it in settings.json). */
export function readConfig(get: Getter): AccelmapConfig {
  const delay = get('validate.delayMs');
  return {
    targets: strings(get('targets'), DEFAULT_CONFIG.targets),
    baseline: typeof get('baseline') === 'string' ? String(get('baseline')).trim() : '',
    // Clamped to 0..10 s: a negative or absurd debounce is a typo, not an intent (assumption).
    validateDelayMs:
      typeof delay === 'number' && Number.isFinite(delay) ? Math.min(10_000, Math.max(0, Math.round(delay))) : DEFAULT_CONFIG.validateDelayMs,
    simulateRun: oneOf(get('simulate.run'), ['onSave', 'onType', 'manual'] as const, DEFAULT_CONFIG.simulateRun),
    inlayHintsEnabled: typeof get('inlayHints.enabled') === 'boolean' ? (get('inlayHints.enabled') as boolean) : true,
    inlayHintsTarget: typeof get('inlayHints.target') === 'string' ? String(get('inlayHints.target')).trim() : '',
    filesNetwork: strings(get('files.network'), DEFAULT_CONFIG.filesNetwork),
    filesHardware: strings(get('files.hardware'), DEFAULT_CONFIG.filesHardware),
    trace: oneOf(get('trace.server'), ['off', 'messages', 'verbose'] as const, DEFAULT_CONFIG.trace),
  };
}
