// STUB: parameters and presets of the 'ntx' kind. Owned by the simulator work; replace with the real table.
import type { KindSpec } from '../params';

export const ntx: KindSpec = {
  kind: 'ntx',
  title: 'ntx',
  params: [
    { path: 'compute.clock', dim: 'frequency', doc: 'Clock frequency.', default: 1e9, defaultTag: 'ASM', defaultSource: 'stub' },
  ],
  presets: [{ name: 'ntx', kind: 'ntx', description: 'stub', values: {}, notes: [] }],
};
