import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, REPO } from '../testing/support.js';

test('a .spectral.yaml in the spec root adds its rules to the same report', () => {
  const root = join(REPO, 'scripts', 'lint', 'fixtures', 'spectral');
  const r = cli(['lint', '--root', root, '--format', 'json']);
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0, 'the house rule is a warning');
  assert.deepEqual(JSON.parse(r.stdout), [{
    file: 'data/api/test/things.yaml', line: 2, column: 1, severity: 'warn', rule: 'spectral:info-has-contact',
    message: 'Every API document names a contact for its editors.', hint: 'at info',
  }]);
});
