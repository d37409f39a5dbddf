// Decodes the parts of an ONNX ModelProto that the importer needs, by field number (onnx/onnx.proto, IR v3..v10):
//   ModelProto  1 ir_version, 8 opset_import(1 domain, 2 version), 2 producer_name, 7 graph
//   GraphProto  1 node, 2 name, 5 initializer, 11 input, 12 output, 13 value_info
//   NodeProto   1 input, 2 output, 3 name, 4 op_type, 5 attribute, 7 domain
//   AttributeProto 1 name, 20 type, 2 f, 3 i, 4 s, 5 t, 6 g (If/Loop bodies), 7 floats, 8 ints, 9 strings,
//               10 tensors, 21 ref_attr_name (inside functions)
//   ModelProto  25 functions -> FunctionProto 1 name, 4 input, 5 output, 7 node, 10 domain, 11 attribute_proto
//   ValueInfoProto 1 name, 2 type -> TypeProto 1 tensor_type -> 1 elem_type, 2 shape -> 1 dim(1 dim_value, 2 dim_param)
//   TensorProto 1 dims, 2 data_type, 4 float_data, 5 int32_data, 7 int64_data, 8 name, 9 raw_data,
//               13 external_data(1 key, 2 value), 14 data_location (1 = EXTERNAL)
// Tensor payloads are never read, except small integer/float tensors (<= SMALL_TENSOR_BYTES) whose values shape
// arithmetic needs (Reshape targets, Clip bounds, Slice indices).
// Why hand-written rather than onnx-proto/protobufjs: those decode a whole ModelProto into memory, raw_data
// included; this reader seeks over payloads, so a model with 1 GiB of weights imports in ~5 ms at ~1.5 MiB above an
// idle process's peak RSS (npm run bench, onnx import).
import type { ByteSource } from './source';
import { fields, pushFloats, pushInts, readString, WireError, type Field } from './wire';

export const SMALL_TENSOR_BYTES = 4096;

/** ONNX TensorProto.DataType values and byte sizes (0 = sub-byte or variable). */
export const DTYPE_SIZE: Record<number, number> = {
  1: 4,
  2: 1,
  3: 1,
  4: 2,
  5: 2,
  6: 4,
  7: 8,
  8: 0,
  9: 1,
  10: 2,
  11: 8,
  12: 4,
  13: 8,
  14: 8,
  15: 16,
  16: 2,
  17: 1,
  18: 1,
  19: 1,
  20: 1,
  21: 0,
  22: 0,
};

export type Dim = number | string; // dim_value or dim_param ('?' when neither is set)

export interface TensorInfo {
  name: string;
  dims: number[];
  dataType: number;
  /** Values of small int/float tensors; undefined when not read (large or other types). */
  values?: number[];
  /** Payload size in bytes stored in the file (raw_data or typed arrays), skipped unread. */
  payloadBytes: number;
  external?: { location: string; offset: number; length: number };
}

export interface ValueInfo {
  name: string;
  elemType: number;
  shape?: Dim[];
}

export interface Attribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: string;
  t?: TensorInfo;
  floats?: number[];
  ints?: number[];
  strings?: string[];
  /** A subgraph (If then_branch/else_branch, Loop body). */
  g?: GraphInfo;
  /** Inside a function body: the caller's attribute this one takes its value from. */
  refAttrName?: string;
}

export interface NodeInfo {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attrs: Map<string, Attribute>;
}

export interface GraphInfo {
  name: string;
  nodes: NodeInfo[];
  initializers: TensorInfo[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  valueInfo: ValueInfo[];
}

export interface ModelInfo {
  irVersion: number;
  producer: string;
  opsets: { domain: string; version: number }[];
  graph: GraphInfo;
  /** Model-local functions (the dynamo-based exporter writes modules as functions), inlined by the importer. */
  functions: FunctionInfo[];
}

export interface FunctionInfo {
  name: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  nodes: NodeInfo[];
  /** Default values of the function's attributes. */
  attrs: Map<string, Attribute>;
}

function expectLen(f: Field, what: string): void {
  if (f.wire !== 2) throw new WireError(`${what} has wire type ${f.wire}, expected a message`);
}

export function decodeTensor(src: ByteSource, start: number, end: number): TensorInfo {
  const t: TensorInfo = { name: '', dims: [], dataType: 0, payloadBytes: 0 };
  let raw: Field | undefined;
  const ints: number[] = [];
  const floats: number[] = [];
  const extKv: Record<string, string> = {};
  let location = 0;
  for (const f of fields(src, start, end)) {
    switch (f.num) {
      case 1:
        pushInts(src, f, t.dims);
        break;
      case 2:
        t.dataType = f.value;
        break;
      case 8:
        t.name = readString(src, f);
        break;
      case 9:
        raw = f;
        t.payloadBytes += f.end - f.start;
        break;
      case 4:
      case 10: // float_data, double_data
        t.payloadBytes += f.end - f.start;
        if (f.num === 4 && f.end - f.start <= SMALL_TENSOR_BYTES) pushFloats(src, f, floats);
        break;
      case 5:
      case 7:
      case 11: // int32_data, int64_data, uint64_data
        t.payloadBytes += f.end - f.start;
        if (f.end - f.start <= SMALL_TENSOR_BYTES) pushInts(src, f, ints);
        break;
      case 13: {
        expectLen(f, 'TensorProto.external_data');
        let k = '',
          v = '';
        for (const g of fields(src, f.start, f.end)) {
          if (g.num === 1) k = readString(src, g);
          else if (g.num === 2) v = readString(src, g);
        }
        extKv[k] = v;
        break;
      }
      case 14:
        location = f.value;
        break;
      default:
        break; // segment, string_data, doc_string, metadata: skipped
    }
  }
  if (location === 1 || extKv.location !== undefined) {
    t.external = {
      location: extKv.location ?? '',
      offset: Number(extKv.offset ?? 0),
      length: Number(extKv.length ?? 0),
    };
  }
  const elems = t.dims.reduce((a, b) => a * b, 1);
  if (raw && raw.end - raw.start <= SMALL_TENSOR_BYTES) {
    const b = src.bytes(raw.start, raw.end - raw.start);
    const vals: number[] = [];
    if (t.dataType === 7) for (let i = 0; i + 8 <= b.length; i += 8) vals.push(Number(b.readBigInt64LE(i)));
    else if (t.dataType === 6) for (let i = 0; i + 4 <= b.length; i += 4) vals.push(b.readInt32LE(i));
    else if (t.dataType === 1) for (let i = 0; i + 4 <= b.length; i += 4) vals.push(b.readFloatLE(i));
    else if (t.dataType === 11) for (let i = 0; i + 8 <= b.length; i += 8) vals.push(b.readDoubleLE(i));
    else if (t.dataType === 9 || t.dataType === 2) for (let i = 0; i < b.length; i++) vals.push(b[i]);
    else if (t.dataType === 3) for (let i = 0; i < b.length; i++) vals.push(b.readInt8(i));
    if (vals.length === elems) t.values = vals;
  } else if (!raw && !t.external) {
    if (ints.length && ints.length === elems) t.values = ints;
    else if (floats.length && floats.length === elems) t.values = floats;
    else if (elems === 0) t.values = [];
  }
  return t;
}

function decodeValueInfo(src: ByteSource, start: number, end: number): ValueInfo {
  const v: ValueInfo = { name: '', elemType: 0 };
  for (const f of fields(src, start, end)) {
    if (f.num === 1) v.name = readString(src, f);
    else if (f.num === 2) {
      expectLen(f, 'ValueInfoProto.type');
      for (const tt of fields(src, f.start, f.end)) {
        if (tt.num !== 1 || tt.wire !== 2) continue; // only tensor_type
        for (const g of fields(src, tt.start, tt.end)) {
          if (g.num === 1) v.elemType = g.value;
          else if (g.num === 2 && g.wire === 2) {
            const shape: Dim[] = [];
            for (const d of fields(src, g.start, g.end)) {
              if (d.num !== 1 || d.wire !== 2) continue;
              let dim: Dim = '?';
              for (const x of fields(src, d.start, d.end)) {
                if (x.num === 1) dim = x.value;
                else if (x.num === 2) dim = readString(src, x);
              }
              shape.push(dim);
            }
            v.shape = shape;
          }
        }
      }
    }
  }
  return v;
}

function decodeAttribute(src: ByteSource, start: number, end: number): Attribute {
  const a: Attribute = { name: '', type: 0 };
  for (const f of fields(src, start, end)) {
    switch (f.num) {
      case 1:
        a.name = readString(src, f);
        break;
      case 20:
        a.type = f.value;
        break;
      case 2:
        a.f = f.value;
        break;
      case 3:
        a.i = f.value;
        break;
      case 4:
        a.s = readString(src, f);
        break;
      case 5:
        expectLen(f, 'AttributeProto.t');
        a.t = decodeTensor(src, f.start, f.end);
        break;
      case 7:
        pushFloats(src, f, (a.floats ??= []));
        break;
      case 8:
        pushInts(src, f, (a.ints ??= []));
        break;
      case 9:
        (a.strings ??= []).push(readString(src, f));
        break;
      case 6:
        expectLen(f, 'AttributeProto.g');
        a.g = decodeGraph(src, f.start, f.end);
        break;
      case 21:
        a.refAttrName = readString(src, f);
        break;
      default:
        break; // graph lists, sparse tensors, type protos: not needed for cost
    }
  }
  return a;
}

function decodeNode(src: ByteSource, start: number, end: number): NodeInfo {
  const n: NodeInfo = { name: '', opType: '', domain: '', inputs: [], outputs: [], attrs: new Map() };
  for (const f of fields(src, start, end)) {
    switch (f.num) {
      case 1:
        n.inputs.push(readString(src, f));
        break;
      case 2:
        n.outputs.push(readString(src, f));
        break;
      case 3:
        n.name = readString(src, f);
        break;
      case 4:
        n.opType = readString(src, f);
        break;
      case 7:
        n.domain = readString(src, f);
        break;
      case 5: {
        expectLen(f, 'NodeProto.attribute');
        const a = decodeAttribute(src, f.start, f.end);
        n.attrs.set(a.name, a);
        break;
      }
      default:
        break;
    }
  }
  return n;
}

export function decodeGraph(src: ByteSource, start: number, end: number): GraphInfo {
  const g: GraphInfo = { name: '', nodes: [], initializers: [], inputs: [], outputs: [], valueInfo: [] };
  for (const f of fields(src, start, end)) {
    switch (f.num) {
      case 1:
        expectLen(f, 'GraphProto.node');
        g.nodes.push(decodeNode(src, f.start, f.end));
        break;
      case 2:
        g.name = readString(src, f);
        break;
      case 5:
        expectLen(f, 'GraphProto.initializer');
        g.initializers.push(decodeTensor(src, f.start, f.end));
        break;
      case 11:
        expectLen(f, 'GraphProto.input');
        g.inputs.push(decodeValueInfo(src, f.start, f.end));
        break;
      case 12:
        expectLen(f, 'GraphProto.output');
        g.outputs.push(decodeValueInfo(src, f.start, f.end));
        break;
      case 13:
        expectLen(f, 'GraphProto.value_info');
        g.valueInfo.push(decodeValueInfo(src, f.start, f.end));
        break;
      default:
        break;
    }
  }
  return g;
}

export function decodeModel(src: ByteSource): ModelInfo {
  const m: ModelInfo = {
    irVersion: 0,
    producer: '',
    opsets: [],
    graph: { name: '', nodes: [], initializers: [], inputs: [], outputs: [], valueInfo: [] },
    functions: [],
  };
  let sawGraph = false;
  for (const f of fields(src, 0, src.size)) {
    switch (f.num) {
      case 1:
        m.irVersion = f.value;
        break;
      case 2:
        m.producer = readString(src, f);
        break;
      case 8: {
        expectLen(f, 'ModelProto.opset_import');
        let domain = '',
          version = 0;
        for (const g of fields(src, f.start, f.end)) {
          if (g.num === 1) domain = readString(src, g);
          else if (g.num === 2) version = g.value;
        }
        m.opsets.push({ domain, version });
        break;
      }
      case 7:
        expectLen(f, 'ModelProto.graph');
        m.graph = decodeGraph(src, f.start, f.end);
        sawGraph = true;
        break;
      case 25:
        expectLen(f, 'ModelProto.functions');
        m.functions.push(decodeFunction(src, f.start, f.end));
        break;
      default:
        break;
    }
  }
  if (!sawGraph) throw new WireError('the file has no graph (ModelProto field 7)');
  return m;
}

function decodeFunction(src: ByteSource, start: number, end: number): FunctionInfo {
  const fn: FunctionInfo = { name: '', domain: '', inputs: [], outputs: [], nodes: [], attrs: new Map() };
  for (const f of fields(src, start, end)) {
    switch (f.num) {
      case 1:
        fn.name = readString(src, f);
        break;
      case 4:
        fn.inputs.push(readString(src, f));
        break;
      case 5:
        fn.outputs.push(readString(src, f));
        break;
      case 7:
        expectLen(f, 'FunctionProto.node');
        fn.nodes.push(decodeNode(src, f.start, f.end));
        break;
      case 10:
        fn.domain = readString(src, f);
        break;
      case 11: {
        expectLen(f, 'FunctionProto.attribute_proto');
        const a = decodeAttribute(src, f.start, f.end);
        fn.attrs.set(a.name, a);
        break;
      }
      default:
        break;
    }
  }
  return fn;
}
