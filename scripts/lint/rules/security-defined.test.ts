import { ruleFixtureTests } from '../../testing/support.js';

ruleFixtureTests('security-defined', [
  ["data/api/test/things.yaml:23:11", "Security scheme \"bearerToken\" is not defined in data/api/tes"],
]);
