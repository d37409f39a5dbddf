// JSON Schemas of the spec files, generated from the same tables the validator uses (vocab.ts and the KINDS
// parameter tables), so editors without the language server (plain YAML/JSON extensions) still get completion,
// hover text, defaults and basic checks. Written to schemas/*.schema.json by scripts/gen-schemas.ts; a unit test
// fails when the files are stale.
import type { Dimension, ParamSpec } from './params';
import { KINDS } from '../kinds/params';
import {
  COMMON_LAYER_KEYS,
  DATA_SPACES,
  HARDWARE_KEYS,
  MAPPING_LEVEL_KEYS,
  MAPPING_PHASES,
  NEST_DIMS,
  LAYER_TYPES,
  LAYER_TYPE_NAMES,
  NETWORK_KEYS,
  OPTIMIZER_KEYS,
  PARALLEL_KEYS,
  OPTIMIZERS,
  TARGET_KEYS,
  type KeyInfo,
  type ValueType,
} from './vocab';
import { CANONICAL_UNIT, formatQuantity, hasUnit } from './units';

type Json = Record<string, unknown>;
const SCHEMA = 'http://json-schema.org/draft-07/schema#';
const intSchema = (min?: number, max?: number): Json => ({
  type: 'integer',
  ...(min !== undefined ? { minimum: min } : {}),
  ...(max !== undefined ? { maximum: max } : {}),
});
/** A number followed by a unit, e.g. `1.25 GHz`; the unit itself is checked by the language server. */
export const QUANTITY_PATTERN =
  '^\\s*[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?\\s*[A-Za-zµμ%][A-Za-z0-9µμ/^²%]*\\s*$';

function valueSchema(t: ValueType): Json {
  switch (t.t) {
    case 'int':
      return intSchema(t.min, t.max);
    case 'number':
      return {
        type: 'number',
        ...(t.min !== undefined ? (t.exclusiveMin ? { exclusiveMinimum: t.min } : { minimum: t.min }) : {}),
        ...(t.max !== undefined ? (t.exclusiveMax ? { exclusiveMaximum: t.max } : { maximum: t.max }) : {}),
      };
    case 'bool':
      return { type: 'boolean' };
    case 'string':
      return { type: 'string' };
    case 'enum':
      return { enum: [...t.values] };
    case 'intPair':
      return { oneOf: [intSchema(t.min), { type: 'array', items: intSchema(t.min), minItems: 2, maxItems: 2 }] };
    case 'padding':
      return {
        oneOf: [intSchema(0), { type: 'array', items: intSchema(0), minItems: 2, maxItems: 2 }, { const: 'same' }],
      };
    case 'intList':
      return {
        type: 'array',
        items: t.minusOne ? { type: 'integer', anyOf: [{ minimum: t.min }, { const: -1 }] } : intSchema(t.min),
        ...(t.nonEmpty ? { minItems: 1 } : {}),
      };
    case 'names':
      return { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
    case 'optimizer':
      return { oneOf: [{ enum: [...OPTIMIZERS] }, objectOf(OPTIMIZER_KEYS)] };
    case 'parallel':
      return objectOf(PARALLEL_KEYS);
    case 'mapping': {
      const factors = { type: 'object', additionalProperties: intSchema(1), propertyNames: { enum: [...NEST_DIMS] } };
      const names = (values: readonly string[]) => ({ type: 'array', items: { enum: [...values] } });
      const level = {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(
          MAPPING_LEVEL_KEYS.map((k) => [
            k.key,
            {
              description: k.doc,
              ...(k.key === 'temporal' || k.key === 'spatial'
                ? factors
                : names(k.key === 'keep' || k.key === 'bypass' ? DATA_SPACES : NEST_DIMS)),
            },
          ]),
        ),
      };
      return {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(
          MAPPING_PHASES.map((ph) => [
            ph,
            {
              type: 'object',
              description: `Pins per storage level for ${ph === 'all' ? 'every phase' : `the ${ph} phase`}.`,
              additionalProperties: level,
            },
          ]),
        ),
      };
    }
    case 'layers':
      return { type: 'array', items: { $ref: '#/definitions/layer' } };
  }
}

function keySchema(k: KeyInfo): Json {
  return { description: k.doc, ...valueSchema(k.type), ...(k.default !== undefined ? { default: k.default } : {}) };
}

function objectOf(keys: readonly KeyInfo[], extra: Json = {}): Json {
  const properties: Json = {};
  for (const k of keys) properties[k.key] = keySchema(k);
  const required = keys.filter((k) => k.required).map((k) => k.key);
  return {
    type: 'object',
    properties: { ...properties, ...extra },
    ...(required.length ? { required } : {}),
    additionalProperties: false,
  };
}

export function networkSchema(): Json {
  const layerType = { description: 'The layer type.', enum: [...LAYER_TYPE_NAMES] };
  const common: Json = {};
  for (const k of COMMON_LAYER_KEYS) common[k.key] = k.key === 'type' ? layerType : keySchema(k);
  const branches = LAYER_TYPE_NAMES.map((t) => {
    const info = LAYER_TYPES[t];
    const props: Json = { ...common, type: { ...layerType, const: t } };
    for (const k of info.keys) props[k.key] = keySchema(k);
    const required = ['type', ...info.keys.filter((k) => k.required).map((k) => k.key)];
    return {
      if: { properties: { type: { const: t } }, required: ['type'] },
      then: {
        description: `${info.doc} Shapes: ${info.shapes}.`,
        properties: props,
        required,
        additionalProperties: false,
      },
    };
  });
  const root = objectOf(NETWORK_KEYS);
  (root.properties as Json).kind = { description: NETWORK_KEYS[0].doc, const: 'network' };
  return {
    $schema: SCHEMA,
    $id: 'https://accelmap.dev/schemas/network.schema.json',
    title: 'accelmap network spec',
    description: 'A DNN to train: batch, precision, optimizer, input shape and layers (docs/spec-format.md).',
    ...root,
    definitions: {
      layer: { type: 'object', properties: common, required: ['type'], allOf: branches },
    },
  };
}

function paramSchema(p: ParamSpec): Json {
  const dim: Dimension = p.dim;
  const def = p.default;
  const source = ` Default: ${hasUnit(dim) && typeof def === 'number' ? formatQuantity(def, dim) : JSON.stringify(def)} (${p.defaultTag}: ${p.defaultSource}).`;
  if (hasUnit(dim)) {
    const range = [
      p.min !== undefined ? `min ${formatQuantity(p.min, dim)}` : '',
      p.max !== undefined ? `max ${formatQuantity(p.max, dim)}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    return {
      description: `${p.doc} Unit: ${CANONICAL_UNIT[dim]} with a prefix, e.g. \`${typeof def === 'number' ? formatQuantity(def, dim) : def}\`${range ? ` (${range})` : ''}.${source}`,
      type: 'string',
      pattern: QUANTITY_PATTERN,
      ...(typeof def === 'number' ? { default: formatQuantity(def, dim) } : {}),
    };
  }
  const base = { description: p.doc + source, default: def };
  switch (dim) {
    case 'count':
      return { ...base, ...intSchema(p.min, p.max) };
    case 'number':
      return {
        ...base,
        type: 'number',
        ...(p.min !== undefined ? { minimum: p.min } : {}),
        ...(p.max !== undefined ? { maximum: p.max } : {}),
      };
    case 'ratio':
      return {
        ...base,
        oneOf: [
          { type: 'number', minimum: p.min ?? 0, maximum: p.max ?? 1 },
          { type: 'string', pattern: '^\\s*\\d+(\\.\\d*)?\\s*%\\s*$' },
        ],
      };
    case 'enum':
      return { ...base, enum: [...(p.values ?? [])] };
    case 'bool':
      return { ...base, type: 'boolean' };
    default:
      return { ...base, type: 'string' };
  }
}

/** Nested group objects from dotted paths (`compute.clusters` -> compute: {clusters}). */
function groupsOf(params: readonly ParamSpec[]): Json {
  const root: Json = {};
  for (const p of params) {
    const parts = p.path.split('.');
    let props = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const g = (props[parts[i]] ??= { type: 'object', properties: {}, additionalProperties: false }) as Json;
      props = g.properties as Json;
    }
    props[parts[parts.length - 1]] = paramSchema(p);
  }
  return root;
}

export function hardwareSchema(): Json {
  const head: Json = {};
  for (const k of TARGET_KEYS) head[k.key] = keySchema(k);
  const presets = KINDS.flatMap((k) => k.presets.map((p) => p.name));
  head.extends = { ...(head.extends as Json), examples: presets };
  const branches = KINDS.map((k) => ({
    if: {
      anyOf: [
        { properties: { kind: { const: k.kind } }, required: ['kind'] },
        {
          properties: { extends: { enum: k.presets.map((p) => p.name) } },
          required: ['extends'],
          not: { required: ['kind'] },
        },
      ],
    },
    then: { description: k.title, properties: { ...head, ...groupsOf(k.params) } },
  }));
  const root = objectOf(HARDWARE_KEYS);
  (root.properties as Json).kind = { description: HARDWARE_KEYS[0].doc, const: 'hardware' };
  (root.properties as Json).targets = {
    description: HARDWARE_KEYS[1].doc,
    type: 'array',
    items: { $ref: '#/definitions/target' },
  };
  return {
    $schema: SCHEMA,
    $id: 'https://accelmap.dev/schemas/hardware.schema.json',
    title: 'accelmap hardware spec',
    description:
      'Target accelerators: each a kind or a preset to extend, with parameters in groups; quantities carry units (docs/spec-format.md).',
    ...root,
    definitions: {
      target: {
        type: 'object',
        properties: head,
        required: ['name'],
        anyOf: [{ required: ['kind'] }, { required: ['extends'] }],
        allOf: branches,
      },
    },
  };
}

/** The files and their text, as scripts/gen-schemas.ts writes them. */
export function schemaFiles(): Record<string, string> {
  return {
    'network.schema.json': JSON.stringify(networkSchema(), null, 2) + '\n',
    'hardware.schema.json': JSON.stringify(hardwareSchema(), null, 2) + '\n',
  };
}
