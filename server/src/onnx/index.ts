// Public API of the ONNX importer: reads an .onnx file's structure (never its weight payloads) and writes it as an
// accelmap network spec. Used by the language server ("Import ONNX Model…"), the CLI and tests.
import { basename } from 'node:path';
import { statSync } from 'node:fs';
import { BufferSource, FileSource, type ByteSource } from './source';
import { decodeModel, type ModelInfo } from './proto';
import { WireError } from './wire';
import { ImportError, mapGraph, type MappedGraph } from './map';
import { toYaml } from './yaml';
import { analyze } from '../spec/index';

/** Whether the spec core finds errors in an imported spec (shapes that do not chain). */
function specHasErrors(yaml: string): boolean {
  return analyze('file:///imported.net.yaml', yaml).diagnostics.some((d) => d.severity === 'error');
}

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
      throw new ImportError(
        `${label}: not a readable ONNX model (${e.message}); the file is truncated, corrupt or not ONNX — re-export or re-download it`,
      );
    }
    throw e;
  }
}

function convert(m: ModelInfo, label: string, opts: ImportOptions): Omit<OnnxImport, 'reads'> {
  if (opts.batch !== undefined && (!Number.isInteger(opts.batch) || opts.batch < 1)) {
    throw new ImportError(`batch must be a positive integer (got ${opts.batch})`);
  }
  if (!m.opsets.length && !m.graph.nodes.length)
    throw new ImportError(`${label}: not an ONNX model (no opset_import and no graph nodes)`);
  const main = m.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (!main)
    throw new ImportError(
      `${label}: the model imports no default-domain opset; export it with opset ${MIN_OPSET}..${MAX_OPSET}`,
    );
  if (main.version < MIN_OPSET || main.version > MAX_OPSET) {
    throw new ImportError(
      `${label}: opset ${main.version} is not supported (accelmap reads opsets ${MIN_OPSET}..${MAX_OPSET}); convert it with onnx.version_converter.convert_version(model, 17) or re-export with opset_version=17`,
    );
  }
  const map = (batch: number | undefined, batchAxis = opts.batchAxis) =>
    mapGraph(m.graph, main.version, { batch, dims: opts.dims, input: opts.input, batchAxis, functions: m.functions });
  // The file name, not the graph name: exporters name every graph alike (`main_graph`, `torch_jit`, `tf2onnx`).
  const name = opts.name ?? basename(label).replace(/\.onnx$/i, '');
  const write = (g: MappedGraph) =>
    toYaml(g, {
      name,
      source: basename(label),
      opset: main.version,
      producer: m.producer,
      precision: opts.precision,
      optimizer: opts.optimizer,
    });
  let graph: MappedGraph;
  let yaml: string;
  let failure: unknown;
  try {
    graph = map(opts.batch);
    yaml = write(graph);
    // A static graph read at another batch than it was traced with can carry the trace's batch in shape constants
    // that no rule recovers: when the spec it gives does not check, it is read at its own batch instead (the spec's
    // shapes exclude the batch) and batch_size is set to the one asked for.
    if (opts.batch !== undefined && graph.exportBatch > 0 && graph.exportBatch !== opts.batch && specHasErrors(yaml))
      failure = new Error('inconsistent');
  } catch (e) {
    if (!(e instanceof ImportError)) throw e;
    failure = e;
  }
  if (failure !== undefined) {
    // Seq-first token ids ([T, N], as nn.Transformer takes them) read with the batch on axis 0: axis 1 is tried
    // first when the graph has a static rank-2 integer input; then the graph at the batch it was traced with.
    const inits = new Set(m.graph.initializers.map((t) => t.name));
    const tokens2d = m.graph.inputs.some(
      (v) =>
        !inits.has(v.name) &&
        (v.elemType === 7 || v.elemType === 6) &&
        v.shape?.length === 2 &&
        v.shape.every((d) => typeof d === 'number'),
    );
    const attempt = (b: number | undefined, axis?: number): MappedGraph | undefined => {
      try {
        const g2 = map(b, axis);
        return specHasErrors(write(g2)) ? undefined : g2;
      } catch {
        return undefined;
      }
    };
    const seqFirst = opts.batchAxis === undefined && tokens2d ? attempt(opts.batch, 1) : undefined;
    const own = seqFirst || opts.batch === undefined ? undefined : attempt(undefined);
    if (seqFirst) {
      seqFirst.warnings.push(
        'the data input is read as seq-first ([T, N]: the batch on axis 1), the only reading that gives consistent shapes; pass --batch-axis to choose',
      );
      graph = seqFirst;
    } else if (own && own.exportBatch > 0 && own.exportBatch !== opts.batch) {
      own.warnings.push(
        `the graph was traced at batch ${own.exportBatch} with that batch in its shape constants: its shapes were read at batch ${own.exportBatch} and batch_size set to ${opts.batch}`,
      );
      own.batch = opts.batch!;
      own.inputShape = own.inputShape.map((d, i) => (i === own.inputBatchAxis ? opts.batch! : d));
      graph = own;
    } else if (failure instanceof ImportError) {
      const hint =
        tokens2d && opts.batchAxis === undefined && !/symbolic|dynamic/.test(failure.message)
          ? '; if the token input is seq-first ([T, N]), pass --batch-axis 1'
          : '';
      throw new ImportError(`${label}: ${failure.message}${hint}`, failure.missingDims);
    }
    // else: the first reading stands, and the spec's own diagnostics say where its shapes disagree
    yaml = write(graph!);
  }
  return {
    yaml: yaml!,
    layerCount: graph!.layers.length,
    warnings: graph!.warnings,
    graph: graph!,
    opset: main.version,
    producer: m.producer,
  };
}

/** Imports an ONNX file. Throws an `ImportError` whose message names the file, the node and what to do. */
export async function importOnnxFile(
  path: string,
  opts: ImportOptions = {},
): Promise<{ yaml: string; layerCount: number; warnings: string[] } & OnnxImport> {
  return importOnnxFileSync(path, opts);
}

export function importOnnxFileSync(path: string, opts: ImportOptions = {}): OnnxImport {
  let src: FileSource;
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
    src = new FileSource(path);
  } catch (e) {
    throw new ImportError(
      `${path}: cannot open the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
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
