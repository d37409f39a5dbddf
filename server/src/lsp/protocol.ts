// The custom LSP protocol between the accelmap client and server: method names and payload types only
// (plain TypeScript, no dependency), so the client can import this file without pulling in the server.
import type { SimulationResult } from '../sim/types';

/** Request (client -> server): simulate a network document now (command palette, code lens). */
export const SimulateRequest = 'accelmap/simulate';
export interface SimulateParams {
  uri: string;
  /** Restrict to these targets (names); default: the targets the network resolves to. */
  targets?: string[];
  baseline?: string;
  /**
   * 'wire': the answer carries the result in its columnar wire form (`wire`, as the run's notification does) instead
   * of its objects (`result`): what the extension asks for, so a result crosses in full once. Default 'result'.
   */
  form?: 'result' | 'wire';
}
export interface SimulateResponse {
  uri: string;
  version: number | null;
  /** Absent when the document has errors that stop simulation (then `error` says which), or when `wire` holds it. */
  result?: SimulationResult;
  /** The result in its columnar wire form (lsp/resultWire.ts), when the request asked for `form: 'wire'`. */
  wire?: import('./wireDecode').WireResult;
  error?: string;
  elapsedMs: number;
}

/**
 * Notification (server -> client): a simulation finished (after save, or after SimulateRequest). The result comes in
 * its columnar wire form (`wire`, lsp/resultWire.ts: ~3x smaller than the objects' JSON); `result` is the decoded
 * SimulationResult a client keeps after decodeResult().
 */
export const SimulationResultNotification = 'accelmap/simulationResult';
export type SimulationResultParams = SimulateResponse;

/** Notification (server -> client): health for the status item. */
export const StatusNotification = 'accelmap/status';
export interface StatusParams {
  state: 'starting' | 'ready' | 'busy' | 'error';
  message: string;
  /** Spec documents the server currently tracks. */
  documents: number;
  lastRunMs?: number;
}

/** Request (client -> server): the built-in preset shown as a read-only hardware spec (target of go-to-definition). */
export const PresetSourceRequest = 'accelmap/presetSource';
export interface PresetSourceParams {
  name: string;
}
export interface PresetSourceResponse {
  name: string;
  text: string;
}
/** URI scheme of preset documents: `accelmap-preset:/<name>.hw.yaml`. The client serves it via PresetSourceRequest. */
export const PRESET_SCHEME = 'accelmap-preset';

/** Request (client -> server): import an ONNX model and write it as a network spec. */
export const ImportOnnxRequest = 'accelmap/importOnnx';
export interface ImportOnnxParams {
  /** Absolute path of the .onnx file. */
  path: string;
  /** Absolute path of the spec to write; the server never overwrites unless `overwrite` is true. */
  outPath: string;
  overwrite?: boolean;
  batch?: number;
  name?: string;
  /** Values of the model's symbolic dimensions other than the batch (e.g. { seq: 128 }). */
  dims?: Record<string, number>;
}
export interface ImportOnnxResponse {
  written: boolean;
  outPath: string;
  /** 'exists' when outPath exists and overwrite was not set. */
  reason?: 'exists' | 'error';
  error?: string;
  /** When the import stopped for want of values of symbolic dimensions: their names (ask, then send `dims`). */
  missingDims?: string[];
  warnings: string[];
  layerCount: number;
}

/**
 * Request (client -> server): the last simulation of a network as a Chrome/Perfetto trace (cli/trace.ts; the
 * dependency arrows need the network's layer graph, which only the server has). `error` when it has no result.
 */
export const TraceRequest = 'accelmap/trace';
export interface TraceParams {
  uri: string;
}
/** Request (client -> server): the scaling curve of a system target for a network (kinds/system/scaling.ts). */
export const ScaleRequest = 'accelmap/scale';
export interface ScaleParams {
  uri: string;
  target: string;
}
export interface ScaleResponse {
  uri: string;
  target: string;
  points: import('../kinds/system/scaling').ScalingPoint[];
  error?: string;
}

/** Request (client -> server): the last simulation of a network as a self-contained HTML report (cli/html.ts). */
export const ReportRequest = 'accelmap/report';
/** `format`: 'html' (default) — the self-contained report; 'csv' — one row per (target, layer, phase), SI units. */
export interface ReportParams {
  uri: string;
  format?: 'html' | 'csv';
}
export interface ReportResponse {
  uri: string;
  version: number | null;
  html?: string;
  csv?: string;
  error?: string;
}

export interface TraceResponse {
  uri: string;
  version: number | null;
  trace?: import('../cli/trace').ChromeTrace;
  error?: string;
}

/** Request (client -> server): every built-in preset (for pickers). */
export const ListTargetsRequest = 'accelmap/listTargets';
export interface ListTargetsResponse {
  targets: { name: string; kind: string; description: string; source: 'preset' | 'workspace'; uri?: string }[];
}

/**
 * Request (client -> server): map every loop nest of the network's spatial targets with the full mapper budget, on
 * every core, and republish the simulation when done. Progress: `$/progress` on `workDoneToken` (begin / report /
 * end, cancellable); cancelling the request stops the search (the nests mapped so far stay cached).
 */
export const SearchMappingsRequest = 'accelmap/searchMappings';
export interface SearchMappingsParams {
  uri: string;
  targets?: string[];
  workDoneToken?: string | number;
}
export interface SearchMappingsResponse {
  uri: string;
  /** The spatial targets searched. */
  targets: string[];
  /** Distinct loop nests of those targets, how many needed a search, how many were mapped now. */
  nests: number;
  searched: number;
  mapped: number;
  workers: number;
  seconds: number;
  cancelled: boolean;
  error?: string;
}

/**
 * Request (client -> server): how one layer is mapped on every target of the last run (the dashboard's Mapping view).
 */
/** Runs the sweep spec of an open document (kind: sweep) with $/progress on `workDoneToken`; cancellable. */
export const RunSweepRequest = 'accelmap/runSweep';
export interface RunSweepParams {
  uri: string;
  workDoneToken?: string | number;
}
export type RunSweepResponse = import('../sim/types').SweepReport | { uri: string; error: string };

/** One design point of a sweep as a hardware spec (YAML text for an untitled document). */
export const SweepDesignRequest = 'accelmap/sweepDesign';
export interface SweepDesignParams {
  uri: string;
  index: number;
}
export type SweepDesignResponse =
  { uri: string; index: number; text: string } | { uri: string; index: number; error: string };

/** Terms and sensitivities of a layer (or the step, or one phase) on a simulated target of the last run. */
export const ExplainRequest = 'accelmap/explain';
export interface ExplainParams {
  uri: string;
  target?: string;
  layer?: string;
  phase?: import('../sim/types').Phase;
}
export type ExplainResponse = import('../sim/types').ExplainReport | { uri: string; error: string };

export const MappingRequest = 'accelmap/mapping';
export interface MappingParams {
  uri: string;
  layer: string;
}
export type MappingResponse = import('../sim/types').MappingReport | { uri: string; layer: string; error: string };
