import { ruleFixtureTests } from '../../testing/support.js';

ruleFixtureTests('required-properties-defined', [
  ["data/api/test/definitions/thing.yaml:6:18", "\"nmae\" is required but this schema (data/api/test/definition"],
]);
