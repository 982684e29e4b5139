import { ruleFixtureTests } from '../../testing/support.js';

ruleFixtureTests('version-annotations', [
  ['data/api/test/definitions/thing.yaml:6:5', 'x-addedInMatrixVersion 1.10 is a number, not a version string: YAML reads it as 1.1.'],
  ['data/api/test/definitions/thing.yaml:9:5', 'x-addedInMatrixVersion "1.3" is later than the spec\'s version, 1.2.'],
  ['data/api/test/definitions/thing.yaml:12:5', 'x-addedInMatrixVersion "v1.1" is not a Matrix version like "1.2".'],
  ['data/api/test/definitions/thing.yaml:15:5', 'x-changedInMatrixVersion must map versions to notes'],
  ['data/api/test/definitions/thing.yaml:19:7', 'x-changedInMatrixVersion key "2.0" is later than the spec\'s version, 1.2.'],
  ['data/api/test/definitions/thing.yaml:23:7', 'x-changedInMatrixVersion key 1.10 is a number, not a version string'],
]);
