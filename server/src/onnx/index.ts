// Public API of the ONNX importer: reads an .onnx file's structure (never its weight payloads) and writes it as an
// accelmap network spec. Used by the language server ("Import ONNX Model…"), the CLI and tests.
import { basename } from 'node:path';
import { statSync } from 'node:fs';
import { BufferSource, FileSource, type ByteSource } from './source';
import { decodeModel, type ModelInfo } from './proto';
import { WireError } from './wire';
import { ImportError, mapGraph, type MappedGraph } from './map';
import { toYaml } from './yaml';

export type { ImportedLayer, MappedGraph } from './map';
export { ImportError } from './map';

export const MIN_OPSET = 11;
export const MAX_OPSET = 21;

export interface ImportOptions {
  batch?: number;
  name?: string;
  /** Values of symbolic dimensions other than the batch (`--dim seq=128`). */
  dims?: Record<string, number>;
  /** The graph input that is the data input (`--input NAME`); by default told from how inputs are used. */
  input?: string;
  /** The data input's batch axis (`--batch-axis 1` for seq-first [T, N] inputs). */
  batchAxis?: number;
  /** Written into the spec: how the network is trained (`--precision`, `--optimizer`). */
  precision?: string;
  optimizer?: Record<string, string | number>;
}

export interface OnnxImport {
  yaml: string;
  layerCount: number;
  warnings: string[];
  /** The mapped layers with full ONNX shapes (batch included), for tests and tools. */
  graph: MappedGraph;
  opset: number;
  producer: string;
  /** Positional reads made (a measure of how little of the file was touched). */
  reads: number;
}

function decode(src: ByteSource, label: string): ModelInfo {
  try {
    return decodeModel(src);
  } catch (e) {
    if (e instanceof WireError) {
      throw new ImportError(`${label}: not a readable ONNX model (${e.message}); the file is truncated, corrupt or not ONNX — re-export or re-download it`);
    }
    throw e;
  }
}

function convert(m: ModelInfo, label: string, opts: ImportOptions): Omit<OnnxImport, 'reads'> {
  if (opts.batch !== undefined && (!Number.isInteger(opts.batch) || opts.batch < 1)) {
    throw new ImportError(`batch must be a positive integer (got ${opts.batch})`);
  }
  if (!m.opsets.length && !m.graph.nodes.length) throw new ImportError(`${label}: not an ONNX model (no opset_import and no graph nodes)`);
  const main = m.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (!main) throw new ImportError(`${label}: the model imports no default-domain opset; export it with opset ${MIN_OPSET}..${MAX_OPSET}`);
  if (main.version < MIN_OPSET || main.version > MAX_OPSET) {
    throw new ImportError(`${label}: opset ${main.version} is not supported (accelmap reads opsets ${MIN_OPSET}..${MAX_OPSET}); convert it with onnx.version_converter.convert_version(model, 17) or re-export with opset_version=17`);
  }
  let graph: MappedGraph;
  try {
    graph = mapGraph(m.graph, main.version, { batch: opts.batch, dims: opts.dims, input: opts.input, batchAxis: opts.batchAxis, functions: m.functions });
  } catch (e) {
    if (e instanceof ImportError) throw new ImportError(`${label}: ${e.message}`);
    throw e;
  }
  // The file name, not the graph name: exporters name every graph alike (`main_graph`, `torch_jit`, `tf2onnx`).
  const name = opts.name ?? basename(label).replace(/\.onnx$/i, '');
  const yaml = toYaml(graph, { name, source: basename(label), opset: main.version, producer: m.producer, precision: opts.precision, optimizer: opts.optimizer });
  return { yaml, layerCount: graph.layers.length, warnings: graph.warnings, graph, opset: main.version, producer: m.producer };
}

/** Imports an ONNX file. Throws an `ImportError` whose message names the file, the node and what to do. */
export async function importOnnxFile(path: string, opts: ImportOptions = {}): Promise<{ yaml: string; layerCount: number; warnings: string[] } & OnnxImport> {
  return importOnnxFileSync(path, opts);
}

export function importOnnxFileSync(path: string, opts: ImportOptions = {}): OnnxImport {
  let src: FileSource;
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
    src = new FileSource(path);
  } catch (e) {
    throw new ImportError(`${path}: cannot open the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    const m = decode(src, path);
    return { ...convert(m, path, opts), reads: src.reads };
  } finally {
    src.close();
  }
}

/** Imports an in-memory ONNX model (`label` names it in messages). */
export function importOnnxBuffer(buf: Buffer, label: string, opts: ImportOptions = {}): OnnxImport {
  const src = new BufferSource(buf);
  return { ...convert(decode(src, label), label, opts), reads: 0 };
}
