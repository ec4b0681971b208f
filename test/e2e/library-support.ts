// Helpers for the /lecture and /quizstats end-to-end tests: commands that carry attachments, and
// the final reply of a command the bot answers after deferring.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ADMIN_PERMISSIONS, attachmentOption, resolvedAttachments } from '../../src/sandbox/fake-discord.js';
import type {
  FakeAttachment,
  FakeFile,
  FakeMessage,
  FakeUser,
  Json,
} from '../../src/sandbox/fake-discord.js';
import { alice, embedsOf } from './harness.js';
import type { EmbedView, Harness } from './harness.js';

export const UPLOADS_DIR = fileURLToPath(new URL('../fixtures/uploads', import.meta.url));
export const SECOND_GUILD = {
  id: '200000000000000002',
  name: 'Other Group',
  channels: [{ id: '300000000000000002', name: 'quiz' }],
};
export const FIRST_GUILD = {
  id: '200000000000000001',
  name: 'Study Group',
  channels: [{ id: '300000000000000001', name: 'quiz' }],
};

export function upload(name: string): Buffer {
  return readFileSync(`${UPLOADS_DIR}/${name}`);
}

export interface CommandRun {
  id: string;
  token: string;
  /** The reply as it finally reads (after a deferral, once edited). */
  message: FakeMessage;
  embed: EmbedView;
  /** The embed's title and description. */
  text: string;
  files: FakeFile[];
}

export interface RunOptions {
  who?: FakeUser;
  permissions?: string;
  guildId?: string;
  attachments?: FakeAttachment[];
}

/**
 * Runs `/name sub options...` and waits for its final reply: a reply at once, or a deferral
 * (type 5) followed by the bot's edit of @original.
 */
export async function runCommand(
  h: Harness,
  name: string,
  sub: string | null,
  options: Json[],
  run: RunOptions = {},
): Promise<CommandRun> {
  const attachments = run.attachments ?? [];
  const sent = h.fake.sendCommand({
    name,
    options: sub === null ? options : [{ type: 1, name: sub, options }],
    user: run.who ?? alice,
    permissions: run.permissions ?? ADMIN_PERMISSIONS,
    ...(run.guildId === undefined ? {} : { guildId: run.guildId }),
    ...(attachments.length > 0 ? { resolved: resolvedAttachments(attachments) } : {}),
  });
  const callback = await h.fake.waitForCallback(sent.id, 15_000);
  if (callback.type === 5) {
    await h.fake.waitForRequest(
      (request) => request.method === 'PATCH' && request.path.includes(`/${sent.token}/messages/@original`),
      15_000,
    );
  }
  const message = h.fake.originalResponse(sent.token);
  if (!message) throw new Error(`no reply to /${name} ${sub ?? ''}`);
  const embed = embedsOf(message)[0] ?? {};
  return {
    ...sent,
    message,
    embed,
    text: [embed.title, embed.description].filter((part) => part !== undefined).join('\n'),
    files: h.fake.filesOf(sent.token),
  };
}

/** `/lecture add` with these files (name → bytes) as file, file2, ... */
export function addLectures(
  h: Harness,
  files: {
    name: string;
    bytes: Buffer | string;
    size?: number;
    hang?: boolean;
    chunked?: boolean;
    status?: number;
  }[],
  options: { replace?: boolean } & RunOptions = {},
): Promise<CommandRun> {
  const attachments = files.map((file) =>
    h.fake.hostAttachment(file.name, file.bytes, {
      ...(file.size === undefined ? {} : { reportedSize: file.size }),
      ...(file.hang ? { hang: true } : {}),
      ...(file.chunked ? { chunked: true } : {}),
      ...(file.status === undefined ? {} : { status: file.status }),
    }),
  );
  const fileOptions = attachments.map((attachment, index) =>
    attachmentOption(index === 0 ? 'file' : `file${index + 1}`, attachment),
  );
  const replace = options.replace === undefined ? [] : [{ type: 5, name: 'replace', value: options.replace }];
  return runCommand(h, 'lecture', 'add', [...fileOptions, ...replace], { ...options, attachments });
}

export function lectureOption(id: string): { type: 3; name: string; value: string } {
  return { type: 3, name: 'lecture', value: id };
}

/** What autocomplete offers for `/name sub lecture:typed`. */
export async function autocompleteLecture(
  h: Harness,
  name: string,
  sub: string,
  typed: string,
  run: RunOptions = {},
): Promise<string[]> {
  const sent = h.fake.autocomplete({
    name,
    options: [{ type: 1, name: sub, options: [{ type: 3, name: 'lecture', value: typed, focused: true }] }],
    user: run.who ?? alice,
    permissions: run.permissions ?? ADMIN_PERMISSIONS,
    ...(run.guildId === undefined ? {} : { guildId: run.guildId }),
  });
  const callback = await h.fake.waitForCallback(sent.id);
  const data = callback.data as { choices?: { value: string }[] } | undefined;
  return (data?.choices ?? []).map((choice) => choice.value);
}
