// STUB: parameters and presets of the 'imc' kind. Owned by the simulator work; replace with the real table.
import type { KindSpec } from '../params';

export const imc: KindSpec = {
  kind: 'imc',
  title: 'imc',
  params: [
    { path: 'compute.clock', dim: 'frequency', doc: 'Clock frequency.', default: 1e9, defaultTag: 'ASM', defaultSource: 'stub' },
  ],
  presets: [{ name: 'imc', kind: 'imc', description: 'stub', values: {}, notes: [] }],
};
