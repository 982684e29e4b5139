import { ruleFixtureTests } from '../../testing/support.js';

ruleFixtureTests('operation-id-unique', [
  ["data/api/test/things.yaml:18:7", "operationId \"postThing\" is already used in the test API by P"],
]);
