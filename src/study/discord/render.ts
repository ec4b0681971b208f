// What practice, review and progress look like on Discord: a private message per session that each
// click edits in place (question, grade, summary), and the progress and score additions. Plain API
// objects, like the other renderers. Times are Discord timestamps, shown in each member's own zone.
import { ButtonStyle } from 'discord.js';
import type { APIEmbed, APIEmbedField } from 'discord.js';
import { answerButtonLabels } from '../../content/present.js';
import type { Question } from '../../content/types.js';
import type { QuizCustomId } from '../../discord/custom-id.js';
import { COLOR, button, noticeEmbed, row, rows } from '../../discord/embeds.js';
import type { ButtonRow, MessageView } from '../../discord/embeds.js';
import {
  EMBED_DESCRIPTION_LIMIT,
  EMBED_FIELD_VALUE_LIMIT,
  EMBED_TITLE_LIMIT,
  EMBED_TOTAL_LIMIT,
  MAX_ROWS,
  embedLength,
  fitText,
} from '../../discord/limits.js';
import { formatDiscordTimestamp } from '../../events/schedule.js';
import { questionSets, truncate } from '../../quiz/catalog.js';
import { questionDescription } from '../../quiz/discord/render.js';
import type { LectureProgress, MemberProgress } from '../progress.js';
import { textBar } from '../progress.js';
import type { StudySession } from '../session.js';
import type { DueSummary, StudyView } from '../study.js';
import { refusalText } from '../wording.js';
import { plural } from '../../plural.js';

/** Lectures listed by /quiz progress; the rest are counted. */
export const PROGRESS_LECTURES_SHOWN = 15;
/** Not-started lectures suggested by /quiz progress. */
export const SUGGESTIONS_SHOWN = 3;

export function studyMessage(view: StudyView): MessageView {
  switch (view.kind) {
    case 'question':
      return questionStep(view);
    case 'graded':
      return gradedStep(view);
    case 'practice-summary':
      return practiceSummary(view);
    case 'review-summary':
      return reviewSummary(view);
    case 'offer':
      return offerMessage(view);
    case 'nothing-due':
      return nothingDueMessage(view.due);
    case 'refused':
      return { embeds: [noticeEmbed(refusalText(view.sessionKind, view.reason))], components: [] };
  }
}

// ---- one step ----

type QuestionStepView = Extract<StudyView, { kind: 'question' }>;
type GradedStepView = Extract<StudyView, { kind: 'graded' }>;

function questionStep(view: QuestionStepView): MessageView {
  const { session, question } = view;
  const fields: APIEmbedField[] = [];
  if (view.skipped > 0) {
    fields.push({
      name: '⏭️ Passed over',
      value: `${plural(view.skipped, 'question')} changed since this ${runName(session)} began, so ${view.skipped === 1 ? 'it was' : 'they were'} skipped.`,
    });
  }
  const embed: APIEmbed = {
    color: COLOR.question,
    title: stepTitle(session),
    description: questionDescription(question),
    ...(fields.length > 0 ? { fields } : {}),
    footer: { text: stepFooter(session, view.lectureTitle) },
  };
  const answers = answerButtons(question, (answer) => answerId(session, answer));
  return { embeds: [embed], components: rows(answers) };
}

function gradedStep(view: GradedStepView): MessageView {
  const { session, question, grade } = view;
  const fields: APIEmbedField[] = [];
  if (grade.correct) {
    fields.push({
      name: '✅ Correct!',
      value: field(`${grade.chosenLetter} is the right answer.`, grade.chosenFeedback),
    });
  } else {
    fields.push({
      name: '❌ Not quite',
      value: field(
        `You chose ${grade.chosenLetter}; the right answer is ${grade.correctLetter}.`,
        grade.chosenFeedback,
      ),
    });
    if (grade.correctFeedback) {
      fields.push({
        name: `About ${grade.correctLetter}`,
        value: fitText(grade.correctFeedback, EMBED_FIELD_VALUE_LIMIT),
      });
    }
  }
  fields.push({ name: '📅 Back for review', value: comesBackText(grade.correct, view.comesBackAt) });
  const embed: APIEmbed = {
    color: grade.correct ? COLOR.correct : COLOR.wrong,
    title: stepTitle(session),
    fields,
    footer: { text: stepFooter(session, view.lectureTitle) },
  };
  // The question keeps what room the grade leaves within Discord's 6,000 characters.
  const room = Math.min(EMBED_DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT - embedLength(embed) - 10);
  embed.description = fitText(questionDescription(question), room);

  const last = session.position >= session.questions.length - 1;
  const next = button(last ? 'See the summary' : 'Next ▶', nextId(session), ButtonStyle.Primary);
  const style = (index: number): ButtonStyle.Success | ButtonStyle.Secondary =>
    index === question.correctIndex ? ButtonStyle.Success : ButtonStyle.Secondary;
  const answers = rows(answerButtons(question, (answer) => answerId(session, answer), style, true));
  // Up to 25 answers take every row; the Next button must fit, so the disabled answers give way.
  const components: ButtonRow[] = answers.length < MAX_ROWS ? [...answers, row([next])] : [row([next])];
  return { embeds: [embed], components };
}

/** When the question comes back, as the member's reply to each answer says it. */
export function comesBackText(correct: boolean, at: number): string {
  return correct
    ? `${formatDiscordTimestamp(at, 'R')} (${formatDiscordTimestamp(at, 'D')})`
    : `Due again now (${formatDiscordTimestamp(at, 'R')}): it stays in /quiz review until you get it right.`;
}

// ---- the end of a session ----

type PracticeSummaryView = Extract<StudyView, { kind: 'practice-summary' }>;
type ReviewSummaryView = Extract<StudyView, { kind: 'review-summary' }>;

function practiceSummary(view: PracticeSummaryView): MessageView {
  const { tally, comesBack } = view;
  const lines = [
    `Right at the first try: **${tally.right} of ${tally.answered}** ${textBar(tally.right, tally.answered)}`,
  ];
  if (tally.skipped > 0) {
    lines.push(
      `${plural(tally.skipped, 'question')} changed since you started and ${tally.skipped === 1 ? 'was' : 'were'} skipped.`,
    );
  }
  if (comesBack.missed.length > 0) {
    lines.push('', '**Missed, back for review:**');
    for (const missed of comesBack.missed) {
      const text = missed.question ? questionLine(missed.question.text) : 'a question that has changed since';
      const when = missed.dueAt === null ? '' : ` · due ${formatDiscordTimestamp(missed.dueAt, 'R')}`;
      lines.push(`• Q${missed.ref.question + 1} · ${text}${when}`);
    }
  }
  if (comesBack.rightFrom !== null) {
    lines.push(
      '',
      `The ${tally.right === 1 ? 'one' : tally.right} you got right come${tally.right === 1 ? 's' : ''} back for review from ${formatDiscordTimestamp(comesBack.rightFrom, 'R')} (${formatDiscordTimestamp(comesBack.rightFrom, 'D')}).`,
    );
  }
  const embed: APIEmbed = {
    color: COLOR.info,
    title: truncate(`Practice finished: ${view.lectureTitle}`, EMBED_TITLE_LIMIT),
    description: fitText(lines.join('\n'), EMBED_DESCRIPTION_LIMIT),
    footer: { text: 'Practice never changes your points · /quiz progress shows every lecture' },
  };
  const review = button('Review my mistakes', { kind: 'review-start' }, ButtonStyle.Primary);
  return { embeds: [embed], components: comesBack.missed.length > 0 ? [row([review])] : [] };
}

function reviewSummary(view: ReviewSummaryView): MessageView {
  const { tally, due } = view;
  const lines = [`Right: **${tally.right} of ${tally.answered}** ${textBar(tally.right, tally.answered)}`];
  if (tally.skipped > 0) {
    lines.push(
      `${plural(tally.skipped, 'question')} changed since the review began and ${tally.skipped === 1 ? 'was' : 'were'} skipped.`,
    );
  }
  lines.push('', dueLine(due));
  const embed: APIEmbed = {
    color: COLOR.info,
    title: 'Review finished',
    description: lines.join('\n'),
    footer: { text: 'Review never changes your points · a missed question stays due until you get it right' },
  };
  const more = button('Review more', { kind: 'review-start' }, ButtonStyle.Primary);
  return { embeds: [embed], components: due.due > 0 ? [row([more])] : [] };
}

/** What is due, or when the next question is. */
export function dueLine(due: DueSummary): string {
  if (due.due > 0) return `**${due.due} due** for review now: run /quiz review again.`;
  if (due.nextDueAt !== null) {
    return `Nothing is due for review right now. ${plural(due.scheduled, 'question')} ${due.scheduled === 1 ? 'is' : 'are'} scheduled; the next one is due ${formatDiscordTimestamp(due.nextDueAt, 'R')} (${formatDiscordTimestamp(due.nextDueAt, 'f')}).`;
  }
  return 'You have no questions to review yet. Answer a quiz in the channel or run /quiz practice: the questions you miss come back here.';
}

function nothingDueMessage(due: DueSummary): MessageView {
  return { embeds: [{ color: COLOR.info, title: 'Review', description: dueLine(due) }], components: [] };
}

type OfferView = Extract<StudyView, { kind: 'offer' }>;

function offerMessage(view: OfferView): MessageView {
  const { session } = view;
  const answered = session.answers.filter((answer) => answer !== null);
  const right = answered.filter((answer) => answer.correct).length;
  const embed: APIEmbed = {
    color: COLOR.lecture,
    title: truncate(`Unfinished practice: ${view.lectureTitle}`, EMBED_TITLE_LIMIT),
    description:
      `You stopped at question ${Math.min(session.position + 1, session.questions.length)} of ${session.questions.length} ` +
      `(${answered.length} answered, ${right} right). Continue where you left off, or start over from question 1.`,
  };
  const lectureId = session.lectureId ?? '';
  const buttons = [
    button('Continue', { kind: 'practice-continue', lectureId, session: session.id }, ButtonStyle.Primary),
    button(
      'Start over',
      { kind: 'practice-restart', lectureId, set: view.restartSet, session: session.id },
      ButtonStyle.Secondary,
    ),
  ];
  return { embeds: [embed], components: [row(buttons)] };
}

// ---- progress ----

export function progressMessage(progress: MemberProgress): MessageView {
  const shown = progress.started.slice(0, PROGRESS_LECTURES_SHOWN);
  const blocks = shown.map((lecture) => progressBlock(lecture));
  if (progress.started.length > shown.length) {
    blocks.push(
      `…and ${plural(progress.started.length - shown.length, 'more lecture')}: see one with /quiz progress lecture:`,
    );
  }
  if (blocks.length === 0) blocks.push('You have not answered any question in this server yet.');
  const suggested = progress.notStarted.slice(0, SUGGESTIONS_SHOWN);
  const fields: APIEmbedField[] =
    suggested.length > 0
      ? [
          {
            name: progress.started.length > 0 ? 'Not started yet' : 'Where to start',
            value: fitText(
              suggested
                .map(
                  (lecture) =>
                    `**${truncate(lecture.title, 150)}** · \`/quiz practice lecture:${lecture.id}\``,
                )
                .join('\n') +
                (progress.notStarted.length > suggested.length
                  ? `\n…and ${progress.notStarted.length - suggested.length} more in /quiz list`
                  : ''),
              EMBED_FIELD_VALUE_LIMIT,
            ),
          },
        ]
      : [];
  const embed: APIEmbed = {
    color: COLOR.info,
    title: 'Your progress',
    description: fitText(blocks.join('\n\n'), EMBED_DESCRIPTION_LIMIT),
    ...(fields.length > 0 ? { fields } : {}),
    footer: { text: 'The bar shows questions right at your latest try · /quiz review asks what is due' },
  };
  return { embeds: [embed], components: [] };
}

/** One lecture, question by question. */
export function lectureProgressMessage(progress: LectureProgress, now: number): MessageView {
  const sets = questionSets(progress.lecture).length;
  const lines = progress.questions.map(({ ref, question, card }) => {
    const name = `${sets > 1 ? `Quiz ${ref.set + 1} · ` : ''}Q${ref.question + 1}`;
    const text = questionLine(question.text);
    if (card === undefined) return `▫️ ${name} · ${text} · not answered yet`;
    const mark = card.lastCorrect ? '✅' : '❌';
    const when = card.due <= now ? '**due now**' : `back ${formatDiscordTimestamp(card.due, 'R')}`;
    return `${mark} ${name} · ${text} · ${when}`;
  });
  const embed: APIEmbed = {
    color: COLOR.info,
    title: truncate(`Progress: ${progress.lecture.title}`, EMBED_TITLE_LIMIT),
    description: fitText([progressSummary(progress), '', ...lines].join('\n'), EMBED_DESCRIPTION_LIMIT),
    footer: {
      text:
        progress.seen < progress.total
          ? `Practise the rest with /quiz practice lecture:${progress.lecture.id}`
          : 'Every question seen · /quiz review asks what is due',
    },
  };
  return { embeds: [embed], components: [] };
}

function progressBlock(progress: LectureProgress): string {
  return `**${truncate(progress.lecture.title, 200)}**\n${progressSummary(progress)}`;
}

function progressSummary(progress: LectureProgress): string {
  return (
    `${textBar(progress.right, progress.total)} ${progress.seen} of ${progress.total} seen · ` +
    `${progress.right} right at the latest try · ${progress.due} due now`
  );
}

// ---- /quiz score ----

/** /quiz score with the member's own review queue: how many are due, and a button to start. */
export function withReviewDue(view: MessageView, due: DueSummary): MessageView {
  if (due.due === 0 && due.nextDueAt === null) return view;
  const [first, ...others] = view.embeds;
  if (first === undefined) return view;
  const value =
    due.due > 0
      ? `**${due.due} due for review**`
      : `Nothing due · next ${formatDiscordTimestamp(due.nextDueAt ?? 0, 'R')}`;
  const embed: APIEmbed = {
    ...first,
    fields: [...(first.fields ?? []), { name: 'Review', value, inline: true }],
  };
  const start = button('Start a review', { kind: 'review-start' }, ButtonStyle.Primary);
  return {
    embeds: [embed, ...others],
    components:
      due.due > 0 && view.components.length < MAX_ROWS ? [...view.components, row([start])] : view.components,
  };
}

// ---- pieces ----

function stepTitle(session: StudySession): string {
  return `Question ${session.position + 1} of ${session.questions.length}`;
}

function stepFooter(session: StudySession, lectureTitle: string): string {
  const kind = session.kind === 'practice' ? 'Practice' : 'Review';
  return truncate(`${kind} · ${lectureTitle} · only you see this`, EMBED_TITLE_LIMIT);
}

function runName(session: StudySession): string {
  return session.kind === 'practice' ? 'practice run' : 'review';
}

function answerId(session: StudySession, answer: number): QuizCustomId {
  return session.kind === 'practice'
    ? {
        kind: 'practice-answer',
        lectureId: session.lectureId ?? '',
        session: session.id,
        position: session.position,
        answer,
      }
    : { kind: 'review-answer', session: session.id, position: session.position, answer };
}

function nextId(session: StudySession): QuizCustomId {
  return session.kind === 'practice'
    ? {
        kind: 'practice-next',
        lectureId: session.lectureId ?? '',
        session: session.id,
        position: session.position,
      }
    : { kind: 'review-next', session: session.id, position: session.position };
}

function answerButtons(
  question: Question,
  id: (answer: number) => QuizCustomId,
  style: (index: number) => ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success = () =>
    ButtonStyle.Primary,
  disabled = false,
): ReturnType<typeof button>[] {
  const labels = answerButtonLabels(question.answers.map((answer) => answer.text));
  return labels.map((label, answer) => button(label, id(answer), style(answer), disabled));
}

/** A question's first line, without markdown noise, short enough for a list. */
function questionLine(text: string): string {
  const first = text.split('\n').find((line) => line.trim() !== '') ?? '';
  return truncate(first.replace(/[*_`>#]/g, '').trim(), 80);
}

function field(head: string, feedback: string | null): string {
  return fitText(feedback ? `${head}\n\n${feedback}` : head, EMBED_FIELD_VALUE_LIMIT);
}
