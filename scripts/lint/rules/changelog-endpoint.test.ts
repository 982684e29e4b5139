import { ruleFixtureTests } from '../../testing/support.js';

const dir = 'changelogs/client_server/newsfragments';
ruleFixtureTests('changelog-endpoint', [
  [`${dir}/20.new:1:5`, 'POST /rooms/{roomId}/nothing is not in the spec'],
  [`${dir}/21.new:1:1`, 'A "New Endpoints" fragment must name at least one endpoint in backticks'],
  [
    `${dir}/22.removal:1:8`,
    'POST /_matrix/client/v3/rooms/{roomId}/thing is still in the spec (data/api/client-server/things.yaml)',
  ],
]);
