import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Place } from '../../core/diagnostic.js';
import { placeAt } from '../../core/source.js';
import type { Fragment } from '../../changelog/fragments.js';
import type { Rule } from '../rule.js';

interface MdNode { type: string; value?: string; children?: MdNode[]; position?: { start: { offset?: number } } }

/** What keeps a fragment from being one well-formed Markdown entry. */
function markdownProblem(text: string): { message: string; offset: number } | undefined {
  const tree = fromMarkdown(text) as MdNode;
  const blocks = tree.children ?? [];
  if (blocks.length !== 1 || blocks[0]!.type !== 'paragraph') {
    const odd = blocks.find((b) => b.type !== 'paragraph') ?? blocks[1];
    return {
      message: `A fragment is one paragraph of text, but this one has ${odd ? `a ${odd.type === 'paragraph' ? 'second paragraph' : odd.type}` : 'none'}.`,
      offset: odd?.position?.start.offset ?? 0,
    };
  }
  let found: { message: string; offset: number } | undefined;
  const visit = (node: MdNode) => {
    if (found) return;
    if (node.type === 'text' && node.value) {
      const start = node.position?.start.offset ?? 0;
      const tick = node.value.indexOf('`');
      if (tick !== -1) found = { message: 'An unmatched backtick leaves code formatting open.', offset: start + tick };
      const link = /\]\(|\[[^\]]*$/.exec(node.value);
      if (!found && link) found = { message: 'A broken link: "[text](url)" is not complete.', offset: start + link.index };
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(blocks[0]!);
  return found;
}

function endOf(f: Fragment): Place {
  const trimmedEnd = f.source.text.replace(/\s+$/, '').length;
  return placeAt(f.source, Math.max(0, trimmedEnd - 1));
}

export const changelogFragment: Rule = {
  id: 'changelog-fragment',
  why: 'A fragment with an unknown type or section would be dropped from the release notes without a word; a malformed one renders badly.',
  defaultSeverity: 'error',
  run({ spec, report }) {
    if (spec.changelogProblem) {
      report({ place: { file: spec.changelogProblem.file, line: 1, column: 1 }, message: spec.changelogProblem.message });
    }
    const fragments = spec.changelog?.fragments ?? [];
    const seen = new Map<string, Fragment>();
    for (const f of fragments) {
      const start = placeAt(f.source, 0);
      if (f.nameProblem) {
        report({ place: start, message: f.nameProblem, hint: 'Fragments are named <number>.<type>, <number>.<type>.<n> or +<name>.<type>.' });
        continue;
      }
      if (f.text === '') {
        report({ place: start, message: 'The fragment is empty.', hint: 'Write one sentence saying what changed.' });
        continue;
      }
      if (!f.text.endsWith('.')) {
        report({ place: endOf(f), message: 'The entry does not end with a full stop.', hint: 'Release notes are sentences; end it with ".".' });
      }
      const md = markdownProblem(f.source.text);
      if (md) report({ place: placeAt(f.source, md.offset), message: md.message });
      if (f.number !== undefined && f.section && f.type) {
        const key = `${f.section.path}\u0000${f.type.directory}\u0000${f.number}\u0000${f.counter ?? ''}`;
        const earlier = seen.get(key);
        if (earlier) {
          report({
            place: start, message: `Number ${f.number} is already used by ${earlier.source.rel} in the same section and type.`,
            hint: 'Add a counter (.1, .2) to give one number several entries.',
            related: [{ ...placeAt(earlier.source, 0), label: 'first used here' }],
          });
        } else seen.set(key, f);
      }
    }
  },
};
