import assert from 'node:assert/strict';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { Diagnostic } from '../core/diagnostic.js';
import { cli, REPO } from './support.js';

/** The clean tree that adversarial tests add their hostile files to. */
export const BASE_TREE = join(REPO, 'scripts', 'hardening', 'fixtures', 'base');

export interface HostileTree {
  /** A folder holding the tree and, beside it, things outside the tree. */
  work: string;
  root: string;
  /** A file outside the tree whose content is a unique marker no output may contain. */
  outside: string;
  marker: string;
  cleanup(): void;
}

/**
 * A copy of the base tree inside a fresh folder, with a secret file beside it (outside the tree)
 * and the given files written into the tree.
 */
export function hostileTree(files: Record<string, string | Buffer> = {}): HostileTree {
  const work = mkdtempSync(join(tmpdir(), 'mxspec-hostile-'));
  const root = join(work, 'tree');
  cpSync(BASE_TREE, root, { recursive: true });
  const marker = `SECRET-${Math.random().toString(36).slice(2)}-OUTSIDE`;
  const outside = join(work, 'secret.yaml');
  writeFileSync(outside, `secret: ${marker}\n`);
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return { work, root, outside, marker, cleanup: () => rmSync(work, { recursive: true, force: true }) };
}

/** Every file under a folder with its text, for asserting what outputs contain. */
export function readAll(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, e.name);
      if (e.isDirectory()) stack.push(abs);
      else if (e.isFile()) out.set(relative(dir, abs), readFileSync(abs, 'utf8'));
    }
  }
  return out;
}

/** Names, kinds, sizes and modification times of everything under a folder, to prove nothing changed. */
export function snapshot(dir: string, skip: (rel: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, e.name);
      const rel = relative(dir, abs);
      if (skip(rel)) continue;
      const st = lstatSync(abs);
      out.push(
        `${rel} ${e.isDirectory() ? 'dir' : e.isSymbolicLink() ? 'link' : 'file'} `
          + `${e.isDirectory() ? '' : st.size} ${st.mtimeMs}`,
      );
      if (e.isDirectory()) stack.push(abs);
    }
  }
  return out.sort();
}

/** A CLI run that failed or passed the way a user should see: one-line errors, never a stack trace. */
export function assertNoCrash(stderr: string, stdout = ''): void {
  for (const text of [stderr, stdout]) {
    assert.doesNotMatch(text, /internal error/, text);
    assert.doesNotMatch(text, /^ {4}at \S/m, text);
  }
}

/**
 * `mxspec lint --format json` as a user runs it: its findings and exit status. It must not crash,
 * and it prints nothing on stderr: findings go to the report, never to the terminal.
 */
export function lintJson(root: string): { status: number | null; found: Diagnostic[] } {
  const r = cli(['lint', '--root', root, '--format', 'json']);
  assertNoCrash(r.stderr, r.stdout);
  assert.equal(r.stderr, '');
  return { status: r.status, found: JSON.parse(r.stdout) as Diagnostic[] };
}
