// A lecture whose text and questions stay on disk until something reads them. The catalog, search and
// autocomplete need only a lecture's id, title and path; its text and questions (most of its memory)
// are read from the content cache file the first time a property asks for them, and kept while used.
import type { Lecture } from './types.js';

/** What the catalog keeps in memory for every lecture. */
export type LectureHead = Pick<Lecture, 'path' | 'id' | 'title' | 'challengeType' | 'dashedName'>;

/** What is read on demand. */
export type LectureBody = Pick<Lecture, 'summary' | 'fullText' | 'questions' | 'quizzes'>;

/**
 * A Lecture whose head is plain data and whose body properties call `readBody` (which caches as it
 * sees fit) on every access. The body properties are the object's own enumerable properties, in the
 * parser's order, so that a lazy lecture spreads, compares and serializes exactly as a parsed one.
 */
export function lazyLecture(head: LectureHead, readBody: () => LectureBody): Lecture {
  return new LazyLecture(head, readBody);
}

// Shared by every lazy lecture (one hidden class for all); filled by LazyLecture's static block.
let BODY_PROPERTIES: PropertyDescriptorMap = {};

class LazyLecture implements Lecture {
  readonly path: string;
  readonly id: string;
  readonly title: string;
  readonly challengeType: number | null;
  readonly dashedName: string | null;
  declare readonly summary: string;
  declare readonly fullText: string;
  declare readonly questions: Lecture['questions'];
  declare readonly quizzes: Lecture['quizzes'];
  readonly #readBody: () => LectureBody;

  constructor(head: LectureHead, readBody: () => LectureBody) {
    this.path = head.path;
    this.id = head.id;
    this.title = head.title;
    this.challengeType = head.challengeType;
    this.dashedName = head.dashedName;
    this.#readBody = readBody;
    Object.defineProperties(this, BODY_PROPERTIES);
  }

  static {
    const property = <K extends keyof LectureBody>(key: K): PropertyDescriptor => ({
      enumerable: true,
      get(this: LazyLecture): LectureBody[K] {
        return this.#readBody()[key];
      },
    });
    BODY_PROPERTIES = {
      summary: property('summary'),
      fullText: property('fullText'),
      questions: property('questions'),
      quizzes: property('quizzes'),
    };
  }
}
