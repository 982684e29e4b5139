import { ruleFixtureTests } from '../../testing/support.js';

ruleFixtureTests('yaml-syntax', [
  ["data/api/test/binary.yaml:1:1", "This is a binary file, not YAML or JSON text."],
  ["data/api/test/empty.yaml:1:1", "The file is empty: it holds no YAML or JSON value."],
  ["data/api/test/malformed.yaml:4:11", "YAML syntax error: bad indentation of a mapping entry."],
]);
