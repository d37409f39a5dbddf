// Typed view of the `accelmap.*` settings (package.json `contributes.configuration`) for the extension side: the
// same parser as the server's (server/src/lsp/settings.ts), plus the client's own `trace.server`. Pure: it takes a
// getter so unit tests can feed plain objects; extension code passes `workspace.getConfiguration('accelmap').get`.
import { DEFAULT_SETTINGS, parseSettings, type SimulateRun } from '../../server/src/lsp/settings';

export type { SimulateRun };
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
  validateDelayMs: DEFAULT_SETTINGS.validateDelayMs,
  simulateRun: DEFAULT_SETTINGS.simulateRun,
  inlayHintsEnabled: DEFAULT_SETTINGS.inlayHintsEnabled,
  inlayHintsTarget: '',
  filesNetwork: DEFAULT_SETTINGS.networkGlobs,
  filesHardware: DEFAULT_SETTINGS.hardwareGlobs,
  trace: 'off',
});

type Getter = (key: string) => unknown;

/** Reads the settings; a wrong type falls back to the default (VS Code already warns about it in settings.json). */
export function readConfig(get: Getter): AccelmapConfig {
  const s = parseSettings({
    targets: get('targets'),
    baseline: get('baseline'),
    validate: { delayMs: get('validate.delayMs') },
    simulate: { run: get('simulate.run') },
    inlayHints: { enabled: get('inlayHints.enabled'), target: get('inlayHints.target') },
    files: { network: get('files.network'), hardware: get('files.hardware') },
  });
  const trace = get('trace.server');
  return {
    targets: s.targets,
    baseline: s.baseline ?? '',
    validateDelayMs: s.validateDelayMs,
    simulateRun: s.simulateRun,
    inlayHintsEnabled: s.inlayHintsEnabled,
    inlayHintsTarget: s.inlayHintsTarget,
    filesNetwork: [...s.networkGlobs],
    filesHardware: [...s.hardwareGlobs],
    trace: trace === 'messages' || trace === 'verbose' ? trace : 'off',
  };
}
