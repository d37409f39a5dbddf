// Code lenses on a network: "▶ Simulate", "Show timeline", "Show roofline" on the network's first line (its `name:`,
// else the start), and after a run one summary lens per target (time and energy per training step) on `targets:`
// (else the same line). The commands are the client's; they take the document uri as argument.
import type { CodeLens } from 'vscode-languageserver/node';
import type { NetworkModel } from '../spec/types';
import type { SimulateResponse } from './protocol';
import { fmtEnergy, fmtTime } from './format';
import { hintTarget } from './inlayHints';

function lineRange(line: number) {
  return { start: { line, character: 0 }, end: { line, character: 0 } };
}

export function codeLenses(
  uri: string,
  net: NetworkModel | undefined,
  last: SimulateResponse | undefined,
  hintTargetName = '',
): CodeLens[] {
  if (!net) return [];
  const head = lineRange((net.ranges.keys['name'] ?? net.ranges.root).start.line);
  const lenses: CodeLens[] = [
    { range: head, command: { title: '▶ Simulate', command: 'accelmap.simulate', arguments: [uri] } },
    { range: head, command: { title: 'Show timeline', command: 'accelmap.showTimeline', arguments: [uri] } },
    { range: head, command: { title: 'Show roofline', command: 'accelmap.showRoofline', arguments: [uri] } },
  ];
  const result = last?.result;
  if (result) {
    const at = lineRange((net.ranges.keys['targets'] ?? net.ranges.keys['name'] ?? net.ranges.root).start.line);
    // Which target the inlay hints show, and a way to pick another (when there is a choice).
    if (result.targets.length > 1) {
      const shown = hintTarget(result, hintTargetName);
      lenses.push({
        range: at,
        command: {
          title: `Hints: ${shown?.name ?? '—'} ▾`,
          command: 'accelmap.pickHintTarget',
          arguments: [uri, result.targets.map((t) => t.name)],
        },
      });
    }
    for (const t of result.targets) {
      const vs = t.vsBaseline ? ` · ${t.vsBaseline.speedup.toPrecision(3)}× vs ${t.vsBaseline.baseline}` : '';
      lenses.push({
        range: at,
        command: {
          title: `${t.name}: ${fmtTime(t.totals.timeS)} · ${fmtEnergy(t.totals.energyJ)}${vs}`,
          command: 'accelmap.showDashboard',
          arguments: [uri, t.name],
        },
      });
    }
  }
  return lenses;
}
