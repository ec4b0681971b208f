// What the sandbox server and its page say to each other (JSON over HTTP, and server-sent events).
// Types only, shared by both sides: the page is bundled from src/sandbox/page/ and imports these.

export interface ViewUser {
  id: string;
  name: string;
  bot: boolean;
}

export interface ViewMember extends ViewUser {
  moderator: boolean;
}

export interface ViewChannel {
  id: string;
  name: string;
  /** Discord's channel type: 0 text, 5 announcement */
  type: number;
}

export interface ViewEmbed {
  title?: string;
  url?: string;
  description?: string;
  /** 0xRRGGBB */
  color?: number;
  author?: { name: string };
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
  timestamp?: string;
  image?: { url: string };
  thumbnail?: { url: string };
}

export interface ViewButton {
  kind: 'button';
  /** 1 primary, 2 secondary, 3 success, 4 danger, 5 link */
  style: number;
  label?: string;
  emoji?: string;
  customId?: string;
  url?: string;
  disabled: boolean;
}

/** A component the sandbox does not draw (a select menu): shown as a plain note. */
export interface ViewUnsupported {
  kind: 'unsupported';
  type: number;
}

export type ViewComponent = ViewButton | ViewUnsupported;

export interface ViewAttachment {
  id: string;
  filename: string;
  size: number;
  contentType: string;
  /** on the sandbox server, same origin as the page */
  url: string;
}

export interface ViewMessage {
  id: string;
  channelId: string;
  author: ViewUser;
  content: string;
  embeds: ViewEmbed[];
  /** action rows, each a list of components */
  rows: ViewComponent[][];
  attachments: ViewAttachment[];
  /** ephemeral: only this member sees it; null when everyone does */
  visibleTo: string | null;
  /** the command or click this message answers */
  interaction: { user: ViewUser; command: string | null } | null;
  createdAt: number;
  editedAt: number | null;
  /** a deferred reply not filled yet: "is thinking..." */
  loading: boolean;
  deleted: boolean;
}

export interface ViewOption {
  /** Discord's option type: 3 string, 4 integer, 5 boolean, 6 user, 7 channel, 8 role, 9 mentionable, 10 number, 11 attachment */
  type: number;
  name: string;
  description: string;
  required: boolean;
  autocomplete: boolean;
  choices: { name: string; value: string | number }[];
  minValue?: number;
  maxValue?: number;
  minLength?: number;
  maxLength?: number;
  channelTypes?: number[];
}

/** One runnable command: a command without subcommands, or one of its subcommands. */
export interface ViewCommand {
  /** e.g. ['quiz', 'start'] */
  path: string[];
  description: string;
  options: ViewOption[];
  /** members who may see and use it (Discord hides commands a member lacks the permissions for) */
  members: string[];
}

export interface ViewScheduledEvent {
  id: string;
  name: string;
  description: string | null;
  location: string | null;
  start: string;
  end: string | null;
  /** 1 scheduled, 2 active, 3 completed, 4 canceled */
  status: number;
}

export interface SandboxState {
  guild: { id: string; name: string };
  channels: ViewChannel[];
  members: ViewMember[];
  bot: ViewUser;
  commands: ViewCommand[];
  events: ViewScheduledEvent[];
  messages: ViewMessage[];
  /** the bot is restarting (Reset) */
  resetting: boolean;
}

export type LiveEvent =
  | { type: 'message'; message: ViewMessage }
  | { type: 'events'; events: ViewScheduledEvent[] }
  | { type: 'commands'; commands: ViewCommand[] }
  /** the whole state changed (Reset): fetch it again */
  | { type: 'reset'; resetting: boolean };

/** An option's value as the page sends it: text as typed, true/false, or an id (user, channel, attachment). */
export type OptionInput = string | boolean;

export interface CommandRequest {
  member: string;
  channelId: string;
  path: string[];
  options: Record<string, OptionInput>;
}

export interface AutocompleteRequest extends CommandRequest {
  focused: string;
}

export interface ClickRequest {
  member: string;
  messageId: string;
  customId: string;
}

export interface PostRequest {
  member: string;
  channelId: string;
  content: string;
}

/** Every API answer: ok, or a sentence to show the member. */
export type ApiResult<T extends object = object> = ({ ok: true } & T) | { ok: false; error: string };
