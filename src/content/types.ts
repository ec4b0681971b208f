// The shapes the content engine hands to everything else. Pure data: no discord.js, no I/O.

/** One answer as the author wrote it, in Discord-ready markdown. */
export interface Answer {
  text: string;
  /** The `### --feedback--` under this answer, or null when the author wrote none. */
  feedback: string | null;
}

export interface Question {
  /** Markdown of the question (`## --text--`). */
  text: string;
  /** In source order: lecture answers are never shuffled ("All of the above" depends on order). */
  answers: Answer[];
  /** 0-based index into `answers`. */
  correctIndex: number;
  /** 1-based line of the question's first marker in its file, for error messages and previews. */
  line: number;
}

/** One `## --quiz--` of a quiz file: an alternative set of questions. */
export interface Quiz {
  questions: Question[];
}

export interface Lecture {
  /** The file it came from, as given to the loader. */
  path: string;
  id: string;
  title: string;
  challengeType: number | null;
  dashedName: string | null;
  /** The lecture text fitted to one Discord embed description (4,096), cut at a sentence boundary. */
  summary: string;
  /** The whole lecture text (description or transcript) for paging; equals `summary` when it fits. */
  fullText: string;
  /** `# --questions--` (lecture format); empty for quiz files. */
  questions: Question[];
  /** `# --quizzes--` (quiz format); empty for lecture files. */
  quizzes: Quiz[];
}

/** A problem with a file, reported as `path:line: message`. */
export interface ContentProblem {
  path: string;
  /** 1-based line in the file as written (front matter included). */
  line: number;
  message: string;
}

/** Result of parsing one file: a lecture when it is valid, and every problem found either way. */
export interface ParseResult {
  lecture: Lecture | null;
  problems: ContentProblem[];
}

export function formatProblem(problem: ContentProblem): string {
  return `${problem.path}:${problem.line}: ${problem.message}`;
}
