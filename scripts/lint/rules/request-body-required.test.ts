import { ruleFixtureTests } from '../../testing/support.js';

ruleFixtureTests('request-body-required', [
  ["data/api/test/things.yaml:33:9", "The request body of POST /_matrix/client/v3/rooms/{roomId}/t"],
]);
