// A tiny ONNX (protobuf) writer for tests and the bench: just the fields the importer reads, by field number
// (onnx/onnx.proto). Written by hand so tests can build small models (and huge ones, streamed) without a schema.

export function varint(v: number | bigint): Buffer {
  let x = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x) b |= 0x80;
    out.push(b);
  } while (x);
  return Buffer.from(out);
}

const key = (num: number, wire: number): Buffer => varint(num * 8 + wire);
export const fVarint = (num: number, v: number | bigint): Buffer => Buffer.concat([key(num, 0), varint(v)]);
export const fBytes = (num: number, b: Buffer): Buffer => Buffer.concat([key(num, 2), varint(b.length), b]);
export const fString = (num: number, s: string): Buffer => fBytes(num, Buffer.from(s, 'utf8'));
export const fFloat = (num: number, v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeFloatLE(v);
  return Buffer.concat([key(num, 5), b]);
};

export const DT = { FLOAT: 1, INT32: 6, INT64: 7 } as const;

export interface TensorSpec {
  name: string;
  dims: number[];
  dataType?: number;
  /** Payload written as raw_data. */
  raw?: Buffer;
  /** Values written as packed int64_data. */
  int64?: number[];
  floats?: number[];
  external?: { location: string; offset?: number; length?: number };
}

export function tensor(t: TensorSpec): Buffer {
  const parts = [
    fBytes(1, Buffer.concat(t.dims.map((d) => varint(d)))),
    fVarint(2, t.dataType ?? DT.FLOAT),
    fString(8, t.name),
  ];
  if (t.int64) parts.push(fBytes(7, Buffer.concat(t.int64.map((v) => varint(v)))));
  if (t.floats) {
    const b = Buffer.alloc(4 * t.floats.length);
    t.floats.forEach((v, i) => b.writeFloatLE(v, 4 * i));
    parts.push(fBytes(4, b));
  }
  if (t.raw) parts.push(fBytes(9, t.raw));
  if (t.external) {
    const kv = (k: string, v: string) => fBytes(13, Buffer.concat([fString(1, k), fString(2, v)]));
    parts.push(kv('location', t.external.location));
    if (t.external.offset !== undefined) parts.push(kv('offset', String(t.external.offset)));
    if (t.external.length !== undefined) parts.push(kv('length', String(t.external.length)));
    parts.push(fVarint(14, 1));
  }
  return Buffer.concat(parts);
}

/** Fields of a TensorProto up to and including the raw_data key and length, for streaming a large payload after. */
export function tensorHeaderForRaw(name: string, dims: number[], dataType: number, rawLen: number): Buffer {
  return Buffer.concat([
    fBytes(1, Buffer.concat(dims.map((d) => varint(d)))),
    fVarint(2, dataType),
    fString(8, name),
    key(9, 2),
    varint(rawLen),
  ]);
}

export type AttrValue =
  | { i: number }
  | { f: number }
  | { s: string }
  | { ints: number[] }
  | { floats: number[] }
  | { t: TensorSpec }
  | { g: GraphSpec }
  | { ref: string };

export function attribute(name: string, a: AttrValue): Buffer {
  const parts = [fString(1, name)];
  if ('i' in a) parts.push(fVarint(20, 2), fVarint(3, a.i));
  else if ('f' in a) parts.push(fVarint(20, 1), fFloat(2, a.f));
  else if ('s' in a) parts.push(fVarint(20, 3), fString(4, a.s));
  else if ('ints' in a) parts.push(fVarint(20, 7), ...a.ints.map((v) => fVarint(8, v)));
  else if ('floats' in a) parts.push(fVarint(20, 6), ...a.floats.map((v) => fFloat(7, v)));
  else if ('g' in a) parts.push(fVarint(20, 5), fBytes(6, graphBytes(a.g)));
  else if ('ref' in a)
    parts.push(fVarint(20, 2), fString(21, a.ref)); // an attribute reference inside a function
  else parts.push(fVarint(20, 4), fBytes(5, tensor(a.t)));
  return Buffer.concat(parts);
}

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  domain?: string;
  attrs?: Record<string, AttrValue>;
}

export function node(n: NodeSpec): Buffer {
  const parts = [...n.inputs.map((s) => fString(1, s)), ...n.outputs.map((s) => fString(2, s))];
  if (n.name !== undefined) parts.push(fString(3, n.name));
  parts.push(fString(4, n.op));
  if (n.domain) parts.push(fString(7, n.domain));
  for (const [k, v] of Object.entries(n.attrs ?? {})) parts.push(fBytes(5, attribute(k, v)));
  return Buffer.concat(parts);
}

export function valueInfo(name: string, dims: (number | string)[], elemType: number = DT.FLOAT): Buffer {
  const dimMsgs = dims.map((d) => fBytes(1, typeof d === 'number' ? fVarint(1, d) : fString(2, d)));
  const tensorType = Buffer.concat([fVarint(1, elemType), fBytes(2, Buffer.concat(dimMsgs))]);
  return Buffer.concat([fString(1, name), fBytes(2, fBytes(1, tensorType))]);
}

export interface GraphSpec {
  name?: string;
  nodes: NodeSpec[];
  initializers?: TensorSpec[];
  inputs: { name: string; dims: (number | string)[]; elemType?: number }[];
  outputs: { name: string; dims: (number | string)[] }[];
  valueInfo?: { name: string; dims: (number | string)[] }[];
}

/** A model-local function (FunctionProto), as the dynamo-based exporter writes modules. */
export interface FunctionSpec {
  name: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  nodes: NodeSpec[];
  attributes?: string[];
}

export function graphBytes(g: GraphSpec): Buffer {
  return Buffer.concat([
    ...g.nodes.map((n) => fBytes(1, node(n))),
    fString(2, g.name ?? 'test_graph'),
    ...(g.initializers ?? []).map((t) => fBytes(5, tensor(t))),
    ...g.inputs.map((v) => fBytes(11, valueInfo(v.name, v.dims, v.elemType))),
    ...g.outputs.map((v) => fBytes(12, valueInfo(v.name, v.dims))),
    ...(g.valueInfo ?? []).map((v) => fBytes(13, valueInfo(v.name, v.dims))),
  ]);
}

export function modelHeader(opset: number): Buffer {
  return Buffer.concat([
    fVarint(1, 8),
    fString(2, 'accelmap-test'),
    fBytes(8, Buffer.concat([fString(1, ''), fVarint(2, opset)])),
  ]);
}

export function model(
  g: GraphSpec,
  opset = 17,
  extra: { functions?: FunctionSpec[]; domains?: { domain: string; version: number }[] } = {},
): Buffer {
  const fns = (extra.functions ?? []).map((f) =>
    fBytes(
      25,
      Buffer.concat([
        fString(1, f.name),
        ...f.inputs.map((t) => fString(4, t)),
        ...f.outputs.map((t) => fString(5, t)),
        ...(f.attributes ?? []).map((a) => fString(6, a)),
        ...f.nodes.map((n) => fBytes(7, node(n))),
        fString(10, f.domain),
      ]),
    ),
  );
  const doms = (extra.domains ?? []).map((d) =>
    fBytes(8, Buffer.concat([fString(1, d.domain), fVarint(2, d.version)])),
  );
  return Buffer.concat([modelHeader(opset), ...doms, fBytes(7, graphBytes(g)), ...fns]);
}

/** Weight payload of `n` float32 zeros (tests only need sizes). */
export const zeros = (dims: number[]): Buffer => Buffer.alloc(4 * dims.reduce((a, b) => a * b, 1));
