import type StateInline from 'markdown-it/lib/rules_inline/state_inline.mjs';

/** Label ends found so far, per inline state, per scan limit and per kind of scan. */
const memos = new WeakMap<StateInline, Map<string, Map<number, number>>>();

function memoOf(state: StateInline, disableNested: boolean): Map<number, number> {
  let byKey = memos.get(state);
  if (!byKey) { byKey = new Map(); memos.set(state, byKey); }
  const key = `${state.posMax}:${disableNested ? 1 : 0}`;
  let ends = byKey.get(key);
  if (!ends) { ends = new Map(); byKey.set(key, ends); }
  return ends;
}

/**
 * markdown-it's `parseLinkLabel`, answering the same, in linear time. The original scans forward
 * from every `[` to its matching `]`, so a line of 100,000 `[` costs 10^10 steps. Here one scan
 * keeps a stack of the brackets it passes and records the end of each one it settles; a later `[`
 * on that path is answered from the record, since its own scan would walk the same tokens.
 */
export function linearParseLinkLabel(state: StateInline, start: number, disableNested?: boolean): number {
  const ends = memoOf(state, disableNested === true);
  const known = ends.get(start);
  if (known !== undefined) return known;
  const oldPos = state.pos;
  const open = [start];
  let found = -1;
  state.pos = start + 1;
  while (state.pos < state.posMax) {
    const marker = state.src.charCodeAt(state.pos);
    if (marker === 0x5d) {
      ends.set(open.pop()!, state.pos);
      if (open.length === 0) { found = state.pos; break; }
    }
    const prevPos = state.pos;
    state.md.inline.skipToken(state);
    if (marker !== 0x5b) continue;
    if (prevPos === state.pos - 1) open.push(prevPos);
    // A link inside a link's text: no bracket still open here can be a link label.
    else if (disableNested) break;
  }
  for (const unclosed of open) ends.set(unclosed, -1);
  state.pos = oldPos;
  return found;
}
