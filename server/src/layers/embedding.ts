// embedding: a table lookup (PyTorch Embedding), [T] -> [T, D]; params num_embeddings D; no MACs.
// Forward gathers N T rows (token ids read as 4-byte ints, ASM); the backward is a scatter-add of the output
// gradient into the table rows (a weight gradient only: token ids have no gradient).
import type { LayerDef } from './def';

export const embedding: LayerDef = {
  type: 'embedding',
  doc: 'Embedding table lookup (PyTorch Embedding).',
  shapes: '[T] -> [T, D]',
  inputs: 'one',
  keys: [
    { key: 'num_embeddings', doc: 'Rows of the table (vocabulary size).', type: { t: 'int', min: 1 }, required: true },
    { key: 'embedding_dim', doc: 'Embedding size D.', type: { t: 'int', min: 1 }, required: true },
  ],
  infer: (c) => ({
    shape: [...c.x, c.attrs.embeddingDim!],
    params: c.attrs.numEmbeddings! * c.attrs.embeddingDim!,
    macs: 0,
  }),
  cls: 'embedding',
  lower(c) {
    const { L, E, Ein, a, g, b, out } = c;
    const D = L.attrs.embeddingDim ?? out[out.length - 1] ?? 1;
    c.dims = { E, D, V: L.attrs.numEmbeddings ?? 0 };
    c.fwd
      .add('input', Ein * 4, 'r')
      .add('weight', E * b.weight, 'r')
      .add('output', E * a, 'w');
    c.wF = E;
    c.bw
      .add('output_grad', E * g, 'r')
      .add('saved_activation', Ein * 4, 'r')
      .add('weight_grad', E * g, 'w');
    c.saved = Ein * 4;
  },
  onnx: ['Gather'],
};
