// A server's own lectures: add (download, check, limits, store), list, remove, download. No
// discord.js: the adapter in ./discord hands over the attachments and renders the outcomes.
import type { Clock } from '../clock.js';
import type { Catalog } from '../quiz/catalog.js';
import type { ContentProblem, Lecture } from '../content/types.js';
import type { Logger } from '../logger.js';
import { KeyedLock } from '../store/keyed-lock.js';
import { UserError } from '../user-error.js';
import { download } from './download.js';
import { ParseTimeout } from './parser.js';
import type { LectureParser } from './parser.js';
import type { GuildUploads, ServerLectures } from './lectures.js';
import { DOWNLOAD_TIMEOUT_MS, formatBytes } from './limits.js';
import type { LectureLimits } from './limits.js';
import type { LibraryEntry, LibraryIndex, LibraryStore, StoredLecture, Uploader } from './store.js';
import { totalBytes } from './store.js';
import { checkUpload, isMarkdownName, tooLargeReason } from './upload.js';
import type { UploadCheck } from './upload.js';

/** An attachment as Discord describes it. */
export interface AttachmentRef {
  name: string;
  url: string;
  /** Bytes, as Discord reports them (checked again while downloading). */
  size: number;
}

export interface AddRequest {
  guildId: string;
  files: AttachmentRef[];
  replace: boolean;
  by: Uploader;
  /** Epoch milliseconds. */
  at: number;
}

export interface LecturePreview {
  title: string;
  id: string;
  questions: number;
  /** Quiz files: how many alternative sets; 1 for a lecture's own questions. */
  sets: number;
  answersWithFeedback: number;
}

export type AddOutcome =
  | { kind: 'saved'; name: string; preview: LecturePreview; replaced: boolean }
  | { kind: 'invalid'; name: string; problems: ContentProblem[] }
  | { kind: 'refused'; name: string; reason: string };

export const STORE_FAILED =
  'I could not save the lectures (a storage problem on my side), so nothing was added. Please try again in a moment.';

export interface LibraryOptions {
  store: LibraryStore;
  lectures: ServerLectures;
  limits: LectureLimits;
  timers: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  log: Logger;
  /** Checks uploads off the main thread, within a time budget. */
  parser: LectureParser;
}

export class Library {
  /** One add or remove at a time per server: each reads the index, decides, then writes it. */
  private readonly locks = new KeyedLock();

  constructor(private readonly options: LibraryOptions) {}

  get limits(): LectureLimits {
    return this.options.limits;
  }

  /** The server's own lectures alone, for lookups that must not reach the bundled ones. */
  ownCatalog(guildId: string): Promise<Catalog> {
    return this.options.lectures.ownCatalog(guildId);
  }

  /**
   * One server's uploads from the store, parsed in the parser thread: ServerLectures calls it the
   * first time the server needs its lectures (and again after dropping them from memory).
   */
  async loadGuild(guildId: string): Promise<GuildUploads> {
    const { store, parser, log } = this.options;
    const library = await store.guild(guildId);
    if (library === null) return { lectures: [], bytes: 0 };
    const entries = library.index.lectures.filter((entry) => library.sources.has(entry.id));
    const parsed = await parser.parseStored(
      entries.map((entry) => ({ name: entry.fileName, source: library.sources.get(entry.id) ?? '' })),
    );
    const lectures: Lecture[] = [];
    entries.forEach((entry, at) => {
      const lecture = parsed[at] ?? null;
      // Stored only after it parsed; a newer content engine that reads it differently is worth a line.
      if (lecture === null || lecture.id !== entry.id) {
        log.warn(
          { guildId, lectureId: entry.id },
          'a stored server lecture no longer parses; it is not served',
        );
        return;
      }
      lectures.push(lecture);
    });
    return { lectures, bytes: totalBytes(library.index) };
  }

  async add(request: AddRequest): Promise<AddOutcome[]> {
    const checks = await Promise.all(request.files.map((file) => this.fetchAndCheck(file)));
    return this.locks.run(request.guildId, async () => {
      const { store, lectures, limits } = this.options;
      const index = await store.index(request.guildId);
      const entries = [...index.lectures];
      const accepted: { lecture: Lecture; stored: StoredLecture }[] = [];
      const outcomes = checks.map(({ file, check }): AddOutcome => {
        if (!check.ok) {
          return 'reason' in check
            ? { kind: 'refused', name: file.name, reason: check.reason }
            : { kind: 'invalid', name: file.name, problems: check.problems };
        }
        const { lecture } = check;
        const refusal = this.refusal(request, lecture, entries, accepted, check.bytes, limits);
        if (refusal !== null) return { kind: 'refused', name: file.name, reason: refusal };
        const at = entries.findIndex((entry) => entry.id === lecture.id);
        const entry: LibraryEntry = {
          id: lecture.id,
          title: lecture.title,
          fileName: file.name,
          bytes: check.bytes,
          addedBy: request.by,
          addedAt: request.at,
        };
        if (at === -1) entries.push(entry);
        else entries[at] = entry;
        accepted.push({ lecture, stored: { id: lecture.id, source: check.source } });
        return { kind: 'saved', name: file.name, preview: preview(lecture), replaced: at !== -1 };
      });
      if (accepted.length === 0) return outcomes;
      const next: LibraryIndex = { lectures: entries };
      try {
        await store.save(
          request.guildId,
          accepted.map((item) => item.stored),
          next,
        );
      } catch (error) {
        this.options.log.error({ err: error, guildId: request.guildId }, 'could not save uploaded lectures');
        throw new UserError(STORE_FAILED);
      }
      lectures.put(
        request.guildId,
        accepted.map((item) => item.lecture),
        totalBytes(next),
      );
      this.options.log.info(
        { guildId: request.guildId, lectures: accepted.map((item) => item.lecture.id), by: request.by.id },
        'server lectures added',
      );
      return outcomes;
    });
  }

  async list(guildId: string): Promise<LibraryEntry[]> {
    const index = await this.options.store.index(guildId);
    return [...index.lectures].sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
  }

  /** The removed entry; a UserError when the server has no such lecture. */
  async remove(guildId: string, lectureId: string): Promise<LibraryEntry> {
    return this.locks.run(guildId, async () => {
      const index = await this.options.store.index(guildId);
      const entry = index.lectures.find((candidate) => candidate.id === lectureId);
      if (entry === undefined) throw new UserError(await notOwn(lectureId, this.options.lectures, guildId));
      const next: LibraryIndex = {
        lectures: index.lectures.filter((candidate) => candidate.id !== lectureId),
      };
      await this.options.store.remove(guildId, lectureId, next);
      this.options.lectures.remove(guildId, lectureId, totalBytes(next));
      this.options.log.info({ guildId, lectureId }, 'server lecture removed');
      return entry;
    });
  }

  /** The file as uploaded, byte for byte. */
  async download(guildId: string, lectureId: string): Promise<{ fileName: string; bytes: Buffer }> {
    const index = await this.options.store.index(guildId);
    const entry = index.lectures.find((candidate) => candidate.id === lectureId);
    const source = entry && (await this.options.store.source(guildId, lectureId));
    if (entry === undefined || source === undefined) {
      throw new UserError(await notOwn(lectureId, this.options.lectures, guildId));
    }
    return { fileName: entry.fileName, bytes: Buffer.from(source, 'utf8') };
  }

  private async fetchAndCheck(file: AttachmentRef): Promise<{ file: AttachmentRef; check: UploadCheck }> {
    const { maxFileBytes } = this.options.limits;
    // Refused on what Discord says, before spending a download on it.
    if (!isMarkdownName(file.name))
      return { file, check: checkUpload(file.name, new Uint8Array(), maxFileBytes) };
    if (file.size > maxFileBytes)
      return { file, check: { ok: false, reason: tooLargeReason(file.size, maxFileBytes) } };
    const fetched = await download(file.url, {
      maxBytes: maxFileBytes,
      timeoutMs: DOWNLOAD_TIMEOUT_MS,
      timers: this.options.timers,
    });
    if (!fetched.ok) return { file, check: fetched };
    this.options.log.debug(
      { file: file.name, bytes: fetched.bytes.length },
      'checking an uploaded lecture in the parser thread',
    );
    try {
      return { file, check: await this.options.parser.checkUpload(file.name, fetched.bytes, maxFileBytes) };
    } catch (error) {
      if (!(error instanceof ParseTimeout)) {
        // The thread died on it (out of memory, say): this file is refused, the others go on.
        this.options.log.error(
          { err: error, file: file.name },
          'the parser thread failed on an uploaded lecture',
        );
        return { file, check: { ok: false, reason: PARSER_FAILED } };
      }
      this.options.log.warn(
        { file: file.name, budgetMs: error.budgetMs },
        'an uploaded lecture took too long to check',
      );
      return { file, check: { ok: false, reason: parseTimeoutReason(error.budgetMs) } };
    }
  }

  /** Why this valid lecture cannot be saved, or null. */
  private refusal(
    request: AddRequest,
    lecture: Lecture,
    entries: readonly LibraryEntry[],
    accepted: readonly { lecture: Lecture }[],
    bytes: number,
    limits: LectureLimits,
  ): string | null {
    const id = lecture.id;
    if (accepted.some((item) => item.lecture.id === id)) {
      return `another file in this command already has the id \`${id}\``;
    }
    if (this.options.lectures.bundled.get(id) !== undefined) {
      return (
        `the id \`${id}\` belongs to one of the bot's own lectures (from its content folder), ` +
        'which every server shares: give yours another `id:` in its front matter'
      );
    }
    const existing = entries.find((entry) => entry.id === id);
    if (existing !== undefined && !request.replace) {
      return (
        `this server already has a lecture with the id \`${id}\` ("${existing.title}", added by ${existing.addedBy.name}): ` +
        'run the command again with replace:True to replace it'
      );
    }
    if (existing === undefined && entries.length >= limits.maxLectures) {
      return `this server already has ${limits.maxLectures} lectures, the most allowed: remove one first (/lecture remove)`;
    }
    const after = totalBytes({ lectures: [...entries] }) - (existing?.bytes ?? 0) + bytes;
    if (after > limits.maxTotalBytes) {
      return (
        `this server's lectures would take ${formatBytes(after)}, over the ${formatBytes(limits.maxTotalBytes)} allowed: ` +
        'remove some first (/lecture remove)'
      );
    }
    return null;
  }
}

export function preview(lecture: Lecture): LecturePreview {
  const sets =
    lecture.quizzes.length > 0 ? lecture.quizzes.map((quiz) => quiz.questions) : [lecture.questions];
  const questions = sets.flat();
  return {
    title: lecture.title,
    id: lecture.id,
    questions: questions.length,
    sets: sets.length,
    answersWithFeedback: questions.reduce(
      (sum, question) => sum + question.answers.filter((answer) => answer.feedback !== null).length,
      0,
    ),
  };
}

export const PARSER_FAILED = 'it could not be checked (the checker stopped on it): nothing of it was kept';

export function parseTimeoutReason(budgetMs: number): string {
  const seconds = budgetMs >= 1000 ? `${trimmedSeconds(budgetMs)} s` : `${budgetMs} ms`;
  return `checking it took longer than ${seconds}: split it into smaller lecture files`;
}

function trimmedSeconds(ms: number): string {
  return (ms / 1000).toFixed(1).replace(/\.0$/, '');
}

async function notOwn(lectureId: string, lectures: ServerLectures, guildId: string): Promise<string> {
  if (
    (await lectures.ownLecture(guildId, lectureId)) === undefined &&
    lectures.bundled.get(lectureId) !== undefined
  ) {
    return `\`${lectureId}\` is one of the bot's own lectures (from its content folder), not one this server added.`;
  }
  return `This server has no lecture \`${lectureId}\` of its own. See /lecture list.`;
}
