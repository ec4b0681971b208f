// The lectures each server sees: the content folder's (live: replaced whole when a file changes)
// plus the server's own uploads. Everything is in memory; a server's merged catalog is built once
// and kept until either side changes, so a click never re-parses or re-sorts anything.
import { Catalog } from '../quiz/catalog.js';
import type { Lecture } from '../content/types.js';
import type { LectureSource } from '../quiz/lectures.js';

export interface ShadowWarning {
  guildId: string;
  lectureId: string;
}

export class ServerLectures implements LectureSource {
  private current: Catalog;
  /** Each server's own lectures by id; servers with none are absent. */
  private readonly own = new Map<string, Map<string, Lecture>>();
  private readonly merged = new Map<string, Catalog>();
  private readonly ownCatalogs = new Map<string, Catalog>();

  constructor(
    bundled: Catalog,
    /** Told when a server's own lecture hides a content-folder lecture with the same id. */
    private readonly onShadow: (warning: ShadowWarning) => void = () => undefined,
  ) {
    this.current = bundled;
  }

  get bundled(): Catalog {
    return this.current;
  }

  forGuild(guildId: string): Catalog {
    const own = this.own.get(guildId);
    if (own === undefined) return this.current;
    let catalog = this.merged.get(guildId);
    if (catalog === undefined) {
      // The server's own first: where a new content-folder file takes an id a server already
      // uses, that server keeps its lecture (and its posted buttons keep working).
      catalog = new Catalog([...own.values(), ...this.current.lectures]);
      for (const hidden of catalog.shadowed) this.onShadow({ guildId, lectureId: hidden.id });
      this.merged.set(guildId, catalog);
    }
    return catalog;
  }

  /** The server's own lectures alone (for /lecture remove and download). */
  ownCatalog(guildId: string): Catalog {
    let catalog = this.ownCatalogs.get(guildId);
    if (catalog === undefined) {
      catalog = new Catalog([...(this.own.get(guildId)?.values() ?? [])]);
      this.ownCatalogs.set(guildId, catalog);
    }
    return catalog;
  }

  ownLecture(guildId: string, lectureId: string): Lecture | undefined {
    return this.own.get(guildId)?.get(lectureId);
  }

  /** The content folder changed: every server sees the new catalog from its next lookup on. */
  replaceBundled(catalog: Catalog): void {
    this.current = catalog;
    this.merged.clear();
  }

  /** Adds or replaces server lectures (after they are stored). */
  put(guildId: string, lectures: readonly Lecture[]): void {
    const own = this.own.get(guildId) ?? new Map<string, Lecture>();
    for (const lecture of lectures) own.set(lecture.id, lecture);
    this.own.set(guildId, own);
    this.merged.delete(guildId);
    this.ownCatalogs.delete(guildId);
  }

  remove(guildId: string, lectureId: string): void {
    const own = this.own.get(guildId);
    if (own === undefined) return;
    own.delete(lectureId);
    if (own.size === 0) this.own.delete(guildId);
    this.merged.delete(guildId);
    this.ownCatalogs.delete(guildId);
  }
}
