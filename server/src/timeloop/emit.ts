// `accelmap timeloop ... --emit-spec <dir>`: a Timeloop architecture and problem as accelmap specs, so a Timeloop
// user can move over. The architecture becomes a `spatial` target (outermost level -> dram, a single shared buffer
// -> global_buffer, the per-PE buffer -> pe_buffer with the PE mesh, the compute units -> MAC lanes per PE); the
// problem a convolution layer (a CNN-shaped problem: dimensions among N K C P Q R S with the usual projections,
// strides and dilations from the coefficients); the mapping, when one is given or found, the layer's `mapping.fwd`.
// What the spatial kind cannot hold is refused with the reason (more than three storage levels, a replicated level
// above another, mixed word widths, a problem of another shape); what it holds only approximately (separate read /
// write bandwidths, update energies as write energies, multiple buffering) is a warning.
import type { Mapping, Problem, SpatialArch, StorageLevel } from '../sim/nest/types';
import { pinText } from '../sim/nest/format';

export interface EmittedSpecs {
  hardware: string;
  network: string;
  warnings: string[];
  targetName: string;
  networkName: string;
}

const SLOTS = ['dram', 'global_buffer', 'pe_buffer'] as const;
const KEEPS: Record<string, string> = {
  'Inputs,Outputs,Weights': 'all',
  Weights: 'weights',
  Inputs: 'inputs',
  Outputs: 'outputs',
  'Inputs,Weights': 'weights+inputs',
  'Outputs,Weights': 'weights+outputs',
  'Inputs,Outputs': 'inputs+outputs',
  '': 'none',
};
const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'timeloop';
const num = (x: number) => Number(x.toPrecision(6));

/** Which accelmap level each Timeloop storage level becomes (throws with the reason when the shape does not fit). */
function placeLevels(a: SpatialArch): (typeof SLOTS)[number][] {
  const n = a.levels.length;
  const par = a.levels.find((l) => l.parallelOf);
  if (par)
    throw new Error(
      `${par.name} sits beside ${par.parallelOf} in a !Parallel group; a spatial target's levels are one chain (dram, global_buffer, pe_buffer)`,
    );
  if (n > 3)
    throw new Error(
      `${a.name} has ${n} storage levels (${a.levels.map((l) => l.name).join(', ')}); a spatial target has at most three (dram, global_buffer, pe_buffer)`,
    );
  if (a.levels[0].instances !== 1)
    throw new Error(
      `the outermost level ${a.levels[0].name} has ${a.levels[0].instances} instances; a spatial target's DRAM is one`,
    );
  if (n === 1) return ['dram'];
  if (n === 2) return ['dram', a.levels[1].instances > 1 ? 'pe_buffer' : 'global_buffer'];
  if (a.levels[1].instances !== 1)
    throw new Error(
      `${a.levels[1].name} has ${a.levels[1].instances} instances; the middle level of a spatial target is one shared global buffer`,
    );
  return ['dram', 'global_buffer', 'pe_buffer'];
}

/** The problem as a conv2d layer (N, K, C, P, Q, R, S; Inputs' coordinates stride*P + dilation*R). */
function convOf(p: Problem): {
  N: number;
  K: number;
  C: number;
  P: number;
  Q: number;
  R: number;
  S: number;
  stride: [number, number];
  dilation: [number, number];
} {
  const known = ['N', 'K', 'C', 'P', 'Q', 'R', 'S'];
  const odd = p.dims.filter((d) => !known.includes(d));
  if (odd.length)
    throw new Error(
      `problem ${p.name} has dimensions ${odd.join(', ')}: only convolution-shaped problems (dimensions among ${known.join(' ')}) can be written as an accelmap layer`,
    );
  const b = (d: string) => p.bounds[d] ?? 1;
  const ds = (name: string) => p.dataSpaces.find((x) => x.name === name);
  const W = ds('Weights'),
    I = ds('Inputs'),
    O = ds('Outputs');
  if (!W || !I || !O || !O.readWrite)
    throw new Error(`problem ${p.name} needs data spaces Weights, Inputs and a read-write Outputs to be a convolution`);
  const coef = (dim: string, with_: string) =>
    I.projection.find((c) => c.some((t) => t.dim === with_) && c.some((t) => t.dim === dim))?.find((t) => t.dim === dim)
      ?.coef ?? 1;
  return {
    N: b('N'),
    K: b('K'),
    C: b('C'),
    P: b('P'),
    Q: b('Q'),
    R: b('R'),
    S: b('S'),
    stride: [coef('P', 'R'), coef('Q', 'S')],
    dilation: [coef('R', 'P'), coef('S', 'Q')],
  };
}

export function emitSpecs(a: SpatialArch, p: Problem, mapping?: Mapping): EmittedSpecs {
  const warnings: string[] = [];
  const slots = placeLevels(a);
  const bits = new Set(a.levels.map((l) => l.wordBits));
  if (bits.size > 1)
    throw new Error(
      `levels of ${a.name} have different word widths (${[...bits].join(', ')} bits); a spatial target has one word_bits`,
    );
  const wordBits = a.levels[0].wordBits,
    clock = 1 / a.cycleSeconds;
  const pe = a.levels.find((_, i) => slots[i] === 'pe_buffer');
  const peInstances = pe?.instances ?? 1;
  const meshX = pe?.meshX ?? 1,
    meshY = pe?.meshY ?? 1;
  const macs = Math.max(1, Math.round(a.compute.instances / peInstances));
  const targetName = slug(a.name);
  const lines = [
    `# Written by \`accelmap timeloop --emit-spec\` from the Timeloop architecture ${a.name}.`,
    'kind: hardware',
    'targets:',
    `  - name: ${targetName}`,
    '    kind: spatial',
    `    description: "${a.name} (from a Timeloop v0.4 architecture)"`,
    `    clock: ${num(clock / 1e6)} MHz`,
    `    word_bits: ${wordBits}`,
    `    pe: {mesh_x: ${meshX}, mesh_y: ${meshY}, macs: ${macs}, mac_energy: ${num(a.compute.energy)} pJ}`,
  ];
  for (const slot of SLOTS)
    lines.push(
      levelLine(
        slot,
        a.levels.find((_, i) => slots[i] === slot),
        clock,
        wordBits / 8,
        warnings,
      ),
    );
  const networkName = slug(p.name);
  const network = networkText(p, networkName, targetName, mapping && { a, slots, mapping });
  return { hardware: lines.join('\n') + '\n', network, warnings, targetName, networkName };
}

/**
 * One storage slot of the spatial target from a Timeloop level: capacity, shared bandwidth, per-byte energies, block,
 * leakage and what it may keep; what a spatial target cannot say (update energy, split bandwidths, multiple
 * buffering) becomes a warning.
 */
function levelLine(
  slot: string,
  lv: StorageLevel | undefined,
  clock: number,
  wordB: number,
  warnings: string[],
): string {
  if (!lv) return `    ${slot}: {capacity: 0 B}`;
  const perWord = (pj: number) => `${num(pj / Math.max(1, lv.blockSize) / wordB)} pJ/B`;
  if (lv.energy.update !== lv.energy.write)
    warnings.push(
      `${lv.name}: update energy ${lv.energy.update} pJ is written as the write energy ${lv.energy.write} pJ (a spatial target has one)`,
    );
  if (lv.readBandwidth !== undefined || lv.writeBandwidth !== undefined)
    warnings.push(`${lv.name}: separate read/write bandwidths are written as one shared bandwidth`);
  if (lv.multipleBuffering > 1)
    warnings.push(
      `${lv.name}: multiple buffering ${lv.multipleBuffering} is not a spatial-target knob (capacity written whole)`,
    );
  const bw =
    lv.sharedBandwidth ??
    (lv.readBandwidth !== undefined && lv.writeBandwidth !== undefined
      ? lv.readBandwidth + lv.writeBandwidth
      : undefined);
  const parts = [
    `capacity: ${lv.sizeWords === undefined ? 0 : lv.sizeWords * wordB} B`,
    `bandwidth: ${bw === undefined ? 0 : num((bw * clock * wordB) / 1e9)} GB/s`,
    `read_energy: ${perWord(lv.energy.read)}`,
    `write_energy: ${perWord(lv.energy.write)}`,
    ...(lv.blockSize > 1 ? [`block_words: ${lv.blockSize}`] : []),
    ...(lv.energy.leak ? [`leakage: ${num(lv.energy.leak * 1e-12 * clock * 1e3)} mW`] : []),
  ];
  const may = ['Weights', 'Inputs', 'Outputs']
    .filter((d) => (!lv.mayKeep || lv.mayKeep.includes(d)) && !lv.mustBypass?.includes(d))
    .sort()
    .join(',');
  if (slot !== 'dram' && KEEPS[may] !== 'all') parts.push(`keep: ${KEEPS[may]}`);
  return `    ${slot}: {${parts.join(', ')}}  # Timeloop ${lv.name} (${lv.cls})`;
}

/** The network spec: one unpadded convolution whose forward loop nest is the problem (its mapping pinned if given). */
function networkText(
  p: Problem,
  networkName: string,
  targetName: string,
  pin: { a: SpatialArch; slots: string[]; mapping: Mapping } | undefined,
): string {
  const c = convOf(p);
  const layer = [
    `  - name: ${networkName}`,
    '    type: conv2d',
    `    out_channels: ${c.K}`,
    `    kernel_size: [${c.R}, ${c.S}]`,
    ...(c.stride[0] !== 1 || c.stride[1] !== 1 ? [`    stride: [${c.stride[0]}, ${c.stride[1]}]`] : []),
    ...(c.dilation[0] !== 1 || c.dilation[1] !== 1 ? [`    dilation: [${c.dilation[0]}, ${c.dilation[1]}]`] : []),
    '    bias: false',
  ];
  if (pin) {
    const renamed: SpatialArch = { ...pin.a, levels: pin.a.levels.map((lv, i) => ({ ...lv, name: pin.slots[i] })) };
    layer.push(`    mapping: {fwd: ${pinText(p, renamed, pin.mapping)}}`);
  }
  const H = (c.P - 1) * c.stride[0] + (c.R - 1) * c.dilation[0] + 1,
    W = (c.Q - 1) * c.stride[1] + (c.S - 1) * c.dilation[1] + 1;
  return [
    `# Written by \`accelmap timeloop --emit-spec\` from the Timeloop problem ${p.name}: one convolution (no padding),`,
    '# trained on the target above; its forward loop nest is the Timeloop problem.',
    'kind: network',
    `name: ${networkName}`,
    `batch_size: ${c.N}`,
    `input_shape: [${c.C}, ${H}, ${W}]`,
    `targets: [${targetName}]`,
    `hardware: [${targetName}.hw.yaml]`,
    'layers:',
    ...layer,
    '',
  ].join('\n');
}
