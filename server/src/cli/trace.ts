// A simulation's timeline as a Chrome JSON trace (the Trace Event Format), which Perfetto (ui.perfetto.dev) and
// chrome://tracing open: one process per target, one thread per lane, one complete ("X") event per timeline
// event with the layer, phase, bound and bytes as args, counter tracks ("C") for the bandwidth of each memory level
// and the power of each target, and flow events ("s"/"f") from each phase to the phases that depend on it.
// Timestamps and durations are in microseconds, as the format requires (not seconds, not cycles).
import type { NetworkModel } from '../spec/types';
import type { PhaseResult, SimulationResult, TargetResult } from '../sim/types';

export interface TraceEvent {
  name: string;
  ph: 'X' | 'C' | 'M' | 's' | 'f';
  pid: number;
  tid?: number;
  ts?: number;
  dur?: number;
  cat?: string;
  id?: number;
  bp?: 'e';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
  otherData: Record<string, string | number>;
}

const US = 1e6;

/** Where a (layer, phase) first starts and last ends on a target, and on which threads, for counters and flows. */
interface Span {
  start: number;
  end: number;
  startTid: number;
  endTid: number;
}
type Spans = Map<string, Span>;
const key = (layer: string, phase: string) => `${layer}\u0000${phase}`;

/**
 * The trace of every target of a result. `network` (optional) gives the layer graph for the flow events: forward
 * phases flow to their consumers' forward phases; a consumer's backward-data phase flows to its producers'
 * backward phases; a layer's backward-weight phase flows to its update.
 */
export function chromeTrace(r: SimulationResult, network?: NetworkModel): ChromeTrace {
  const ev: TraceEvent[] = [];
  const flow = { next: 1 };
  r.targets.forEach((t, ti) => {
    const pid = ti + 1;
    ev.push({ name: 'process_name', ph: 'M', pid, args: { name: `${t.name} (${t.kind})` } });
    ev.push({ name: 'process_sort_index', ph: 'M', pid, args: { sort_index: ti } });
    const lanes = [...new Set(t.timeline.map((e) => e.lane))];
    const tid = new Map(lanes.map((l, i) => [l, i + 1]));
    lanes.forEach((l, i) => {
      ev.push({ name: 'thread_name', ph: 'M', pid, tid: i + 1, args: { name: l } });
      ev.push({ name: 'thread_sort_index', ph: 'M', pid, tid: i + 1, args: { sort_index: i } });
    });
    const span = sliceEvents(t, pid, tid, ev);
    counterEvents(t, pid, span, ev);
    if (network) flowEvents(network, pid, span, flow, ev);
  });
  return {
    traceEvents: ev,
    displayTimeUnit: 'ms',
    otherData: {
      network: r.network.name,
      batch: r.network.batch,
      precision: r.network.precision,
      generator: 'accelmap',
      time_unit: 'us',
    },
  };
}

/** Slices, per lane in time order (the format wants monotonic timestamps per track); returns each phase's span. */
function sliceEvents(t: TargetResult, pid: number, tid: Map<string, number>, ev: TraceEvent[]): Spans {
  const phaseOf = phaseIndex(t);
  const events = [...t.timeline].sort((a, b) => a.startS - b.startS || a.endS - b.endS);
  const span: Spans = new Map();
  for (const e of events) {
    const k = key(e.layer, e.phase);
    const p = phaseOf.get(k);
    const args: Record<string, unknown> = { layer: e.layer, phase: e.phase, kind: e.kind };
    if (p)
      Object.assign(args, {
        bound: p.bound,
        engine: p.engine,
        flops: p.flops,
        bytes: p.bytes,
        energy_j: p.energyJ,
        phase_time_s: p.timeS,
      });
    const lane = tid.get(e.lane)!;
    ev.push({
      name: `${e.layer} ${e.phase}`,
      cat: e.kind,
      ph: 'X',
      pid,
      tid: lane,
      ts: e.startS * US,
      dur: Math.max(0, e.endS - e.startS) * US,
      args,
    });
    const s = span.get(k);
    if (!s) span.set(k, { start: e.startS, end: e.endS, startTid: lane, endTid: lane });
    else {
      if (e.startS < s.start) {
        s.start = e.startS;
        s.startTid = lane;
      }
      if (e.endS >= s.end) {
        s.end = e.endS;
        s.endTid = lane;
      }
    }
  }
  return span;
}

/** Counters: bandwidth per memory level (GB/s) and power (W) over each phase's span, zero between phases. */
function counterEvents(t: TargetResult, pid: number, span: Spans, ev: TraceEvent[]): void {
  const levels = [...new Set(t.layers.flatMap((l) => l.phases.flatMap((p) => Object.keys(p.bytes))))].sort();
  const marks: { ts: number; order: number; args: Record<string, number> }[] = [];
  for (const l of t.layers) {
    for (const p of l.phases) {
      const s = span.get(key(l.name, p.phase));
      if (!s || s.end <= s.start) continue;
      const d = s.end - s.start;
      const bw: Record<string, number> = {};
      for (const lv of levels) bw[lv] = (p.bytes[lv] ?? 0) / d / 1e9;
      marks.push({ ts: s.start * US, order: 1, args: { ...bw, power_w: p.energyJ / d } });
      const zero: Record<string, number> = { power_w: 0 };
      for (const lv of levels) zero[lv] = 0;
      marks.push({ ts: s.end * US, order: 0, args: zero });
    }
  }
  marks.sort((a, b) => a.ts - b.ts || a.order - b.order);
  for (const m of marks) {
    const { power_w, ...bw } = m.args;
    ev.push({ name: 'bandwidth GB/s', ph: 'C', pid, ts: m.ts, args: bw });
    ev.push({ name: 'power W', ph: 'C', pid, ts: m.ts, args: { power_w } });
  }
}

/** Flows along the training dependencies (flow ids unique over the whole trace). */
function flowEvents(network: NetworkModel, pid: number, span: Spans, flow: { next: number }, ev: TraceEvent[]): void {
  const names = network.layers.map((l) => l.name);
  const link = (from: string, fromPhase: string, to: string, toPhase: string) => {
    const a = span.get(key(from, fromPhase)),
      b = span.get(key(to, toPhase));
    if (!a || !b || b.start < a.end) return; // overlapping phases (pipelined) get no arrow
    const id = flow.next++;
    // The start sits at the end of the slice that ends the source phase; the finish at the start of the slice
    // that starts the dependent one (bp 'e': bound to that enclosing slice).
    ev.push({ name: 'dependency', cat: 'flow', ph: 's', id, pid, tid: a.endTid, ts: a.end * US });
    ev.push({ name: 'dependency', cat: 'flow', ph: 'f', bp: 'e', id, pid, tid: b.startTid, ts: b.start * US });
  };
  for (const l of network.layers) {
    for (const j of l.inputs) {
      if (j < 0) continue;
      const producer = names[j];
      link(producer, 'fwd', l.name, 'fwd');
      link(l.name, 'bwd_data', producer, 'bwd_data');
      link(l.name, 'bwd_data', producer, 'bwd_weight');
    }
    link(l.name, 'bwd_weight', l.name, 'update');
  }
}

function phaseIndex(t: TargetResult): Map<string, PhaseResult> {
  const m = new Map<string, PhaseResult>();
  for (const l of t.layers) for (const p of l.phases) m.set(key(l.name, p.phase), p);
  return m;
}
