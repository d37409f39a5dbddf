// GPT-style decoder specs (pre-layernorm blocks, GELU MLP of 4h, learned positions, an untied LM head) written as
// network YAML and read through the spec core, for the scale-out tests and the bench: Megatron-LM's model table.
import { analyze } from '../../../server/src/spec/index';
import type { NetworkModel } from '../../../server/src/spec/types';

export interface GptConfig {
  layers: number;
  hidden: number;
  heads: number;
  seq: number;
  vocab: number;
  batch: number;
  precision?: string;
}

export function gptYaml(c: GptConfig): string {
  const { hidden: h, heads: a, seq: s } = c,
    d = h / a;
  const L: string[] = [
    `  - {name: wte, type: embedding, num_embeddings: ${c.vocab}, embedding_dim: ${h}}`,
    `  - {name: wpe, type: embedding, num_embeddings: ${s}, embedding_dim: ${h}, inputs: [input]}`,
    '  - {name: emb, type: add, inputs: [wte, wpe]}',
  ];
  let x = 'emb';
  for (let i = 0; i < c.layers; i++) {
    const p = `h${i}`;
    L.push(
      `  - {name: ${p}.ln1, type: layernorm, inputs: [${x}]}`,
      `  - {name: ${p}.q, type: linear, out_features: ${h}, inputs: [${p}.ln1]}`,
      `  - {name: ${p}.qh, type: reshape, shape: [${s}, ${a}, ${d}]}`,
      `  - {name: ${p}.qt, type: transpose, perm: [1, 0, 2], output_shape: [${a}, ${s}, ${d}]}`,
      `  - {name: ${p}.k, type: linear, out_features: ${h}, inputs: [${p}.ln1]}`,
      `  - {name: ${p}.kh, type: reshape, shape: [${s}, ${a}, ${d}]}`,
      `  - {name: ${p}.kt, type: transpose, perm: [1, 0, 2], output_shape: [${a}, ${s}, ${d}]}`,
      `  - {name: ${p}.v, type: linear, out_features: ${h}, inputs: [${p}.ln1]}`,
      `  - {name: ${p}.vh, type: reshape, shape: [${s}, ${a}, ${d}]}`,
      `  - {name: ${p}.vt, type: transpose, perm: [1, 0, 2], output_shape: [${a}, ${s}, ${d}]}`,
      `  - {name: ${p}.scores, type: matmul, inputs: [${p}.qt, ${p}.kt], transpose_b: true, output_shape: [${a}, ${s}, ${s}]}`,
      `  - {name: ${p}.probs, type: softmax, axis: -1}`,
      `  - {name: ${p}.pdrop, type: dropout, p: 0.1}`,
      `  - {name: ${p}.ctx, type: matmul, inputs: [${p}.pdrop, ${p}.vt], output_shape: [${a}, ${s}, ${d}]}`,
      `  - {name: ${p}.ctxt, type: transpose, perm: [1, 0, 2]}`,
      `  - {name: ${p}.ctxf, type: reshape, shape: [${s}, ${h}]}`,
      `  - {name: ${p}.proj, type: linear, out_features: ${h}}`,
      `  - {name: ${p}.drop1, type: dropout, p: 0.1}`,
      `  - {name: ${p}.res1, type: add, inputs: [${x}, ${p}.drop1]}`,
      `  - {name: ${p}.ln2, type: layernorm}`,
      `  - {name: ${p}.fc1, type: linear, out_features: ${4 * h}}`,
      `  - {name: ${p}.gelu, type: gelu}`,
      `  - {name: ${p}.fc2, type: linear, out_features: ${h}}`,
      `  - {name: ${p}.drop2, type: dropout, p: 0.1}`,
      `  - {name: ${p}.res2, type: add, inputs: [${p}.res1, ${p}.drop2]}`,
    );
    x = `${p}.res2`;
  }
  L.push(
    `  - {name: lnf, type: layernorm, inputs: [${x}]}`,
    `  - {name: lm_head, type: linear, out_features: ${c.vocab}, bias: false}`,
  );
  return [
    'kind: network',
    `name: gpt-l${c.layers}-h${c.hidden}`,
    `batch_size: ${c.batch}`,
    `precision: ${c.precision ?? 'fp16'}`,
    'master_weights: fp32',
    'optimizer: {type: adam, lr: 0.0001}',
    `input_shape: [${s}]`,
    'targets: [a100-cluster]',
    'layers:',
    ...L,
    '',
  ].join('\n');
}

/** The network at batch 1 (checked), then set to the config's batch: the specs of the largest models would exceed the
 * spec core's exact-count limit per layer at the full batch, which the simulator never lowers at (it lowers
 * micro-batches). */
export function gpt(c: GptConfig): NetworkModel {
  const doc = analyze('file:///gpt.net.yaml', gptYaml({ ...c, batch: 1 }));
  const errs = doc.diagnostics.filter((d) => d.severity === 'error');
  if (errs.length || !doc.network) throw new Error(`gpt spec: ${errs.map((e) => e.message).join('; ')}`);
  return { ...doc.network, batch: c.batch };
}
