// Public API of the simulator (pure TypeScript, no `vscode`). Used by the language server, the CLI and tests.
import type { NetworkModel, TargetModel } from '../spec/types';
import type { SimulationResult } from './types';

export type * from './types';

export interface SimulateOptions {
  /** Name of the target the others are compared with. */
  baseline?: string;
  /** Override the network's batch size / precision (CLI --batch / --precision). */
  batch?: number;
  precision?: NetworkModel['precision'];
}

/** Lower the network to its training phases and map them onto every target. Deterministic; never throws on valid models. */
export declare function simulate(network: NetworkModel, targets: TargetModel[], opts?: SimulateOptions): SimulationResult;
