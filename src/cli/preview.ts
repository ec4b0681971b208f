// `preview <file | id>`: the lecture as the bot will post it, in plain text for an author's terminal.
import { stat } from 'node:fs/promises';
import type { FileResult } from '../content/load.js';
import { findMarkdownFiles, parseFiles } from '../content/load.js';
import { BUTTON_LABEL_LIMIT, answerButtonLabels, answerLetter, plainAnswerLine } from '../content/present.js';
import { splitIntoPages } from '../content/summary.js';
import type { Lecture, Question } from '../content/types.js';
import { formatProblem } from '../content/types.js';
import type { Writer } from './io.js';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, count, readArgs } from './io.js';
import { writeUsage } from './usage.js';
import { DEFAULT_CONTENT_DIR } from './validate.js';

const RULE = '─'.repeat(60);
/** Button labels are wrapped onto several lines past this width. */
const BUTTON_LINE_WIDTH = 100;

/** The lecture goes to `out`; so do a file's problems (as in validate). Command-line mistakes go to `err`. */
export async function runPreview(args: string[], out: Writer, err: Writer): Promise<number> {
  const parsed = readArgs('preview', args, { content: { type: 'string' } }, err);
  if (!parsed) return EXIT_USAGE;
  if (parsed.values.help) {
    writeUsage(out);
    return EXIT_OK;
  }
  const [target, ...extra] = parsed.positionals;
  if (target === undefined || extra.length > 0) {
    err('preview: give one lecture file or id, for example: npm run -s preview -- content/python-basics.md');
    return EXIT_USAGE;
  }
  const contentValue = parsed.values.content;
  const contentDir = typeof contentValue === 'string' ? contentValue : DEFAULT_CONTENT_DIR;

  const result = await findTarget(target, contentDir, err);
  if (typeof result === 'number') return result;
  if (!result.lecture) {
    for (const problem of result.problems) out(formatProblem(problem));
    out(`Cannot preview ${result.path}: fix the ${count(result.problems.length, 'problem')} above first.`);
    return EXIT_PROBLEMS;
  }
  for (const line of renderLecture(result.lecture)) out(line);
  return EXIT_OK;
}

/** The file named, or else the lecture with that id or dashedName in the content folder; an exit code when neither. */
async function findTarget(target: string, contentDir: string, err: Writer): Promise<FileResult | number> {
  const info = await stat(target).catch(() => null);
  if (info?.isDirectory()) {
    err(
      `preview: ${target} is a folder; preview one file, or check a folder with: npm run -s validate -- ${target}`,
    );
    return EXIT_USAGE;
  }
  if (info) {
    const [result] = parseFiles([target]);
    return result ?? EXIT_PROBLEMS;
  }
  const folder = await stat(contentDir).catch(() => null);
  if (!folder) {
    err(
      `preview: ${target} is not a file, and there is no content folder ${contentDir} to look the id up in`,
    );
    return EXIT_USAGE;
  }
  const results = parseFiles(await findMarkdownFiles([contentDir]));
  const found =
    results.find((result) => result.lecture?.id === target) ??
    results.find((result) => result.lecture?.dashedName === target);
  if (found) return found;
  const invalid = results.filter((result) => !result.lecture).length;
  err(
    `preview: no file ${target}, and no valid lecture in ${contentDir} has that id or dashedName` +
      (invalid > 0
        ? ` (${count(invalid, 'file')} there could not be read: npm run -s validate -- ${contentDir})`
        : ''),
  );
  return EXIT_PROBLEMS;
}

/** The whole preview as lines of plain text. */
export function renderLecture(lecture: Lecture): string[] {
  const lines: string[] = [];
  const questionTotal =
    lecture.questions.length + lecture.quizzes.reduce((sum, quiz) => sum + quiz.questions.length, 0);
  lines.push(lecture.title, '='.repeat(Math.min(lecture.title.length, 60)));
  lines.push(`file: ${lecture.path}`);
  lines.push(
    [
      `id: ${lecture.id}`,
      lecture.dashedName === null ? null : `dashedName: ${lecture.dashedName}`,
      lecture.challengeType === null ? null : `challengeType: ${lecture.challengeType}`,
    ]
      .filter((part) => part !== null)
      .join('  '),
  );
  lines.push(
    lecture.quizzes.length > 0
      ? `${count(lecture.quizzes.length, 'quiz set')}, ${count(questionTotal, 'question')} in all`
      : count(questionTotal, 'question'),
  );

  lines.push('', `Summary (${count(lecture.summary.length, 'character')})`, RULE);
  lines.push(...(lecture.summary === '' ? ['(no description or transcript)'] : lecture.summary.split('\n')));
  if (lecture.summary !== lecture.fullText) {
    const pages = splitIntoPages(lecture.fullText).length;
    lines.push(
      '',
      `(The summary is cut to fit one embed: the full text is ${count(lecture.fullText.length, 'character')}, ${count(pages, 'page')}.)`,
    );
  }

  lecture.questions.forEach((question, index) => {
    lines.push('', ...renderQuestion(question, `Question ${index + 1} of ${lecture.questions.length}`));
  });
  lecture.quizzes.forEach((quiz, quizIndex) => {
    lines.push(
      '',
      '',
      `Quiz ${quizIndex + 1} of ${lecture.quizzes.length} (${count(quiz.questions.length, 'question')})`,
    );
    lines.push('='.repeat(RULE.length));
    quiz.questions.forEach((question, index) => {
      lines.push('', ...renderQuestion(question, `Question ${index + 1} of ${quiz.questions.length}`));
    });
  });
  return lines;
}

const ANSWER_INDENT = '     ';

export function renderQuestion(question: Question, heading: string): string[] {
  const lines = [`${heading} (line ${question.line})`, RULE, ...question.text.split('\n'), ''];
  question.answers.forEach((answer, index) => {
    const mark = index === question.correctIndex ? '  [correct]' : '';
    const [first = '', ...rest] = answer.text.split('\n');
    const prefix = `  ${answerLetter(index)}. `;
    if (rest.length === 0) {
      lines.push(`${prefix}${first}${mark}`);
    } else {
      // A block (code, several paragraphs) starts under its letter so its first line keeps its shape.
      lines.push(
        `${prefix.trimEnd()}${mark.trimStart() === '' ? '' : ` ${mark.trimStart()}`}`,
        ...answer.text.split('\n').map((line) => indent(line)),
      );
    }
    if (answer.feedback !== null) {
      const [feedbackFirst = '', ...feedbackRest] = answer.feedback.split('\n');
      lines.push(`${ANSWER_INDENT}Feedback: ${feedbackFirst}`, ...feedbackRest.map((line) => indent(line)));
    }
  });
  lines.push('', ...renderButtons(question));
  return lines;
}

function renderButtons(question: Question): string[] {
  const texts = question.answers.map((answer) => answer.text);
  const labels = answerButtonLabels(texts).map((label) => `[${label}]`);
  const lines: string[] = [];
  let line = '  Buttons:';
  for (const label of labels) {
    if (line.length + 1 + label.length > BUTTON_LINE_WIDTH && line.trim() !== 'Buttons:') {
      lines.push(line);
      line = `  ${' '.repeat('Buttons:'.length)}`;
    }
    line += ` ${label}`;
  }
  lines.push(line);
  const notPlain: string[] = [];
  const tooLong: { letter: string; length: number }[] = [];
  texts.forEach((text, index) => {
    const letter = answerLetter(index);
    const plain = plainAnswerLine(text);
    if (plain === null) notPlain.push(letter);
    else if (`${letter}. ${plain}`.length > BUTTON_LABEL_LIMIT)
      tooLong.push({ letter, length: `${letter}. ${plain}`.length });
  });
  const reasons: string[] = [];
  if (notPlain.length > 0)
    reasons.push(`${listOf(notPlain)} ${notPlain.length === 1 ? 'is' : 'are'} not one plain line`);
  if (tooLong.length > 0) {
    const letters = listOf(tooLong.map((item) => item.letter));
    const lengths = listOf(tooLong.map((item) => String(item.length)));
    reasons.push(
      tooLong.length === 1
        ? `the label for ${letters} would be ${lengths} characters`
        : `the labels for ${letters} would be ${lengths} characters`,
    );
  }
  if (reasons.length > 0) {
    lines.push(
      `  (Letters only: ${reasons.join('; ')}. A button label holds at most ${BUTTON_LABEL_LIMIT}.)`,
    );
  }
  return lines;
}

function listOf(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}

function indent(line: string): string {
  return line === '' ? '' : `${ANSWER_INDENT}${line}`;
}
