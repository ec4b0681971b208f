// Rendering against the largest shapes the real corpus holds (sizes from shared/corpus/README.md),
// with synthetic text written for these tests.
import { describe, expect, it } from 'vitest';
import { parseCustomId } from '../../../src/discord/custom-id.js';
import { EMBED_TOTAL_LIMIT, embedLength, fitText } from '../../../src/discord/limits.js';
import {
  lectureListMessage,
  lecturePageMessage,
  lectureMessage,
  leaderboardMessage,
  questionDescription,
  questionMessage,
  scoreMessage,
} from '../../../src/quiz/discord/render.js';
import type { MessageView } from '../../../src/quiz/discord/render.js';
import { paginate } from '../../../src/quiz/catalog.js';
import { makeLecture, makeQuestion, words } from '../make-lecture.js';

const codeAnswer =
  '```js\n' + 'const total = items.reduce((sum, item) => sum + item.price, 0);\n'.repeat(4) + '```';

function expectWithinLimits(view: MessageView): void {
  for (const embed of view.embeds) {
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(256);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(4096);
    expect(embedLength({ ...embed, fields: embed.fields ?? [] })).toBeLessThanOrEqual(EMBED_TOTAL_LIMIT);
  }
  expect(view.components.length).toBeLessThanOrEqual(5);
  const ids = new Set<string>();
  for (const row of view.components) {
    expect(row.components.length).toBeLessThanOrEqual(5);
    for (const button of row.components) {
      expect(button.label?.length ?? 0).toBeLessThanOrEqual(80);
      if ('custom_id' in button) {
        expect(button.custom_id.length).toBeLessThanOrEqual(100);
        expect(parseCustomId(button.custom_id)).not.toBeNull();
        ids.add(button.custom_id);
      }
    }
  }
  const buttonCount = view.components.reduce((sum, row) => sum + row.components.length, 0);
  expect(ids.size).toBe(buttonCount);
}

const lecture = makeLecture({ id: 'x'.repeat(64), title: words(300) });
const at = (index = 0, total = 5) => ({ lecture, set: 0, index, total });

describe('question message', () => {
  it('GIVEN the longest question (1,291 chars) with seven 281-char answers THEN everything fits, untruncated', () => {
    const question = makeQuestion(
      words(1291),
      Array.from({ length: 7 }, () => words(281)),
      4,
    );
    const view = questionMessage(question, at());
    expectWithinLimits(view);
    const description = view.embeds[0]?.description ?? '';
    expect(description.startsWith(question.text)).toBe(true);
    expect(description).toContain(`**G.** ${words(281)}`);
    // Text that long cannot sit on a button: every button shows its letter alone.
    expect(view.components.flatMap((row) => row.components.map((button) => button.label))).toEqual(
      [
        ['A', 'B', 'C', 'D', 'E'],
        ['F', 'G'],
      ].flat(),
    );
  });

  it('GIVEN short answers THEN each button shows the letter and the text, in source order', () => {
    const question = makeQuestion('Pick one', ['Pandas and NumPy', 'React and Vue', 'All of the above'], 2);
    const view = questionMessage(question, at(2, 3));
    expectWithinLimits(view);
    expect(view.embeds[0]?.title).toBe('Question 3 of 3');
    expect(view.components[0]?.components.map((button) => button.label)).toEqual([
      'A. Pandas and NumPy',
      'B. React and Vue',
      'C. All of the above',
    ]);
    const ids = view.components[0]?.components.map((button) =>
      'custom_id' in button ? parseCustomId(button.custom_id) : null,
    );
    expect(ids?.[1]).toMatchObject({ kind: 'answer', lectureId: lecture.id, set: 0, question: 2, answer: 1 });
  });

  it('GIVEN a code-block answer THEN the block starts on its own line and is kept whole', () => {
    const question = makeQuestion('Which snippet sums the prices?', [codeAnswer, 'None of them'], 0);
    const description = questionDescription(question);
    expect(description).toContain(`**A.**\n${codeAnswer}\n**B.** None of them`);
  });

  it('GIVEN 25 answers THEN five rows of five buttons, lettered A to Y', () => {
    const question = makeQuestion(
      'Many',
      Array.from({ length: 25 }, (_, i) => `choice ${i}`),
      0,
    );
    const view = questionMessage(question, at());
    expectWithinLimits(view);
    expect(view.components).toHaveLength(5);
    expect(view.components[4]?.components[4]?.label).toBe('Y. choice 24');
  });

  it('GIVEN 25 code-block answers too long for one embed THEN each is cut with its fence closed', () => {
    const question = makeQuestion(
      words(1291),
      Array.from({ length: 25 }, () => codeAnswer),
      0,
    );
    const view = questionMessage(question, at());
    expectWithinLimits(view);
    const fences = (view.embeds[0]?.description ?? '').match(/^```/gm) ?? [];
    expect(fences.length % 2).toBe(0);
  });
});

describe('lecture messages', () => {
  it('GIVEN a 300-char title and a full 4,096-char summary THEN the embed fits and has a read button', () => {
    const long = makeLecture({ id: 'lec', title: words(300), summary: words(4096), fullText: words(9311) });
    const view = lectureMessage(long, 0);
    expectWithinLimits(view);
    expect(view.embeds[0]?.title).toHaveLength(256);
    expect(view.components[0]?.components[0]?.label).toBe('Read the full lecture');
  });

  it('GIVEN a 9,311-char lecture THEN it reads in pages with working previous/next ids', () => {
    const long = makeLecture({ id: 'lec', fullText: words(9311) });
    const first = lecturePageMessage(long, 0);
    expectWithinLimits(first);
    expect(first.embeds[0]?.footer?.text).toBe('Page 1 of 3');
    const [previous, next] = first.components[0]?.components ?? [];
    expect(previous?.disabled).toBe(true);
    expect(next && 'custom_id' in next ? parseCustomId(next.custom_id) : null).toEqual({
      kind: 'lecture-page',
      lectureId: 'lec',
      page: 1,
    });
    expect(lecturePageMessage(long, 99).embeds[0]?.footer?.text).toBe('Page 3 of 3');
  });

  it('GIVEN a page of the list THEN it fits and pages with the search kept', () => {
    const lectures = Array.from({ length: 25 }, (_, i) => makeLecture({ id: `l${i}`, title: words(256) }));
    const view = lectureListMessage(paginate(lectures, 1, 10), 'lorem');
    expectWithinLimits(view);
    const next = view.components[0]?.components[1];
    expect(next && 'custom_id' in next ? parseCustomId(next.custom_id) : null).toEqual({
      kind: 'list-page',
      page: 2,
      search: 'lorem',
    });
  });
});

describe('score and leaderboard', () => {
  it('GIVEN ten entries THEN the leaderboard lists them by rank with page buttons', () => {
    const lines = Array.from({ length: 10 }, (_, i) => ({
      rank: 11 + i,
      userId: `1000000000000000${i}`,
      points: 50 - i,
      answered: 60,
      accuracy: 0.5,
    }));
    const view = leaderboardMessage(lines, 1, 3, 25);
    expectWithinLimits(view);
    expect(view.embeds[0]?.description?.split('\n')[0]).toBe(
      '**11.** <@10000000000000000> · 50 points · 60 answered · 50%',
    );
  });

  it('GIVEN no score THEN it says so; GIVEN a score THEN every figure is shown', () => {
    expect(scoreMessage(null, '1').embeds[0]?.description).toContain('has not answered');
    const view = scoreMessage(
      {
        userId: '1',
        points: 3,
        answered: 4,
        correct: 3,
        accuracy: 0.75,
        streak: 2,
        bestStreak: 3,
        rank: 1,
        players: 2,
      },
      '1',
    );
    expect(view.embeds[0]?.fields?.map((field) => field.value)).toEqual([
      '3',
      '4',
      '75% (3 right)',
      '2 now, best 3',
      '#1 of 2',
    ]);
  });
});

describe('fitText', () => {
  it('GIVEN text inside an open code block at the cut THEN the block is closed', () => {
    const cut = fitText('Intro\n```js\n' + 'x = 1;\n'.repeat(100) + '```', 100);
    expect(cut.length).toBeLessThanOrEqual(100);
    expect(cut.endsWith('…\n```')).toBe(true);
  });

  it('GIVEN text that fits THEN it is unchanged', () => {
    expect(fitText('short', 10)).toBe('short');
  });
});
