// Watches CONTENT_DIR and hands the files that changed to the content folder. One fs.watch per folder
// (inotify reports a folder's files itself), started by the loader's own walk just before it lists
// each folder, so nothing changed after a folder was read is missed and no second scan is needed.
// Changes arriving together (an editor's save, a git checkout) are read as one batch after a short
// quiet spell, so a burst of files rebuilds the catalog once, well within the 2 s promised.
import { lstatSync, readdirSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { join, sep } from 'node:path';
import { isLectureFileName, isSkippedFolder } from '../content/load.js';
import type { Logger } from '../logger.js';

/** Quiet time after the last event before the batch is read. */
export const SETTLE_MS = 150;

/** What the watcher hands its changes to: the content folder. */
export interface ChangedFiles {
  /** Files (or folders) added, edited or gone since the last call. */
  refresh(paths: readonly string[]): void;
}

export class ContentWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private target: ChangedFiles | null = null;
  private closed = false;

  constructor(private readonly log: Logger) {}

  /**
   * Watches one folder (not its sub-folders: the walk adds each of them). Called just before the
   * folder is listed, so that a file added in between is reported, at worst twice.
   */
  add(folder: string): void {
    if (this.closed || this.watchers.has(folder)) return;
    try {
      // Not persistent: the Discord connection keeps the process alive, never a watcher.
      const watcher = watch(folder, { persistent: false }, (_event, name) => this.changed(folder, name));
      watcher.on('error', (error) => {
        this.unwatchUnder(folder);
        // A folder that was just deleted may report that; its parent reports the deletion.
        if (lstatSync(folder, { throwIfNoEntry: false }) !== undefined)
          this.log.warn({ err: error, folder }, 'content: the folder watcher reported an error');
      });
      this.watchers.set(folder, watcher);
    } catch (error) {
      // Out of inotify watches, say: the folder still loads, only its changes wait for a restart.
      this.log.warn({ err: error, folder }, `content: cannot watch ${folder}; its changes need a restart`);
    }
  }

  /** From now on, changes (and those seen since the first add) go to `target`. */
  attach(target: ChangedFiles, root: string): void {
    this.target = target;
    this.log.info({ dir: root }, `content: watching ${root} for changes`);
    if (this.pending.size > 0) this.schedule();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
    await Promise.resolve();
  }

  /** How many folders are watched (for tests and diagnostics). */
  get folderCount(): number {
    return this.watchers.size;
  }

  private changed(folder: string, name: string | Buffer | null): void {
    if (this.closed) return;
    if (name === null) {
      // No name (not on Linux, macOS or Windows): read the whole folder again.
      this.addTree(folder);
      return;
    }
    const path = join(folder, name.toString());
    const info = lstatSync(path, { throwIfNoEntry: false });
    if (info === undefined) {
      // Gone: a file, or a folder with everything in it (the content folder drops what is under it).
      const wasFolder = this.unwatchUnder(path);
      if (wasFolder || isLectureFileName(name.toString())) this.queue(path);
    } else if (info.isDirectory()) {
      // A folder created or moved in: watch it and read what it already holds.
      if (!this.watchers.has(path) && !isSkippedFolder(name.toString())) this.addTree(path);
    } else if (isLectureFileName(name.toString())) {
      this.queue(path);
    }
  }

  /** Watches `folder` and every folder under it, as the loader walks them, and queues their lectures. */
  private addTree(folder: string): void {
    this.add(folder);
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      // Gone again already: its parent reports that.
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!isSkippedFolder(entry.name)) this.addTree(path);
      } else if (isLectureFileName(entry.name)) {
        this.queue(path);
      }
    }
  }

  /** Stops watching `path` and every folder under it; whether any was watched. */
  private unwatchUnder(path: string): boolean {
    const prefix = `${path}${sep}`;
    let found = false;
    for (const [folder, watcher] of this.watchers) {
      if (folder !== path && !folder.startsWith(prefix)) continue;
      watcher.close();
      this.watchers.delete(folder);
      found = true;
    }
    return found;
  }

  private queue(path: string): void {
    this.pending.add(path);
    if (this.target !== null) this.schedule();
  }

  private schedule(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), SETTLE_MS);
    this.timer.unref();
  }

  private flush(): void {
    this.timer = null;
    const paths = [...this.pending];
    this.pending.clear();
    try {
      this.target?.refresh(paths);
    } catch (error) {
      this.log.error({ err: error, paths }, 'content: could not reload changed files');
    }
  }
}
