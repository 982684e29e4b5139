import { ruleFixtureTests } from '../../testing/support.js';

const dir = 'changelogs/client_server/newsfragments';
ruleFixtureTests('changelog-style', [
  [
    `${dir}/2.feature.md:1:1`,
    '"2.feature.md" is not named <number>.<type>, <number>.<type>.<n> or +<name>.<type>; '
      + 'towncrier reads it as ticket "2", type "feature".',
  ],
  [`${dir}/5.feature:1:40`, 'The entry does not end with a full stop.'],
  [`${dir}/6.clarification:3:1`, 'A fragment is one paragraph of text, but this one has a second paragraph.'],
  [`${dir}/7.clarification:1:12`, 'An unmatched backtick leaves code formatting open.'],
  [`${dir}/8.clarification:1:27`, 'A broken link: "[text](url)" is not complete.'],
  [
    `${dir}/abc.feature:1:1`,
    '"abc" is neither a number nor an orphan name (+name); towncrier reads it as ticket "abc".',
  ],
]);
