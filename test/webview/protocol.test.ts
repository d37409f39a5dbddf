// Validation of host <-> webview messages and of restored state (webview/src/protocol.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, parseHostMessage, parseState, parseWebviewMessage } from '../../webview/src/protocol';
import { fixtureResult } from './fixtures/result';

describe('webview protocol', () => {
  it('accepts well-formed host messages and rejects malformed ones', () => {
    const result = fixtureResult();
    assert.equal(parseHostMessage({ type: 'result', uri: 'file:///a', version: 1, elapsedMs: 3, result })?.type, 'result');
    assert.equal(parseHostMessage({ type: 'result', uri: 'file:///a', version: 1, elapsedMs: 3, result: { ...result, targets: [{ name: 'x' }] } }), null);
    assert.equal(parseHostMessage({ type: 'result', uri: 'file:///a', version: '1', elapsedMs: 3, result }), null);
    assert.deepEqual(parseHostMessage({ type: 'show', view: 'roofline' }), { type: 'show', view: 'roofline' });
    assert.equal(parseHostMessage({ type: 'show', view: 'pie' }), null);
    assert.equal(parseHostMessage({ type: 'eval', code: 'x' }), null);
    assert.equal(parseHostMessage(null), null);
  });
  it('accepts well-formed webview messages only', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready', restored: false });
    assert.equal(parseWebviewMessage({ type: 'rendered', info: { view: 'summary', target: null, targets: 1, layers: 2, timelineLanes: 0, rooflinePoints: 'x' } }), null);
    assert.equal(parseWebviewMessage({ type: 'log', level: 'debug', message: 'x' }), null);
    assert.equal((parseWebviewMessage({ type: 'log', level: 'info', message: 'y'.repeat(5000) }) as any).message.length, 2000);
    assert.deepEqual(parseWebviewMessage({ type: 'revealLayer', uri: 'u', layer: 'conv1' }), { type: 'revealLayer', uri: 'u', layer: 'conv1' });
    assert.deepEqual(parseWebviewMessage({ type: 'exportReport', uri: 'u' }), { type: 'exportReport', uri: 'u' });
    assert.deepEqual(parseWebviewMessage({ type: 'exportChart', name: 'roofline', dataUrl: 'data:image/png;base64,AAAA' }), { type: 'exportChart', name: 'roofline', dataUrl: 'data:image/png;base64,AAAA' });
    // only PNG data URLs, a plain name (it becomes a file name), bounded size
    assert.equal(parseWebviewMessage({ type: 'exportChart', name: 'roofline', dataUrl: 'javascript:alert(1)' }), null);
    assert.equal(parseWebviewMessage({ type: 'exportChart', name: '../../x', dataUrl: 'data:image/png;base64,AAAA' }), null);
    assert.equal(parseWebviewMessage({ type: 'exportChart', name: 'r', dataUrl: 'data:image/png;base64,' + 'A'.repeat(8_000_000) }), null);
  });
  it('restores only the valid parts of a stored state', () => {
    assert.deepEqual(parseState(undefined), initialState());
    const s = parseState({ view: 'layers', result: { bogus: true }, target: 'ntx', sort: { key: 'name', dir: 'sideways' } });
    assert.equal(s.view, 'layers');
    assert.equal(s.result, null);
    assert.equal(s.target, 'ntx');
    assert.deepEqual(s.sort, initialState().sort);
  });
});
