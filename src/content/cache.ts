// A cache of parsed lecture files, so that a restart with unchanged content reads one file instead of
// parsing thousands. Each file's entry is keyed by its path, size and modification time (to the
// nanosecond), and the whole cache by the parser's version: a hash of the parser's own code and of the
// libraries it parses with, so a changed parser never serves results of the old one. It is only a cache:
// a missing, unreadable or outdated file is rebuilt, and a failure to write it only costs the next start.
import { createHash } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PARSER_MODULE_URL } from './parse.js';
import type { ParseResult } from './types.js';

/** Bump when the layout of the cache file changes. */
const FORMAT = 'quizbot-content-cache/4';

/** What identifies one version of a file without reading it. */
export interface FileStamp {
  size: number;
  /** Modification time in nanoseconds, as a decimal string. */
  mtime: string;
}

/**
 * One file's parse result: decoded on first use, so that a start where most files changed does not
 * decode the results it throws away.
 */
interface Entry extends FileStamp {
  result?: ParseResult;
  /** The result's JSON as read from the cache file, until decoded. */
  json?: string;
}

/** [path, size, mtime] of each entry, in the order of the file's lines. */
type IndexRow = [string, number, string];

/**
 * The file is JSON Lines: one line per entry, its parse result, then a last line with the index
 * { format, version, index }. JSON rather than V8's serializer: serializing thousands of results one by
 * one through V8's buffers left about 30 MB of freed but unreturned memory in the process, JSON strings
 * live on the garbage-collected heap; and the index last lets a save write each result as it goes.
 */
interface Header {
  format: string;
  version: string;
  index: IndexRow[];
}

/** The stamp of `path`, or null when it cannot be read (the loader then reports the read error). */
export function fileStamp(path: string): FileStamp | null {
  try {
    const info = statSync(path, { bigint: true });
    return { size: Number(info.size), mtime: info.mtimeNs.toString() };
  } catch {
    return null;
  }
}

export class ContentCache {
  /** Entries looked up or stored since the cache was opened: what the next save keeps. */
  private readonly used = new Map<string, Entry>();
  private changed = false;

  private constructor(
    readonly file: string,
    private readonly version: string,
    /** The entries of the file as last read or written. */
    private saved: Map<string, Entry>,
  ) {}

  /**
   * The cache in `file`: empty when the file is missing, unreadable or made by another parser.
   * `version` is the parser's (tests pass their own to play a parser change).
   */
  static open(file: string, version = parserVersion()): ContentCache {
    const entries = readCacheFile(file, version);
    const cache = new ContentCache(file, version, entries ?? new Map<string, Entry>());
    cache.changed = entries === null;
    return cache;
  }

  /**
   * The parse result stored for this version of the file, or undefined. The caller must not modify
   * it. A result that cannot be decoded counts as missing.
   */
  get(path: string, stamp: FileStamp): ParseResult | undefined {
    const entry = this.used.get(path) ?? this.saved.get(path);
    if (entry === undefined || entry.size !== stamp.size || entry.mtime !== stamp.mtime) return undefined;
    if (entry.result === undefined) {
      const result = decodeResult(entry.json);
      entry.json = undefined;
      if (result === undefined) return undefined;
      entry.result = result;
    }
    this.used.set(path, entry);
    return entry.result;
  }

  /** Keeps `result` for this version of the file; the cache holds on to it, so it must not change. */
  set(path: string, stamp: FileStamp, result: ParseResult): void {
    this.used.set(path, { ...stamp, result });
    this.changed = true;
  }

  /** True when a save would write something different from the file as it was opened. */
  get stale(): boolean {
    return this.changed || this.used.size !== this.saved.size;
  }

  /**
   * Writes every entry looked up or stored since the cache was opened (files no longer loaded drop
   * out), through a temporary file and a rename so that a crash never leaves half a cache. Throws
   * when the file cannot be written; the entries in memory stay usable.
   */
  save(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(temporary, 'w');
    try {
      const index: IndexRow[] = [];
      let lines: string[] = [];
      for (const [path, entry] of this.used) {
        if (entry.result === undefined) continue;
        index.push([path, entry.size, entry.mtime]);
        lines.push(JSON.stringify(entry.result));
        if (lines.length === WRITE_BATCH) {
          // writeFileSync on a descriptor writes all of it, at the current position.
          writeFileSync(fd, `${lines.join('\n')}\n`);
          lines = [];
        }
      }
      lines.push(JSON.stringify({ format: FORMAT, version: this.version, index } satisfies Header));
      writeFileSync(fd, `${lines.join('\n')}\n`);
      closeSync(fd);
      renameSync(temporary, this.file);
    } catch (error) {
      closeQuietly(fd);
      rmSync(temporary, { force: true });
      throw error;
    }
    this.saved = new Map(this.used);
    this.changed = false;
  }
}

/** Entries written per write call while saving. */
const WRITE_BATCH = 256;

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

/** The entries of `file` if it is a cache of this parser version, else null. */
function readCacheFile(file: string, version: string): Map<string, Entry> | null {
  let lines: string[];
  try {
    lines = readFileSync(file, 'utf8').split('\n');
  } catch {
    return null;
  }
  // The file ends with a newline, so the last element is empty and the index is the one before.
  if (lines.pop() !== '') return null;
  try {
    const header: unknown = JSON.parse(lines.pop() ?? '');
    if (!isHeader(header) || header.format !== FORMAT || header.version !== version) return null;
    if (header.index.length !== lines.length) return null;
    const entries = new Map<string, Entry>();
    header.index.forEach(([path, size, mtime], line) => entries.set(path, { size, mtime, json: lines[line] }));
    return entries;
  } catch {
    // Truncated or not ours: start afresh.
    return null;
  }
}

function isHeader(value: unknown): value is Header {
  return (
    typeof value === 'object' &&
    value !== null &&
    'format' in value &&
    typeof value.format === 'string' &&
    'version' in value &&
    typeof value.version === 'string' &&
    'index' in value &&
    Array.isArray(value.index)
  );
}

function decodeResult(json: string | undefined): ParseResult | undefined {
  if (json === undefined) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- written by save() for this very parser version (the index says so), so it is the ParseResult it wrote
    return JSON.parse(json) as ParseResult;
  } catch {
    return undefined;
  }
}

let version: string | undefined;

/**
 * A hash of everything a parse result depends on besides the file: the code of the content modules
 * (in development the .ts files beside the parser; once built, the chunk holding the parser, whose
 * imports name the chunks of the modules it uses by their content hash, so that a change in any of
 * them changes this file too), the libraries they parse with, and the JavaScript engine (its regular
 * expressions and Unicode tables).
 */
export function parserVersion(): string {
  if (version !== undefined) return version;
  const hash = createHash('sha256').update(FORMAT).update(process.versions.v8);
  const parser = fileURLToPath(PARSER_MODULE_URL);
  const folder = dirname(parser);
  const files =
    extname(parser) === '.ts'
      ? readdirSync(folder)
          .filter((file) => extname(file) === '.ts')
          .sort()
      : [basename(parser)];
  for (const name of files) hash.update(name).update(readFileSync(join(folder, name)));
  const require = createRequire(import.meta.url);
  for (const library of ['markdown-it', 'gray-matter']) {
    const manifest: unknown = JSON.parse(readFileSync(require.resolve(`${library}/package.json`), 'utf8'));
    const libraryVersion =
      typeof manifest === 'object' && manifest !== null && 'version' in manifest ? String(manifest.version) : '';
    hash.update(`${library}@${libraryVersion}`);
  }
  version = hash.digest('base64url');
  return version;
}
