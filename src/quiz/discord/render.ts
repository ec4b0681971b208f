// Turns lectures, questions, grades and scores into Discord embeds and buttons, within Discord's
// limits. Returns plain API objects: easy to assert on, and accepted by every discord.js send/reply.
import { ButtonStyle } from 'discord.js';
import type { APIEmbed } from 'discord.js';
import { answerButtonLabels, answerLetter } from '../../content/present.js';
import { splitIntoPages } from '../../content/summary.js';
import type { Lecture, Question } from '../../content/types.js';
import type { Page } from '../catalog.js';
import { questionSets, truncate } from '../catalog.js';
import { questionFingerprint } from '../fingerprint.js';
import { pluralPoints } from '../grading.js';
import { COLOR, button, pagerRow, row, rows } from '../../discord/embeds.js';
import type { MessageView } from '../../discord/embeds.js';
import {
  EMBED_DESCRIPTION_LIMIT,
  EMBED_FOOTER_LIMIT,
  EMBED_TITLE_LIMIT,
  fitText,
} from '../../discord/limits.js';

export type { MessageView } from '../../discord/embeds.js';

export function lectureMessage(lecture: Lecture, set: number): MessageView {
  const sets = questionSets(lecture);
  const count = sets[set]?.length ?? 0;
  const setNote = sets.length > 1 ? ` · quiz ${set + 1} of ${sets.length}` : '';
  const embed: APIEmbed = {
    color: COLOR.lecture,
    title: truncate(lecture.title, EMBED_TITLE_LIMIT),
    description: fitText(
      lecture.summary || 'This lecture has no text, only questions.',
      EMBED_DESCRIPTION_LIMIT,
    ),
    footer: {
      text: fitText(
        `${count} question${count === 1 ? '' : 's'}${setNote} · ${lecture.id}`,
        EMBED_FOOTER_LIMIT,
      ),
    },
  };
  const read = button(
    'Read the full lecture',
    { kind: 'lecture-open', lectureId: lecture.id },
    ButtonStyle.Secondary,
  );
  return { embeds: [embed], components: lecture.fullText.trim() === '' ? [] : [row([read])] };
}

export interface QuestionPosition {
  lecture: Lecture;
  set: number;
  index: number;
  total: number;
}

export function questionMessage(question: Question, at: QuestionPosition): MessageView {
  const embed: APIEmbed = {
    color: COLOR.question,
    title: `Question ${at.index + 1} of ${at.total}`,
    // Question text goes in the description: hundreds of real questions are longer than a title may be.
    description: questionDescription(question),
    footer: { text: truncate(at.lecture.title, EMBED_TITLE_LIMIT) },
  };
  const fingerprint = questionFingerprint(question);
  const labels = answerButtonLabels(question.answers.map((answer) => answer.text));
  const buttons = labels.map((label, answer) =>
    button(
      label,
      { kind: 'answer', lectureId: at.lecture.id, set: at.set, question: at.index, answer, fingerprint },
      ButtonStyle.Primary,
    ),
  );
  return { embeds: [embed], components: rows(buttons) };
}

/** The question, then its answers lettered in source order, fitted to one embed description. */
export function questionDescription(question: Question): string {
  const answers = question.answers.map((answer, index) => answerLine(index, answer.text));
  const answersLength = answers.join('\n').length;
  // Answers are what people choose between, so they get room first; the question gives way.
  const questionRoom = Math.max(200, EMBED_DESCRIPTION_LIMIT - answersLength - 2);
  const text = fitText(question.text, questionRoom);
  const answerRoom = Math.floor((EMBED_DESCRIPTION_LIMIT - text.length - 2) / answers.length) - 1;
  const fitted =
    answersLength + text.length + 2 <= EMBED_DESCRIPTION_LIMIT
      ? answers
      : answers.map((line) => fitText(line, answerRoom));
  return fitText(`${text}\n\n${fitted.join('\n')}`, EMBED_DESCRIPTION_LIMIT);
}

function answerLine(index: number, text: string): string {
  const letter = `**${answerLetter(index)}.**`;
  // A code block or several lines start on their own line so the block renders intact.
  return text.includes('\n') ? `${letter}\n${text}` : `${letter} ${text}`;
}

/** One page of the full lecture text, for a private reply. */
export function lecturePageMessage(lecture: Lecture, page: number): MessageView {
  const pages = splitIntoPages(lecture.fullText || lecture.summary, EMBED_DESCRIPTION_LIMIT);
  const current = Math.min(Math.max(0, page), pages.length - 1);
  const embed: APIEmbed = {
    color: COLOR.lecture,
    title: truncate(lecture.title, EMBED_TITLE_LIMIT),
    description: fitText(
      pages[current] || 'This lecture has no text, only questions.',
      EMBED_DESCRIPTION_LIMIT,
    ),
    footer: { text: `Page ${current + 1} of ${pages.length}` },
  };
  const pager = pagerRow(current, pages.length, (p) => ({
    kind: 'lecture-page',
    lectureId: lecture.id,
    page: p,
  }));
  return { embeds: [embed], components: pages.length > 1 ? [pager] : [] };
}

export function lectureListMessage(page: Page<Lecture>, search: string): MessageView {
  const lines = page.items.map((lecture) => {
    const sets = questionSets(lecture);
    const size =
      sets.length > 1
        ? `${sets.length} quizzes`
        : `${sets[0]?.length ?? 0} question${sets[0]?.length === 1 ? '' : 's'}`;
    return `**${truncate(lecture.title, 200)}**\n\`${lecture.id}\` · ${size}`;
  });
  const title = search === '' ? 'Lectures' : `Lectures matching "${truncate(search, 100)}"`;
  const embed: APIEmbed = {
    color: COLOR.lecture,
    title,
    description:
      lines.length > 0
        ? fitText(lines.join('\n\n'), EMBED_DESCRIPTION_LIMIT)
        : 'No lecture matches that search.',
    footer: {
      text: `Page ${page.page + 1} of ${page.pageCount} · ${page.total} lecture${page.total === 1 ? '' : 's'} · start one with /quiz start`,
    },
  };
  const pager = pagerRow(page.page, page.pageCount, (p) => ({ kind: 'list-page', page: p, search }));
  return { embeds: [embed], components: page.pageCount > 1 ? [pager] : [] };
}

export interface LeaderboardLine {
  rank: number;
  userId: string;
  points: number;
  answered: number;
  accuracy: number;
}

export function leaderboardMessage(
  lines: LeaderboardLine[],
  page: number,
  pageCount: number,
  total: number,
): MessageView {
  const text = lines.map(
    (line) =>
      `**${line.rank}.** <@${line.userId}> · ${pluralPoints(line.points)} · ${line.answered} answered · ${percent(line.accuracy)}`,
  );
  const embed: APIEmbed = {
    color: COLOR.info,
    title: 'Leaderboard',
    description: text.length > 0 ? text.join('\n') : 'Nobody has answered a question in this server yet.',
    footer: {
      text: `Page ${page + 1} of ${pageCount} · ${total} player${total === 1 ? '' : 's'} · ties: accuracy, then who got there first`,
    },
  };
  const pager = pagerRow(page, pageCount, (p) => ({ kind: 'leaderboard-page', page: p }));
  return { embeds: [embed], components: pageCount > 1 ? [pager] : [] };
}

export interface ScoreView {
  userId: string;
  points: number;
  answered: number;
  correct: number;
  accuracy: number;
  streak: number;
  bestStreak: number;
  rank: number;
  players: number;
}

export function scoreMessage(score: ScoreView | null, userId: string): MessageView {
  if (!score) {
    return {
      embeds: [
        {
          color: COLOR.info,
          title: 'Score',
          description: `<@${userId}> has not answered any question in this server yet.`,
        },
      ],
      components: [],
    };
  }
  const embed: APIEmbed = {
    color: COLOR.info,
    title: 'Score',
    description: `<@${score.userId}>`,
    fields: [
      { name: 'Points', value: String(score.points), inline: true },
      { name: 'Answered', value: String(score.answered), inline: true },
      { name: 'Accuracy', value: `${percent(score.accuracy)} (${score.correct} right)`, inline: true },
      { name: 'Streak', value: `${score.streak} now, best ${score.bestStreak}`, inline: true },
      { name: 'Rank', value: `#${score.rank} of ${score.players}`, inline: true },
    ],
  };
  return { embeds: [embed], components: [] };
}

export function gradeEmbed(correct: boolean, text: string): APIEmbed {
  return {
    color: correct ? COLOR.correct : COLOR.wrong,
    description: fitText(text, EMBED_DESCRIPTION_LIMIT),
  };
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}
