// STUB: parameters and presets of the 'gpu' kind. Owned by the simulator work; replace with the real table.
import type { KindSpec } from '../params';

export const gpu: KindSpec = {
  kind: 'gpu',
  title: 'gpu',
  params: [
    { path: 'compute.clock', dim: 'frequency', doc: 'Clock frequency.', default: 1e9, defaultTag: 'ASM', defaultSource: 'stub' },
  ],
  presets: [{ name: 'gpu', kind: 'gpu', description: 'stub', values: {}, notes: [] }],
};
