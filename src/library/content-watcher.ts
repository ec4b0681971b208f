// Watches CONTENT_DIR and hands the files that changed to the content folder. Changes arriving
// together (an editor's save, a git checkout) are read as one batch after a short quiet spell, so a
// burst of files rebuilds the catalog once, well within the 2 s promised. The watcher is started once
// the bot is ready: its walk of the folder is not on the way to it.
//
// One fs.watch per folder, not per file: on Linux a folder's inotify watch reports every file in it
// (created, written, renamed, deleted). chokidar 4 kept an fs.watch and a Stats object per file, about
// 25 MB of RSS over the 3,342-file corpus; Node 20's `recursive: true` does the same on Linux (a watch
// and a stat per file, walked synchronously), so neither is used.
import { watch, type FSWatcher } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { basename, join, normalize, sep } from 'node:path';
import { isLectureFileName, isSkippedFolder } from '../content/load.js';
import type { Logger } from '../logger.js';
import type { ContentFolder, FileParser } from './content-folder.js';

/** Quiet time after the last event before the batch is read. */
export const SETTLE_MS = 150;

export interface ContentWatcher {
  close(): Promise<void>;
}

/** How far a file's change time may lag the clock (the kernel stamps it with a coarse clock). */
const CTIME_SLACK_MS = 50;

/**
 * Starts watching at once and returns; the walk of the folder runs in the background, so the bot need
 * not wait for it. The walk closes the gap since the content folder was loaded: a file whose change
 * time is after the load began is read again, and so is a file the load did not have or served from
 * the content cache at a size or modification time it no longer has; one the walk does not find is
 * dropped. Each folder is watched before it is listed, so a file added meanwhile is in the listing,
 * its events, or both.
 */
export function watchContent(folder: ContentFolder, log: Logger, parseMany?: FileParser): ContentWatcher {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  // One refresh at a time, in the order the changes came: a batch read in the parser thread takes a while.
  let refreshing: Promise<void> = Promise.resolve();
  const flush = (): void => {
    timer = null;
    if (closed) return;
    const paths = [...pending];
    pending.clear();
    refreshing = refreshing
      .then(() => (closed ? undefined : folder.refresh(paths, parseMany)))
      .catch((error: unknown) => log.error({ err: error, paths }, 'content: could not reload changed files'));
  };
  const changed = (path: string): void => {
    if (closed) return;
    pending.add(normalize(path));
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(flush, SETTLE_MS);
    timer.unref();
  };

  const watchers = new Map<string, FSWatcher>();
  let warnedWatch = false;
  const watchFolder = (dir: string): void => {
    if (closed || watchers.has(dir)) return;
    try {
      const watcher = watch(dir, (event, name) => {
        if (name !== null) examine(join(dir, name), event === 'rename');
      });
      watcher.on('error', (error) => {
        log.warn({ err: error, dir }, 'content: the folder watcher reported an error');
        unwatch(dir);
      });
      watchers.set(dir, watcher);
    } catch (error) {
      // ENOENT: gone since it was listed (its parent's event says so). ENOSPC: the inotify limit.
      if (isCode(error, 'ENOENT')) return;
      if (!warnedWatch) log.warn({ err: error, dir }, 'content: could not watch a folder for changes');
      warnedWatch = true;
    }
  };
  /** Stops watching `dir` and every folder under it; true when it was watched. */
  const unwatchUnder = (dir: string): boolean => {
    const was = unwatch(dir);
    const prefix = `${dir}${sep}`;
    for (const known of [...watchers.keys()]) if (known.startsWith(prefix)) unwatch(known);
    return was;
  };
  const unwatch = (dir: string): boolean => {
    const watcher = watchers.get(dir);
    if (watcher === undefined) return false;
    watchers.delete(dir);
    watcher.close();
    return true;
  };

  /**
   * Watches `dir` and the folders under it and calls `onFile` for every lecture file found (the
   * loader's rules: dot-folders, node_modules and anything but a lecture's .md are left out).
   */
  const walk = async (dir: string, onFile: (path: string) => Promise<void> | void): Promise<void> => {
    watchFolder(dir);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return;
      throw error;
    }
    const files: Promise<void>[] = [];
    for (const entry of entries) {
      if (closed) return;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!isSkippedFolder(entry.name)) await walk(path, onFile);
      } else if (isLectureFileName(entry.name)) {
        files.push(Promise.resolve(onFile(path)));
      }
    }
    await Promise.all(files);
  };

  /** What an event on `path` means: a lecture file to read again, or a folder come or gone. */
  const examine = (path: string, renamed: boolean): void => {
    const name = basename(path);
    lstat(path).then(
      (stats) => {
        if (stats.isDirectory()) {
          // A folder created or moved in: watch it and read what it holds. A "change" on a folder
          // is its own attributes, nothing to read.
          if (!renamed || isSkippedFolder(name) || closed) return;
          unwatchUnder(path);
          walk(path, changed).catch((error: unknown) =>
            log.warn({ err: error, path }, 'content: could not watch a new folder'),
          );
        } else if (isLectureFileName(name)) {
          changed(path);
        }
      },
      () => {
        // Gone: a file deleted or moved away, or a folder with everything under it.
        if (unwatchUnder(path) || isLectureFileName(name)) changed(path);
      },
    );
  };

  const found = new Set<string>();
  const changedSinceLoad = BigInt(folder.loadedAt - CTIME_SLACK_MS) * 1_000_000n;
  const catchUp = async (path: string): Promise<void> => {
    const normalized = normalize(path);
    found.add(normalized);
    try {
      const stats = await stat(path, { bigint: true });
      if (stats.ctimeNs >= changedSinceLoad || folder.differsFromLoad(normalized, stats)) changed(path);
    } catch {
      changed(path);
    }
  };
  walk(folder.dir, catchUp)
    .then(() => {
      if (closed) return;
      for (const path of folder.paths()) if (!found.has(path)) changed(path);
      folder.loadChecked();
      log.info({ dir: folder.dir }, `content: watching ${folder.dir} for changes`);
    })
    .catch((error: unknown) => log.warn({ err: error }, 'content: could not watch the content folder'))
    .finally(() => found.clear());

  return {
    close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      for (const dir of [...watchers.keys()]) unwatch(dir);
      // A refresh under way finishes first: the parser thread it may be using closes after this.
      return refreshing;
    },
  };
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
