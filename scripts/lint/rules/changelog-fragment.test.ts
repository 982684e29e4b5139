import { ruleFixtureTests } from '../../testing/support.js';

// What towncrier drops or stops on. House style (names, Markdown, full stops) is changelog-style's:
// the passing fixture has a fragment without a full stop, one named 12.feature.md and one named
// abc.clarification, which towncrier reads, so this rule says nothing about them.
const dir = 'changelogs/client_server/newsfragments';
ruleFixtureTests('changelog-fragment', [
  [`${dir}/1.misc:1:1`, '".misc" is not a fragment type; did you mean ".new"?'],
  [`${dir}/10.feature:1:10`, 'The fragment is not valid UTF-8 from here on'],
  [`${dir}/3.clarifcation:1:1`, '".clarifcation" is not a fragment type; did you mean ".clarification"?'],
  [`${dir}/4.feature:1:1`, 'The fragment is empty.'],
  ['changelogs/push/newsfragments/9.feature:1:1', '"push/newsfragments" is not a configured section'],
  [
    'changelogs/server_server/newsfragments/8.feature:1:1',
    'Number 8 is already used by changelogs/server_server/newsfragments/08.feature',
  ],
]);
