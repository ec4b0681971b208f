// Parses one lecture file into a Lecture, or reports every problem with its line.
import { readBlocks } from './blocks.js';
import type { FrontMatterSplit, TextField } from './front-matter.js';
import { fieldLine, readTextField, splitFrontMatter } from './front-matter.js';
import { normalizeSource } from './normalize.js';
import type { RawAnswer, RawQuestion, RawQuizQuestion, Slot } from './structure.js';
import { groupBlocks } from './structure.js';
import { chooseLectureText, fitToLimit } from './summary.js';
import { blocksToMarkdown } from './text.js';
import type { Answer, ContentProblem, Lecture, ParseResult, Question, Quiz } from './types.js';

/** Where the parser's code is, for the content cache's parser version. */
export const PARSER_MODULE_URL = import.meta.url;

/** Ids go into Discord button ids (at most 100 characters), so they stay short and plain. */
export const LECTURE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Discord shows at most 25 buttons on a message. */
export const MAX_ANSWERS = 25;

export function parseLecture(source: string, path: string): ParseResult {
  const problems: ContentProblem[] = [];
  const report = (line: number, message: string): void => {
    problems.push({ path, line, message });
  };

  const split = splitFrontMatter(normalizeSource(source));
  if (split.error) report(split.error.line, split.error.message);
  const data = split.data ?? {};
  const fields: FrontMatterFields = {
    id: readTextField(split, 'id'),
    title: readTextField(split, 'title'),
    dashedName: readTextField(split, 'dashedName'),
  };
  if (split.data) checkFields(split, fields, report);
  const id = fields.id.text;
  const title = fields.title.text;

  // An unclosed front matter leaves no body to check: everything after it would be noise.
  if (split.error && split.bodyStartLine === 0 && split.yamlLines.length === 0 && split.body.startsWith('---')) {
    return { lecture: null, problems };
  }
  const bodyLines = split.body.split('\n');
  const { blocks, tooDeep } = readBlocks(split.body, split.bodyStartLine, bodyLines);
  if (tooDeep) {
    // Part of the body was not read, so anything said about its questions could be wrong.
    report(
      tooDeep.line,
      `lists and quotes nested more than ${tooDeep.levels} levels deep (a list counts 2, a quote 1): too deep to read`,
    );
    return { lecture: null, problems: sortByLine(problems) };
  }
  const raw = groupBlocks(blocks);
  const text = (slot: Slot | null): string => (slot ? blocksToMarkdown(slot.blocks, bodyLines) : '');

  const questions = (raw.questions?.items ?? []).map((question, index) =>
    readQuestion(question, index + 1, text, report),
  );
  const quizzes: Quiz[] = (raw.quizzes?.items ?? []).map((quiz, quizIndex) => ({
    questions: quiz.questions.map((question, index) =>
      readQuizQuestion(question, `quiz ${quizIndex + 1} question ${index + 1}`, text, report),
    ),
  }));
  if (raw.questions && raw.questions.items.length === 0) report(raw.questions.line, '--questions-- has no questions');
  if (raw.quizzes) {
    if (raw.quizzes.items.length === 0) report(raw.quizzes.line, '--quizzes-- has no --quiz-- sets');
    raw.quizzes.items.forEach((quiz, index) => {
      if (quiz.questions.length === 0) report(quiz.line, `quiz ${index + 1} has no questions`);
    });
  }
  if (!raw.questions && !raw.quizzes && !split.error) {
    report(split.bodyStartLine + 1, 'no questions: add a # --questions-- (or # --quizzes--) section');
  }

  if (problems.length > 0 || id === null || title === null) {
    return { lecture: null, problems: sortByLine(problems) };
  }
  const fullText = chooseLectureText(text(raw.description), text(raw.transcript));
  const lecture: Lecture = {
    path,
    id,
    title,
    challengeType: readNumber(data.challengeType),
    dashedName: fields.dashedName.text,
    summary: fitToLimit(fullText),
    fullText,
    questions: questions.filter((question): question is Question => question !== null),
    quizzes,
  };
  return { lecture, problems: [] };
}

type TextOf = (slot: Slot | null) => string;
type Report = (line: number, message: string) => void;

function readQuestion(raw: RawQuestion, number: number, text: TextOf, report: Report): Question | null {
  const name = `question ${number}`;
  const questionText = text(raw.text);
  if (questionText === '') report(raw.text?.line ?? raw.line, `${name} has no text (## --text--)`);
  const answers = readAnswers(raw.answers?.items ?? [], name, text, report);
  if (!raw.answers) report(raw.line, `${name} has no --answers-- section`);
  else if (answers.length < 2) report(raw.answers.line, `${name} needs at least two answers, found ${answers.length}`);
  else if (answers.length > MAX_ANSWERS)
    report(raw.answers.line, `${name} has ${answers.length} answers; Discord shows at most ${MAX_ANSWERS} buttons`);
  // Without two answers the solution cannot be checked against them; one message is enough.
  const correctIndex = readSolution(raw.solution, answers.length >= 2 ? answers.length : null, name, text, report, raw.line);
  if (correctIndex === null || questionText === '') return null;
  return { text: questionText, answers, correctIndex, line: raw.line };
}

function readAnswers(items: RawAnswer[], name: string, text: TextOf, report: Report): Answer[] {
  return items.map((item, index) => {
    const answerText = text({ line: item.line, blocks: item.blocks });
    if (answerText === '') report(item.line, `${name}, answer ${index + 1} is empty (a stray --- ?)`);
    const feedback = item.feedback ? text(item.feedback) : '';
    return { text: answerText, feedback: feedback === '' ? null : feedback };
  });
}

function readSolution(
  slot: Slot | null,
  answerCount: number | null,
  name: string,
  text: TextOf,
  report: Report,
  questionLine: number,
): number | null {
  if (!slot) {
    report(questionLine, `${name} has no --video-solution-- (the number of the correct answer)`);
    return null;
  }
  // Only the first block is the number: some files carry a stray `---` or notes after it.
  const first = slot.blocks[0];
  const value = text({ line: slot.line, blocks: first ? [first] : [] }).trim();
  const line = first?.line ?? slot.line;
  if (!/^\d+$/.test(value)) {
    const range = answerCount === null ? '' : ` from 1 to ${answerCount}`;
    report(line, `${name}: --video-solution-- must be a whole number${range}, found "${value}"`);
    return null;
  }
  const solution = Number(value);
  if (answerCount === null) return null;
  if (solution < 1 || solution > answerCount) {
    report(line, `${name}: --video-solution-- is ${solution} but the question has ${answerCount} answers`);
    return null;
  }
  return solution - 1;
}

function readQuizQuestion(raw: RawQuizQuestion, name: string, text: TextOf, report: Report): Question {
  const questionText = text(raw.text);
  if (questionText === '') report(raw.text?.line ?? raw.line, `${name} has no text (#### --text--)`);
  const distractors = readAnswers(raw.distractors?.items ?? [], name, text, report);
  if (distractors.length !== 3)
    report(raw.distractors?.line ?? raw.line, `${name} needs exactly three distractors, found ${distractors.length}`);
  if (raw.answers.length !== 1)
    report(raw.answers[1]?.line ?? raw.line, `${name} needs exactly one --answer--, found ${raw.answers.length}`);
  const answerText = text(raw.answers[0] ?? null);
  if (raw.answers.length === 1 && answerText === '') report(raw.answers[0]?.line ?? raw.line, `${name} has an empty --answer--`);
  // Quiz files list the right answer apart; put it at a position that is stable (buttons must survive
  // restarts) but differs between questions, so it is not always the same letter.
  const correctIndex = stableHash(questionText) % (distractors.length + 1);
  const answers = [...distractors];
  answers.splice(correctIndex, 0, { text: answerText, feedback: null });
  return { text: questionText, answers, correctIndex, line: raw.line };
}

/** FNV-1a: tiny, fast and stable across runs and machines. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

type FrontMatterFields = Record<'id' | 'title' | 'dashedName', TextField>;

/** One message per field: what is wrong with its value, or that a required one is missing. */
function checkFields(split: FrontMatterSplit, fields: FrontMatterFields, report: Report): void {
  for (const [name, field] of Object.entries(fields)) {
    if (field.problem !== null) report(fieldLine(split, name), field.problem);
  }
  const { id, title } = fields;
  if (id.problem === null) {
    if (id.text === null) report(fieldLine(split, 'id'), 'front matter needs an id (for example id: 5f2a6b1c9d8e7f0a1b2c3d4e)');
    else if (!LECTURE_ID_PATTERN.test(id.text))
      report(fieldLine(split, 'id'), `id "${id.text}" must be 1 to 64 letters, digits, - or _`);
  }
  if (title.text === null && title.problem === null) report(fieldLine(split, 'title'), 'front matter needs a title');
}

function readNumber(value: unknown): number | null {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
}

function sortByLine(problems: ContentProblem[]): ContentProblem[] {
  return [...problems].sort((a, b) => a.line - b.line);
}
