import { ruleFixtureTests } from '../../testing/support.js';

ruleFixtureTests('yaml-duplicate-key', [
  ["data/api/test/things.yaml:22:7", "Duplicate key \"summary\": the later value silently replaces t"],
]);
