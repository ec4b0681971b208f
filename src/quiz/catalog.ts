// The lectures the bot serves, looked up by id and searched by title or id. Pure: built once from
// the loaded content, then read by every command and click.
import type { Lecture, Question } from '../content/types.js';
import { cutToLength } from '../content/text-cut.js';

/** Discord shows at most 25 autocomplete choices, each name at most 100 characters. */
export const MAX_CHOICES = 25;
export const CHOICE_NAME_LIMIT = 100;

export interface Choice {
  name: string;
  value: string;
}

export interface Page<T> {
  items: T[];
  /** 0-based, clamped into range. */
  page: number;
  pageCount: number;
  total: number;
}

export class Catalog {
  /** Later lectures with an id already taken (the loader allows that across folders). */
  readonly shadowed: readonly Lecture[];
  private readonly byId = new Map<string, Lecture>();
  private readonly kept: Lecture[] = [];
  private byTitle: readonly Lecture[] | null = null;

  constructor(lectures: readonly Lecture[]) {
    const shadowed: Lecture[] = [];
    for (const lecture of lectures) {
      if (this.byId.has(lecture.id)) {
        shadowed.push(lecture);
        continue;
      }
      this.byId.set(lecture.id, lecture);
      this.kept.push(lecture);
    }
    this.shadowed = shadowed;
  }

  /**
   * The lectures served, by title. Sorted when first asked for, not when built: a start (which only
   * counts them) then skips the sort and ICU's collator set-up, about 10 ms over the corpus.
   */
  get lectures(): readonly Lecture[] {
    this.byTitle ??= [...this.kept].sort(
      (a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id),
    );
    return this.byTitle;
  }

  /** The lectures served, in the order they were given (the content folder's: by path). */
  get inLoadOrder(): readonly Lecture[] {
    return this.kept;
  }

  /** How many lectures are served. */
  get size(): number {
    return this.kept.length;
  }

  get(id: string): Lecture | undefined {
    return this.byId.get(id);
  }

  /** Lectures matching `query` (title or id, case-insensitive), best matches first; all when blank. */
  search(query: string): Lecture[] {
    const needle = { title: normalize(query), id: query.trim().toLowerCase() };
    if (needle.id === '') return [...this.lectures];
    const ranked: { lecture: Lecture; rank: number }[] = [];
    for (const lecture of this.lectures) {
      const rank = matchRank(lecture, needle);
      if (rank !== null) ranked.push({ lecture, rank });
    }
    // Stable sort keeps title order within a rank.
    return ranked.sort((a, b) => a.rank - b.rank).map((entry) => entry.lecture);
  }

  /** Up to 25 choices for the `lecture` option as the user types. */
  autocomplete(query: string): Choice[] {
    return this.search(query)
      .slice(0, MAX_CHOICES)
      .map((lecture) => ({ name: choiceName(lecture), value: lecture.id }));
  }
}

/**
 * 0: id or title equals, 1: prefix, 2: a title word starts with it, 3: contains it; null: no match.
 * Titles are compared without punctuation; ids as typed (they are made of `-` and `_`).
 */
function matchRank(lecture: Lecture, needle: { title: string; id: string }): number | null {
  const title = normalize(lecture.title);
  const id = lecture.id.toLowerCase();
  const inTitle = needle.title !== '';
  if (id === needle.id || (inTitle && title === needle.title)) return 0;
  if (id.startsWith(needle.id) || (inTitle && title.startsWith(needle.title))) return 1;
  if (inTitle && ` ${title}`.includes(` ${needle.title}`)) return 2;
  if (id.includes(needle.id) || (inTitle && title.includes(needle.title))) return 3;
  return null;
}

function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function choiceName(lecture: Lecture): string {
  return truncate(lecture.title, CHOICE_NAME_LIMIT);
}

/** Text cut to `limit` characters with "…" when it had to be shortened, never inside a character. */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${cutToLength(text, limit - 1).trimEnd()}…`;
}

/** The question sets a lecture offers: its questions, or each alternative quiz of a quiz file. */
export function questionSets(lecture: Lecture): Question[][] {
  return lecture.quizzes.length > 0 ? lecture.quizzes.map((quiz) => quiz.questions) : [lecture.questions];
}

export function questionAt(lecture: Lecture, set: number, question: number): Question | undefined {
  return questionSets(lecture)[set]?.[question];
}

/** The set to post: the one asked for (1-based, as users count), else a random one. Null when out of range. */
export function pickSet(
  lecture: Lecture,
  requested: number | null,
  random: () => number = Math.random,
): number | null {
  const count = questionSets(lecture).length;
  if (requested !== null) return requested >= 1 && requested <= count ? requested - 1 : null;
  return Math.min(count - 1, Math.floor(random() * count));
}

export function paginate<T>(items: readonly T[], page: number, perPage: number): Page<T> {
  const pageCount = Math.max(1, Math.ceil(items.length / perPage));
  const clamped = Math.min(Math.max(0, page), pageCount - 1);
  return {
    items: items.slice(clamped * perPage, (clamped + 1) * perPage),
    page: clamped,
    pageCount,
    total: items.length,
  };
}

/** The lectures `next` hides that `previous` did not (by path and id). */
export function newlyShadowed(previous: Catalog, next: Catalog): Lecture[] {
  const before = new Set(previous.shadowed.map((lecture) => `${lecture.path}\u0000${lecture.id}`));
  return next.shadowed.filter((lecture) => !before.has(`${lecture.path}\u0000${lecture.id}`));
}
