// accelmap/listTargets: every built-in preset and every target defined in the workspace's hardware files.
import { KINDS } from '../kinds/params';
import type { ListTargetsResponse } from './protocol';
import type { ServerState } from './state';

export function listTargets(state: ServerState): ListTargetsResponse {
  const targets: ListTargetsResponse['targets'] = [];
  for (const k of KINDS)
    for (const p of k.presets)
      targets.push({ name: p.name, kind: p.kind, description: p.description, source: 'preset' });
  for (const doc of state.hardware.all()) {
    for (const t of doc.hardware?.targets ?? []) {
      targets.push({ name: t.name, kind: t.kind, description: t.description, source: 'workspace', uri: doc.uri });
    }
  }
  return { targets };
}
