// The content folder (CONTENT_DIR) as a live catalog. Each file's last good parse is kept: a file
// that becomes invalid keeps serving its previous version until it is fixed, and its problems are
// logged with file:line. After every change the catalog is rebuilt whole and swapped in at once, so
// a lookup sees either the old folder or the new one, never half of each.
import { existsSync, statSync } from 'node:fs';
import { normalize, sep } from 'node:path';
import { findMarkdownFiles, parseFile, rejectDuplicateIds } from '../content/load.js';
import type { ContentCache, FileStamp } from '../content/cache.js';
import type { FileResult, LoadedContent } from '../content/load.js';
import type { Lecture } from '../content/types.js';
import { formatProblem } from '../content/types.js';
import type { Logger } from '../logger.js';
import { Catalog } from '../quiz/catalog.js';

/** Reads and parses content folder files as parseFile does, off the main thread; rejects if it cannot. */
export type FileParser = (paths: readonly string[]) => Promise<FileResult[]>;

/**
 * From this many changed files on, a refresh parses them in the parser thread: one file takes about
 * 0.2 ms here, a folder's worth (a checkout of a course update) most of a second.
 */
export const OFF_THREAD_FILES = 20;

export interface LoadFolderOptions {
  /**
   * Serve the files the cache holds under the folder as it holds them, without a walk of the folder
   * or a stat of each file, leaving the check to the content watcher's walk (which stats every file
   * anyway) once the bot is ready. A cache that holds nothing under the folder, or one whose folder
   * changed since it was saved, is not trusted: the folder is read as without this option.
   */
  unverified?: boolean;
}

/** The cache's files under `dir`; none when `dir` is not a folder (the walk then says why). */
function unverifiedFiles(dir: string, cache: ContentCache): ReturnType<ContentCache['unverifiedUnder']> {
  try {
    if (!statSync(dir).isDirectory()) return [];
  } catch {
    return [];
  }
  return cache.unverifiedUnder(dir);
}

interface FileState {
  /** The last version that parsed, or null when none ever did. */
  good: Lecture | null;
}

export class ContentFolder {
  private readonly files = new Map<string, FileState>();
  private current: Catalog;
  private readonly listeners: ((catalog: Catalog) => void)[] = [];
  /** Files served from the content cache without a look at the file, until the watcher's walk has. */
  private readonly unverifiedStamps = new Map<string, FileStamp>();

  private constructor(
    readonly dir: string,
    private readonly log: Logger,
    /** When the load began (ms since the epoch): a file changed since may not be what was read. */
    readonly loadedAt: number,
  ) {
    this.current = new Catalog([]);
  }

  /**
   * Reads every lecture in the folder; the outcome as the bot logs it at start-up. With a cache, a file
   * unchanged since it was cached is not parsed again (the caller saves the cache).
   */
  static async load(
    dir: string,
    log: Logger,
    cache?: ContentCache,
    options: LoadFolderOptions = {},
  ): Promise<{ folder: ContentFolder; content: LoadedContent; checked: boolean }> {
    const folder = new ContentFolder(dir, log, Date.now());
    const problems: LoadedContent['problems'] = [];
    const unverified = options.unverified === true && cache ? unverifiedFiles(dir, cache) : [];
    const checked = unverified.length === 0;
    let fileCount = unverified.length;
    if (checked) {
      const files = await findMarkdownFiles([dir]);
      fileCount = files.length;
      for (const path of files) {
        // Each file alone: the duplicate rule runs over the whole folder, in build().
        const result = parseFile(path, cache);
        problems.push(...result.problems);
        folder.files.set(normalize(path), { good: result.lecture });
      }
    } else {
      // The cache holds each path as the walk made it, already normal.
      for (const { path, stamp, result } of unverified) {
        problems.push(...result.problems);
        folder.files.set(path, { good: result.lecture });
        folder.unverifiedStamps.set(path, stamp);
      }
    }
    const { catalog, duplicates } = folder.build();
    folder.current = catalog;
    problems.push(...duplicates.flatMap((result) => result.problems));
    return {
      folder,
      content: { lectures: [...catalog.inLoadOrder, ...catalog.shadowed], problems, fileCount },
      checked,
    };
  }

  /**
   * Whether the file found at `path` with these stats may differ from what the load served: a file
   * the load did not have, or one served from the cache unchecked whose size or modification time
   * is no longer the cached one. (A file changed after the load began is the watcher's other test.)
   */
  differsFromLoad(path: string, stats: { size: bigint; mtimeNs: bigint }): boolean {
    if (!this.files.has(path)) return true;
    const stamp = this.unverifiedStamps.get(path);
    return (
      stamp !== undefined && (stamp.size !== Number(stats.size) || stamp.mtime !== stats.mtimeNs.toString())
    );
  }

  /** The folder's walk has compared every file with what the load served. */
  loadChecked(): void {
    this.unverifiedStamps.clear();
  }

  /**
   * After the cache was saved: each lecture becomes the same lecture as the cache file holds it, its
   * text and questions read from there on demand rather than kept in memory.
   */
  readBodiesFrom(cache: ContentCache): void {
    for (const [path, state] of this.files) {
      const cached = state.good === null ? undefined : cache.lectureFor(path);
      if (cached && cached.id === state.good?.id) state.good = cached;
    }
    this.current = this.build().catalog;
  }

  /** The files read, each with its last good version or none. */
  paths(): string[] {
    return [...this.files.keys()];
  }

  get catalog(): Catalog {
    return this.current;
  }

  /** Called with each new catalog after a change. */
  onChange(listener: (catalog: Catalog) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Reads these files again (a missing one is dropped, with every file under it when it was a
   * folder), then swaps in the rebuilt catalog. From OFF_THREAD_FILES files on, `parseMany` (the
   * lecture parser thread) reads them, so that a course update does not hold every click meanwhile;
   * if it fails, they are read here. One refresh at a time: the caller waits for each.
   */
  async refresh(paths: readonly string[], parseMany?: FileParser): Promise<void> {
    const toRead: string[] = [];
    for (const raw of paths) {
      const path = normalize(raw);
      if (!existsSync(path)) {
        this.dropUnder(path);
        continue;
      }
      if (!this.files.has(path) && !path.toLowerCase().endsWith('.md')) continue;
      toRead.push(path);
    }
    for (const result of await this.parseAll(toRead, parseMany)) this.apply(result);
    const { catalog, duplicates } = this.build();
    const changed = new Set(paths.map((path) => normalize(path)));
    for (const result of duplicates) {
      if (!changed.has(normalize(result.path))) continue;
      for (const problem of result.problems)
        this.log.warn({ path: problem.path, line: problem.line }, formatProblem(problem));
    }
    this.current = catalog;
    for (const listener of this.listeners) listener(catalog);
  }

  private async parseAll(paths: readonly string[], parseMany?: FileParser): Promise<FileResult[]> {
    if (parseMany && paths.length >= OFF_THREAD_FILES) {
      try {
        return await parseMany(paths);
      } catch (error) {
        this.log.warn(
          { err: error },
          'content: the parser thread could not read the changed files; reading them here',
        );
      }
    }
    return paths.map((path) => parseFile(path));
  }

  /** One file's new parse: served when it is a lecture, its last good version kept when not. */
  private apply(result: FileResult): void {
    const { path } = result;
    this.unverifiedStamps.delete(path);
    const state = this.files.get(path) ?? { good: null };
    if (result.lecture !== null) {
      state.good = result.lecture;
      this.log.info({ path, id: result.lecture.id }, `content: ${path} is served as it is now`);
    } else {
      for (const problem of result.problems) {
        this.log.warn({ path: problem.path, line: problem.line }, formatProblem(problem));
      }
      this.log.warn(
        { path },
        state.good === null
          ? `content: ${path} is not served until it is fixed`
          : `content: ${path} keeps serving its last good version until it is fixed`,
      );
    }
    this.files.set(path, state);
  }

  private dropUnder(path: string): void {
    if (this.files.delete(path)) this.log.info({ path }, `content: ${path} was removed`);
    const folder = path.endsWith(sep) ? path : `${path}${sep}`;
    for (const known of [...this.files.keys()]) {
      if (known.startsWith(folder)) {
        this.files.delete(known);
        this.log.info({ path: known }, `content: ${known} was removed`);
      }
    }
  }

  /** The catalog of every file's last good version, with the loader's duplicate-id rule. */
  private build(): { catalog: Catalog; duplicates: FileResult[] } {
    // The default sort (UTF-16 code units, as `<` compares paths) and plain loops: a start builds
    // this over thousands of files, and a comparator with a spread and a flatMap each allocated and
    // ran per file.
    const results: FileResult[] = [];
    for (const path of [...this.files.keys()].sort()) {
      results.push({ path, lecture: this.files.get(path)?.good ?? null, problems: [] });
    }
    rejectDuplicateIds(results);
    const lectures: Lecture[] = [];
    for (const result of results) if (result.lecture !== null) lectures.push(result.lecture);
    return {
      catalog: new Catalog(lectures),
      duplicates: results.filter((result) => result.problems.length > 0),
    };
  }
}
