import { ruleFixtureTests } from '../../testing/support.js';

ruleFixtureTests('path-params', [
  ["data/api/test/things.yaml:17:5", "POST /_matrix/client/v3/rooms/{roomId}/thing: \"{roomId}\" is "],
  ["data/api/test/things.yaml:26:11", "Path parameter \"room_id\" does not appear in the path /_matri"],
]);
