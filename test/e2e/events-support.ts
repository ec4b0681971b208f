// Helpers for the /quizevent end-to-end tests: moderators, commands whose reply may be deferred,
// and readable views of the event messages in the channel.
import { ADMIN_PERMISSIONS, user } from '../../src/sandbox/fake-discord.js';
import type { FakeDiscord, FakeMessage, FakeUser, Json } from '../../src/sandbox/fake-discord.js';
import { embedsOf, waitUntil } from './harness.js';
import type { CallbackView, CommandOption, EmbedView, Harness } from './harness.js';
import { asCallbackView } from './harness.js';

export const moderator = user('500000000000000009', 'mod');

/**
 * A moderator's `/quizevent start` sent straight to a fake Discord (for tests that run the bot in
 * another process, without a Harness); returns the interaction, whose callback the caller may await.
 */
export function sendEventStart(
  discord: FakeDiscord,
  event: { lecture: string; seconds: number; questions: number; guildId?: string; channelId?: string },
): ReturnType<FakeDiscord['sendCommand']> {
  return discord.sendCommand({
    name: 'quizevent',
    ...(event.guildId === undefined ? {} : { guildId: event.guildId }),
    ...(event.channelId === undefined ? {} : { channelId: event.channelId }),
    user: moderator,
    permissions: ADMIN_PERMISSIONS,
    options: [
      {
        type: 1,
        name: 'start',
        options: [
          { type: 3, name: 'lecture', value: event.lecture },
          { type: 4, name: 'seconds', value: event.seconds },
          { type: 4, name: 'questions', value: event.questions },
        ],
      },
    ],
  });
}

export interface EventReply {
  /** The first callback: 4 for an immediate reply, 5 when the bot deferred. */
  callback: CallbackView;
  ephemeral: boolean;
  /** Title, description and fields of the final reply's first embed. */
  text: string;
}

/** Runs `/quizevent <sub>` and waits for its final reply, following a deferral to the edit. */
export async function quizevent(
  h: Harness,
  sub: string,
  options: CommandOption[] = [],
  who: FakeUser = moderator,
  permissions: string = ADMIN_PERMISSIONS,
): Promise<EventReply> {
  const sent = h.fake.sendCommand({
    name: 'quizevent',
    options: [{ type: 1, name: sub, options }],
    user: who,
    permissions,
  });
  const callback = asCallbackView(await h.fake.waitForCallback(sent.id));
  if (callback.type !== 5) {
    return {
      callback,
      ephemeral: ((callback.data?.flags ?? 0) & 64) !== 0,
      text: embedToText(callback.data?.embeds?.[0]),
    };
  }
  const edited = (r: { method: string; path: string }): boolean =>
    r.method === 'PATCH' && r.path.endsWith(`/${sent.token}/messages/@original`);
  await h.fake.waitForRequest(edited, 5000);
  const message = h.fake.originalResponse(sent.token);
  return {
    callback,
    ephemeral: ((message?.flags ?? 0) & 64) !== 0,
    text: embedToText(message ? embedsOf(message)[0] : undefined),
  };
}

export function option(name: string, value: string | number): CommandOption {
  return { type: typeof value === 'number' ? 4 : 3, name, value };
}

export function embedToText(embed: EmbedView | undefined): string {
  if (!embed) return '';
  return [
    embed.title,
    embed.description,
    ...(embed.fields ?? []).map((field) => `${field.name}: ${field.value}`),
    embed.footer?.text,
  ]
    .filter((part): part is string => typeof part === 'string')
    .join('\n');
}

export function messageText(message: FakeMessage): string {
  return embedToText(embedsOf(message)[0]);
}

/** Waits until the channel holds at least `count` messages and returns them. */
export async function channelHas(h: Harness, count: number, timeoutMs = 10_000): Promise<FakeMessage[]> {
  await waitUntil(() => h.fake.channelMessages(h.channelId).length >= count, timeoutMs);
  return h.fake.channelMessages(h.channelId);
}

export interface ButtonState {
  label: string;
  style: number;
  disabled: boolean;
}

export function buttonStates(message: FakeMessage): ButtonState[] {
  return (message.components as { components: Json[] }[])
    .flatMap((row) => row.components as { label: string; style: number; disabled?: boolean }[])
    .map((button) => ({ label: button.label, style: button.style, disabled: button.disabled ?? false }));
}
