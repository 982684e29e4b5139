import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Place } from '../../core/diagnostic.js';
import { placeAt } from '../../core/source.js';
import type { Fragment } from '../../loader/fragments.js';
import type { Rule } from '../rule.js';

/**
 * This project's house style for fragments, which towncrier does not require: names in one of
 * the three house forms, one paragraph of well-formed Markdown, a sentence ending with a full stop.
 */

interface MdNode { type: string; value?: string; children?: MdNode[]; position?: { start: { offset?: number } } }
interface Problem { message: string; offset: number }

/** The first place a link is left incomplete: `](` without its text, or a `[` never closed. */
function brokenLink(value: string): number | undefined {
  const joined = value.indexOf('](');
  const lastClose = value.lastIndexOf(']');
  const unclosed = value.indexOf('[', lastClose + 1);
  const found = [joined, unclosed].filter((i) => i !== -1);
  return found.length ? Math.min(...found) : undefined;
}

function inlineProblem(node: MdNode): Problem | undefined {
  if (node.type === 'text' && node.value) {
    const start = node.position?.start.offset ?? 0;
    const tick = node.value.indexOf('`');
    if (tick !== -1) return { message: 'An unmatched backtick leaves code formatting open.', offset: start + tick };
    const link = brokenLink(node.value);
    if (link !== undefined) return { message: 'A broken link: "[text](url)" is not complete.', offset: start + link };
  }
  for (const child of node.children ?? []) {
    const found = inlineProblem(child);
    if (found) return found;
  }
  return undefined;
}

/** What keeps a fragment from being one well-formed Markdown entry. */
function markdownProblem(text: string): Problem | undefined {
  const blocks = (fromMarkdown(text) as MdNode).children ?? [];
  if (blocks.length !== 1 || blocks[0]!.type !== 'paragraph') {
    const odd = blocks.find((b) => b.type !== 'paragraph') ?? blocks[1];
    const extra = odd ? `a ${odd.type === 'paragraph' ? 'second paragraph' : odd.type}` : 'none';
    return {
      message: `A fragment is one paragraph of text, but this one has ${extra}.`,
      offset: odd?.position?.start.offset ?? 0,
    };
  }
  return inlineProblem(blocks[0]!);
}

function endOf(f: Fragment): Place {
  return placeAt(f.source, Math.max(0, f.source.text.trimEnd().length - 1));
}

export const changelogStyle: Rule = {
  id: 'changelog-style',
  why: 'Release notes read as one list of sentences: each fragment is one paragraph of well-formed Markdown '
    + 'ending with a full stop, in a file named the house way.',
  defaultSeverity: 'error',
  preset: 'strict',
  run({ spec, report }) {
    for (const f of spec.changelog?.fragments ?? []) {
      if (f.nameProblem || f.source.badUtf8At !== undefined || f.text === '') continue;
      if (f.unusualName) {
        const hint = 'Name fragments <number>.<type>, <number>.<type>.<n> or +<name>.<type>.';
        report({ place: placeAt(f.source, 0), message: f.unusualName, hint });
      }
      if (!f.text.endsWith('.')) {
        const hint = 'Release notes are sentences; end it with ".".';
        report({ place: endOf(f), message: 'The entry does not end with a full stop.', hint });
      }
      const md = markdownProblem(f.source.text);
      if (md) report({ place: placeAt(f.source, md.offset), message: md.message });
    }
  },
};
