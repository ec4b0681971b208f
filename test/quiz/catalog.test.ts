import { describe, expect, it } from 'vitest';
import {
  CHOICE_NAME_LIMIT,
  Catalog,
  paginate,
  pickSet,
  questionAt,
  questionSets,
  truncate,
} from '../../src/quiz/catalog.js';
import { TRICKY, expectClusterPrefix } from '../support/graphemes.js';
import { makeLecture, makeQuestion } from './make-lecture.js';

const lectures = [
  makeLecture({ id: 'css-grid', title: 'Working With CSS Grid' }),
  makeLecture({ id: 'intro-python', title: 'What Is Python?' }),
  makeLecture({ id: 'grid-basics', title: 'Layout Basics' }),
  makeLecture({ id: 'py-lists', title: 'Python Lists and Grids of Data' }),
  makeLecture({ id: 'long', title: 'L'.repeat(300) }),
];

describe('Catalog', () => {
  const catalog = new Catalog(lectures);

  it('GIVEN an id THEN it finds the lecture', () => {
    expect(catalog.get('intro-python')?.title).toBe('What Is Python?');
    expect(catalog.get('nope')).toBeUndefined();
  });

  it('GIVEN a query THEN prefix matches rank before word matches before substring matches', () => {
    expect(catalog.search('grid').map((lecture) => lecture.id)).toEqual([
      'grid-basics',
      'py-lists',
      'css-grid',
    ]);
    expect(catalog.search('PYTHON').map((lecture) => lecture.id)).toEqual(['py-lists', 'intro-python']);
  });

  it('GIVEN an id typed with its dashes or a title with its punctuation THEN it matches', () => {
    expect(catalog.search('INTRO-PY').map((lecture) => lecture.id)).toEqual(['intro-python']);
    expect(catalog.search('what is python?').map((lecture) => lecture.id)).toEqual(['intro-python']);
    expect(catalog.search('lists and grids').map((lecture) => lecture.id)).toEqual(['py-lists']);
  });

  it('GIVEN a blank query THEN every lecture is listed by title', () => {
    expect(catalog.search('  ')).toHaveLength(lectures.length);
  });

  it('GIVEN many matches THEN autocomplete offers at most 25 choices with names of at most 100 characters', () => {
    const many = new Catalog(
      Array.from({ length: 40 }, (_, i) => makeLecture({ id: `l${i}`, title: `Topic ${i}` })),
    );
    expect(many.autocomplete('topic')).toHaveLength(25);
    const long = catalog.autocomplete('LLLL');
    expect(long[0]?.name.length).toBe(CHOICE_NAME_LIMIT);
    expect(long[0]?.value).toBe('long');
  });

  it('GIVEN two lectures with one id THEN the first is served and the second reported as shadowed', () => {
    const twice = new Catalog([
      makeLecture({ id: 'dup', title: 'First' }),
      makeLecture({ id: 'dup', title: 'Second' }),
    ]);
    expect(twice.get('dup')?.title).toBe('First');
    expect(twice.shadowed.map((lecture) => lecture.title)).toEqual(['Second']);
  });
});

describe('truncate', () => {
  it('GIVEN a title of flags longer than the limit THEN it keeps whole flags and marks the cut', () => {
    expect(truncate(TRICKY.flag.repeat(100), 100)).toBe(`${TRICKY.flag.repeat(24)}…`);
  });

  for (const [name, character] of Object.entries(TRICKY)) {
    it(`GIVEN ${name} ${character} at every position of the cut THEN it is kept whole or dropped`, () => {
      for (let inside = 0; inside <= character.length; inside++) {
        const text = `${'x'.repeat(99 - inside)}${character}${'y'.repeat(10)}`;
        const cut = truncate(text, 100);
        expect(cut.length).toBeLessThanOrEqual(100);
        expect(cut.endsWith('…')).toBe(true);
        expectClusterPrefix(text, cut.slice(0, -1));
      }
    });
  }

  it('GIVEN an autocomplete choice for a title of emoji THEN its name holds whole emoji', () => {
    const catalog = new Catalog([makeLecture({ id: 'emoji', title: TRICKY.emoji.repeat(60) })]);
    const [choice] = catalog.autocomplete('');
    expect(choice?.name.length).toBeLessThanOrEqual(CHOICE_NAME_LIMIT);
    expectClusterPrefix(TRICKY.emoji.repeat(60), choice?.name.slice(0, -1) ?? '');
  });
});

describe('question sets', () => {
  const quizFile = makeLecture({
    id: 'quiz',
    questions: [],
    quizzes: [
      { questions: [makeQuestion('one', ['a', 'b'], 0)] },
      { questions: [makeQuestion('two', ['a', 'b'], 1)] },
    ],
  });

  it('GIVEN a quiz file THEN each quiz is a set; GIVEN a lecture THEN its questions are set 0', () => {
    expect(questionSets(quizFile)).toHaveLength(2);
    expect(questionAt(quizFile, 1, 0)?.text).toBe('two');
    expect(questionAt(lectures[0]!, 0, 0)?.text).toBe('What is 1 + 1?');
    expect(questionAt(lectures[0]!, 1, 0)).toBeUndefined();
  });

  it('GIVEN a requested set THEN it is used (1-based); out of range THEN null; none THEN random', () => {
    expect(pickSet(quizFile, 2)).toBe(1);
    expect(pickSet(quizFile, 3)).toBeNull();
    expect(pickSet(quizFile, 0)).toBeNull();
    expect(pickSet(quizFile, null, () => 0.99)).toBe(1);
    expect(pickSet(quizFile, null, () => 0)).toBe(0);
  });
});

describe('paginate', () => {
  it('GIVEN a page past the end THEN it clamps to the last page', () => {
    const page = paginate([1, 2, 3, 4, 5], 9, 2);
    expect(page).toEqual({ items: [5], page: 2, pageCount: 3, total: 5 });
  });

  it('GIVEN nothing THEN there is one empty page', () => {
    expect(paginate([], 0, 10)).toEqual({ items: [], page: 0, pageCount: 1, total: 0 });
  });
});
