// STUB: parameters and presets of the 'gradpim' kind. Owned by the simulator work; replace with the real table.
import type { KindSpec } from '../params';

export const gradpim: KindSpec = {
  kind: 'gradpim',
  title: 'gradpim',
  params: [
    { path: 'compute.clock', dim: 'frequency', doc: 'Clock frequency.', default: 1e9, defaultTag: 'ASM', defaultSource: 'stub' },
  ],
  presets: [{ name: 'gradpim', kind: 'gradpim', description: 'stub', values: {}, notes: [] }],
};
