// The `accelmap.*` settings (package.json contributes.configuration), parsed once for the server (read through
// workspace/configuration, refreshed on workspace/didChangeConfiguration) and the extension (client/src/config.ts).
// Missing or ill-typed values fall back to the defaults below, so a bad settings.json never breaks either. Pure.

import { SPEC_FILE_GLOBS } from '../spec/files';

export type SimulateRun = 'onSave' | 'onType' | 'manual';

export interface Settings {
  /** Debounce between the last keystroke and the analysis of a document. */
  validateDelayMs: number;
  simulateRun: SimulateRun;
  /** Targets used when a network names none (`accelmap.targets`). */
  targets: string[];
  baseline?: string;
  inlayHintsEnabled: boolean;
  /** The target whose figures the inlay hints show (`accelmap.inlayHints.target`; '' = the first target). */
  inlayHintsTarget: string;
  /** File-name globs of network and hardware specs (`accelmap.files.network` / `accelmap.files.hardware`). */
  networkGlobs: string[];
  hardwareGlobs: string[];
}

export const DEFAULT_NETWORK_GLOBS = [...SPEC_FILE_GLOBS.network];
export const DEFAULT_HARDWARE_GLOBS = [...SPEC_FILE_GLOBS.hardware];

export const DEFAULT_SETTINGS: Settings = {
  // ASM: 250 ms (the client's default too) is about the pause between typing bursts; VS Code's own JSON server uses 500
  // ms.
  validateDelayMs: 250,
  simulateRun: 'onSave',
  targets: [],
  inlayHintsEnabled: true,
  inlayHintsTarget: '',
  networkGlobs: DEFAULT_NETWORK_GLOBS,
  hardwareGlobs: DEFAULT_HARDWARE_GLOBS,
};

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? { ...(v as Record<string, unknown>) } : {};
}

/** Non-empty trimmed strings of a string or a list; `dflt` when there are none. */
function strings(v: unknown, dflt: string[]): string[] {
  if (typeof v === 'string' && v.trim()) return [v.trim()];
  if (Array.isArray(v)) {
    const out = v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim());
    return out.length ? out : dflt;
  }
  return dflt;
}

/**
 * Normalise a raw `accelmap` configuration object. Accepts the nested form VS Code sends through
 * workspace/configuration and didChangeConfiguration (`{validate: {delayMs}}`), and the flat form the client puts
 * in initializationOptions.settings (`{validateDelayMs, simulateRun, inlayHintsEnabled, filesNetwork, ...}`).
 */
export function parseSettings(raw: unknown): Settings {
  const r = obj(raw);
  const validate = obj(r.validate);
  const simulate = obj(r.simulate);
  const inlay = obj(r.inlayHints);
  const files = obj(r.files);
  if (r.validateDelayMs !== undefined) validate.delayMs = r.validateDelayMs;
  if (r.simulateRun !== undefined) simulate.run = r.simulateRun;
  if (r.inlayHintsEnabled !== undefined) inlay.enabled = r.inlayHintsEnabled;
  if (r.inlayHintsTarget !== undefined) inlay.target = r.inlayHintsTarget;
  if (r.filesNetwork !== undefined) files.network = r.filesNetwork;
  if (r.filesHardware !== undefined) files.hardware = r.filesHardware;
  const delay = validate.delayMs === undefined || validate.delayMs === null ? NaN : Number(validate.delayMs);
  const run = simulate.run;
  return {
    // Clamped to 10 s: an absurd debounce is a typo, not an intent (ASM); a negative one falls back to the default.
    validateDelayMs:
      Number.isFinite(delay) && delay >= 0 ? Math.min(Math.round(delay), 10_000) : DEFAULT_SETTINGS.validateDelayMs,
    simulateRun: run === 'onType' || run === 'manual' || run === 'onSave' ? run : DEFAULT_SETTINGS.simulateRun,
    targets: Array.isArray(r.targets) ? strings(r.targets, []) : [],
    baseline: typeof r.baseline === 'string' && r.baseline.trim() ? r.baseline.trim() : undefined,
    inlayHintsEnabled: typeof inlay.enabled === 'boolean' ? inlay.enabled : DEFAULT_SETTINGS.inlayHintsEnabled,
    inlayHintsTarget: typeof inlay.target === 'string' ? inlay.target.trim() : '',
    networkGlobs: strings(files.network, DEFAULT_NETWORK_GLOBS),
    hardwareGlobs: strings(files.hardware, DEFAULT_HARDWARE_GLOBS),
  };
}
