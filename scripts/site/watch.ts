import { readdirSync, statSync, watch, type FSWatcher, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Folders watched at most; a tree with more (a hostile one) is watched in part, and says so. */
const MAX_FOLDERS = 4096;

function statOrUndefined(path: string): Stats | undefined {
  try { return statSync(path); } catch { return undefined; }
}

function subfolderNames(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

/**
 * Watches some folders of a tree, each folder on its own (a folder watch sees files replaced by
 * rename, which is how editors save). Editors and tools race it: a file vanishes between the
 * event and a look at it, a folder is deleted and created again under the same name. Every
 * look is allowed to fail, a folder that comes back is watched again (its inode changed), and a
 * watcher that errors is dropped rather than crashing the server.
 */
export class TreeWatcher {
  private readonly watchers = new Map<string, { watcher: FSWatcher; ino: number }>();
  private warned = false;

  /**
   * `folders` are the top folders to watch (relative to root); `files` are root-level files
   * whose change also counts. `onChange` gets the changed path relative to the root.
   */
  constructor(
    private readonly root: string,
    private readonly folders: readonly string[],
    private readonly files: readonly string[],
    private readonly onChange: (rel: string) => void,
    private readonly warn: (message: string) => void,
  ) {
    this.watchRoot();
    for (const f of folders) this.watchTree(join(root, f));
  }

  close(): void {
    for (const { watcher } of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  /** The root itself, for top folders created (or replaced) after the start. */
  private watchRoot(): void {
    this.watchOne(this.root, (name) => {
      if (this.folders.includes(name)) {
        this.forget(join(this.root, name));
        this.watchTree(join(this.root, name));
      }
      if (this.folders.includes(name) || this.files.includes(name)) this.onChange(name);
    });
  }

  private watchTree(top: string): void {
    const stack = [top];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      const stat = statOrUndefined(dir);
      if (!stat?.isDirectory()) { this.forget(dir); continue; }
      const known = this.watchers.get(dir);
      if (known && known.ino === stat.ino) continue;
      if (known) this.forget(dir);
      if (!this.watchOne(dir, (name) => this.changed(dir, name), stat.ino)) continue;
      for (const name of subfolderNames(dir)) stack.push(join(dir, name));
    }
  }

  /**
   * A folder that is itself the subject of an event was created, deleted, renamed or replaced:
   * it is watched afresh, since a folder deleted and made again may even reuse its inode.
   */
  private changed(dir: string, name: string): void {
    const path = join(dir, name);
    const stat = statOrUndefined(path);
    if (name !== '' && this.watchers.has(path)) this.forget(path);
    if (stat?.isDirectory()) this.watchTree(path);
    this.onChange(relative(this.root, path));
  }

  private watchOne(dir: string, onName: (name: string) => void, ino = statOrUndefined(dir)?.ino ?? 0): boolean {
    if (this.watchers.size >= MAX_FOLDERS) {
      if (!this.warned) this.warn(`more than ${MAX_FOLDERS} folders: changes in the others are not seen`);
      this.warned = true;
      return false;
    }
    try {
      const watcher = watch(dir, (_event, name) => onName(name ? String(name) : ''));
      watcher.on('error', () => this.forget(dir));
      this.watchers.set(dir, { watcher, ino });
      return true;
    } catch {
      return false;
    }
  }

  /** Stops watching a folder and everything below it (it was deleted or replaced). */
  private forget(dir: string): void {
    for (const [path, { watcher }] of this.watchers) {
      if (path === dir || path.startsWith(dir + sep)) {
        watcher.close();
        this.watchers.delete(path);
      }
    }
  }
}
