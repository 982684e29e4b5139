import { ruleFixtureTests } from '../../testing/support.js';

ruleFixtureTests('operation-id-casing', [
  ["data/api/test/other.yaml:18:7", "operationId \"PostThing\" is not lowerCamelCase."],
  ["data/api/test/things.yaml:18:7", "operationId \"post_thing\" is not lowerCamelCase."],
]);
