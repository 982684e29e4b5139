import { ruleFixtureTests } from '../../testing/support.js';

ruleFixtureTests('openapi-structure', [
  ["data/api/legacy/old.yaml:9:9", "paths./thing.get.responses.200: missing required property \"d"],
  ["data/api/test/definitions/unreferenced.yaml:2:1", "Not a valid JSON Schema (2020-12) at type: must be equal to "],
  ["data/api/test/definitions/unreferenced.yaml:3:1", "Not a valid JSON Schema (2020-12) at properties: must be obj"],
  ["data/api/test/notes.yaml:1:1", "data/api/test/notes.yaml is in an API folder but is not an O"],
  ["data/api/test/things.yaml:2:1", "info: missing required property \"version\" (OpenAPI 3.1)."],
  ["data/api/test/things.yaml:7:7", "paths./thing.get.operationId: must be string (OpenAPI 3.1)."],
]);
