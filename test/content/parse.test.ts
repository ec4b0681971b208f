import { describe, expect, it } from 'vitest';
import { parseLecture } from '../../src/content/parse.js';
import { formatProblem } from '../../src/content/types.js';

const FRONT = ['---', 'id: 0123456789abcdef01234567', 'title: Loops in Practice', 'challengeType: 19', 'dashedName: loops-in-practice', '---'];

/** A lecture file from lines; questions default to one valid question. */
function file(...body: string[]): string {
  return [...FRONT, '', ...body, ''].join('\n');
}

const ONE_QUESTION = [
  '# --questions--',
  '',
  '## --text--',
  '',
  'Which keyword stops a loop early?',
  '',
  '## --answers--',
  '',
  '`break`',
  '',
  '---',
  '',
  '`continue`',
  '',
  '### --feedback--',
  '',
  'That one skips to the next round.',
  '',
  '## --video-solution--',
  '',
  '1',
];

function parseOk(source: string) {
  const result = parseLecture(source, 'lecture.md');
  expect(result.problems.map(formatProblem)).toEqual([]);
  if (!result.lecture) throw new Error('no lecture');
  return result.lecture;
}

function problemsOf(source: string): string[] {
  const result = parseLecture(source, 'broken.md');
  expect(result.lecture).toBeNull();
  return result.problems.map(formatProblem);
}

describe('parseLecture: a well-formed lecture', () => {
  it('reads front matter, description, questions, answers, feedback and the 0-based correct index', () => {
    const lecture = parseOk(file('# --description--', '', 'Loops repeat work.', '', ...ONE_QUESTION));
    expect(lecture).toMatchObject({
      id: '0123456789abcdef01234567',
      title: 'Loops in Practice',
      challengeType: 19,
      dashedName: 'loops-in-practice',
      summary: 'Loops repeat work.',
      fullText: 'Loops repeat work.',
      quizzes: [],
    });
    expect(lecture.questions).toEqual([
      {
        text: 'Which keyword stops a loop early?',
        answers: [
          { text: '`break`', feedback: null },
          { text: '`continue`', feedback: 'That one skips to the next round.' },
        ],
        correctIndex: 0,
        line: 14,
      },
    ]);
  });

  it('keeps markdown, including fenced code, in question and answer text', () => {
    const lecture = parseOk(
      file(
        '# --questions--',
        '## --text--',
        'What does this print?',
        '',
        '```python',
        'for i in range(2):',
        '    print(i)',
        '```',
        '## --answers--',
        '```',
        '0',
        '1',
        '```',
        '---',
        '**Nothing**',
        '## --video-solution--',
        '1',
      ),
    );
    const question = lecture.questions[0];
    expect(question?.text).toBe('What does this print?\n\n```python\nfor i in range(2):\n    print(i)\n```');
    expect(question?.answers.map((answer) => answer.text)).toEqual(['```\n0\n1\n```', '**Nothing**']);
  });

  it('treats markers, headings and --- inside a fenced code block as content', () => {
    const lecture = parseOk(
      file(
        '# --questions--',
        '## --text--',
        'Which file is valid?',
        '## --answers--',
        '```md',
        '## --text--',
        '---',
        '# --questions--',
        '```',
        '---',
        'Neither',
        '## --video-solution--',
        '2',
      ),
    );
    expect(lecture.questions[0]?.answers).toHaveLength(2);
    expect(lecture.questions[0]?.answers[0]?.text).toBe('```md\n## --text--\n---\n# --questions--\n```');
  });

  it('treats --- and markers inside an HTML block as content', () => {
    const lecture = parseOk(
      file(
        '# --questions--',
        '## --text--',
        'Pick one.',
        '## --answers--',
        '<div>',
        '---',
        '</div>',
        '',
        '---',
        'Plain',
        '## --video-solution--',
        '2',
      ),
    );
    expect(lecture.questions[0]?.answers.map((answer) => answer.text)).toEqual(['<div>\n---\n</div>', 'Plain']);
  });

  it('reads several questions in order', () => {
    const lecture = parseOk(file(...ONE_QUESTION, '', ...ONE_QUESTION.slice(1).map((line) => (line === '1' ? '2' : line))));
    expect(lecture.questions.map((question) => question.correctIndex)).toEqual([0, 1]);
  });
});

describe('parseLecture: oddities found in real files', () => {
  const valid = file(...ONE_QUESTION);

  it('reads CRLF line ends and a byte-order mark', () => {
    const lecture = parseOk(`\uFEFF${valid.replace(/\n/g, '\r\n')}`);
    expect(lecture.questions[0]?.answers[1]?.feedback).toBe('That one skips to the next round.');
    expect(lecture.id).toBe('0123456789abcdef01234567');
  });

  it('accepts "--- " with a trailing space closing the front matter', () => {
    expect(parseOk(valid.replace('loops-in-practice\n---\n', 'loops-in-practice\n--- \n')).title).toBe('Loops in Practice');
  });

  it('accepts trailing spaces and tabs after the solution number and in text', () => {
    const lecture = parseOk(valid.replace('\n1\n', '\n1  \t\n').replace('early?', 'early?   '));
    expect(lecture.questions[0]?.correctIndex).toBe(0);
    expect(lecture.questions[0]?.text).toBe('Which keyword stops a loop early?');
  });

  it('accepts tab-indented code inside a fence', () => {
    const lecture = parseOk(valid.replace('`break`', '```js\nif (x) {\n\tbreak;\n}\n```'));
    expect(lecture.questions[0]?.answers[0]?.text).toBe('```js\nif (x) {\n\tbreak;\n}\n```');
  });

  it('drops HTML comments before the first section and inside text', () => {
    const lecture = parseOk(
      file('<!-- (Audio) narrator notes -->', '', '# --description--', '', 'Real text. <!-- hidden -->', '', ...ONE_QUESTION),
    );
    expect(lecture.fullText).toBe('Real text.');
  });

  it('reads ### --video-solution-- (one level off)', () => {
    expect(parseOk(valid.replace('## --video-solution--', '### --video-solution--')).questions[0]?.correctIndex).toBe(0);
  });

  it('reads ## --feedback-- (one level off) as feedback, not as a new section', () => {
    const lecture = parseOk(valid.replace('### --feedback--', '## --feedback--'));
    expect(lecture.questions[0]?.answers[1]?.feedback).toBe('That one skips to the next round.');
  });

  it('ignores a stray --- after the solution number', () => {
    expect(parseOk(valid.replace('\n1\n', '\n1\n\n---\n')).questions[0]?.correctIndex).toBe(0);
  });

  it('ends a section at a plain top-level heading', () => {
    const lecture = parseOk(valid.replace('\n1\n', '\n1\n\n# --explanation\n\nNotes for authors.\n'));
    expect(lecture.questions[0]?.correctIndex).toBe(0);
  });

  it('accepts YAML comments and nested maps in front matter', () => {
    const lecture = parseOk(
      valid.replace('challengeType: 19', '# a comment\nchallengeType: 19\nbilibiliIds:\n  aid: 1\n  bvid: BV1x\n  cid: 2'),
    );
    expect(lecture.challengeType).toBe(19);
  });

  it('skips sections it does not know, such as --scene--', () => {
    const lecture = parseOk(
      file('# --description--', '', 'Intro.', '', '# --scene--', '', '```json', '{"setup": {}}', '```', '', ...ONE_QUESTION),
    );
    expect(lecture.fullText).toBe('Intro.');
  });
});

describe('parseLecture: HTML that Discord cannot render becomes markdown', () => {
  it('turns a <pre> answer into a fenced code block with entities decoded', () => {
    const lecture = parseOk(file(...ONE_QUESTION).replace('`break`', '<pre>if a &lt; b:\n    print(a)</pre>'));
    expect(lecture.questions[0]?.answers[0]?.text).toBe('```\nif a < b:\n    print(a)\n```');
  });

  it('turns <code>, <br>, <strong>, <em> and <a> into markdown, leaving code spans alone', () => {
    const lecture = parseOk(
      file(...ONE_QUESTION).replace(
        'Which keyword stops a loop early?',
        'Use <code>break</code><br>in a <strong>loop</strong>, <em>not</em> `<br>`; see <a href="https://example.com">docs</a> &amp; more.',
      ),
    );
    expect(lecture.questions[0]?.text).toBe(
      'Use `break`\nin a **loop**, *not* `<br>`; see [docs](https://example.com) & more.',
    );
  });
});

describe('parseLecture: the summary', () => {
  it('comes from the transcript when the description only points at the video', () => {
    const lecture = parseOk(
      file(
        '# --description--',
        '',
        'Watch the video or read the transcript and answer the questions below.',
        '',
        '# --transcript--',
        '',
        'Loops repeat a block of code.',
        '',
        ...ONE_QUESTION,
      ),
    );
    expect(lecture.summary).toBe('Loops repeat a block of code.');
  });

  it('is cut at a sentence end to fit an embed, with the whole text kept for paging', () => {
    const sentence = 'A loop runs its body again and again until its condition is false. ';
    const long = sentence.repeat(100).trim();
    const lecture = parseOk(file('# --description--', '', long, '', ...ONE_QUESTION));
    expect(lecture.fullText).toBe(long);
    expect(lecture.summary.length).toBeLessThanOrEqual(4096);
    expect(lecture.summary).toMatch(/false\. …$/);
    expect(long.startsWith(lecture.summary.slice(0, -2))).toBe(true);
  });
});

describe('parseLecture: rejected files name the file and line', () => {
  it('rejects a file without front matter', () => {
    expect(problemsOf(ONE_QUESTION.join('\n'))).toEqual([
      'broken.md:1: missing front matter: the file must start with a --- line, then id and title',
    ]);
  });

  it('rejects invalid YAML with the line it is on', () => {
    const [problem] = problemsOf(file(...ONE_QUESTION).replace('challengeType: 19', 'challengeType: [19'));
    expect(problem).toMatch(/^broken\.md:[45]: invalid front matter: /);
  });

  it('rejects a missing id and a missing title together', () => {
    const source = file(...ONE_QUESTION).replace('id: 0123456789abcdef01234567\n', '').replace('title: Loops in Practice\n', '');
    expect(problemsOf(source)).toEqual(['broken.md:1: front matter needs an id (for example id: 5f2a6b1c9d8e7f0a1b2c3d4e)', 'broken.md:1: front matter needs a title']);
  });

  it('rejects an id that cannot go into a button id', () => {
    expect(problemsOf(file(...ONE_QUESTION).replace('id: 0123456789abcdef01234567', 'id: has spaces|pipes'))).toEqual([
      'broken.md:2: id "has spaces|pipes" must be 1 to 64 letters, digits, - or _',
    ]);
  });

  it('rejects a question without text', () => {
    expect(problemsOf(file(...ONE_QUESTION).replace('Which keyword stops a loop early?', ''))).toEqual([
      'broken.md:10: question 1 has no text (## --text--)',
    ]);
  });

  it('rejects a question with fewer than two answers', () => {
    const source = file(...ONE_QUESTION.slice(0, 10), '## --video-solution--', '', '1');
    expect(problemsOf(source)).toEqual(['broken.md:14: question 1 needs at least two answers, found 1']);
  });

  it('rejects a question without a solution', () => {
    expect(problemsOf(file(...ONE_QUESTION.slice(0, -4)))).toEqual([
      'broken.md:10: question 1 has no --video-solution-- (the number of the correct answer)',
    ]);
  });

  it('rejects a solution that is not a whole number', () => {
    expect(problemsOf(file(...ONE_QUESTION.slice(0, -1), '1.5'))).toEqual([
      'broken.md:28: question 1: --video-solution-- must be a whole number from 1 to 2, found "1.5"',
    ]);
  });

  it('rejects a solution out of range', () => {
    expect(problemsOf(file(...ONE_QUESTION.slice(0, -1), '5'))).toEqual([
      'broken.md:28: question 1: --video-solution-- is 5 but the question has 2 answers',
    ]);
    expect(problemsOf(file(...ONE_QUESTION.slice(0, -1), '0'))[0]).toContain('--video-solution-- is 0');
  });

  it('rejects an empty answer left by a stray ---', () => {
    const source = file(...ONE_QUESTION).replace('`continue`', '`continue`\n\n---\n');
    expect(problemsOf(source)).toEqual(['broken.md:22: question 1, answer 3 is empty (a stray --- ?)']);
  });

  it('rejects a file with no questions', () => {
    expect(problemsOf(file('# --description--', '', 'Only text.'))).toEqual([
      'broken.md:7: no questions: add a # --questions-- (or # --quizzes--) section',
    ]);
  });

  it('reports every problem in the file, not only the first', () => {
    const source = file(...ONE_QUESTION, '', '## --text--', '', '## --answers--', '', 'Only one', '', '## --video-solution--', '', 'x');
    expect(problemsOf(source)).toHaveLength(3);
  });
});

describe('parseLecture: the quiz format', () => {
  function quizQuestion(text: string, answers = 1, distractors = 3): string[] {
    const lines = ['### --question--', '#### --text--', text, '#### --distractors--'];
    for (let index = 0; index < distractors; index++) lines.push(...(index ? ['---'] : []), `Wrong ${index + 1}`);
    for (let index = 0; index < answers; index++) lines.push('#### --answer--', `Right ${index + 1}`);
    return lines;
  }

  it('reads each --quiz-- as an alternative set with the answer at a stable position', () => {
    const source = file('# --quizzes--', '## --quiz--', ...quizQuestion('Q one?'), ...quizQuestion('Q two?'), '## --quiz--', ...quizQuestion('Q three?'));
    const lecture = parseOk(source);
    expect(lecture.questions).toEqual([]);
    expect(lecture.quizzes.map((quiz) => quiz.questions.length)).toEqual([2, 1]);
    for (const question of lecture.quizzes.flatMap((quiz) => quiz.questions)) {
      expect(question.answers).toHaveLength(4);
      expect(question.answers[question.correctIndex]).toEqual({ text: 'Right 1', feedback: null });
      expect(question.answers.filter((answer) => answer.text.startsWith('Wrong')).map((answer) => answer.text)).toEqual(['Wrong 1', 'Wrong 2', 'Wrong 3']);
    }
    expect(parseOk(source).quizzes).toEqual(lecture.quizzes);
  });

  it('rejects a quiz question without exactly three distractors and one answer', () => {
    const source = file('# --quizzes--', '## --quiz--', ...quizQuestion('Two wrong?', 1, 2), ...quizQuestion('Two right?', 2, 3));
    expect(problemsOf(source)).toEqual([
      'broken.md:13: quiz 1 question 1 needs exactly three distractors, found 2',
      'broken.md:30: quiz 1 question 2 needs exactly one --answer--, found 2',
    ]);
  });
});

describe('parseLecture: one clear message per mistake', () => {
  it('says only that the answers are missing, not also that the solution is out of range', () => {
    const source = file('# --questions--', '## --text--', 'Where are the answers?', '## --video-solution--', '1');
    expect(problemsOf(source)).toEqual(['broken.md:9: question 1 has no --answers-- section']);
  });

  it('says only that the front matter is unclosed', () => {
    expect(problemsOf('---\nid: x\ntitle: y\n\n# --questions--\n')).toEqual([
      'broken.md:1: front matter is not closed: add a --- line after the last field',
    ]);
  });

  it('turns <sup> and <sub> into Unicode where it can', () => {
    const lecture = parseOk(file(...ONE_QUESTION).replace('early?', 'early? x<sup>2</sup>, log<sub>5</sub>, e<sup>i pi</sup>'));
    expect(lecture.questions[0]?.text).toBe('Which keyword stops a loop early? x², log₅, e^(i pi)');
  });
});
