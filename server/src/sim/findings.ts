// Typed simulator findings: what a target model found about a run (a limit it hit, a substitution it made, an
// assumption it applied), as records with a stable code and the numbers behind them. The human sentence is built
// from the numbers when the finding is made; consumers act on the code (the language server turns the capacity
// codes into diagnostics), never on the text.
import type { Phase } from './types';
import type { Workload } from './workload';

export type FindingSeverity = 'error' | 'warning' | 'info';

/** Stable finding codes. Add a code here before using it; the LSP maps codes, not sentences. */
export type FindingCode =
  // limits the run hits
  | 'memory.exceeds-device' // the training state does not fit the device's memory (not modelled)
  | 'memory.weights-streamed' // weights do not fit on chip: streamed from an outer memory (modelled)
  | 'memory.fits-on-chip'
  | 'power.over-limit' // phases draw more than the board limit in the model
  // substitutions
  | 'precision.substituted' // the target computes the network in another precision
  // what the model did
  | 'gpu.layout-kernels'
  | 'gpu.fast-conv'
  | 'gpu.calibration'
  | 'mapping.im2col'
  | 'mapping.mode'
  | 'imc.energy-saving'
  | 'imc.amdahl'
  | 'gradpim.update'
  | 'gradpim.gradient-precision'
  | 'gradpim.optimizer-unconfirmed'
  | 'gradpim.overlap'
  | 'gradpim.activation-traffic'
  | 'gradpim.vs-baseline'
  | 'neurotrainer.dataflow'
  | 'neurotrainer.memory-efficiency'
  // the workload
  | 'workload.unsupported-layers'
  | 'workload.loss-gradient'
  // the model
  | 'spatial.mapper'
  | 'spatial.provisional'
  | 'spatial.no-legal-mapping'
  | 'mapping.illegal' // a layer's `mapping:` pins cannot be met on a spatial target (the mapper's own mapping is used)
  | 'system.invalid'
  | 'system.step'
  | 'model.generic-roofline'
  | 'internal-error';

export interface Finding {
  code: FindingCode;
  severity: FindingSeverity;
  /** The target the finding is about. */
  target: string;
  layer?: string;
  phase?: Phase;
  /** The numbers the sentence was built from, in SI units (bytes, seconds, watts, counts). */
  numbers: Record<string, number>;
  message: string;
}

/** A finding before it is attached to its target (models build these; simulate() fills `target`). */
export type FindingDraft = Omit<Finding, 'target'>;

export function finding(
  code: FindingCode,
  severity: FindingSeverity,
  message: string,
  numbers: Record<string, number> = {},
  where: { layer?: string; phase?: Phase } = {},
): FindingDraft {
  return { code, severity, message, numbers, ...where };
}

const gb = (b: number, digits = 2) => (b / 1e9).toFixed(digits);

/**
 * What the training state is made of: weights, gradients, optimizer state (with fp32 masters), activations saved at
 * `batch`.
 */
export interface StateParts {
  weightsB: number;
  gradientsB: number;
  optimizerB: number;
  savedB: number;
  batch: number;
}

/** The training state of a lowered workload. */
export function stateParts(w: Workload): StateParts {
  return {
    weightsB: w.footprint.weights,
    gradientsB: w.footprint.gradients,
    optimizerB: w.footprint.optimizer,
    savedB: w.footprint.saved,
    batch: w.batch,
  };
}

/**
 * The largest batch whose training state fits `haveB`: saved activations grow with the batch, weights and optimizer
 * state do not. 0 when the weights and optimizer state alone do not fit.
 */
export function batchThatFits(haveB: number, p: StateParts): number {
  const fixed = p.weightsB + p.gradientsB + p.optimizerB;
  const perSample = p.batch > 0 ? p.savedB / p.batch : 0;
  if (fixed >= haveB) return 0;
  if (perSample <= 0) return p.batch;
  return Math.max(0, Math.floor((haveB - fixed) / perSample));
}

/** The training state (weights, saved activations, optimizer state) is larger than the device memory. */
export function exceedsDevice(what: string, haveB: number, p: StateParts): FindingDraft {
  const needB = p.weightsB + p.gradientsB + p.optimizerB + p.savedB;
  const fits = batchThatFits(haveB, p);
  const advice =
    fits >= 1
      ? `batch_size ${fits} would fit`
      : 'the weights, gradients and optimizer state alone do not fit: the model needs more devices (tensor or pipeline parallelism) or a sharded optimizer';
  return finding(
    'memory.exceeds-device',
    'warning',
    `The training state (${gb(needB)} GB: weights ${gb(p.weightsB)}, gradients ${gb(p.gradientsB)}, optimizer state ${gb(p.optimizerB)}, activations saved at batch ${p.batch} ${gb(p.savedB)}) ` +
      `exceeds ${what} (${gb(haveB)} GB) by ${gb(needB - haveB)} GB: the run would not fit (not modelled); ${advice}.`,
    {
      needB,
      haveB,
      weightsB: p.weightsB,
      gradientsB: p.gradientsB,
      optimizerB: p.optimizerB,
      savedB: p.savedB,
      batch: p.batch,
      fitsBatch: fits,
    },
  );
}

/** Codes that say a run does not fit its target (shown as warnings in the editor). */
export const CAPACITY_CODES: ReadonlySet<FindingCode> = new Set<FindingCode>([
  'memory.exceeds-device',
  'memory.weights-streamed',
]);
