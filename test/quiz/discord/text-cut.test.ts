// What members see when lecture text is full of emoji and longer than Discord allows: every cut
// falls between whole characters, so no post shows a broken emoji, flag or accented letter.
import { describe, expect, it } from 'vitest';
import type { APIEmbed } from 'discord.js';
import type { BotContext } from '../../../src/discord/command.js';
import { parseCustomId } from '../../../src/discord/custom-id.js';
import { bundledOnly } from '../../../src/quiz/lectures.js';
import { Catalog, paginate } from '../../../src/quiz/catalog.js';
import {
  lectureListMessage,
  lectureMessage,
  lecturePageMessage,
  questionMessage,
} from '../../../src/quiz/discord/render.js';
import type { MessageView } from '../../../src/quiz/discord/render.js';
import { lectureListView } from '../../../src/quiz/discord/views.js';
import { TRICKY, expectWholeCharacters } from '../../support/graphemes.js';
import { makeLecture, makeQuestion } from '../make-lecture.js';

const { emoji, family, flag, skinTone, accent } = TRICKY;

/** Every text of every embed holds whole characters of `sources`, within Discord's limits. */
function expectWholeEmbeds(view: MessageView, sources: string[]): void {
  for (const embed of view.embeds) {
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(256);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(4096);
    for (const text of embedTexts(embed)) expectWholeCharacters(text, sources);
  }
}

function embedTexts(embed: APIEmbed): string[] {
  return [embed.title ?? '', embed.description ?? '', embed.footer?.text ?? ''];
}

describe('quiz posts with emoji-heavy text at the limits', () => {
  const title = `a${emoji.repeat(200)}`;

  it('GIVEN a lecture whose title and summary are over the limits THEN the start post holds only whole emoji and flags', () => {
    const summary = `x${flag.repeat(1100)}`;
    const view = lectureMessage(makeLecture({ id: 'emoji', title, summary, fullText: summary }), 0);
    expectWholeEmbeds(view, [title, summary]);
    expect(view.embeds[0]?.title).toBe(`a${emoji.repeat(127)}…`);
  });

  it('GIVEN a question and answers full of skin tones and families THEN the question post keeps them whole', () => {
    const text = `Which one? ${skinTone.repeat(1100)}`;
    const answers = [family.repeat(100), `${accent.repeat(500)}`, flag.repeat(200), 'Plain'];
    const question = makeQuestion(text, answers, 3);
    const lecture = makeLecture({ id: 'emoji', title, questions: [question] });
    const view = questionMessage(question, { lecture, set: 0, index: 0, total: 1 });
    expectWholeEmbeds(view, [text, title, ...answers]);
    expect(view.embeds[0]?.description).toContain('**D.** Plain');
  });

  it('GIVEN a full lecture text of accents and flags THEN each page holds whole characters', () => {
    const fullText = `a${accent.repeat(3000)}${flag.repeat(1000)}`;
    const lecture = makeLecture({ id: 'emoji', title, summary: 'Short.', fullText });
    for (const page of [0, 1, 2]) expectWholeEmbeds(lecturePageMessage(lecture, page), [fullText, title]);
  });

  it('GIVEN a list of lectures with long emoji titles THEN each title is cut between whole emoji', () => {
    const titles = [`a${family.repeat(30)}`, `ab${emoji.repeat(120)}`];
    const lectures = titles.map((text, index) => makeLecture({ id: `emoji-${index}`, title: text }));
    expectWholeEmbeds(lectureListMessage(paginate(lectures, 0, 10), ''), titles);
  });

  it('GIVEN a long emoji search THEN the next-page button carries whole emoji and still parses', async () => {
    const lectures = Array.from({ length: 12 }, (_, index) =>
      makeLecture({ id: `arrays-${index}`, title: `Arrays ${index}` }),
    );
    const ctx = { lectures: bundledOnly(new Catalog(lectures)) } as unknown as BotContext;
    const search = `a${emoji.repeat(60)}`;
    const view = await lectureListView(ctx, '100', search, 0);
    const next = view.components[0]?.components[1];
    const id = next ? parseCustomId(next.custom_id) : null;
    expect(id).toMatchObject({ kind: 'list-page', page: 1 });
    expectWholeCharacters(id?.kind === 'list-page' ? id.search : '', [search]);
  });
});
