import type { Place } from './diagnostic.js';

/** A file read from the spec tree, with what the parser learned about it. */
export interface SourceFile {
  /** Absolute path. */
  abs: string;
  /** Path relative to the spec root, forward slashes: the name every diagnostic uses. */
  rel: string;
  text: string;
  /** Parsed value; undefined when the file could not be parsed or is empty. */
  data: unknown;
  parsed: boolean;
  lineStarts: number[];
  /** Offset of the first character that was not valid UTF-8, when the file is not. */
  badUtf8At?: number;
}

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Converts a character offset into a 1-based line and column. */
export function placeAt(file: SourceFile, offset: number): Place {
  const starts = file.lineStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid; else hi = mid - 1;
  }
  return { file: file.rel, line: lo + 1, column: offset - starts[lo]! + 1 };
}

/** The text of one line (1-based), without its line break. */
export function lineText(file: SourceFile, line: number): string {
  const start = file.lineStarts[line - 1];
  if (start === undefined) return '';
  const next = file.lineStarts[line];
  return file.text.slice(start, next === undefined ? undefined : next - 1).replace(/\r$/, '');
}

/** Text from a file quoted in a message, cut short: a key or reference may be megabytes long. */
export function quoted(text: string, max = 100): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
