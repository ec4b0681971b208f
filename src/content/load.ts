// Loads every lecture under some files or folders. A bad file is reported and skipped; it never
// stops the others from loading.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileStamp } from './cache.js';
import type { ContentCache } from './cache.js';
import { parseLecture } from './parse.js';
import type { ContentProblem, Lecture, ParseResult } from './types.js';

export interface LoadedContent {
  lectures: Lecture[];
  problems: ContentProblem[];
  /** How many markdown files were read. */
  fileCount: number;
}

/** One file's outcome, for tools that report on every file (the export command). */
export interface FileResult extends ParseResult {
  path: string;
}

/**
 * Every `.md` file under the given files or folders, sorted. Inside folders, README.md files
 * (folder notes, not lectures), dot-folders and node_modules are skipped; a file named
 * explicitly is always read.
 */
export function findMarkdownFiles(paths: string[]): Promise<string[]> {
  // A promise still (a folder that cannot be read rejects it), though the walk is synchronous.
  return new Promise((resolve) => {
    const found: string[] = [];
    for (const path of paths) {
      if (statSync(path).isDirectory()) walk(path, found);
      else found.push(path);
    }
    resolve([...new Set(found)].sort());
  });
}

/**
 * Synchronous, like the reads: one awaited readdir per folder made the walk of the corpus (419
 * folders) three to five times slower, each folder a round trip through libuv's thread pool.
 */
function walk(folder: string, found: string[]): void {
  const entries = readdirSync(folder, { withFileTypes: true });
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!isSkippedFolder(entry.name)) walk(path, found);
    } else if (isLectureFileName(entry.name)) {
      found.push(path);
    }
  }
}

/** Dot-folders and node_modules hold no lectures. */
export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/** A `.md` file other than a folder's README.md. */
export function isLectureFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith('.md') && lower !== 'readme.md';
}

/**
 * Parses every file, then rejects a lecture whose id another file in the same folder already uses.
 * Reads are synchronous on purpose: thousands of small local files load several times faster than
 * with one awaited read each, and this runs once at start-up. With a cache, a file whose size and
 * modification time it knows is not read at all; the duplicate rule still runs over every file.
 */
export function parseFiles(files: string[], cache?: ContentCache): FileResult[] {
  const results = files.map((path) => parseFile(path, cache));
  rejectDuplicateIds(results);
  return results;
}

/** One file, through the cache when given, without the duplicate rule (parseFiles applies it). */
export function parseFile(path: string, cache?: ContentCache): FileResult {
  // No stamp (the file vanished, say): read it anyway, so the problem says what the read said.
  const stamp = cache ? fileStamp(path) : null;
  const cached = stamp ? cache?.get(path, stamp) : undefined;
  // A copy: the duplicate rule changes results, and the cached one is shared.
  if (cached) return { path, lecture: cached.lecture, problems: [...cached.problems] };
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    return { path, lecture: null, problems: [{ path, line: 1, message: `cannot read file: ${String(error)}` }] };
  }
  const parsed = parseKeepable(source, path);
  // A parse that threw (a bug, or a stack already deep) may go otherwise next time: not kept.
  if (stamp && parsed.completed) cache?.set(path, stamp, parsed.result);
  return { path, lecture: parsed.result.lecture, problems: [...parsed.result.problems] };
}

/** A bug or an exhausted stack while parsing one file rejects that file only. */
export function parseGuarded(source: string, path: string): ParseResult {
  return parseKeepable(source, path).result;
}

/** parseGuarded, and whether the result may be kept in a cache (false when the parse threw). */
function parseKeepable(source: string, path: string): { result: ParseResult; completed: boolean } {
  try {
    return { result: parseLecture(source, path), completed: true };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      result: { lecture: null, problems: [{ path, line: 1, message: `cannot parse file: ${reason}` }] },
      completed: false,
    };
  }
}

export interface LoadOptions {
  /** Parse results of earlier loads, reused for files that have not changed since. */
  cache?: ContentCache;
}

export async function loadContent(paths: string[], options: LoadOptions = {}): Promise<LoadedContent> {
  const files = await findMarkdownFiles(paths);
  const results = parseFiles(files, options.cache);
  return {
    lectures: results.flatMap((result) => (result.lecture ? [result.lecture] : [])),
    problems: results.flatMap((result) => result.problems),
    fileCount: files.length,
  };
}

// Scoped to one folder: the same lecture may live in two course snapshots side by side.
export function rejectDuplicateIds(results: FileResult[]): void {
  const firstPathById = new Map<string, string>();
  for (const result of results) {
    if (!result.lecture) continue;
    const key = `${dirname(result.path)}\u0000${result.lecture.id}`;
    const first = firstPathById.get(key);
    if (first === undefined) {
      firstPathById.set(key, result.path);
      continue;
    }
    result.problems.push({
      path: result.path,
      line: 1,
      message: `duplicate id ${result.lecture.id}: ${first} already uses it`,
    });
    result.lecture = null;
  }
}
