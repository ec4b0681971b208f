// Quiz event posts and the Discord scheduled event with emoji-heavy lecture text over Discord's
// limits: every cut falls between whole characters.
import { describe, expect, it } from 'vitest';
import type { APIEmbed } from 'discord.js';
import { revealQuestion } from '../../src/events/engine.js';
import {
  eventIntroMessage,
  eventQuestionMessage,
  eventReminderMessage,
  eventRevealMessage,
  eventStandingsMessage,
} from '../../src/events/discord/render.js';
import { scheduledEventDetails } from '../../src/events/discord/scheduled-events.js';
import { newQuizEvent } from '../../src/events/model.js';
import type { QuizEvent } from '../../src/events/model.js';
import { parseStartTime } from '../../src/events/schedule.js';
import type { MessageView } from '../../src/quiz/discord/render.js';
import { TRICKY, expectWholeCharacters } from '../support/graphemes.js';
import { makeLecture, makeQuestion } from '../quiz/make-lecture.js';
import { eventInput } from './fixtures.js';

const { emoji, family, flag, skinTone, accent } = TRICKY;
const event: QuizEvent = { ...newQuizEvent(eventInput(), 'K7Q2MX', 0), status: 'running', occurrence: 1 };
const at = { event, index: 0, total: 1 };
const title = `a${emoji.repeat(200)}`;
const feedback = `b${flag.repeat(400)}`;
const question = makeQuestion(
  `Which one? ${skinTone.repeat(1100)}`,
  [{ text: family.repeat(100), feedback }, accent.repeat(500), 'Plain'],
  0,
);
// The bot's own markers in the reveal's vote counts.
const markers = '✅ ▫️ 🏆 ⏰ 📝 📊 ⏳';
const sources = [title, feedback, question.text, ...question.answers.map((answer) => answer.text), markers];

function texts(view: MessageView): string[] {
  return view.embeds.flatMap((embed: APIEmbed) => [
    embed.title ?? '',
    embed.description ?? '',
    ...(embed.fields ?? []).map((field) => field.value),
  ]);
}

function expectWholeView(view: MessageView): void {
  for (const embed of view.embeds) {
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(256);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(4096);
    for (const field of embed.fields ?? []) expect(field.value.length).toBeLessThanOrEqual(1024);
  }
  for (const text of texts(view)) expectWholeCharacters(text, sources);
}

describe('quiz event posts with emoji-heavy text at the limits', () => {
  it('GIVEN an emoji question over the limit THEN the question post holds only whole characters', () => {
    expectWholeView(eventQuestionMessage(question, at, 1_780_675_290_000));
  });

  it('GIVEN feedback of flags over a field value THEN the reveal keeps whole flags', () => {
    const sheet = {
      eventId: 'K7Q2MX',
      guildId: 'guild-1',
      channelId: 'channel-1',
      occurrence: 1,
      questionIndex: 0,
      answerCount: 3,
      openedAt: 0,
      closesAt: 5_000,
      closed: true,
      answers: { a: { choice: 0, at: 1, ms: 1 } },
    };
    const view = eventRevealMessage(question, at, revealQuestion(sheet, 0, question));
    expectWholeView(view);
    expect(view.embeds[0]?.fields?.[1]?.value).toBe(`b${flag.repeat(254)}…`);
  });

  it('GIVEN an emoji lecture title THEN the reminder, intro and standings titles hold whole emoji', () => {
    const lecture = makeLecture({ id: 'emoji', title, summary: `x${flag.repeat(1100)}` });
    sources.push(lecture.summary);
    expectWholeView(eventReminderMessage(event, title, 3));
    expectWholeView(eventIntroMessage(event, lecture, [question], 0));
    expectWholeView(eventStandingsMessage(event, title, []));
  });

  it('GIVEN an emoji lecture title THEN the Discord scheduled event name and description hold whole emoji', () => {
    const details = scheduledEventDetails(event, `${emoji.repeat(600)}`, 3, `${family.repeat(20)}`);
    expect(details.name.length).toBeLessThanOrEqual(100);
    expect(details.description.length).toBeLessThanOrEqual(1000);
    expect(details.location.length).toBeLessThanOrEqual(100);
    const all = [emoji.repeat(600), family.repeat(20)];
    for (const text of [details.name, details.description, details.location])
      expectWholeCharacters(text, all);
  });

  it('GIVEN a start time of emoji too long to read THEN the message quotes whole emoji', () => {
    const input = `a${emoji.repeat(60)}`;
    const result = parseStartTime(input, new Date(0));
    expect(result.ok).toBe(false);
    if (!result.ok) expectWholeCharacters(result.error, [input]);
  });
});
