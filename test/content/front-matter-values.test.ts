// YAML reads `id: 2024-01-01` as a date and `id: 0123` as 83. An id, a title and a dashedName are
// text to the bot, so they come out as the author typed them, or the problem is named.
import { describe, expect, it } from 'vitest';
import { parseLecture } from '../../src/content/parse.js';
import { formatProblem } from '../../src/content/types.js';

const BODY = [
  '',
  '# --questions--',
  '',
  '## --text--',
  '',
  'Ready?',
  '',
  '## --answers--',
  '',
  'Yes',
  '',
  '---',
  '',
  'No',
  '',
  '## --video-solution--',
  '',
  '1',
  '',
];

/** A valid lecture with these front-matter lines. */
function lecture(...front: string[]): string {
  return ['---', ...front, '---', ...BODY].join('\n');
}

function parsed(...front: string[]) {
  const result = parseLecture(lecture(...front), 'typed.md');
  return { lecture: result.lecture, problems: result.problems.map(formatProblem) };
}

describe('front matter: an id that YAML reads as a date or a number', () => {
  const cases: [string, string][] = [
    ['2024-01-01', '2024-01-01'],
    ['0123', '0123'],
    ['1e3', '1e3'],
    ['12345678901234567890', '12345678901234567890'],
    ['0x1F', '0x1F'],
    ['1_000', '1_000'],
    ['true', 'true'],
    ['2024-01-01 # the first day', '2024-01-01'],
    ['2024-01-01\t# a tab before the comment', '2024-01-01'],
    ['0123   ', '0123'],
    ['!!int "0123"', '0123'],
    ["!!int '0123'", '0123'],
    ['&first 0123', '0123'],
  ];
  for (const [written, id] of cases) {
    it(`GIVEN id: ${written} THEN the id is ${JSON.stringify(id)}, as typed`, () => {
      const { lecture, problems } = parsed(`id: ${written}`, 'title: Typed');
      expect(problems).toEqual([]);
      expect(lecture?.id).toBe(id);
    });
  }

  it('GIVEN the id on the line under id: THEN it is read as typed', () => {
    expect(parsed('id:', '  2024-01-01', 'title: Typed').lecture?.id).toBe('2024-01-01');
  });

  it('GIVEN a quoted key ("id": 0123) THEN the id is 0123', () => {
    expect(parsed('"id": 0123', 'title: Typed').lecture?.id).toBe('0123');
  });

  it('GIVEN a quoted id THEN it is the text inside the quotes, as before', () => {
    expect(parsed("id: '0123'", 'title: Typed').lecture?.id).toBe('0123');
    expect(parsed('id: "2024-01-01"', 'title: Typed').lecture?.id).toBe('2024-01-01');
  });

  it('GIVEN id: 12:30 (a number to YAML) THEN the message quotes 12:30, not 750', () => {
    expect(parsed('id: 12:30', 'title: Typed').problems).toEqual([
      'typed.md:2: id "12:30" must be 1 to 64 letters, digits, - or _',
    ]);
  });

  it('GIVEN the whole front matter as one {…} map THEN a typed id is named, with the fix', () => {
    expect(parsed('{id: 0123, title: Typed}').problems).toEqual([
      'typed.md:1: id is read by YAML as a number, not text: put it in quotes',
    ]);
  });
});

describe('front matter: an id, title or dashedName that is not a single value', () => {
  it('GIVEN an id that is a list THEN the message says so, not that the id is missing', () => {
    expect(parsed('id: [a, b]', 'title: Typed').problems).toEqual(['typed.md:2: id must be a single value, not a list']);
    expect(parsed('title: Typed', 'id:', '  - a', '  - b').problems).toEqual([
      'typed.md:3: id must be a single value, not a list',
    ]);
  });

  it('GIVEN an id that is a map THEN the message says so', () => {
    expect(parsed('id:', '  course: 1', 'title: Typed').problems).toEqual([
      'typed.md:2: id must be a single value, not a map of fields',
    ]);
  });

  it('GIVEN a title that is a list THEN the message says so, not that the title is missing', () => {
    expect(parsed('id: typed', 'title: [Loops, Arrays]').problems).toEqual([
      'typed.md:3: title must be a single value, not a list',
    ]);
  });

  it('GIVEN a dashedName that is a map THEN the message says so', () => {
    expect(parsed('id: typed', 'title: Typed', 'dashedName: {a: 1}').problems).toEqual([
      'typed.md:4: dashedName must be a single value, not a map of fields',
    ]);
  });

  it('GIVEN an empty id (null to YAML) THEN the id is missing, as before', () => {
    expect(parsed('id: ~', 'title: Typed').problems).toEqual([
      'typed.md:2: front matter needs an id (for example id: 5f2a6b1c9d8e7f0a1b2c3d4e)',
    ]);
  });
});

describe('front matter: a title or dashedName that YAML reads as a date, number or boolean', () => {
  const titles: [string, string][] = [
    ['2024-01-01', '2024-01-01'],
    ['3.10', '3.10'],
    ['1e3', '1e3'],
    ['true', 'true'],
    ['2024 # the year', '2024'],
  ];
  for (const [written, title] of titles) {
    it(`GIVEN title: ${written} THEN the title is ${JSON.stringify(title)}`, () => {
      const { lecture, problems } = parsed('id: typed', `title: ${written}`);
      expect(problems).toEqual([]);
      expect(lecture?.title).toBe(title);
    });
  }

  it('GIVEN a title with # inside a word (C#) THEN the # stays: it is not a comment', () => {
    expect(parsed('id: typed', 'title: Methods in C#').lecture?.title).toBe('Methods in C#');
  });

  it('GIVEN dashedName: 0123 THEN the dashedName is 0123', () => {
    expect(parsed('id: typed', 'title: Typed', 'dashedName: 0123').lecture?.dashedName).toBe('0123');
  });
});
