// Watches CONTENT_DIR with chokidar and hands the files that changed to the content folder. Changes
// arriving together (an editor's save, a git checkout) are read as one batch after a short quiet
// spell, so a burst of files rebuilds the catalog once, well within the 2 s promised. The watcher is
// started once the bot is ready: chokidar's walk (a stat and a watch per file) is not on the way to it.
import { basename, normalize, relative, sep } from 'node:path';
import { watch } from 'chokidar';
import type { Stats } from 'node:fs';
import { findMarkdownFiles, isLectureFileName, isSkippedFolder } from '../content/load.js';
import type { Logger } from '../logger.js';
import type { ContentFolder } from './content-folder.js';

/** Quiet time after the last event before the batch is read. */
export const SETTLE_MS = 150;

export interface ContentWatcher {
  close(): Promise<void>;
}

/** How far a file's change time may lag the clock (the kernel stamps it with a coarse clock). */
const CTIME_SLACK_MS = 50;

/**
 * Starts watching at once and returns; chokidar's walk of the folder runs in the background, so the
 * bot need not wait for it. The walk closes the gap since the content folder was loaded: a file whose
 * change time is after the load began is read again, one the walk does not find is dropped.
 */
export function watchContent(folder: ContentFolder, log: Logger): ContentWatcher {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  const flush = (): void => {
    timer = null;
    const paths = [...pending];
    pending.clear();
    try {
      folder.refresh(paths);
    } catch (error) {
      log.error({ err: error, paths }, 'content: could not reload changed files');
    }
  };
  const changed = (path: string): void => {
    pending.add(path);
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(flush, SETTLE_MS);
    timer.unref();
  };

  let walking = true;
  const found = new Set<string>();
  const changedSinceLoad = folder.loadedAt - CTIME_SLACK_MS;
  const watcher = watch(folder.dir, {
    // The walk's adds are how the gap since the load is closed (see below).
    ignoreInitial: false,
    ignored: (path: string, stats?: Stats) => ignored(folder.dir, path, stats),
  });
  watcher.on('add', (path: string, stats?: Stats) => {
    if (!walking) return changed(path);
    found.add(normalize(path));
    if (stats === undefined || stats.ctimeMs >= changedSinceLoad) changed(path);
  });
  watcher.on('change', changed).on('unlink', changed).on('unlinkDir', changed);
  watcher.on('error', (error) => log.warn({ err: error }, 'content: the folder watcher reported an error'));
  watcher.once('ready', () => {
    walking = false;
    for (const path of folder.paths()) if (!found.has(path)) changed(path);
    // chokidar lists a folder before it watches it: a file added in between is in neither its walk
    // nor its events. A second listing (names only, no stat) finds those.
    findMarkdownFiles([folder.dir])
      .then((paths) => {
        for (const path of paths) if (!found.has(normalize(path))) changed(path);
      })
      .catch((error: unknown) => log.warn({ err: error }, 'content: could not list the folder again'))
      .finally(() => found.clear());
    log.info({ dir: folder.dir }, `content: watching ${folder.dir} for changes`);
  });
  return {
    async close() {
      if (timer !== null) clearTimeout(timer);
      await watcher.close();
    },
  };
}

/** The loader's own rules: dot-folders, node_modules, README.md and anything but .md are not lectures. */
function ignored(root: string, path: string, stats?: Stats): boolean {
  const inside = relative(root, path);
  if (inside === '') return false;
  const folders = inside.split(sep).slice(0, -1);
  if (folders.some(isSkippedFolder)) return true;
  const name = basename(path);
  if (stats?.isDirectory()) return isSkippedFolder(name);
  // Called without stats first for some paths: keep anything that may be a folder or a lecture.
  if (stats === undefined) return isSkippedFolder(name) && !isLectureFileName(name);
  return !isLectureFileName(name);
}
