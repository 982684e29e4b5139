import { ruleFixtureTests } from '../../testing/support.js';

ruleFixtureTests('duplicate-route', [
  ["data/api/test/spaced.yaml:17:5", "POST \"/_matrix/client/v3/rooms/{roomId}/thing \" is already d"],
  ["data/api/test/things.yaml:17:5", "POST /_matrix/client/v3/rooms/{roomId}/thing is already defi"],
]);
