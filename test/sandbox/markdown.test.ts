// Discord markdown as the sandbox page draws it: the tree, and that nothing in it can become HTML
// or a script link.
import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from '../../src/sandbox/markdown.js';
import { formatTimestamp } from '../../src/sandbox/discord-time.js';

describe('parseInline', () => {
  it('GIVEN Discord emphasis THEN bold, italics, underline, strikethrough, spoilers and code spans', () => {
    expect(parseInline('**b** *i* _j_ __u__ ~~s~~ ||x|| `c`')).toEqual([
      { type: 'strong', children: [{ type: 'text', text: 'b' }] },
      { type: 'text', text: ' ' },
      { type: 'em', children: [{ type: 'text', text: 'i' }] },
      { type: 'text', text: ' ' },
      { type: 'em', children: [{ type: 'text', text: 'j' }] },
      { type: 'text', text: ' ' },
      { type: 'underline', children: [{ type: 'text', text: 'u' }] },
      { type: 'text', text: ' ' },
      { type: 'strike', children: [{ type: 'text', text: 's' }] },
      { type: 'text', text: ' ' },
      { type: 'spoiler', children: [{ type: 'text', text: 'x' }] },
      { type: 'text', text: ' ' },
      { type: 'code', text: 'c' },
    ]);
    expect(parseInline('`**not bold**`')).toEqual([{ type: 'code', text: '**not bold**' }]);
    expect(parseInline('2 * 3 * 4')).toEqual([{ type: 'text', text: '2 * 3 * 4' }]);
  });

  it('GIVEN links THEN only http(s) ones are links; HTML and javascript: stay text', () => {
    expect(parseInline('[docs](https://example.org/a) https://example.org/b.')).toEqual([
      { type: 'link', href: 'https://example.org/a', children: [{ type: 'text', text: 'docs' }] },
      { type: 'text', text: ' ' },
      {
        type: 'link',
        href: 'https://example.org/b',
        children: [{ type: 'text', text: 'https://example.org/b' }],
      },
      { type: 'text', text: '.' },
    ]);
    expect(parseInline('[x](javascript:alert(1)) <img src=x onerror=alert(1)>')).toEqual([
      { type: 'text', text: '[x](javascript:alert(1)) <img src=x onerror=alert(1)>' },
    ]);
  });

  it('GIVEN Discord tags THEN timestamps, mentions and custom emoji', () => {
    expect(
      parseInline(
        '<t:1700000000:R> <@510000000000000001> <#310000000000000001> <@&710000000000000001> <:wave:123456789012345678>',
      ),
    ).toEqual([
      { type: 'timestamp', seconds: 1700000000, style: 'R' },
      { type: 'text', text: ' ' },
      { type: 'mention', kind: 'user', id: '510000000000000001' },
      { type: 'text', text: ' ' },
      { type: 'mention', kind: 'channel', id: '310000000000000001' },
      { type: 'text', text: ' ' },
      { type: 'mention', kind: 'role', id: '710000000000000001' },
      { type: 'text', text: ' ' },
      { type: 'emoji', name: 'wave' },
    ]);
    expect(parseInline('<t:1700000000>')).toEqual([{ type: 'timestamp', seconds: 1700000000, style: 'f' }]);
  });
});

describe('parseMarkdown', () => {
  it('GIVEN blocks THEN fenced code keeps its language and text, lists, quotes, headings and subtext', () => {
    expect(
      parseMarkdown(
        '# Title\n```js\nconst a = 1;\n**x**\n```\n- one\n- two\n  - nested\n1. first\n> quoted\n-# small',
      ),
    ).toEqual([
      { type: 'heading', level: 1, children: [{ type: 'text', text: 'Title' }] },
      { type: 'codeblock', language: 'js', text: 'const a = 1;\n**x**' },
      {
        type: 'list',
        ordered: false,
        start: 1,
        items: [
          [{ type: 'paragraph', children: [{ type: 'text', text: 'one' }] }],
          [
            { type: 'paragraph', children: [{ type: 'text', text: 'two' }] },
            {
              type: 'list',
              ordered: false,
              start: 1,
              items: [[{ type: 'paragraph', children: [{ type: 'text', text: 'nested' }] }]],
            },
          ],
        ],
      },
      {
        type: 'list',
        ordered: true,
        start: 1,
        items: [[{ type: 'paragraph', children: [{ type: 'text', text: 'first' }] }]],
      },
      { type: 'quote', children: [{ type: 'paragraph', children: [{ type: 'text', text: 'quoted' }] }] },
      { type: 'subtext', children: [{ type: 'text', text: 'small' }] },
    ]);
  });

  it('GIVEN line breaks in a paragraph THEN they are kept; an unclosed fence is text', () => {
    expect(parseMarkdown('a\nb')).toEqual([
      {
        type: 'paragraph',
        children: [{ type: 'text', text: 'a' }, { type: 'br' }, { type: 'text', text: 'b' }],
      },
    ]);
    expect(parseMarkdown('```\nopen')[0]).toMatchObject({ type: 'paragraph' });
  });

  it('GIVEN 10,000 nested quotes and stars THEN it finishes and keeps the text', () => {
    const deep = `${'> '.repeat(10_000)}x ${'*'.repeat(10_000)}`;
    expect(JSON.stringify(parseMarkdown(deep))).toContain('x');
  });
});

describe('formatTimestamp', () => {
  const context = { now: Date.UTC(2026, 11, 1, 18, 0), locale: 'en-GB', timeZone: 'Europe/Berlin' };
  const seconds = Date.UTC(2026, 11, 1, 18, 5) / 1000;

  it("GIVEN each style THEN the reader's time zone and language, and relative times as Discord words them", () => {
    expect(formatTimestamp(seconds, 't', context)).toBe('19:05');
    expect(formatTimestamp(seconds, 'D', context)).toBe('1 December 2026');
    expect(formatTimestamp(seconds, 'R', context)).toBe('in 5 minutes');
    expect(formatTimestamp(seconds - 7200, 'R', context)).toBe('1 hour ago');
    expect(formatTimestamp(seconds - 300 + 20, 'R', context)).toBe('in 20 seconds');
  });
});
