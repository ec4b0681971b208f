// A cache of parsed lecture files, so that a restart with unchanged content reads one file instead of
// parsing thousands. Each file's entry is keyed by its path, size and modification time (to the
// nanosecond), and the whole cache by the parser's version: a hash of the parser's own code and of the
// libraries it parses with, so a changed parser never serves results of the old one. It is only a cache:
// a missing, unreadable or outdated file is rebuilt, and a failure to write it only costs the next start.
//
// A start reads only the cache's index: each file's stamp, problems, and its lecture's id, title and
// path. A lecture's text and questions (its body, most of its memory) stay in the cache file and are
// read when something asks for them (lazy-lecture.ts), a few recently used ones kept in memory.
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import { lazyLecture } from './lazy-lecture.js';
import type { LectureBody, LectureHead } from './lazy-lecture.js';
import { normalizeSource } from './normalize.js';
import { PARSER_MODULE_URL, parseLecture } from './parse.js';
import type { ContentProblem, Lecture, ParseResult } from './types.js';

/** Bump when the layout of the cache file changes. */
const FORMAT = 'quizbot-content-cache/5';

/** Lecture bodies kept in memory, the most recently read. */
export const BODIES_KEPT = 128;

/** What identifies one version of a file without reading it. */
export interface FileStamp {
  size: number;
  /** Modification time in nanoseconds, as a decimal string. */
  mtime: string;
}

/**
 * One file's entry. Once it is in the cache file, its head and problems are in memory and its body is
 * at `offset` (bytes, `length` long) in the file; a file parsed since the cache was opened keeps its
 * whole result in `fresh` until the next save writes it. Updated in place by a save, so that the lazy
 * lectures made from it keep reading the right bytes.
 */
interface Entry extends FileStamp {
  fresh?: ParseResult | undefined;
  /** The lecture's head, or null when the file gave no lecture. */
  head: Omit<LectureHead, 'path'> | null;
  problems: ContentProblem[];
  /** Where the body is in the cache file, or -1 when it is not there. */
  offset: number;
  length: number;
  /** The lazy lecture made from this entry, made once. */
  lecture?: Lecture;
  /** A body read again from the lecture file because the cache file could not give it. */
  recovered?: LectureBody;
}

/** [path, size, mtime, offset, length, [id, title, challengeType, dashedName] or null, problems] */
type IndexRow = [string, number, string, number, number, HeadRow | null, ContentProblem[]];
type HeadRow = [string, string, number | null, string | null];

/**
 * The file is JSON Lines: one line per lecture body, then the index { format, version, index }, then
 * a last line with the byte offset of the index, so that a start reads the index alone. JSON rather
 * than V8's serializer: serializing thousands of results one by one through V8's buffers left about
 * 30 MB of freed but unreturned memory in the process; and the index last lets a save write each body
 * as it goes.
 */
interface Header {
  format: string;
  version: string;
  index: IndexRow[];
}

/** A body as written to the file: the summary only when it differs from the full text. */
interface BodyRecord {
  id: string;
  fullText: string;
  summary?: string;
  questions: Lecture['questions'];
  quizzes: Lecture['quizzes'];
}

export interface CacheOptions {
  /** Told when a lecture's body could not be read from the cache file and its file was parsed again. */
  onUnreadable?: (path: string, reason: string) => void;
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
  /** Whether folderChanged wrote its marker in this process. */
  private markedChanged = false;
  /** Bodies read lately, oldest first. */
  private readonly bodies = new Map<Entry, LectureBody>();

  private constructor(
    readonly file: string,
    private readonly version: string,
    /** The entries of the file as last read or written. */
    private saved: Map<string, Entry>,
    /** The cache file the saved entries' bodies are read from, or null. */
    private fd: number | null,
    private readonly options: CacheOptions,
  ) {}

  /**
   * The cache in `file`: empty when the file is missing, unreadable or made by another parser.
   * `version` is the parser's (tests pass their own to play a parser change).
   */
  static open(file: string, version = parserVersion(), options: CacheOptions = {}): ContentCache {
    const opened = readCacheFile(file, version);
    const cache = new ContentCache(
      file,
      version,
      opened?.entries ?? new Map<string, Entry>(),
      opened?.fd ?? null,
      options,
    );
    cache.changed = opened === null;
    return cache;
  }

  /**
   * The parse result stored for this version of the file, or undefined. The caller must not modify
   * it. A lecture that comes from the cache file reads its body from there when first asked.
   */
  get(path: string, stamp: FileStamp): ParseResult | undefined {
    const entry = this.used.get(path) ?? this.saved.get(path);
    if (entry === undefined || entry.size !== stamp.size || entry.mtime !== stamp.mtime) return undefined;
    this.used.set(path, entry);
    return entry.fresh ?? { lecture: this.lectureOf(path, entry), problems: entry.problems };
  }

  /** Keeps `result` for this version of the file; the cache holds on to it, so it must not change. */
  set(path: string, stamp: FileStamp, result: ParseResult): void {
    this.used.set(path, { ...stamp, fresh: result, head: null, problems: result.problems, offset: -1, length: 0 });
    this.changed = true;
  }

  /**
   * The lecture of `path` as the cache file holds it (its body read on demand), once saved there; null
   * when the file gave no lecture, undefined when the cache file does not hold it.
   */
  lectureFor(path: string): Lecture | null | undefined {
    const entry = this.saved.get(path);
    if (entry === undefined || entry.fresh !== undefined || entry.offset < 0 && entry.head !== null) return undefined;
    return this.lectureOf(path, entry);
  }

  /**
   * Every file under `dir` as the cache file holds it (in the order it was saved), unchecked against
   * the files themselves: a start that serves these checks the folder afterwards (the content
   * watcher's walk). Empty when the cache holds nothing under `dir`, or when a change to the content
   * folder was seen since the cache was saved (see folderChanged). The files returned count as looked
   * up, so a later save keeps them.
   */
  unverifiedUnder(dir: string): { path: string; stamp: FileStamp; result: ParseResult }[] {
    if (existsSync(this.changedMarker)) return [];
    const root = normalize(dir);
    const prefix = root.endsWith(sep) ? root : `${root}${sep}`;
    const files: { path: string; stamp: FileStamp; result: ParseResult }[] = [];
    for (const [path, entry] of this.saved) {
      if (!path.startsWith(prefix)) continue;
      this.used.set(path, entry);
      // The entry is its own stamp (size and mtime); copies of thousands would be garbage at once.
      files.push({ path, stamp: entry, result: { lecture: this.lectureOf(path, entry), problems: entry.problems } });
    }
    return files;
  }

  /**
   * Says, in a marker file beside the cache, that the content folder changed since the cache was saved
   * (a file the bot read again while running): the next start then checks every file before it serves
   * any, as a start without a trusted cache does. Best effort: without the marker, that start's walk
   * finds the change again.
   */
  folderChanged(): void {
    if (this.markedChanged) return;
    this.markedChanged = true;
    try {
      writeFileSync(this.changedMarker, '');
    } catch {
      // See above: the next start's walk finds the change again.
    }
  }

  /** The folder was checked against this cache at start-up: the marker, if any, goes. */
  folderChecked(): void {
    if (this.markedChanged) return;
    try {
      rmSync(this.changedMarker, { force: true });
    } catch {
      // Left behind, it costs the next start one more check of every file.
    }
  }

  private get changedMarker(): string {
    return `${this.file}.changed`;
  }

  /** True when a save would write something different from the file as it was opened. */
  get stale(): boolean {
    return this.changed || this.used.size !== this.saved.size;
  }

  /**
   * Writes every entry looked up or stored since the cache was opened (files no longer loaded drop
   * out), through a temporary file and a rename so that a crash never leaves half a cache; from then
   * on, lectures looked up come from the new file. Throws when the file cannot be written; the entries
   * in memory stay usable.
   */
  save(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    // Its own per process and thread: bot processes sharing a data/ folder may save at the same time.
    const temporary = `${this.file}.${process.pid}-${threadId}.tmp`;
    const fd = openSync(temporary, 'w');
    const placed = new Map<Entry, { offset: number; length: number }>();
    try {
      const index: IndexRow[] = [];
      let batch: Buffer[] = [];
      let position = 0;
      for (const [path, entry] of this.used) {
        const body = this.bodyBytes(path, entry);
        const head = entry.fresh ? headOf(entry.fresh.lecture) : entry.head;
        const problems = entry.fresh?.problems ?? entry.problems;
        const at = body === null ? { offset: -1, length: 0 } : { offset: position, length: body.length };
        index.push([path, entry.size, entry.mtime, at.offset, at.length, headRow(head), problems]);
        placed.set(entry, at);
        if (body === null) continue;
        batch.push(body, NEWLINE);
        position += body.length + 1;
        if (batch.length >= WRITE_BATCH * 2) {
          // writeFileSync on a descriptor writes all of it, at the current position.
          writeFileSync(fd, Buffer.concat(batch));
          batch = [];
        }
      }
      const header = JSON.stringify({ format: FORMAT, version: this.version, index } satisfies Header);
      batch.push(Buffer.from(`${header}\n${position}\n`));
      writeFileSync(fd, Buffer.concat(batch));
      closeSync(fd);
      renameSync(temporary, this.file);
    } catch (error) {
      closeQuietly(fd);
      rmSync(temporary, { force: true });
      throw error;
    }
    this.adopt(placed);
  }

  /** Closes the cache file; a body asked for later is read from its lecture file. */
  close(): void {
    if (this.fd !== null) closeQuietly(this.fd);
    this.fd = null;
    this.bodies.clear();
  }

  /** After a save: every entry is in the new file, at the place the save gave it. */
  private adopt(placed: Map<Entry, { offset: number; length: number }>): void {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch {
      // Written but not readable: keep serving from memory, as before the save.
      this.saved = new Map(this.used);
      this.changed = false;
      return;
    }
    for (const entry of this.saved.values()) {
      // Files no longer loaded: not in the new file.
      if (!placed.has(entry)) entry.offset = -1;
    }
    for (const [entry, at] of placed) {
      if (entry.fresh) {
        entry.head = headOf(entry.fresh.lecture);
        entry.problems = entry.fresh.problems;
        entry.fresh = undefined;
      }
      entry.offset = at.offset;
      entry.length = at.length;
    }
    if (this.fd !== null) closeQuietly(this.fd);
    this.fd = fd;
    this.saved = new Map(this.used);
    this.changed = false;
  }

  private lectureOf(path: string, entry: Entry): Lecture | null {
    if (entry.head === null) return null;
    entry.lecture ??= lazyLecture({ path, ...entry.head }, () => this.body(path, entry));
    return entry.lecture;
  }

  /** The body of a lecture from the cache file, kept among the recently used ones. */
  private body(path: string, entry: Entry): LectureBody {
    const kept = this.bodies.get(entry);
    if (kept !== undefined) {
      // Most recently used last.
      this.bodies.delete(entry);
      this.bodies.set(entry, kept);
      return kept;
    }
    if (entry.recovered) return entry.recovered;
    const read = this.readBody(entry);
    if (read === undefined) {
      entry.recovered = this.recover(path, entry);
      return entry.recovered;
    }
    this.bodies.set(entry, read);
    if (this.bodies.size > BODIES_KEPT) {
      const oldest = this.bodies.keys().next();
      if (oldest.done !== true) this.bodies.delete(oldest.value);
    }
    return read;
  }

  private readRaw(entry: Entry): Buffer | undefined {
    if (this.fd === null || entry.offset < 0) return undefined;
    try {
      const bytes = Buffer.allocUnsafe(entry.length);
      return readSync(this.fd, bytes, 0, entry.length, entry.offset) === entry.length ? bytes : undefined;
    } catch {
      return undefined;
    }
  }

  private readBody(entry: Entry): LectureBody | undefined {
    const bytes = this.readRaw(entry);
    return bytes === undefined || entry.head === null ? undefined : decodeBody(bytes, entry.head.id);
  }

  /**
   * The cache file could not give the body (damaged, or closed): the lecture file is read again. If it
   * no longer holds this lecture, the lecture is served without text or questions until the content
   * folder catches up with the file.
   */
  private recover(path: string, entry: Entry): LectureBody {
    const parsed = parseAgain(path);
    this.options.onUnreadable?.(path, 'its text and questions could not be read from the content cache');
    if (parsed !== null && parsed.id === entry.head?.id) return bodyOf(parsed);
    return { summary: '', fullText: '', questions: [], quizzes: [] };
  }

  /** The body line to write for an entry: copied as is from the old file when it is there. */
  private bodyBytes(path: string, entry: Entry): Buffer | null {
    if (entry.fresh) {
      const lecture = entry.fresh.lecture;
      return lecture === null ? null : Buffer.from(JSON.stringify(bodyRecord(lecture.id, bodyOf(lecture))));
    }
    if (entry.head === null) return null;
    const raw = entry.recovered ? undefined : this.readRaw(entry);
    return raw ?? Buffer.from(JSON.stringify(bodyRecord(entry.head.id, this.body(path, entry))));
  }
}

const NEWLINE = Buffer.from('\n');
/** Entries written per write call while saving. */
const WRITE_BATCH = 256;
/** The last line (the index's offset) is at most this long. */
const TRAILER_MAX = 24;

/** The head the cache keeps for as long as the bot runs, in strings of its own (see detached). */
function headOf(lecture: Lecture | null): Omit<LectureHead, 'path'> | null {
  if (lecture === null) return null;
  const dashedName = lecture.dashedName === null ? null : detached(lecture.dashedName);
  const { challengeType } = lecture;
  return { id: detached(lecture.id), title: detached(lecture.title), challengeType, dashedName };
}

/**
 * A copy of `text` that does not hold on to the string it was cut from. V8 keeps the whole of a
 * string alive while a piece cut from it is: a parsed lecture's id and title are pieces of its
 * file's text, so the heads of a start that parsed the corpus kept all of it (12 MB of live heap
 * after the first start here). JSON.parse makes a string of its own.
 */
function detached(text: string): string {
  // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- the JSON of a string parses back to a string
  return JSON.parse(JSON.stringify(text)) as string;
}

function headRow(head: Omit<LectureHead, 'path'> | null): HeadRow | null {
  return head === null ? null : [head.id, head.title, head.challengeType, head.dashedName];
}

function bodyOf(lecture: Lecture): LectureBody {
  return { summary: lecture.summary, fullText: lecture.fullText, questions: lecture.questions, quizzes: lecture.quizzes };
}

function bodyRecord(id: string, body: LectureBody): BodyRecord {
  return {
    id,
    fullText: body.fullText,
    ...(body.summary === body.fullText ? {} : { summary: body.summary }),
    questions: body.questions,
    quizzes: body.quizzes,
  };
}

function parseAgain(path: string): Lecture | null {
  try {
    return parseLecture(normalizeSource(readFileSync(path, 'utf8')), path).lecture;
  } catch {
    return null;
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

/** The index of `file` and its open descriptor if it is a cache of this parser version, else null. */
function readCacheFile(file: string, version: string): { fd: number; entries: Map<string, Entry> } | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const entries = readIndex(fd, version);
    if (entries !== null) return { fd, entries };
  } catch {
    // Truncated or not ours: start afresh.
  }
  closeQuietly(fd);
  return null;
}

function readIndex(fd: number, version: string): Map<string, Entry> | null {
  const size = fstatSync(fd).size;
  const tail = readAt(fd, Math.max(0, size - TRAILER_MAX), Math.min(size, TRAILER_MAX)).toString('latin1');
  const trailer = /\n(\d+)\n$/.exec(tail);
  if (!trailer?.[1]) return null;
  const indexAt = Number(trailer[1]);
  const indexEnd = size - trailer[1].length - 2;
  if (!Number.isSafeInteger(indexAt) || indexAt > indexEnd) return null;
  const header: unknown = JSON.parse(readAt(fd, indexAt, indexEnd - indexAt).toString('utf8'));
  if (!isHeader(header) || header.format !== FORMAT || header.version !== version) return null;
  const entries = new Map<string, Entry>();
  for (const row of header.index) {
    const entry = entryOf(row, indexAt);
    if (entry === null) return null;
    entries.set(row[0], entry);
  }
  return entries;
}

function readAt(fd: number, position: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  const read = readSync(fd, bytes, 0, length, position);
  if (read !== length) throw new Error('content cache: short read');
  return bytes;
}

/** One index row as an entry, or null when it is not one this code wrote. */
function entryOf(row: unknown, bodiesEnd: number): Entry | null {
  if (!isArray(row) || row.length !== 7) return null;
  const [path, size, mtime, offset, length, head, problems] = row;
  if (typeof path !== 'string' || typeof size !== 'number' || typeof mtime !== 'string') return null;
  if (typeof offset !== 'number' || typeof length !== 'number' || offset + length > bodiesEnd) return null;
  if (!Array.isArray(problems) || !problems.every(isProblem)) return null;
  if (head === null) return { size, mtime, head: null, problems, offset: -1, length: 0 };
  if (!isArray(head) || head.length !== 4 || offset < 0) return null;
  const [id, title, challengeType, dashedName] = head;
  if (typeof id !== 'string' || typeof title !== 'string') return null;
  if (challengeType !== null && typeof challengeType !== 'number') return null;
  if (dashedName !== null && typeof dashedName !== 'string') return null;
  return { size, mtime, head: { id, title, challengeType, dashedName }, problems, offset, length };
}

function isArray(value: unknown): value is unknown[] {
  return Array.isArray(value);
}

function isProblem(value: unknown): value is ContentProblem {
  return (
    typeof value === 'object' &&
    value !== null &&
    'path' in value &&
    typeof value.path === 'string' &&
    'line' in value &&
    typeof value.line === 'number' &&
    'message' in value &&
    typeof value.message === 'string'
  );
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

/** A body line, checked against the lecture it belongs to; undefined when it is not that. */
function decodeBody(bytes: Buffer, id: string): LectureBody | undefined {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    if (!isBodyRecord(value) || value.id !== id) return undefined;
    return {
      summary: value.summary ?? value.fullText,
      fullText: value.fullText,
      questions: value.questions,
      quizzes: value.quizzes,
    };
  } catch {
    return undefined;
  }
}

function isBodyRecord(value: unknown): value is BodyRecord {
  // Its questions were written by save() for this very parser version (the index says so); the
  // fields are checked so that bytes from anywhere else are refused, not trusted.
  return (
    typeof value === 'object' &&
    value !== null &&
    'id' in value &&
    typeof value.id === 'string' &&
    'fullText' in value &&
    typeof value.fullText === 'string' &&
    (!('summary' in value) || typeof value.summary === 'string') &&
    'questions' in value &&
    Array.isArray(value.questions) &&
    'quizzes' in value &&
    Array.isArray(value.quizzes)
  );
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
