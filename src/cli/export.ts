// `export [paths...]`: one JSON object per file, valid or not, as JSON Lines. The keys and their
// order are a contract for other tools; change them only with a note to whoever reads the output.
import { readFileSync } from 'node:fs';
import type { FrontMatterSplit } from '../content/front-matter.js';
import { readTextField, splitFrontMatter } from '../content/front-matter.js';
import type { FileResult } from '../content/load.js';
import { findMarkdownFiles, parseFiles } from '../content/load.js';
import { normalizeSource } from '../content/normalize.js';
import type { Question } from '../content/types.js';
import { formatProblem } from '../content/types.js';
import type { Writer } from './io.js';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, missingPaths, readArgs } from './io.js';
import { writeUsage } from './usage.js';
import { DEFAULT_CONTENT_DIR } from './validate.js';

export interface ExportedAnswer {
  text: string;
  feedback: string | null;
}

export interface ExportedQuestion {
  text: string;
  answers: ExportedAnswer[];
  /** 0-based. */
  correctIndex: number;
}

export interface ExportedFile {
  path: string;
  id: string | null;
  title: string | null;
  challengeType: number | null;
  /** The lecture text as fitted to one embed; null for an invalid file. */
  summary: string | null;
  questions: ExportedQuestion[];
  quizzes: { questions: ExportedQuestion[] }[];
  /** `path:line: message`; empty for a valid file. */
  errors: string[];
}

/** JSON on `out`; only command-line mistakes go to `err`. */
export async function runExport(args: string[], out: Writer, err: Writer): Promise<number> {
  const parsed = readArgs('export', args, {}, err);
  if (!parsed) return EXIT_USAGE;
  if (parsed.values.help) {
    writeUsage(out);
    return EXIT_OK;
  }
  const paths = parsed.positionals.length > 0 ? parsed.positionals : [DEFAULT_CONTENT_DIR];
  if ((await missingPaths('export', paths, err)).length > 0) return EXIT_USAGE;

  let allValid = true;
  for (const result of parseFiles(await findMarkdownFiles(paths))) {
    if (!result.lecture) allValid = false;
    out(JSON.stringify(exportFile(result)));
  }
  return allValid ? EXIT_OK : EXIT_PROBLEMS;
}

export function exportFile(result: FileResult): ExportedFile {
  const { lecture } = result;
  const errors = result.problems.map(formatProblem);
  if (lecture) {
    return {
      path: result.path,
      id: lecture.id,
      title: lecture.title,
      challengeType: lecture.challengeType,
      summary: lecture.summary,
      questions: lecture.questions.map(exportQuestion),
      quizzes: lecture.quizzes.map((quiz) => ({ questions: quiz.questions.map(exportQuestion) })),
      errors,
    };
  }
  const fields = readFrontMatterFields(result.path);
  return {
    path: result.path,
    id: fields.id,
    title: fields.title,
    challengeType: fields.challengeType,
    summary: null,
    questions: [],
    quizzes: [],
    errors,
  };
}

function exportQuestion(question: Question): ExportedQuestion {
  return {
    text: question.text,
    answers: question.answers.map((answer) => ({ text: answer.text, feedback: answer.feedback })),
    correctIndex: question.correctIndex,
  };
}

/** For an invalid file, whatever its front matter still says about it (so a broken lecture can be named). */
function readFrontMatterFields(path: string): Pick<ExportedFile, 'id' | 'title' | 'challengeType'> {
  let split: FrontMatterSplit | null = null;
  try {
    split = splitFrontMatter(normalizeSource(readFileSync(path, 'utf8')));
  } catch {
    // Unreadable: the read error is already among the file's errors.
  }
  if (!split) return { id: null, title: null, challengeType: null };
  const type = split.data?.challengeType;
  const challengeType = typeof type === 'string' && type.trim() !== '' ? Number(type) : type;
  return {
    id: readTextField(split, 'id').text,
    title: readTextField(split, 'title').text,
    challengeType: typeof challengeType === 'number' && Number.isFinite(challengeType) ? challengeType : null,
  };
}
