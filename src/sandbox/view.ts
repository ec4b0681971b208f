// The local Discord's raw JSON (messages, components, scheduled events) as the page's typed view.
// Discord's shapes are loose; they are read here once, field by field, so the page gets plain types.
import { EPHEMERAL } from './fake-discord.js';
import type { FakeMessage, FakeUser, Json } from './fake-discord.js';
import type {
  ViewAttachment,
  ViewComponent,
  ViewEmbed,
  ViewMessage,
  ViewScheduledEvent,
  ViewUser,
} from './protocol.js';

type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Where the page fetches a message's files: the sandbox server, same origin as the page. */
export const ATTACHMENT_PATH = '/attachments';

export function viewUser(u: FakeUser, botId: string): ViewUser {
  return { id: u.id, name: u.username, bot: u.id === botId };
}

export function viewMessage(m: FakeMessage, botId: string): ViewMessage {
  const ephemeral = ((m.flags ?? 0) & EPHEMERAL) !== 0;
  const invoker = m.interaction?.user;
  return {
    id: m.id,
    channelId: m.channelId,
    author: viewUser(m.author, botId),
    content: m.content ?? '',
    embeds: m.embeds.map(viewEmbed),
    rows: m.components.map((row) => list(isObj(row) ? row.components : []).map(viewComponent)),
    attachments: (m.attachments ?? []).map((a): ViewAttachment => ({
      id: a.id,
      filename: a.filename,
      size: a.bytes.length,
      contentType: a.contentType,
      url: `${ATTACHMENT_PATH}/${a.id}/${encodeURIComponent(a.filename)}`,
    })),
    visibleTo: ephemeral && invoker ? invoker.id : null,
    interaction: invoker
      ? {
          user: viewUser(invoker, botId),
          command: m.interaction?.type === 2 ? (m.interaction.name ?? null) : null,
        }
      : null,
    createdAt: m.createdAt ?? 0,
    editedAt: m.editedAt ?? null,
    loading: m.loading === true,
    deleted: m.deleted === true,
  };
}

function viewEmbed(raw: Json): ViewEmbed {
  const e: unknown = raw;
  if (!isObj(e)) return {};
  const out: ViewEmbed = {};
  const title = str(e.title);
  const url = str(e.url);
  const description = str(e.description);
  const timestamp = str(e.timestamp);
  if (title !== undefined) out.title = title;
  if (url !== undefined) out.url = url;
  if (description !== undefined) out.description = description;
  if (typeof e.color === 'number') out.color = e.color;
  if (timestamp !== undefined) out.timestamp = timestamp;
  const authorName = isObj(e.author) ? str(e.author.name) : undefined;
  if (authorName !== undefined) out.author = { name: authorName };
  const footerText = isObj(e.footer) ? str(e.footer.text) : undefined;
  if (footerText !== undefined) out.footer = { text: footerText };
  const image = isObj(e.image) ? str(e.image.url) : undefined;
  if (image !== undefined) out.image = { url: image };
  const thumbnail = isObj(e.thumbnail) ? str(e.thumbnail.url) : undefined;
  if (thumbnail !== undefined) out.thumbnail = { url: thumbnail };
  const fields = list(e.fields)
    .filter(isObj)
    .map((f) => ({ name: str(f.name) ?? '', value: str(f.value) ?? '', inline: f.inline === true }));
  if (fields.length > 0) out.fields = fields;
  return out;
}

function viewComponent(raw: unknown): ViewComponent {
  if (!isObj(raw) || raw.type !== 2)
    return { kind: 'unsupported', type: isObj(raw) && typeof raw.type === 'number' ? raw.type : 0 };
  const label = str(raw.label);
  const emoji = isObj(raw.emoji) ? str(raw.emoji.name) : undefined;
  const customId = str(raw.custom_id);
  const url = str(raw.url);
  return {
    kind: 'button',
    style: typeof raw.style === 'number' ? raw.style : 2,
    disabled: raw.disabled === true,
    ...(label === undefined ? {} : { label }),
    ...(emoji === undefined ? {} : { emoji }),
    ...(customId === undefined ? {} : { customId }),
    ...(url === undefined ? {} : { url }),
  };
}

export function viewScheduledEvent(raw: Json): ViewScheduledEvent | null {
  const e: unknown = raw;
  if (!isObj(e)) return null;
  const id = str(e.id);
  const start = str(e.scheduled_start_time);
  if (id === undefined || start === undefined) return null;
  const location = isObj(e.entity_metadata) ? str(e.entity_metadata.location) : undefined;
  return {
    id,
    name: str(e.name) ?? '',
    description: str(e.description) ?? null,
    location: location ?? null,
    start,
    end: str(e.scheduled_end_time) ?? null,
    status: typeof e.status === 'number' ? e.status : 1,
  };
}
