// Inlay hints: after each layer's `name:` value, the layer's figures on the primary (first) target of the last
// simulation, e.g. `▸ 1.23 ms · 4.5 mJ · mem-bound`. Layers are matched by name, so hints stay on the right
// line while the file is edited; they refresh on the next run. Setting: accelmap.inlayHints.enabled.
import { InlayHint, InlayHintKind, MarkupKind, type Range } from 'vscode-languageserver/node';
import type { NetworkModel } from '../spec/types';
import type { SimulationResult } from '../sim/types';
import { BOUND_LABEL, layerByName, layerFigures, primaryTarget } from './layerSummary';
import { fmtEnergy, fmtTime } from './format';

export function inlayHints(net: NetworkModel | undefined, result: SimulationResult | undefined, range: Range): InlayHint[] {
  if (!net || !result) return [];
  const target = primaryTarget(result);
  if (!target) return [];
  const out: InlayHint[] = [];
  for (const layer of net.layers) {
    const at = layer.ranges.name.end;
    if (at.line < range.start.line || at.line > range.end.line) continue;
    const lr = layerByName(target, layer.name);
    if (!lr) continue;
    const f = layerFigures(lr);
    const phases = lr.phases.map((p) => `| ${p.phase} | ${fmtTime(p.timeS)} | ${fmtEnergy(p.energyJ)} | ${p.bound} | ${p.engine} |`);
    out.push({
      position: at,
      label: `▸ ${fmtTime(f.timeS)} · ${fmtEnergy(f.energyJ)} · ${BOUND_LABEL[f.bound]}`,
      kind: InlayHintKind.Type,
      paddingLeft: true,
      tooltip: {
        kind: MarkupKind.Markdown,
        value: [`**${layer.name}** on \`${target.name}\` (${target.kind}), one training step`, '',
          '| phase | time | energy | bound | engine |', '|---|---|---|---|---|', ...phases].join('\n'),
      },
    });
  }
  return out;
}
