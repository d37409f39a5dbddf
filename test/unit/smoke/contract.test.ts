import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RESULT_SCHEMA_VERSION, PHASES } from '../../../server/src/sim/types';

test('result schema version and phase order are the documented ones', () => {
  assert.equal(RESULT_SCHEMA_VERSION, 1);
  assert.deepEqual(PHASES, ['fwd', 'bwd_data', 'bwd_weight', 'update']);
});
