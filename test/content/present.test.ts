import { describe, expect, it } from 'vitest';
import {
  BUTTON_LABEL_LIMIT,
  answerButtonLabel,
  answerButtonLabels,
  answerLetter,
  answersFitOnButtons,
  plainAnswerLine,
} from '../../src/content/present.js';

describe('answerLetter', () => {
  it.each([
    [0, 'A'],
    [1, 'B'],
    [3, 'D'],
    [24, 'Y'],
  ])('maps index %i to %s', (index, letter) => {
    expect(answerLetter(index)).toBe(letter);
  });

  it.each([-1, 25, 1.5, Number.NaN])('GIVEN index %s THEN it refuses: Discord shows at most 25 buttons', (index) => {
    expect(() => answerLetter(index)).toThrow(RangeError);
  });
});

// "A. " takes three characters, so an answer of 77 characters is the longest that fits.
const fits77 = 'x'.repeat(77);
const over78 = 'x'.repeat(78);

describe('answerButtonLabel', () => {
  it.each([
    ['a short answer gets the letter and text', 0, 'Pandas and NumPy', 'A. Pandas and NumPy'],
    ['code spans lose their backticks', 1, 'Use `git commit -m`', 'B. Use git commit -m'],
    ['a code span keeps the markdown characters inside it', 0, 'The `__init__` method', 'A. The __init__ method'],
    ['bold and italics lose their markers', 2, '**Only** the *first* _click_', 'C. Only the first click'],
    ['strike-through and links become their text', 0, '~~old~~ [docs](https://example.com)', 'A. old docs'],
    ['backslash escapes show the character itself', 0, '\\*args and 2 \\* 3', 'A. *args and 2 * 3'],
    ['a lone star between spaces is not emphasis', 0, '2 * 3 * 4', 'A. 2 * 3 * 4'],
    ['snake_case words keep their underscores', 0, 'my_long_name', 'A. my_long_name'],
    ['surrounding whitespace is trimmed', 3, '  True  ', 'D. True'],
    ['exactly 80 characters in all fits', 0, fits77, `A. ${fits77}`],
    ['81 characters in all gets the letter alone', 0, over78, 'A'],
    ['a long sentence gets the letter alone', 4, 'It runs on microcomputers like the Raspberry Pi and boards compatible with MicroPython.', 'E'],
    ['a fenced code block gets the letter alone', 1, '```python\nprint("hi")\n```', 'B'],
    ['a one-line fence still counts as a code block', 1, '```js', 'B'],
    ['two paragraphs get the letter alone', 0, 'First line.\n\nSecond line.', 'A'],
    ['a soft line break gets the letter alone', 0, 'First line\nsecond line', 'A'],
    ['an empty answer gets the letter alone', 0, '   ', 'A'],
    ['a code span of only a space gets the letter alone', 0, '` `', 'A'],
    ['unpaired backticks stay as written', 0, '``', 'A. ``'],
    ['accented letters and CJK count one each', 0, 'Café 日本語', 'A. Café 日本語'],
    ['the last letter is Y', 24, 'yes', 'Y. yes'],
  ])('%s', (_name, index, answer, label) => {
    expect(answerButtonLabel(index, answer)).toBe(label);
  });

  it('GIVEN emoji THEN it counts UTF-16 units, as discord.js does, and never goes over the limit', () => {
    const emoji = '😀'; // two UTF-16 code units, one code point
    expect(answerButtonLabel(0, emoji.repeat(38) + 'x')).toBe(`A. ${emoji.repeat(38)}x`); // 3 + 76 + 1 = 80
    expect(answerButtonLabel(0, emoji.repeat(39))).toBe('A'); // 3 + 78 = 81 units although 42 code points
  });

  it('GIVEN any answer THEN the label is never over 80 characters', () => {
    const answers = [over78, '`' + 'y'.repeat(100) + '`', '**' + 'z'.repeat(79) + '**', 'é'.repeat(200), '😀'.repeat(60)];
    for (const [index, answer] of answers.entries()) {
      expect(answerButtonLabel(index, answer).length).toBeLessThanOrEqual(BUTTON_LABEL_LIMIT);
    }
  });

  it('GIVEN bold that makes the raw answer too long THEN the stripped text is what is measured', () => {
    const answer = `**${fits77}**`; // 81 raw, 77 shown
    expect(answerButtonLabel(0, answer)).toBe(`A. ${fits77}`);
  });
});

describe('plainAnswerLine', () => {
  it('collapses runs of spaces and tabs to one space', () => {
    expect(plainAnswerLine('a \t  b')).toBe('a b');
  });

  it('returns null for a code block', () => {
    expect(plainAnswerLine('```\nx = 1\n```')).toBeNull();
  });
});

describe('answerButtonLabels', () => {
  it('GIVEN every answer fits THEN every button shows its text', () => {
    expect(answerButtonLabels(['git add', 'git commit', 'git push'])).toEqual([
      'A. git add',
      'B. git commit',
      'C. git push',
    ]);
    expect(answersFitOnButtons(['git add', 'git commit'])).toBe(true);
  });

  it('GIVEN one answer is a code block THEN every button shows its letter alone', () => {
    const answers = ['`print(1)`', '```python\nprint(2)\n```', 'Neither'];
    expect(answersFitOnButtons(answers)).toBe(false);
    expect(answerButtonLabels(answers)).toEqual(['A', 'B', 'C']);
  });

  it('GIVEN no answers THEN there are no labels', () => {
    expect(answerButtonLabels([])).toEqual([]);
  });
});
