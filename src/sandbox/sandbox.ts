// The sandbox: the unchanged bot (startBot) against the local Discord, members who act through the
// page, and Reset. The local Discord's channels, commands and scheduled events are saved beside the
// sandbox's store, so a restart finds the messages the bot's stored events refer to.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { commands as allCommands } from '../../commands/index.js';
import { startBot } from '../bot.js';
import type { EventTiming, RunningBot } from '../bot.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { registerCommands, targetOf } from '../discord/register.js';
import type { Logger } from '../logger.js';
import { OptionError, autocompleteOptions, buildOptions, runnableCommands } from './commands.js';
import type { OptionWorld } from './commands.js';
import { FakeDiscord } from './fake-discord.js';
import type { FakeChange, FakeSnapshot, Json } from './fake-discord.js';
import type {
  ApiResult,
  AutocompleteRequest,
  ClickRequest,
  CommandRequest,
  LiveEvent,
  PostRequest,
  SandboxState,
  ViewCommand,
  ViewScheduledEvent,
} from './protocol.js';
import { viewMessage, viewScheduledEvent } from './view.js';
import { SANDBOX_BOT, SANDBOX_GUILD, SANDBOX_MEMBERS, findMember } from './world.js';
import type { SandboxMember } from './world.js';

type Choice = { name: string; value: string };

export interface SandboxOptions {
  logger: Logger;
  /** The bot's and the local Discord's time; tests pass one they move. */
  clock?: Clock;
  /** Quiz event pauses (tests shorten them). */
  events?: EventTiming;
  random?: () => number;
}

/** Discord shows "The application did not respond" when no answer comes within 3 seconds. */
export const RESPONSE_TIMEOUT_MS = 3_000;
/** Discord's limit for a message's text. */
const MESSAGE_LIMIT = 2_000;
/** Saving the local Discord waits this long after a change, so a burst of edits is one write. */
const SAVE_DELAY_MS = 200;

export class Sandbox {
  private fake: FakeDiscord;
  private bot: RunningBot;
  private resetting: Promise<void> | null = null;
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  private stopFeed: () => void = () => undefined;
  private raiseFatal: (error: Error) => void = () => undefined;
  /** Resolves when the bot running now cannot go on (see RunningBot.fatal); never otherwise. */
  readonly fatal = new Promise<Error>((resolve) => (this.raiseFatal = resolve));

  private constructor(
    private readonly config: Config,
    private readonly options: SandboxOptions,
    started: { fake: FakeDiscord; bot: RunningBot },
  ) {
    this.fake = started.fake;
    this.bot = started.bot;
    this.follow(this.fake);
    void this.bot.fatal.then(this.raiseFatal);
  }

  static async start(config: Config, options: SandboxOptions): Promise<Sandbox> {
    const started = await launch(config, options, await readSnapshot(snapshotPath(config), options.logger));
    return new Sandbox(config, options, started);
  }

  /** The bot now running (a new one after each Reset). */
  get runningBot(): RunningBot {
    return this.bot;
  }

  get discord(): FakeDiscord {
    return this.fake;
  }

  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  state(): SandboxState {
    return {
      guild: { id: SANDBOX_GUILD.id, name: SANDBOX_GUILD.name },
      channels: SANDBOX_GUILD.channels.map((c) => ({ id: c.id, name: c.name, type: c.type ?? 0 })),
      members: SANDBOX_MEMBERS.map((m) => ({
        id: m.user.id,
        name: m.user.username,
        bot: false,
        moderator: m.moderator,
      })),
      bot: { id: this.fake.botUser.id, name: this.fake.botUser.username, bot: true },
      commands: this.commands(),
      events: this.scheduledEvents(),
      messages: SANDBOX_GUILD.channels.flatMap((c) =>
        this.fake.messagesIn(c.id).map((m) => viewMessage(m, this.fake.botUser.id)),
      ),
      resetting: this.resetting !== null,
    };
  }

  // ------------------------------------------------------------ what members do

  async command(req: CommandRequest): Promise<ApiResult> {
    return this.act(req.member, async (member, fake) => {
      const channelId = this.channel(req.channelId);
      const command = this.commandFor(req.path, member);
      const built = buildOptions(command, req.options, this.world(fake));
      const [name] = command.path;
      const sent = fake.sendCommand({
        name: name ?? '',
        options: built.options,
        resolved: built.resolved,
        user: member.user,
        permissions: member.permissions,
        channelId,
      });
      return this.answered(fake, sent.id, 'The application did not respond');
    });
  }

  async autocomplete(req: AutocompleteRequest): Promise<ApiResult<{ choices: Choice[] }>> {
    return this.act<{ choices: Choice[] }>(req.member, async (member, fake) => {
      const channelId = this.channel(req.channelId);
      const command = this.commandFor(req.path, member);
      const options = autocompleteOptions(command, req.options, req.focused, this.world(fake));
      const sent = fake.autocomplete({
        name: command.path[0] ?? '',
        options,
        user: member.user,
        permissions: member.permissions,
        channelId,
      });
      const callback = await fake.waitForCallback(sent.id, RESPONSE_TIMEOUT_MS).catch(() => null);
      if (callback === null) return { ok: false, error: 'Loading options failed' };
      return { ok: true, choices: choicesOf(callback.data) };
    });
  }

  async click(req: ClickRequest): Promise<ApiResult> {
    return this.act(req.member, async (member, fake) => {
      const message = fake.message(req.messageId);
      if (!message || message.deleted) throw new OptionError('That message is gone.');
      const view = viewMessage(message, fake.botUser.id);
      if (view.visibleTo !== null && view.visibleTo !== member.user.id)
        throw new OptionError('Only the member it was shown to can use that.');
      const button = view.rows.flat().find((c) => c.kind === 'button' && c.customId === req.customId);
      if (!button || button.kind !== 'button' || button.disabled)
        throw new OptionError('That button cannot be clicked.');
      const sent = fake.clickButton({
        customId: req.customId,
        message,
        user: member.user,
        permissions: member.permissions,
      });
      return this.answered(fake, sent.id, 'This interaction failed');
    });
  }

  async post(req: PostRequest): Promise<ApiResult> {
    return this.act(req.member, (member, fake) => {
      const content = req.content.trim();
      if (content === '') throw new OptionError('Type a message first.');
      if (content.length > MESSAGE_LIMIT)
        throw new OptionError(`A message holds at most ${MESSAGE_LIMIT} characters.`);
      fake.postAsMember(this.channel(req.channelId), member.user, content);
      return Promise.resolve({ ok: true });
    });
  }

  /** A file for an attachment option; its id is the option's value. */
  upload(
    filename: string,
    contentType: string,
    bytes: Buffer,
  ): ApiResult<{ id: string; filename: string; size: number }> {
    if (this.resetting) return { ok: false, error: 'The sandbox is restarting; try again in a moment.' };
    try {
      const file = this.fake.uploadAttachment(filename, contentType, bytes);
      return { ok: true, id: file.id, filename: file.filename, size: file.size };
    } catch (error) {
      if (error instanceof RangeError) return { ok: false, error: error.message };
      throw error;
    }
  }

  /** The file behind a message's attachment (or an upload), for the page. */
  attachment(id: string): { filename: string; contentType: string; bytes: Buffer } | undefined {
    return this.fake.attachments.get(id);
  }

  // ------------------------------------------------------------ reset and stop

  /**
   * Starts over: the bot stops, its store and the local Discord's saved state are deleted, and both
   * start again (reading the content folder afresh, so edited lectures show).
   */
  reset(): Promise<void> {
    this.resetting ??= this.resetNow().finally(() => {
      this.resetting = null;
      this.emit({ type: 'reset', resetting: false });
    });
    return this.resetting;
  }

  async stop(): Promise<void> {
    await this.resetting?.catch(() => undefined);
    this.stopFeed();
    await this.bot.stop();
    await this.save();
    await this.fake.stop();
  }

  private async resetNow(): Promise<void> {
    this.emit({ type: 'reset', resetting: true });
    this.options.logger.info('sandbox: reset (store and channels cleared)');
    this.stopFeed();
    clearTimeout(this.saveTimer);
    await this.bot.stop();
    await this.saving;
    await this.fake.stop();
    const store = storePath(this.config);
    await Promise.all(
      [store, `${store}-wal`, `${store}-shm`, snapshotPath(this.config)].map((p) => rm(p, { force: true })),
    );
    const started = await launch(this.config, this.options, null);
    this.fake = started.fake;
    this.bot = started.bot;
    this.follow(this.fake);
    void this.bot.fatal.then(this.raiseFatal);
  }

  // ------------------------------------------------------------ plumbing

  private async act<T extends object>(
    memberId: string,
    run: (member: SandboxMember, fake: FakeDiscord) => Promise<ApiResult<T>>,
  ): Promise<ApiResult<T>> {
    if (this.resetting) return { ok: false, error: 'The sandbox is restarting; try again in a moment.' };
    const member = findMember(memberId);
    if (!member) return { ok: false, error: 'Pick a member first.' };
    try {
      return await run(member, this.fake);
    } catch (error) {
      if (error instanceof OptionError) return { ok: false, error: error.message };
      throw error;
    }
  }

  private async answered(fake: FakeDiscord, interactionId: string, failure: string): Promise<ApiResult> {
    const callback = await fake.waitForCallback(interactionId, RESPONSE_TIMEOUT_MS).catch(() => null);
    return callback === null ? { ok: false, error: failure } : { ok: true };
  }

  private channel(id: string): string {
    if (!SANDBOX_GUILD.channels.some((c) => c.id === id))
      throw new OptionError('Pick a channel of this server.');
    return id;
  }

  private commandFor(path: readonly string[], member: SandboxMember): ViewCommand {
    const command = this.commands().find((c) => c.path.join(' ') === path.join(' '));
    if (!command) throw new OptionError(`The bot has no command /${path.join(' ')}.`);
    if (!command.members.includes(member.user.id))
      throw new OptionError(`${member.user.username} may not use /${path.join(' ')}.`);
    return command;
  }

  private commands(): ViewCommand[] {
    const guildCommands: unknown[] = this.fake.registeredCommands(SANDBOX_GUILD.id);
    const globalCommands: unknown[] = this.fake.registeredCommands();
    const registered = [...guildCommands, ...globalCommands];
    return runnableCommands(
      registered,
      SANDBOX_MEMBERS.map((m) => ({ id: m.user.id, permissions: m.permissions })),
    );
  }

  private scheduledEvents(): ViewScheduledEvent[] {
    return this.fake
      .scheduledEvents(SANDBOX_GUILD.id)
      .map(viewScheduledEvent)
      .filter((e): e is ViewScheduledEvent => e !== null)
      .sort((a, b) => a.start.localeCompare(b.start));
  }

  /** What option values may refer to: the members, the channels, the files uploaded. */
  private world(fake: FakeDiscord): OptionWorld {
    const users = new Map<string, unknown>();
    const members = new Map<string, unknown>();
    for (const m of SANDBOX_MEMBERS) {
      users.set(m.user.id, {
        id: m.user.id,
        username: m.user.username,
        global_name: m.user.username,
        discriminator: '0',
        avatar: null,
      });
      members.set(m.user.id, {
        roles: [],
        permissions: m.permissions,
        joined_at: new Date(0).toISOString(),
        nick: null,
        avatar: null,
        flags: 0,
        pending: false,
      });
    }
    users.set(fake.botUser.id, {
      id: fake.botUser.id,
      username: fake.botUser.username,
      global_name: null,
      discriminator: '0',
      avatar: null,
      bot: true,
    });
    const channels = new Map<string, unknown>(
      SANDBOX_GUILD.channels.map((c) => [
        c.id,
        {
          id: c.id,
          name: c.name,
          type: c.type ?? 0,
          permissions: fake.botPermissions,
          guild_id: SANDBOX_GUILD.id,
        },
      ]),
    );
    const attachments = new Map<string, unknown>(
      fake.attachments.all().map((a) => [a.id, fake.attachments.json(a)]),
    );
    const roles = new Map<string, unknown>();
    return { users, members, channels, roles, attachments };
  }

  private follow(fake: FakeDiscord): void {
    this.stopFeed = fake.onChange((change) => {
      this.emit(this.liveEvent(change));
      this.scheduleSave();
    });
  }

  private liveEvent(change: FakeChange): LiveEvent {
    switch (change.kind) {
      case 'message':
        return { type: 'message', message: viewMessage(change.message, this.fake.botUser.id) };
      case 'scheduled-events':
        return { type: 'events', events: this.scheduledEvents() };
      case 'commands':
        return { type: 'commands', commands: this.commands() };
    }
  }

  private emit(event: LiveEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private scheduleSave(): void {
    if (this.saveTimer !== undefined) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.save();
    }, SAVE_DELAY_MS);
  }

  /** Writes the local Discord's state (to a temporary file first, so a crash leaves the old one). */
  private save(): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const path = snapshotPath(this.config);
    const json = JSON.stringify(this.fake.snapshot());
    this.saving = this.saving
      .then(async () => {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(`${path}.tmp`, json);
        await rename(`${path}.tmp`, path);
      })
      .catch((error: unknown) =>
        this.options.logger.warn({ err: error, path }, 'sandbox: could not save the channels'),
      );
    return this.saving;
  }
}

/** The local Discord, then the bot against it; the commands are registered again if Discord lost them. */
async function launch(
  config: Config,
  options: SandboxOptions,
  restore: FakeSnapshot | null,
): Promise<{ fake: FakeDiscord; bot: RunningBot }> {
  const clock = options.clock;
  // A token of this run's own: only the bot started here can talk to this local Discord.
  const token = `sandbox.${randomBytes(24).toString('base64url')}`;
  const fake = await FakeDiscord.start({
    botUser: SANDBOX_BOT,
    guilds: [SANDBOX_GUILD],
    users: SANDBOX_MEMBERS.map((m) => m.user),
    token,
    ...(restore ? { restore } : {}),
    ...(clock ? { now: () => clock.now() } : {}),
  });
  const botConfig: Config = {
    ...config,
    discordToken: token,
    clientId: fake.applicationId,
    apiUrl: fake.apiUrl,
    guildId: null,
  };
  let bot: RunningBot;
  try {
    bot = await startBot(botConfig, {
      logger: options.logger,
      ...(clock ? { clock } : {}),
      ...(options.events ? { events: options.events } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
  } catch (error) {
    await fake.stop();
    throw error;
  }
  // The store remembers registering; a lost sandbox-discord.json does not. Register again then.
  if (fake.registeredCommands().length === 0)
    await registerCommands(bot.client.rest, targetOf(botConfig), allCommands);
  return { fake, bot };
}

export function storePath(config: Pick<Config, 'storeUrl'>): string {
  return config.storeUrl.replace(/^sqlite:\/\//, '');
}

/** The local Discord's saved state lives beside the store: data/sandbox-discord.json. */
export function snapshotPath(config: Pick<Config, 'storeUrl'>): string {
  return join(dirname(storePath(config)), 'sandbox-discord.json');
}

async function readSnapshot(path: string, log: Logger): Promise<FakeSnapshot | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null; // a first start
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (isSnapshot(parsed)) return parsed;
  } catch {
    // reported below
  }
  log.warn({ path }, 'sandbox: the saved channels could not be read; starting with empty channels');
  return null;
}

function isSnapshot(value: unknown): value is FakeSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const v: Record<string, unknown> = { ...value };
  return (
    v.version === 1 &&
    Array.isArray(v.messages) &&
    Array.isArray(v.commands) &&
    Array.isArray(v.scheduledEvents) &&
    Array.isArray(v.users)
  );
}

function choicesOf(data: Json): { name: string; value: string }[] {
  const raw: unknown = data;
  const choices = typeof raw === 'object' && raw !== null && 'choices' in raw ? raw.choices : [];
  if (!Array.isArray(choices)) return [];
  return choices.flatMap((c: unknown) => {
    if (typeof c !== 'object' || c === null || !('name' in c) || !('value' in c)) return [];
    return [{ name: String(c.name), value: String(c.value) }];
  });
}
