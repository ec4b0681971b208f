// Discord markdown drawn as DOM nodes (the tree comes from ../markdown.ts). Mentions become names,
// timestamps the reader's local time; links open in a new tab and only http(s) ones are links.
import { formatTimestamp, fullTimestamp } from '../discord-time.js';
import { parseMarkdown } from '../markdown.js';
import type { Block, Inline } from '../markdown.js';
import { el } from './dom.js';

export interface Names {
  user(id: string): string;
  channel(id: string): string;
}

export function richText(source: string, names: Names): HTMLElement {
  return el('div', { class: 'markdown' }, ...parseMarkdown(source).map((b) => block(b, names)));
}

function block(b: Block, names: Names): Node {
  switch (b.type) {
    case 'paragraph':
      return el('p', {}, ...b.children.map((i) => inline(i, names)));
    case 'heading':
      return el(
        b.level === 1 ? 'h3' : b.level === 2 ? 'h4' : 'h5',
        { class: 'md-heading' },
        ...b.children.map((i) => inline(i, names)),
      );
    case 'subtext':
      return el('p', { class: 'md-subtext' }, ...b.children.map((i) => inline(i, names)));
    case 'codeblock':
      return el(
        'figure',
        { class: 'md-codeblock' },
        b.language ? el('figcaption', { class: 'md-lang' }, b.language) : null,
        el('pre', {}, el('code', { attrs: { 'data-language': b.language ?? undefined } }, b.text)),
      );
    case 'quote':
      return el('blockquote', {}, ...b.children.map((c) => block(c, names)));
    case 'list': {
      const items = b.items.map((item) => el('li', {}, ...item.map((c) => block(c, names))));
      return b.ordered ? el('ol', { attrs: { start: String(b.start) } }, ...items) : el('ul', {}, ...items);
    }
  }
}

function inline(i: Inline, names: Names): Node {
  const kids = (children: Inline[]): Node[] => children.map((c) => inline(c, names));
  switch (i.type) {
    case 'text':
      return document.createTextNode(i.text);
    case 'br':
      return el('br');
    case 'strong':
      return el('strong', {}, ...kids(i.children));
    case 'em':
      return el('em', {}, ...kids(i.children));
    case 'underline':
      return el('u', {}, ...kids(i.children));
    case 'strike':
      return el('s', {}, ...kids(i.children));
    case 'spoiler': {
      const spoiler = el(
        'span',
        {
          class: 'md-spoiler',
          attrs: { tabindex: '0', role: 'button', 'aria-label': 'Spoiler: press to show' },
        },
        ...kids(i.children),
      );
      const reveal = (): void => {
        spoiler.classList.add('revealed');
        spoiler.removeAttribute('role');
        spoiler.removeAttribute('aria-label');
      };
      spoiler.addEventListener('click', reveal);
      spoiler.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') reveal();
      });
      return spoiler;
    }
    case 'code':
      return el('code', { class: 'md-code' }, i.text);
    case 'link':
      return el(
        'a',
        { attrs: { href: i.href, target: '_blank', rel: 'noopener noreferrer nofollow' } },
        ...kids(i.children),
      );
    case 'timestamp':
      return timestamp(i.seconds, i.style);
    case 'mention':
      return el(
        'span',
        { class: 'md-mention' },
        i.kind === 'channel'
          ? `#${names.channel(i.id)}`
          : i.kind === 'role'
            ? '@role'
            : `@${names.user(i.id)}`,
      );
    case 'emoji':
      return document.createTextNode(`:${i.name}:`);
  }
}

/** A <time> the page refreshes every second when it is relative ("in 20 seconds"). */
export function timestamp(seconds: number, style: Parameters<typeof formatTimestamp>[1]): HTMLElement {
  const now = Date.now();
  const node = el(
    'time',
    {
      class: 'md-time',
      attrs: {
        datetime: new Date(seconds * 1000).toISOString(),
        title: fullTimestamp(seconds, { now }),
        'data-seconds': String(seconds),
        'data-style': style,
      },
    },
    formatTimestamp(seconds, style, { now }),
  );
  return node;
}

export function refreshRelativeTimes(root: ParentNode): void {
  const now = Date.now();
  for (const node of root.querySelectorAll<HTMLElement>('time[data-style="R"]')) {
    const seconds = Number(node.dataset.seconds);
    const text = formatTimestamp(seconds, 'R', { now });
    if (node.textContent !== text) node.textContent = text;
  }
}
