// One message as Discord's client draws it: author and time, text, embeds, buttons, files, and for
// an ephemeral reply the "Only you can see this" line.
import { safeUrl } from '../markdown.js';
import type { ViewAttachment, ViewButton, ViewEmbed, ViewMessage } from '../protocol.js';
import { el } from './dom.js';
import { richText, timestamp } from './rich-text.js';
import type { Names } from './rich-text.js';

export interface MessageActions {
  click(message: ViewMessage, button: ViewButton, node: HTMLButtonElement): void;
  dismiss(message: ViewMessage): void;
}

const BUTTON_STYLES: Record<number, string> = {
  1: 'primary',
  2: 'secondary',
  3: 'success',
  4: 'danger',
  5: 'link',
};

export function renderMessage(
  m: ViewMessage,
  names: Names,
  actions: MessageActions,
  failure?: string,
): HTMLElement {
  const seconds = Math.floor(m.createdAt / 1000);
  const authorId = `author-${m.id}`;
  return el(
    'article',
    {
      class: `message${m.visibleTo ? ' ephemeral' : ''}`,
      attrs: { 'data-message-id': m.id, 'aria-labelledby': authorId },
    },
    m.interaction
      ? el(
          'p',
          { class: 'interaction-line' },
          el('span', { class: 'md-mention' }, `@${m.interaction.user.name}`),
          m.interaction.command ? ` used /${m.interaction.command}` : ' clicked a button',
        )
      : null,
    el(
      'header',
      { class: 'message-header' },
      el('span', { class: 'author', id: authorId }, m.author.name),
      m.author.bot ? el('span', { class: 'bot-tag', attrs: { 'aria-label': 'bot' } }, 'BOT') : null,
      el('span', { class: 'message-time' }, timestamp(seconds, 'f')),
      m.editedAt !== null
        ? el('span', { class: 'edited', attrs: { title: new Date(m.editedAt).toLocaleString() } }, '(edited)')
        : null,
    ),
    m.loading ? el('p', { class: 'thinking' }, `${m.author.name} is thinking…`) : null,
    m.content ? richText(m.content, names) : null,
    ...m.embeds.map((e) => renderEmbed(e, names)),
    ...m.attachments.map(renderAttachment),
    ...m.rows.map((row) =>
      el(
        'div',
        { class: 'action-row', attrs: { role: 'group' } },
        ...row.map((c) =>
          c.kind === 'button'
            ? renderButton(m, c, actions)
            : el(
                'span',
                { class: 'unsupported' },
                `(a component of type ${c.type} the sandbox does not draw)`,
              ),
        ),
      ),
    ),
    failure ? el('p', { class: 'interaction-failed', attrs: { role: 'alert' } }, failure) : null,
    m.visibleTo
      ? el(
          'p',
          { class: 'ephemeral-note' },
          el('span', { class: 'eye', attrs: { 'aria-hidden': 'true' } }, '👁'),
          ' Only you can see this · ',
          el(
            'button',
            { class: 'link-button', attrs: { type: 'button' }, on: { click: () => actions.dismiss(m) } },
            'Dismiss message',
          ),
        )
      : null,
  );
}

function renderEmbed(e: ViewEmbed, names: Names): HTMLElement {
  const node = el(
    'div',
    { class: 'embed' },
    e.author ? el('p', { class: 'embed-author' }, e.author.name) : null,
    e.title
      ? el(
          'h3',
          { class: 'embed-title' },
          e.url && safeUrl(e.url)
            ? el(
                'a',
                {
                  attrs: {
                    href: safeUrl(e.url) ?? undefined,
                    target: '_blank',
                    rel: 'noopener noreferrer nofollow',
                  },
                },
                e.title,
              )
            : richInline(e.title, names),
        )
      : null,
    e.description ? el('div', { class: 'embed-description' }, richText(e.description, names)) : null,
    e.fields && e.fields.length > 0
      ? el(
          'div',
          { class: 'embed-fields' },
          ...e.fields.map((f) =>
            el(
              'div',
              { class: `embed-field${f.inline ? ' inline' : ''}` },
              el('div', { class: 'embed-field-name' }, richInline(f.name, names)),
              el('div', { class: 'embed-field-value' }, richText(f.value, names)),
            ),
          ),
        )
      : null,
    e.image && safeUrl(e.image.url) ? el('p', { class: 'embed-image' }, `(image: ${e.image.url})`) : null,
    e.footer || e.timestamp
      ? el(
          'footer',
          { class: 'embed-footer' },
          e.footer ? e.footer.text : null,
          e.footer && e.timestamp ? ' • ' : null,
          e.timestamp ? timestamp(Math.floor(Date.parse(e.timestamp) / 1000), 'f') : null,
        )
      : null,
  );
  // The embed's colour is its left edge (set through the DOM: the page's CSP forbids style attributes).
  if (e.color !== undefined) node.style.borderLeftColor = `#${e.color.toString(16).padStart(6, '0')}`;
  return node;
}

/** Titles and field names: markdown, drawn inline. */
function richInline(source: string, names: Names): HTMLElement {
  const block = richText(source, names);
  block.classList.add('inline');
  return block;
}

function renderButton(m: ViewMessage, b: ViewButton, actions: MessageActions): HTMLElement {
  const text = [b.emoji, b.label].filter(Boolean).join(' ');
  const style = BUTTON_STYLES[b.style] ?? 'secondary';
  if (b.style === 5) {
    const href = b.url ? safeUrl(b.url) : null;
    return el(
      'a',
      {
        class: `button ${style}`,
        attrs: { href: href ?? undefined, target: '_blank', rel: 'noopener noreferrer nofollow' },
      },
      text,
      ' ↗',
    );
  }
  const node = el(
    'button',
    {
      class: `button ${style}`,
      attrs: {
        type: 'button',
        'data-custom-id': b.customId,
        // A button with only an emoji still needs a name a screen reader can say.
        'aria-label': b.label ? undefined : `${b.emoji ?? 'button'}`,
      },
    },
    text,
  );
  node.disabled = b.disabled;
  node.addEventListener('click', () => actions.click(m, b, node));
  return node;
}

function renderAttachment(a: ViewAttachment): HTMLElement {
  const size =
    a.size < 1024
      ? `${a.size} bytes`
      : a.size < 1024 * 1024
        ? `${(a.size / 1024).toFixed(1)} KB`
        : `${(a.size / 1024 / 1024).toFixed(1)} MB`;
  if (/^image\/(png|jpeg|gif|webp)$/.test(a.contentType))
    return el(
      'figure',
      { class: 'attachment image' },
      el('img', { attrs: { src: a.url, alt: a.filename, loading: 'lazy' } }),
      el(
        'figcaption',
        {},
        el('a', { attrs: { href: a.url, download: a.filename } }, `Download ${a.filename}`),
        ` (${size})`,
      ),
    );
  const card = el(
    'div',
    { class: 'attachment file' },
    el('span', { class: 'file-icon', attrs: { 'aria-hidden': 'true' } }, '📄'),
    el('a', { attrs: { href: a.url, download: a.filename } }, `Download ${a.filename}`),
    el('span', { class: 'file-size' }, ` ${size}`),
  );
  if (/\.csv$/i.test(a.filename) || a.contentType.startsWith('text/csv')) void previewCsv(a, card);
  return card;
}

/** The first rows of a CSV file as a table, as Discord previews text files. */
async function previewCsv(a: ViewAttachment, card: HTMLElement): Promise<void> {
  try {
    const response = await fetch(a.url);
    if (!response.ok) return;
    const rows = parseCsv((await response.text()).slice(0, 20_000)).slice(0, 11);
    const [head, ...body] = rows;
    if (!head) return;
    card.appendChild(
      el(
        'table',
        { class: 'csv-preview' },
        el('caption', {}, `${a.filename}: the first ${body.length} rows`),
        el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { attrs: { scope: 'col' } }, h)))),
        el('tbody', {}, ...body.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))),
      ),
    );
  } catch {
    // the download link stays
  }
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}
