// STUB: parameters and presets of the 'caterpillar' kind. Owned by the simulator work; replace with the real table.
import type { KindSpec } from '../params';

export const caterpillar: KindSpec = {
  kind: 'caterpillar',
  title: 'caterpillar',
  params: [
    { path: 'compute.clock', dim: 'frequency', doc: 'Clock frequency.', default: 1e9, defaultTag: 'ASM', defaultSource: 'stub' },
  ],
  presets: [{ name: 'caterpillar', kind: 'caterpillar', description: 'stub', values: {}, notes: [] }],
};
