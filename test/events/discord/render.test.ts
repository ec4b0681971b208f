// Quiz event messages at the largest sizes the content allows: 25 answers, long text, long feedback.
import { ButtonStyle } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { parseCustomId } from '../../../src/discord/custom-id.js';
import {
  eventQuestionMessage,
  eventRevealMessage,
  eventStandingsMessage,
} from '../../../src/events/discord/render.js';
import { EMBED_TOTAL_LIMIT, embedLength } from '../../../src/discord/limits.js';
import type { MessageView } from '../../../src/quiz/discord/render.js';
import { revealQuestion } from '../../../src/events/engine.js';
import type { Standing } from '../../../src/events/standings.js';
import { newQuizEvent } from '../../../src/events/model.js';
import type { QuizEvent } from '../../../src/events/model.js';
import { eventInput } from '../fixtures.js';
import { makeQuestion, words } from '../../quiz/make-lecture.js';

const question = makeQuestion(
  words(3000),
  Array.from({ length: 25 }, (_, index) => ({
    text: words(281),
    feedback: index === 24 ? words(2000) : null,
  })),
  24,
);
const event: QuizEvent = { ...newQuizEvent(eventInput(), 'K7Q2MX', 0), status: 'running', occurrence: 3 };
const at = { event, index: 4, total: 10 };

function buttons(view: MessageView): { id: string; style: ButtonStyle; disabled: boolean }[] {
  return view.components.flatMap((row) =>
    row.components.map((button) => ({
      id: button.custom_id,
      style: button.style,
      disabled: button.disabled ?? false,
    })),
  );
}

function withinLimits(view: MessageView): void {
  for (const embed of view.embeds) {
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(4096);
    for (const field of embed.fields ?? []) expect(field.value.length).toBeLessThanOrEqual(1024);
    expect(embedLength({ ...embed, fields: embed.fields ?? [] })).toBeLessThanOrEqual(EMBED_TOTAL_LIMIT);
  }
}

describe('event question and reveal', () => {
  it('GIVEN an open question THEN a countdown and one event-answer button per answer, carrying the occurrence', () => {
    const view = eventQuestionMessage(question, at, 1_780_675_290_000);
    withinLimits(view);
    expect(view.embeds[0]?.fields?.[0]?.value).toBe('Closes <t:1780675290:R>');
    const ids = buttons(view).map((button) => parseCustomId(button.id));
    expect(ids).toHaveLength(25);
    expect(ids[7]).toEqual({
      kind: 'event-answer',
      eventId: 'K7Q2MX',
      occurrence: 3,
      question: 4,
      answer: 7,
    });
  });

  it('GIVEN the largest question with long feedback THEN the reveal still fits one embed, the right button green, all disabled', () => {
    const sheet = {
      eventId: 'K7Q2MX',
      guildId: 'guild-1',
      channelId: 'channel-1',
      occurrence: 3,
      questionIndex: 4,
      answerCount: 25,
      openedAt: 0,
      closesAt: 5_000,
      closed: true,
      answers: { a: { choice: 24, at: 1, ms: 1 }, b: { choice: 0, at: 1, ms: 1 } },
    };
    const view = eventRevealMessage(question, at, revealQuestion(sheet, 4, question));
    withinLimits(view);
    const text = view.embeds[0]?.fields?.map((field) => field.value).join('\n') ?? '';
    expect(text).toContain('✅ **Y.** 1 vote · 50%');
    expect(text).toContain('▫️ **A.** 1 vote · 50%');
    const states = buttons(view);
    expect(states.every((button) => button.disabled)).toBe(true);
    expect(states.filter((button) => button.style === ButtonStyle.Success)).toHaveLength(1);
    expect(states[24]?.style).toBe(ButtonStyle.Success);
  });
});

describe('event standings', () => {
  const row = (rank: number, userId: string, correct: number, totalMs: number): Standing => ({
    rank,
    userId,
    correct,
    answered: 2,
    totalMs,
  });

  it('GIVEN twelve participants THEN the top ten with medals for the first three, and how many more', () => {
    const ranked = Array.from({ length: 12 }, (_, i) => row(i + 1, `${100 + i}`, 12 - i, 1_000 * i));
    const text = eventStandingsMessage({ ...event, questions: [question, question] }, 'Shell', ranked)
      .embeds[0]?.description;
    expect(text?.split('\n').slice(0, 4)).toEqual([
      '🥇 <@100> · 12/2 right · 0.0 s',
      '🥈 <@101> · 11/2 right · 1.0 s',
      '🥉 <@102> · 10/2 right · 2.0 s',
      '**4.** <@103> · 9/2 right · 3.0 s',
    ]);
    expect(text).toContain('**10.** <@109>');
    expect(text).not.toContain('<@110>');
    expect(text).toContain('…and 2 more participants.');
  });

  it('GIVEN a shared rank THEN both get the same place; GIVEN nobody THEN it says so', () => {
    const text = eventStandingsMessage(event, 'Shell', [row(1, '1', 1, 500), row(1, '2', 1, 500)]).embeds[0]
      ?.description;
    expect(text?.match(/🥇/g)).toHaveLength(2);
    expect(eventStandingsMessage(event, 'Shell', []).embeds[0]?.description).toBe(
      'Nobody answered this time.',
    );
  });
});
