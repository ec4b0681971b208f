// Which lectures a server sees. Today every server sees the bundled lectures (CONTENT_DIR); a
// server's own uploads and a live content folder plug in here, so every lookup already names the
// server it is for.
import type { Catalog } from './catalog.js';

export interface LectureSource {
  /** The lectures `guildId` sees, as one catalog (lookup, search, autocomplete). */
  forGuild(guildId: string): Catalog;
  /** The lectures every server sees. */
  readonly bundled: Catalog;
}

/** Every server sees the same lectures. */
export function bundledOnly(catalog: Catalog): LectureSource {
  return { bundled: catalog, forGuild: () => catalog };
}
