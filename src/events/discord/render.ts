// What a quiz event looks like on Discord: the reminder, the lecture intro, each question with its
// countdown, the reveal, the standings, and the moderators' replies. Plain API objects, like
// render.ts; the countdowns are Discord timestamps (`<t:…:R>`), which every client counts down by
// itself, so no message is edited to keep time.
import { ButtonStyle } from 'discord.js';
import type { APIEmbed, APIEmbedField } from 'discord.js';
import { answerButtonLabels, answerLetter } from '../../content/present.js';
import type { Lecture, Question } from '../../content/types.js';
import type { QuestionReveal } from '../engine.js';
import { STANDINGS_SHOWN } from '../standings.js';
import type { Standing } from '../standings.js';
import type { QuizEvent, ReviewNight } from '../model.js';
import { formatDiscordTimestamp } from '../schedule.js';
import { truncate } from '../../quiz/catalog.js';
import {
  EMBED_DESCRIPTION_LIMIT,
  EMBED_FIELD_VALUE_LIMIT,
  EMBED_TITLE_LIMIT,
  EMBED_TOTAL_LIMIT,
  embedLength,
  fitText,
} from '../../discord/limits.js';
import { COLOR, button, pagerRow, rows } from '../../discord/embeds.js';
import type { MessageView } from '../../discord/embeds.js';
import { questionDescription } from '../../quiz/discord/render.js';
import { plural } from '../../plural.js';

const MEDALS = ['🥇', '🥈', '🥉'];

export function eventReminderMessage(
  event: QuizEvent,
  lectureTitle: string,
  questionCount: number,
): MessageView {
  const embed: APIEmbed = {
    color: COLOR.info,
    title: truncate(`⏰ Quiz starting soon: ${lectureTitle}`, EMBED_TITLE_LIMIT),
    description: [
      `Starts ${formatDiscordTimestamp(event.startAt, 'F')} (${formatDiscordTimestamp(event.startAt, 'R')}) in this channel.`,
      `${plural(questionCount, 'question')}, ${event.secondsPerQuestion} seconds each. Answer with the buttons: right answers count first, then speed.`,
    ].join('\n'),
    footer: { text: `Quiz event ${event.id}` },
  };
  return { embeds: [embed], components: [] };
}

/** The lecture to read before the questions; `firstQuestionAt` drives its countdown. */
export function eventIntroMessage(
  event: QuizEvent,
  lecture: Lecture | undefined,
  questions: readonly Question[],
  firstQuestionAt: number,
): MessageView {
  const plan =
    questions.length > 0
      ? `${plural(questions.length, 'question')} · ${event.secondsPerQuestion} seconds each\n` +
        `First question ${formatDiscordTimestamp(firstQuestionAt, 'R')}. One answer per question; it locks in on click.`
      : 'No questions to ask: the lecture was removed or has none. Standings follow.';
  const embed: APIEmbed = {
    color: COLOR.lecture,
    title: truncate(lecture?.title ?? event.lectureId, EMBED_TITLE_LIMIT),
    description: fitText(
      lecture?.summary || 'This lecture has no text, only questions.',
      EMBED_DESCRIPTION_LIMIT,
    ),
    fields: [{ name: '📝 Quiz event', value: plan }],
    footer: { text: `Quiz event ${event.id}` },
  };
  return { embeds: [embed], components: [] };
}

/** What a review night is called in its messages and its Discord event. */
export function reviewNightTitle(review: ReviewNight): string {
  return `Review night: most missed of the last ${plural(review.days, 'day')}`;
}

/** A review night's opening: where its questions come from, then the plan as for any event. */
export function reviewNightIntroMessage(
  event: QuizEvent,
  review: ReviewNight,
  lectureTitles: readonly string[],
  questions: readonly Question[],
  firstQuestionAt: number,
): MessageView {
  const from = lectureTitles.map((title) => `**${truncate(title, 150)}**`).join(', ');
  const description =
    questions.length > 0
      ? `The questions this server missed most in the last ${plural(review.days, 'day')}, from ${from}. Time to get them right!`
      : `No question was missed in this server in the last ${plural(review.days, 'day')}, so there is nothing to review. Standings follow.`;
  const plan =
    questions.length > 0
      ? `${plural(questions.length, 'question')} · ${event.secondsPerQuestion} seconds each
` +
        `First question ${formatDiscordTimestamp(firstQuestionAt, 'R')}. One answer per question; it locks in on click.`
      : 'No questions to ask.';
  const embed: APIEmbed = {
    color: COLOR.lecture,
    title: `🔁 ${reviewNightTitle(review)}`,
    description: fitText(description, EMBED_DESCRIPTION_LIMIT),
    fields: [{ name: '📝 Quiz event', value: plan }],
    footer: { text: `Quiz event ${event.id}` },
  };
  return { embeds: [embed], components: [] };
}

export interface EventQuestionPosition {
  event: QuizEvent;
  index: number;
  total: number;
  /** A review night's question names the lecture it comes from. */
  from?: string;
}

export function eventQuestionMessage(
  question: Question,
  at: EventQuestionPosition,
  closesAt: number,
): MessageView {
  const embed: APIEmbed = {
    color: COLOR.question,
    title: `Question ${at.index + 1} of ${at.total}`,
    description: questionDescription(question),
    fields: [{ name: '⏳ Time', value: `Closes ${formatDiscordTimestamp(closesAt, 'R')}` }],
    footer: {
      text: truncate(
        `${at.from === undefined ? '' : `From ${at.from} · `}Quiz event ${at.event.id} · one answer each, locked in on click`,
        EMBED_TITLE_LIMIT,
      ),
    },
  };
  return { embeds: [embed], components: answerButtons(question, at, () => ButtonStyle.Primary, false) };
}

/**
 * The question message once time is up, as one edit: buttons disabled with the correct one green,
 * how the room voted, and the correct answer's feedback.
 */
export function eventRevealMessage(
  question: Question,
  at: EventQuestionPosition,
  reveal: QuestionReveal,
): MessageView {
  const votes = question.answers.map((_, index) => {
    const mark = index === reveal.correctIndex ? '✅' : '▫️';
    const count = reveal.counts[index] ?? 0;
    return `${mark} **${answerLetter(index)}.** ${plural(count, 'vote')} · ${reveal.shares[index] ?? 0}%`;
  });
  const fields: APIEmbedField[] = [
    { name: '📊 How the room voted', value: fitText(votes.join('\n'), EMBED_FIELD_VALUE_LIMIT) },
  ];
  const feedback = question.answers[reveal.correctIndex]?.feedback;
  if (feedback) {
    fields.push({
      name: `Why ${answerLetter(reveal.correctIndex)} is right`,
      value: fitText(feedback, EMBED_FIELD_VALUE_LIMIT),
    });
  }
  const embed: APIEmbed = {
    color: COLOR.correct,
    title: `Question ${at.index + 1} of ${at.total} · time's up`,
    fields,
    footer: {
      text: `Quiz event ${at.event.id} · ${plural(reveal.total, 'answer')}, ${reveal.correctCount} right`,
    },
  };
  // The question keeps whatever room the reveal leaves within Discord's 6,000 characters.
  const room = Math.min(EMBED_DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT - embedLength(embed) - 10);
  embed.description = fitText(questionDescription(question), room);
  const style = (index: number): ButtonStyle.Success | ButtonStyle.Secondary =>
    index === reveal.correctIndex ? ButtonStyle.Success : ButtonStyle.Secondary;
  return { embeds: [embed], components: answerButtons(question, at, style, true) };
}

/** The question message after a moderator cancelled the event mid-question: buttons off, and why. */
export function eventCancelledQuestionMessage(question: Question, at: EventQuestionPosition): MessageView {
  const embed: APIEmbed = {
    color: COLOR.wrong,
    title: `Question ${at.index + 1} of ${at.total} · cancelled`,
    description: questionDescription(question),
    fields: [
      { name: '🛑 Cancelled', value: 'A moderator cancelled this quiz event: answers no longer count.' },
    ],
    footer: { text: `Quiz event ${at.event.id}` },
  };
  return { embeds: [embed], components: answerButtons(question, at, () => ButtonStyle.Secondary, true) };
}

export function eventStandingsMessage(
  event: QuizEvent,
  lectureTitle: string,
  ranked: readonly Standing[],
): MessageView {
  const questionCount = event.questions?.length ?? 0;
  const lines = ranked.slice(0, STANDINGS_SHOWN).map((row) => {
    const place = MEDALS[row.rank - 1] ?? `**${row.rank}.**`;
    return `${place} <@${row.userId}> · ${row.correct}/${questionCount} right · ${seconds(row.totalMs)}`;
  });
  if (ranked.length > STANDINGS_SHOWN) {
    lines.push('', `…and ${plural(ranked.length - STANDINGS_SHOWN, 'more participant')}.`);
  }
  const embed: APIEmbed = {
    color: COLOR.info,
    title: truncate(`🏆 Standings: ${lectureTitle}`, EMBED_TITLE_LIMIT),
    description: lines.length > 0 ? lines.join('\n') : 'Nobody answered this time.',
    footer: {
      text:
        `${plural(ranked.length, 'participant')} · ties go to the lower total answer time ` +
        '(an unanswered question counts its full time) · every right answer adds a point to /quiz score',
    },
  };
  return { embeds: [embed], components: [] };
}

// ---- moderators' replies ----

export interface EventSummary {
  event: QuizEvent;
  lectureTitle: string;
  questionCount: number;
}

/** The confirmation after /quizevent schedule or start; `notes` explain what else happened. */
export function eventScheduledReply(summary: EventSummary, notes: readonly string[]): MessageView {
  const { event } = summary;
  const startsNow = event.startAt <= event.createdAt;
  const embed: APIEmbed = {
    color: COLOR.lecture,
    title: startsNow ? 'Quiz event starting now' : 'Quiz event scheduled',
    description: [...eventLines(summary), '', ...notes].join('\n').trim(),
    footer: { text: `Event id ${event.id} · cancel with /quizevent cancel id:${event.id}` },
  };
  return { embeds: [embed], components: [] };
}

/** Events per page of /quizevent list: ten blocks of three lines always fit one embed. */
export const EVENT_LIST_PAGE_SIZE = 10;

/** One page of the guild's events, with previous/next buttons when there is more than one. */
export function eventListMessage(events: readonly EventSummary[], page = 0): MessageView {
  const pageCount = Math.max(1, Math.ceil(events.length / EVENT_LIST_PAGE_SIZE));
  const current = Math.min(Math.max(0, page), pageCount - 1);
  const shown = events.slice(current * EVENT_LIST_PAGE_SIZE, (current + 1) * EVENT_LIST_PAGE_SIZE);
  const blocks = shown.map((summary) => eventLines(summary).join('\n'));
  const paging = pageCount > 1 ? `Page ${current + 1} of ${pageCount} · ` : '';
  const embed: APIEmbed = {
    color: COLOR.info,
    title: 'Quiz events',
    description:
      blocks.length > 0
        ? fitText(blocks.join('\n\n'), EMBED_DESCRIPTION_LIMIT)
        : 'No quiz event is scheduled or running. Schedule one with /quizevent schedule.',
    footer: { text: `${paging}${plural(events.length, 'event')} · cancel one with /quizevent cancel` },
  };
  const pager = pagerRow(current, pageCount, (p) => ({ kind: 'event-list-page', page: p }));
  return { embeds: [embed], components: pageCount > 1 ? [pager] : [] };
}

export function eventCancelledReply(summary: EventSummary, notes: readonly string[]): MessageView {
  const embed: APIEmbed = {
    color: COLOR.wrong,
    title: 'Quiz event cancelled',
    description: [...eventLines(summary), '', ...notes].join('\n').trim(),
  };
  return { embeds: [embed], components: [] };
}

/** Posted in the channel when a moderator cancels an event that is under way. */
export function eventCancelledNotice(event: QuizEvent, lectureTitle: string): MessageView {
  const embed: APIEmbed = {
    color: COLOR.wrong,
    description: `The quiz event on **${truncate(lectureTitle, 200)}** was cancelled by a moderator. Answers given so far do not count.`,
    footer: { text: `Quiz event ${event.id}` },
  };
  return { embeds: [embed], components: [] };
}

function eventLines({ event, lectureTitle, questionCount }: EventSummary): string[] {
  const state = event.status === 'running' ? ' · **running now**' : '';
  const repeat =
    event.repeat === 'none' ? '' : ` · repeats ${event.repeat} at the same local time (${event.zone})`;
  return [
    `\`${event.id}\` **${truncate(lectureTitle, 200)}** in <#${event.channelId}>${state}`,
    `${formatDiscordTimestamp(event.startAt, 'F')} (${formatDiscordTimestamp(event.startAt, 'R')})${repeat}`,
    `${plural(questionCount, 'question')} · ${event.secondsPerQuestion} s each · ` +
      (event.reminderMinutes > 0 ? `reminder ${event.reminderMinutes} min before` : 'no reminder'),
  ];
}

function answerButtons(
  question: Question,
  at: EventQuestionPosition,
  style: (index: number) => ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success,
  disabled: boolean,
): ReturnType<typeof rows> {
  const labels = answerButtonLabels(question.answers.map((answer) => answer.text));
  return rows(
    labels.map((label, answer) =>
      button(
        label,
        {
          kind: 'event-answer',
          eventId: at.event.id,
          occurrence: at.event.occurrence,
          question: at.index,
          answer,
        },
        style(answer),
        disabled,
      ),
    ),
  );
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
