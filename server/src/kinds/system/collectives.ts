// Collectives on a two-level fabric (a node's devices on one fabric, nodes on a network), alpha-beta costed with the
// algorithm that fits each topology (or the one a level's `algorithm` names):
//   ring (bandwidth-optimal):                 all-reduce 2(g-1)/g * S/B + 2(g-1) a; reduce-scatter and all-gather
//                                             half of it
//   tree (NCCL's pipelined double binary      all-reduce 2 S/B + 2 ceil(log2 g) a: a little more traffic than the
//   tree; all-reduce only, on a switch)       ring, far fewer steps, so it wins for small messages and many ranks
//   halving-doubling (Rabenseifner; switch)   all-reduce 2(g-1)/g * S/B + 2 ceil(log2 g) a (+ one S/B + a step each
//                                             way when g is not a power of two); reduce-scatter / all-gather half
//   auto                                      switch: the faster of ring and tree per message (as NCCL picks);
//                                             ring: ring; torus2d / mesh2d: 2-D
//   all-to-all                                (g-1)/g * S/B (switch) or g/4 * S/B (ring, bisection-bound); send/recv
//                                             S/B + a
//   torus2d (x * y = g, x ~ sqrt g):          the ring algorithm along X on S, then along Y on S/x (and back)
//   mesh2d:                                   as torus2d with each ring embedded in a line (half the bandwidth)
//   across both levels (hierarchical):        reduce-scatter inside the node, the collective across nodes on S/g_node,
//                                             all-gather inside the node (NCCL's tree/ring hierarchy, simplified)
// B = bandwidth per link per direction x links per device x efficiency; S = the whole tensor's bytes; a = latency per
// step (per hop on a grid). Group placement: ranks `stride` apart (tensor-parallel groups are adjacent, data-parallel
// groups are tp apart), so g_node = members of the group that share a node.
export type Topology = 'switch' | 'ring' | 'torus2d' | 'mesh2d';
export type CollectiveKind = 'all_reduce' | 'reduce_scatter' | 'all_gather' | 'all_to_all' | 'send_recv';

export type Algorithm = 'auto' | 'ring' | 'tree' | 'halving_doubling';
export const ALGORITHMS: readonly Algorithm[] = ['auto', 'ring', 'tree', 'halving_doubling'];

export interface FabricLevel {
  topology: Topology;
  bandwidth: number;
  latency: number;
  efficiency: number;
  energyPerByte: number;
  /** Links per device driven at once (default 1): the device's bandwidth is links x bandwidth. */
  links?: number;
  /** Collective algorithm (default auto); tree and halving_doubling need a switch. */
  algorithm?: Algorithm;
}
export interface Fabric {
  devicesPerNode: number;
  node: FabricLevel;
  network: FabricLevel;
}

export interface CollectiveCost {
  timeS: number;
  /** Bytes each device sends (both levels). */
  bytesPerDevice: number;
  /** Link energy of the whole group. */
  energyJ: number;
  algorithm: string;
}

function oneLevel(
  kind: CollectiveKind,
  S: number,
  g: number,
  f: FabricLevel,
): { t: number; sent: number; alg: string } {
  if (g <= 1 || S <= 0) return { t: 0, sent: 0, alg: 'none' };
  const B = f.bandwidth * Math.max(1, f.links ?? 1) * f.efficiency,
    a = f.latency;
  const ring = (s: number, n: number, factor: number) => factor * ((n - 1) / n) * (s / B) + factor * (n - 1) * a;
  if (kind === 'send_recv') return { t: S / B + a, sent: S, alg: 'p2p' };
  if (f.topology === 'torus2d' || f.topology === 'mesh2d') {
    const x = Math.max(1, Math.round(Math.sqrt(g))),
      y = Math.max(1, Math.ceil(g / x));
    const Bl = f.topology === 'mesh2d' ? B / 2 : B;
    const factor = kind === 'all_reduce' ? 2 : 1;
    if (kind === 'all_to_all')
      return {
        t: (g / 4) * (S / B) * (4 / (2 * Math.sqrt(g))) + (x + y) * a,
        sent: (S * (g - 1)) / g,
        alg: '2-D all-to-all',
      };
    const t = (factor * (((x - 1) / x) * S + ((y - 1) / y) * (S / x))) / Bl + factor * (x + y - 2) * a;
    return { t, sent: factor * (((x - 1) / x) * S + ((y - 1) / y) * (S / x)), alg: `2-D ${f.topology} (${x} x ${y})` };
  }
  if (kind === 'all_to_all') {
    const t = f.topology === 'ring' ? (g / 4) * (S / B) + (g - 1) * a : ((g - 1) / g) * (S / B) + (g - 1) * a;
    return { t, sent: ((g - 1) / g) * S, alg: `${f.topology} all-to-all` };
  }
  const factor = kind === 'all_reduce' ? 2 : 1;
  const viaRing = { t: ring(S, g, factor), sent: factor * ((g - 1) / g) * S, alg: 'ring' };
  const want = f.algorithm ?? 'auto';
  if (f.topology !== 'switch' || want === 'ring') return viaRing;
  if (want === 'halving_doubling') return halvingDoubling(S, g, factor, B, a);
  if (kind !== 'all_reduce') return viaRing;
  const tree = { t: 2 * (S / B) + 2 * Math.ceil(Math.log2(g)) * a, sent: 2 * S, alg: 'tree' };
  return want === 'tree' || tree.t < viaRing.t ? tree : viaRing;
}

/**
 * Recursive halving (reduce-scatter) and doubling (all-gather) on a switch; a non-power-of-two group folds its extra
 * ranks first.
 */
function halvingDoubling(
  S: number,
  g: number,
  factor: number,
  B: number,
  a: number,
): { t: number; sent: number; alg: string } {
  const p = 2 ** Math.floor(Math.log2(g));
  const fold = p < g ? factor * (S / B + a) : 0;
  const sent = factor * ((p - 1) / p) * S + (p < g ? factor * S : 0);
  return { t: factor * (((p - 1) / p) * (S / B) + Math.log2(p) * a) + fold, sent, alg: 'halving-doubling' };
}

/** Cost of one collective over `g` ranks placed `stride` apart, on `fab`; S = bytes of the whole tensor. */
export function collective(kind: CollectiveKind, S: number, g: number, stride: number, fab: Fabric): CollectiveCost {
  if (g <= 1 || S <= 0) return { timeS: 0, bytesPerDevice: 0, energyJ: 0, algorithm: 'none' };
  const perNode = fab.devicesPerNode;
  const gi = stride >= perNode ? 1 : Math.max(1, Math.min(g, Math.floor(perNode / Math.max(1, stride))));
  const gn = Math.max(1, Math.ceil(g / gi));
  if (kind === 'send_recv') {
    const lvl = stride >= perNode ? fab.network : fab.node;
    const c = oneLevel(kind, S, 2, lvl);
    return {
      timeS: c.t,
      bytesPerDevice: c.sent,
      energyJ: c.sent * lvl.energyPerByte,
      algorithm: `p2p over the ${stride >= perNode ? 'network' : 'node fabric'}`,
    };
  }
  if (gn === 1) {
    const c = oneLevel(kind, S, gi, fab.node);
    return {
      timeS: c.t,
      bytesPerDevice: c.sent,
      energyJ: c.sent * g * fab.node.energyPerByte,
      algorithm: `${c.alg} in a node`,
    };
  }
  if (gi === 1) {
    const c = oneLevel(kind, S, gn, fab.network);
    return {
      timeS: c.t,
      bytesPerDevice: c.sent,
      energyJ: c.sent * g * fab.network.energyPerByte,
      algorithm: `${c.alg} across nodes`,
    };
  }
  // hierarchical: reduce-scatter in the node, the collective across nodes on a 1/gi share, all-gather in the node
  const inner =
    kind === 'all_to_all' ? oneLevel('all_to_all', S, gi, fab.node) : oneLevel('reduce_scatter', S, gi, fab.node);
  const outer = oneLevel(kind, S / gi, gn, fab.network);
  const back = kind === 'all_reduce' ? oneLevel('all_gather', S, gi, fab.node) : { t: 0, sent: 0 };
  const sentNode = inner.sent + back.sent,
    sentNet = outer.sent;
  return {
    timeS: inner.t + outer.t + back.t,
    bytesPerDevice: sentNode + sentNet,
    energyJ: g * (sentNode * fab.node.energyPerByte + sentNet * fab.network.energyPerByte),
    algorithm: `hierarchical: ${gi} per node (${inner.alg}), ${gn} nodes (${outer.alg})`,
  };
}

/** NCCL's bus bandwidth of an all-reduce: algorithm bandwidth S/t times 2(g-1)/g. */
export const busBandwidth = (S: number, g: number, t: number) => (S / t) * ((2 * (g - 1)) / g);
