// STUB: parameters and presets of the 'neurotrainer' kind. Owned by the simulator work; replace with the real table.
import type { KindSpec } from '../params';

export const neurotrainer: KindSpec = {
  kind: 'neurotrainer',
  title: 'neurotrainer',
  params: [
    { path: 'compute.clock', dim: 'frequency', doc: 'Clock frequency.', default: 1e9, defaultTag: 'ASM', defaultSource: 'stub' },
  ],
  presets: [{ name: 'neurotrainer', kind: 'neurotrainer', description: 'stub', values: {}, notes: [] }],
};
