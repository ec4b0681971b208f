// Watches CONTENT_DIR with chokidar and hands the files that changed to the content folder. Changes
// arriving together (an editor's save, a git checkout) are read as one batch after a short quiet
// spell, so a burst of files rebuilds the catalog once, well within the 2 s promised.
import { basename, relative, sep } from 'node:path';
import { watch } from 'chokidar';
import type { Stats } from 'node:fs';
import { isLectureFileName, isSkippedFolder } from '../content/load.js';
import type { Logger } from '../logger.js';
import type { ContentFolder } from './content-folder.js';

/** Quiet time after the last event before the batch is read. */
export const SETTLE_MS = 150;

export interface ContentWatcher {
  close(): Promise<void>;
}

/** Resolves once chokidar has looked at the whole folder, so no change after that is missed. */
export async function watchContent(folder: ContentFolder, log: Logger): Promise<ContentWatcher> {
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

  const watcher = watch(folder.dir, {
    ignoreInitial: true,
    ignored: (path: string, stats?: Stats) => ignored(folder.dir, path, stats),
  });
  watcher.on('add', changed).on('change', changed).on('unlink', changed).on('unlinkDir', changed);
  watcher.on('error', (error) => log.warn({ err: error }, 'content: the folder watcher reported an error'));
  await new Promise<void>((resolve) => watcher.once('ready', resolve));
  log.info({ dir: folder.dir }, `content: watching ${folder.dir} for changes`);
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
