import { ruleFixtureTests } from '../../testing/support.js';

ruleFixtureTests('operation-id-required', [
  ["data/api/test/things.yaml:17:5", "POST /_matrix/client/v3/rooms/{roomId}/thing has no operatio"],
]);
