import { ruleFixtureTests } from '../../testing/support.js';

const dir = 'changelogs/client_server/newsfragments';
ruleFixtureTests('changelog-fragment', [
  [`${dir}/1.misc:1:1`, '".misc" is not a fragment type; did you mean ".new"?'],
  [`${dir}/2.feature.md:1:1`, '".feature.md" is not a fragment type; did you mean ".feature"?'],
  [`${dir}/3.clarifcation:1:1`, '".clarifcation" is not a fragment type; did you mean ".clarification"?'],
  [`${dir}/4.feature:1:1`, 'The fragment is empty.'],
  [`${dir}/5.feature:1:40`, 'The entry does not end with a full stop.'],
  [`${dir}/6.clarification:3:1`, 'A fragment is one paragraph of text, but this one has a second paragraph.'],
  [`${dir}/7.clarification:1:12`, 'An unmatched backtick leaves code formatting open.'],
  [`${dir}/abc.feature:1:1`, '"abc" is neither a number nor an orphan name (+name).'],
  ['changelogs/push/newsfragments/9.feature:1:1', '"push/newsfragments" is not a configured section'],
  ['changelogs/server_server/newsfragments/8.feature:1:1', 'Number 8 is already used by changelogs/server_server/newsfragments/08.feature'],
]);
