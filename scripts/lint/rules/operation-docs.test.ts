import { ruleFixtureTests } from '../../testing/support.js';

ruleFixtureTests('operation-docs', [
  ["data/api/test/things.yaml:18:7", "POST /_matrix/client/v3/rooms/{roomId}/thing has no summary."],
  ["data/api/test/things.yaml:18:7", "POST /_matrix/client/v3/rooms/{roomId}/thing has no tags."],
  ["data/api/test/things.yaml:46:9", "Response 200 of POST /_matrix/client/v3/rooms/{roomId}/thing"],
]);
