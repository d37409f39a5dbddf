// The importer's output: the layers of a mapped graph with their full ONNX shapes (read by tests and tools) and
// what is written as the spec.
import type { LayerType } from '../spec/types';

export interface ImportedLayer {
  name: string;
  type: LayerType;
  /** Spec keys of the layer other than name/type/inputs/output_shape/origin, in writing order. */
  keys: [string, number | string | boolean | number[]][];
  /** Producer layers ('input' = the network input). */
  inputs: string[];
  /** Full ONNX output shape, batch included. */
  outShape: number[];
  /** Output shape as the spec states it (batch excluded; written as `output_shape:`). */
  specShape: number[];
  inShapes: number[][];
  /** Whether `output_shape:` is written for this layer. */
  writeShape: boolean;
  origin: string;
  opType: string;
  /** Weight tensor shape (conv, linear, embedding, lstm W). */
  weightShape?: number[];
}

export interface MappedGraph {
  batch: number;
  /** Network input shape, batch included. */
  inputShape: number[];
  /** Axis of inputShape that is the batch. */
  inputBatchAxis: number;
  /** The batch the graph was exported with (-1 when symbolic). */
  exportBatch: number;
  layers: ImportedLayer[];
  warnings: string[];
}
