import { describe, expect, it } from 'vitest';
import { chooseLectureText, fitToLimit, splitIntoPages } from '../../src/content/summary.js';

describe('chooseLectureText', () => {
  it.each([
    ['Watch the video or read the transcript and answer the questions below.', 'The lecture.', 'The lecture.'],
    ["The video isn't available yet. Here is a transcript of the lecture for now:", 'The lecture.', 'The lecture.'],
    ['', 'The lecture.', 'The lecture.'],
    ['A real description of loops.', 'The lecture.', 'A real description of loops.'],
    ['Watch the lecture video and answer the questions below.', '', 'Watch the lecture video and answer the questions below.'],
  ])('description %j with transcript %j gives %j', (description, transcript, expected) => {
    expect(chooseLectureText(description, transcript)).toBe(expected);
  });
});

describe('fitToLimit', () => {
  it('leaves text that fits alone', () => {
    expect(fitToLimit('Short. Text.', 20)).toBe('Short. Text.');
  });

  it('cuts at the last sentence end that fits and marks the cut', () => {
    expect(fitToLimit('One two three. Four five six. Seven eight nine.', 35)).toBe('One two three. Four five six. …');
  });

  it('never cuts inside a code fence', () => {
    const text = `Intro sentence here.\n\n\`\`\`js\n${'x = 1; y = 2. '.repeat(20)}\n\`\`\``;
    const fitted = fitToLimit(text, 120);
    expect(fitted).toBe('Intro sentence here. …');
  });
});

describe('splitIntoPages', () => {
  it('pages long text at sentence ends, losing nothing', () => {
    const text = 'Loops repeat work until a condition changes. '.repeat(200).trim();
    const pages = splitIntoPages(text, 500);
    expect(pages.every((page) => page.length <= 500)).toBe(true);
    expect(pages.every((page) => page.endsWith('.'))).toBe(true);
    expect(pages.join(' ')).toBe(text);
  });

  it('gives one page for short text', () => {
    expect(splitIntoPages('Just this.', 500)).toEqual(['Just this.']);
  });
});
