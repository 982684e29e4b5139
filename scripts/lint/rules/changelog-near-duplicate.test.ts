import { ruleFixtureTests } from '../../testing/support.js';

const dir = 'changelogs/client_server/newsfragments';
ruleFixtureTests('changelog-near-duplicate', [
  [`${dir}/31.clarification:1:1`, `This entry is almost the same as ${dir}/30.clarification`],
  [`${dir}/32.clarification:1:1`, `This entry is almost the same as ${dir}/30.clarification`],
]);
