// Which lectures a server sees: the bundled lectures (CONTENT_DIR) plus, in the bot, the server's
// own uploads (src/library/lectures.ts), loaded when the server first needs them, hence async.
// Every lookup names the server it is for.
import type { Catalog } from './catalog.js';

export interface LectureSource {
  /** The lectures `guildId` sees, as one catalog (lookup, search, autocomplete). */
  forGuild(guildId: string): Promise<Catalog>;
  /**
   * For autocomplete, which Discord gives 3 s: forGuild, or the bundled lectures when the server's
   * own would take too long to load (they are there from a later keystroke on).
   */
  forAutocomplete(guildId: string): Promise<Catalog>;
  /** The lectures every server sees. */
  readonly bundled: Catalog;
}

/** Every server sees the same lectures. */
export function bundledOnly(catalog: Catalog): LectureSource {
  const same = (): Promise<Catalog> => Promise.resolve(catalog);
  return { bundled: catalog, forGuild: same, forAutocomplete: same };
}
