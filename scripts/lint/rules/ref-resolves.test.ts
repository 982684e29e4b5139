import { ruleFixtureTests } from '../../testing/support.js';

ruleFixtureTests('ref-resolves', [
  ["data/api/test/definitions/a.yaml:1:1", "This $ref starts a cycle that never reaches a value: data/ap"],
  ["data/api/test/things.yaml:15:17", "\"definitions/missing.yaml\" points at data/api/test/definitio"],
  ["data/api/test/things.yaml:21:17", "\"definitions/thing.yaml#/properties/nope\" points at /propert"],
  ["data/api/test/things.yaml:29:17", "\"../../examples-missing/thing.json\" points at data/examples-"],
]);
