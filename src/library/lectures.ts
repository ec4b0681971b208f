// The lectures each server sees: the content folder's (live: replaced whole when a file changes)
// plus the server's own uploads. A server's uploads are read from the store and parsed the first
// time that server needs them, not at start-up, and kept in a least-recently-used cache under a
// budget of lecture source bytes (LECTURE_CACHE_SIZE): a big deployment's uploads never all sit in
// memory. A server's merged catalog is built once per change and kept while the server is cached,
// so a click never re-parses or re-sorts anything.
import { Catalog } from '../quiz/catalog.js';
import type { Lecture } from '../content/types.js';
import type { LectureSource } from '../quiz/lectures.js';

export interface ShadowWarning {
  guildId: string;
  lectureId: string;
}

/** A server's own lectures as stored: parsed, and the bytes of source they take. */
export interface GuildUploads {
  lectures: readonly Lecture[];
  bytes: number;
}

export interface ServerLecturesOptions {
  /** Reads and parses one server's uploads (an empty list for a server that has none). */
  load: (guildId: string) => Promise<GuildUploads>;
  /** Bytes of uploaded source kept parsed, all servers together. */
  budgetBytes: number;
  /** Whether this process serves the guild (its shard); others are never loaded. */
  owns?: (guildId: string) => boolean;
  /** Told when a server's own lecture hides a content-folder lecture with the same id. */
  onShadow?: (warning: ShadowWarning) => void;
  /** How long autocomplete waits for a server's uploads to load before answering without them. */
  autocompleteWaitMs?: number;
}

/** What a cached server costs beyond its source, so that servers without uploads are dropped too. */
const ENTRY_OVERHEAD_BYTES = 1024;
const AUTOCOMPLETE_WAIT_MS = 1500;

interface CachedGuild {
  own: Map<string, Lecture>;
  bytes: number;
  merged?: Catalog;
  ownCatalog?: Catalog;
}

interface Loading {
  promise: Promise<CachedGuild>;
  /** An upload or removal landed while it read the store: what it read may be old. */
  stale: boolean;
}

export class ServerLectures implements LectureSource {
  private current: Catalog;
  /** Loaded servers, least recently used first (a Map keeps insertion order). */
  private readonly cache = new Map<string, CachedGuild>();
  private readonly loading = new Map<string, Loading>();
  private used = 0;
  /** Servers' uploads read and parsed so far (each load of each server counts one). */
  loads = 0;

  constructor(
    bundled: Catalog,
    private readonly options: ServerLecturesOptions,
  ) {
    this.current = bundled;
  }

  get bundled(): Catalog {
    return this.current;
  }

  /** Servers whose uploads are in memory now, least recently used first. */
  get loadedGuilds(): string[] {
    return [...this.cache.keys()];
  }

  /** Bytes of uploaded source in memory now. */
  get usedBytes(): number {
    return this.used;
  }

  async forGuild(guildId: string): Promise<Catalog> {
    const guild = await this.guild(guildId);
    if (guild === null || guild.own.size === 0) return this.current;
    if (guild.merged === undefined) {
      // The server's own first: where a new content-folder file takes an id a server already
      // uses, that server keeps its lecture (and its posted buttons keep working).
      guild.merged = new Catalog([...guild.own.values(), ...this.current.lectures]);
      for (const hidden of guild.merged.shadowed) this.options.onShadow?.({ guildId, lectureId: hidden.id });
    }
    return guild.merged;
  }

  async forAutocomplete(guildId: string): Promise<Catalog> {
    const cached = this.cache.get(guildId);
    if (cached !== undefined) return this.forGuild(guildId);
    // A server's first lookup reads and parses its uploads; autocomplete must answer within
    // Discord's 3 s, so past a short wait it answers from the bundled lectures (the load goes on).
    const wait = this.options.autocompleteWaitMs ?? AUTOCOMPLETE_WAIT_MS;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Catalog>((resolve) => {
      timer = setTimeout(() => resolve(this.current), wait);
      timer.unref();
    });
    try {
      return await Promise.race([this.forGuild(guildId), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The server's own lectures alone (for /lecture remove and download). */
  async ownCatalog(guildId: string): Promise<Catalog> {
    const guild = await this.guild(guildId);
    if (guild === null) return new Catalog([]);
    guild.ownCatalog ??= new Catalog([...guild.own.values()]);
    return guild.ownCatalog;
  }

  async ownLecture(guildId: string, lectureId: string): Promise<Lecture | undefined> {
    return (await this.guild(guildId))?.own.get(lectureId);
  }

  /** The content folder changed: every server sees the new catalog from its next lookup on. */
  replaceBundled(catalog: Catalog): void {
    this.current = catalog;
    for (const guild of this.cache.values()) delete guild.merged;
  }

  /**
   * Adds or replaces server lectures (after they are stored); `bytes` is the server's source in
   * all, as its index now says. A server not in memory reads them from the store when next needed.
   */
  put(guildId: string, lectures: readonly Lecture[], bytes: number): void {
    this.changed(guildId, (guild) => {
      for (const lecture of lectures) guild.own.set(lecture.id, lecture);
      return bytes;
    });
  }

  remove(guildId: string, lectureId: string, bytes: number): void {
    this.changed(guildId, (guild) => {
      guild.own.delete(lectureId);
      return bytes;
    });
  }

  private changed(guildId: string, apply: (guild: CachedGuild) => number): void {
    const loading = this.loading.get(guildId);
    if (loading !== undefined) loading.stale = true;
    const guild = this.cache.get(guildId);
    if (guild === undefined) return;
    const bytes = apply(guild);
    delete guild.merged;
    delete guild.ownCatalog;
    this.used += bytes - guild.bytes;
    guild.bytes = bytes;
    this.touch(guildId, guild);
    this.evict();
  }

  /** The server's cached uploads, loading them first if needed; null for another shard's server. */
  private async guild(guildId: string): Promise<CachedGuild | null> {
    const cached = this.cache.get(guildId);
    if (cached !== undefined) {
      this.touch(guildId, cached);
      return cached;
    }
    if (this.options.owns !== undefined && !this.options.owns(guildId)) return null;
    let loading = this.loading.get(guildId);
    if (loading === undefined) {
      const state = { stale: false };
      loading = Object.assign(state, { promise: this.load(guildId, state) });
      this.loading.set(guildId, loading);
    }
    return loading.promise;
  }

  private async load(guildId: string, state: { stale: boolean }): Promise<CachedGuild> {
    // Let the caller register this load before it starts, so a change meanwhile marks it.
    await Promise.resolve();
    try {
      for (;;) {
        state.stale = false;
        this.loads += 1;
        const uploads = await this.options.load(guildId);
        // Changed meanwhile: read again rather than cache what may be old.
        if (state.stale) continue;
        const guild: CachedGuild = {
          own: new Map(uploads.lectures.map((lecture) => [lecture.id, lecture])),
          bytes: uploads.bytes,
        };
        this.used += guild.bytes + ENTRY_OVERHEAD_BYTES;
        this.cache.set(guildId, guild);
        this.evict();
        return guild;
      }
    } finally {
      this.loading.delete(guildId);
    }
  }

  private touch(guildId: string, guild: CachedGuild): void {
    this.cache.delete(guildId);
    this.cache.set(guildId, guild);
  }

  /** Drops least recently used servers past the budget; the newest one always stays. */
  private evict(): void {
    for (const [guildId, guild] of this.cache) {
      if (this.used <= this.options.budgetBytes || this.cache.size <= 1) return;
      this.cache.delete(guildId);
      this.used -= guild.bytes + ENTRY_OVERHEAD_BYTES;
    }
  }
}
