import { ruleFixtureTests } from '../../testing/support.js';

ruleFixtureTests('object-title', [
  ["data/api/test/definitions/shared.yaml:2:1", "This object schema (data/api/test/definitions/shared.yaml) h"],
  ["data/api/test/things.yaml:16:17", "This object schema (GET /thing \u203a response 200 (application/j"],
  ["data/api/test/things.yaml:23:25", "This object schema (GET /thing \u203a response 200 (application/j"],
]);
