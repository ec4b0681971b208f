// Lectures a server uploaded, in the store (keys in src/store/keys.ts): each file's text exactly as
// uploaded, and one index per server saying who added what and when, which the limits are counted
// from. The index is the truth: a lecture is the server's when its index lists it. A lecture and its
// index entry are written in one atomic statement, so nothing is ever half-saved.
import type Keyv from 'keyv';
import type { StoreTable } from '../store/index.js';
import { libraryGuildPrefix, libraryIndexKey, libraryLectureKey } from '../store/keys.js';

export interface Uploader {
  id: string;
  /** As shown when the lecture was added. */
  name: string;
}

/** One lecture in a server's index. */
export interface LibraryEntry {
  id: string;
  title: string;
  /** The attachment's name, given back by /lecture download. */
  fileName: string;
  bytes: number;
  addedBy: Uploader;
  /** Epoch milliseconds. */
  addedAt: number;
}

export interface LibraryIndex {
  lectures: LibraryEntry[];
}

export interface StoredLecture {
  id: string;
  /** The file's text; encoded as UTF-8 it is the uploaded bytes, byte for byte. */
  source: string;
}

export interface GuildLibrary {
  index: LibraryIndex;
  /** The stored text of every lecture the index lists, by id. */
  sources: Map<string, string>;
}

export function emptyIndex(): LibraryIndex {
  return { lectures: [] };
}

export function totalBytes(index: LibraryIndex): number {
  return index.lectures.reduce((sum, entry) => sum + entry.bytes, 0);
}

export class LibraryStore {
  constructor(
    private readonly table: StoreTable,
    private readonly keyv: Keyv,
  ) {}

  /** One server's lectures (its index, then its texts: two reads), or null when it has none. */
  async guild(guildId: string): Promise<GuildLibrary | null> {
    const index = await this.index(guildId);
    if (index.lectures.length === 0) return null;
    return this.loadGuild(guildId, index);
  }

  async index(guildId: string): Promise<LibraryIndex> {
    return (await this.keyv.get<LibraryIndex>(libraryIndexKey(guildId))) ?? emptyIndex();
  }

  /** The lecture's text as uploaded, or undefined when the server has no such lecture. */
  async source(guildId: string, lectureId: string): Promise<string | undefined> {
    const [stored] = await this.table.getMany<[StoredLecture]>([libraryLectureKey(guildId, lectureId)]);
    return stored?.source;
  }

  /** The lectures and the index that lists them, in one statement: all of it is written or none. */
  async save(guildId: string, lectures: StoredLecture[], index: LibraryIndex): Promise<void> {
    await this.table.setAtomically([
      ...lectures.map((lecture) => ({ key: libraryLectureKey(guildId, lecture.id), value: lecture })),
      { key: libraryIndexKey(guildId), value: index },
    ]);
  }

  /**
   * Unlists the lecture, then deletes its text. A crash between the two leaves text no index
   * lists: never served, dropped at the next start, overwritten by the next upload of that id.
   */
  async remove(guildId: string, lectureId: string, index: LibraryIndex): Promise<void> {
    await this.table.setAtomically([{ key: libraryIndexKey(guildId), value: index }]);
    await this.keyv.delete(libraryLectureKey(guildId, lectureId));
  }

  private async loadGuild(guildId: string, index: LibraryIndex): Promise<GuildLibrary> {
    const listed = new Set(index.lectures.map((entry) => entry.id));
    const rows = await this.table.getByPrefix<StoredLecture>(libraryGuildPrefix(guildId));
    const sources = new Map<string, string>();
    for (const { suffix: id, value } of rows) {
      if (listed.has(id)) sources.set(id, value.source);
      else await this.keyv.delete(libraryLectureKey(guildId, id));
    }
    return { index, sources };
  }
}
