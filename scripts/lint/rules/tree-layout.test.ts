import { ruleFixtureTests } from '../../testing/support.js';

ruleFixtureTests('tree-layout', [
  ['data/api/1.weird api:1:1', 'The API folder name "1.weird api" is not lower-case words joined by single hyphens'],
  ['data/api/bad--name:1:1', 'The API folder name "bad--name" is not lower-case words joined by single hyphens'],
]);
