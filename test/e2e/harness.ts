// Runs the real bot in process against a fake Discord, with a temporary SQLite store and the
// test lectures. Every test gets its own; close() releases all of it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { startBot } from '../../src/bot.js';
import type { EventTiming, RunningBot } from '../../src/bot.js';
import type { Config } from '../../src/config.js';
import { freshStoreUrl } from '../support/test-store.js';
import { FakeDiscord, user } from '../../src/sandbox/fake-discord.js';
import type { TestClock } from '../support/test-clock.js';
import type {
  CallbackRecord,
  FakeMessage,
  FakeUser,
  Json,
  StartOptions as FakeStartOptions,
} from '../../src/sandbox/fake-discord.js';

/** A slash command option as Discord sends it. */
export type CommandOption = Record<string, unknown>;

export const LECTURES_DIR = fileURLToPath(new URL('../fixtures/lectures', import.meta.url));
export const alice = user('500000000000000001', 'alice');
export const bob = user('500000000000000002', 'bob');
export const carol = user('500000000000000003', 'carol');

export interface LogLine {
  level: number;
  msg: string;
  ref?: string;
  [key: string]: unknown;
}

export interface HarnessOptions {
  /** How the fake Discord is set up (its guilds, the bot's permissions). */
  fake?: FakeStartOptions;
  /** Quiz event pauses for the bot, shortened so event tests run in seconds. */
  events?: EventTiming;
  /** The time of the bot and of the fake Discord; tests move it instead of waiting. */
  clock?: TestClock;
}

export class Harness {
  readonly logs: LogLine[] = [];
  bot: RunningBot | null = null;

  private constructor(
    readonly fake: FakeDiscord,
    readonly dir: string,
    readonly config: Config,
    readonly options: HarnessOptions,
  ) {}

  static async start(overrides: Partial<Config> = {}, options: HarnessOptions = {}): Promise<Harness> {
    const dir = await mkdtemp(join(tmpdir(), 'quizbot-e2e-'));
    const clock = options.clock;
    const fake = await FakeDiscord.start({ ...options.fake, ...(clock ? { now: () => clock.now() } : {}) });
    const config: Config = {
      discordToken: 'fake-token',
      clientId: fake.applicationId,
      guildId: null,
      // SQLite in `dir`, or PostgreSQL in the "postgres" test project (test/support/test-store.ts).
      storeUrl: await freshStoreUrl(dir),
      contentDir: LECTURES_DIR,
      apiUrl: fake.apiUrl,
      logLevel: 'debug',
      ...overrides,
    };
    const harness = new Harness(fake, dir, config, options);
    await harness.startBot();
    return harness;
  }

  get channelId(): string {
    const id = this.fake.guilds[0]?.channels[0]?.id;
    if (!id) throw new Error('the fake has no channel');
    return id;
  }

  async startBot(): Promise<RunningBot> {
    const logger = pino(
      { level: 'debug' },
      { write: (line: string) => void this.logs.push(JSON.parse(line) as LogLine) },
    );
    // A fixed "random" keeps quiz-set choice predictable: always the first set.
    this.bot = await startBot(this.config, {
      logger,
      random: () => 0,
      ...(this.options.events ? { events: this.options.events } : {}),
      ...(this.options.clock ? { clock: this.options.clock } : {}),
    });
    const runner = this.bot.events.runner;
    if (this.options.clock) this.options.clock.idle = () => runner.whenIdle();
    return this.bot;
  }

  /** Stops the bot as a restart would (Discord connection and store closed), keeping the files. */
  async stopBot(): Promise<void> {
    await this.bot?.stop();
    this.bot = null;
  }

  /**
   * Waits (polling, at most `timeoutMs`) until the bot has logged a line whose message ends with
   * `ending`, since the log line numbered `since`: how a test sees the content folder catch up.
   */
  async logged(ending: string, since = 0, timeoutMs = 2_000): Promise<void> {
    const started = Date.now();
    while (!this.logs.slice(since).some((line) => line.msg.endsWith(ending))) {
      if (Date.now() - started > timeoutMs)
        throw new Error(`the bot did not log "…${ending}" within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * Restarts the bot after files changed while it was stopped, and waits until it serves them: a
   * restart served from the content cache reads the changed files again right after ready (one that
   * checked the folder first, as with a cache that held nothing for it, served them at once).
   * `changed` is how each file's line ends: "is served as it is now", "was removed"...
   */
  async restartAfterContentChanges(changed: string[]): Promise<void> {
    const since = this.logs.length;
    await this.startBot();
    if (!this.servedFromCache(since)) return;
    for (const ending of changed) await this.logged(ending, since);
  }

  /** Whether a start since log line `since` served the content cache unchecked (its start-up line says so). */
  servedFromCache(since: number): boolean {
    return this.logs.slice(since).some((line) => line.msg.includes('(from the content cache;'));
  }

  async close(): Promise<void> {
    await this.stopBot();
    await this.fake.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Sends a slash command and returns the callback Discord got for it. */
  async command(
    name: string,
    options: Json[],
    who: FakeUser = alice,
  ): Promise<{ id: string; token: string; callback: CallbackView }> {
    const sent = this.fake.sendCommand({ name, options, user: who });
    return { ...sent, callback: await this.callback(sent.id) };
  }

  quiz(
    sub: string,
    options: CommandOption[] = [],
    who: FakeUser = alice,
  ): Promise<{ id: string; token: string; callback: CallbackView }> {
    return this.command('quiz', [{ type: 1, name: sub, options }], who);
  }

  async callback(interactionId: string): Promise<CallbackView> {
    return asCallbackView(await this.fake.waitForCallback(interactionId));
  }

  /** Runs /quiz start and waits until all `questionCount` question messages are in the channel. */
  async startQuiz(
    lecture: string,
    questionCount: number,
    extra: CommandOption[] = [],
  ): Promise<FakeMessage[]> {
    const before = this.fake.channelMessages(this.channelId).length;
    const options: CommandOption[] = [{ type: 3, name: 'lecture', value: lecture }, ...extra];
    const { callback } = await this.quiz('start', options);
    if (callback.type !== 4) throw new Error(`unexpected callback ${JSON.stringify(callback)}`);
    await waitUntil(() => this.fake.channelMessages(this.channelId).length >= before + questionCount);
    return this.fake.channelMessages(this.channelId).slice(before);
  }

  /** Clicks the button labelled `label` (or whose label starts with `label.`) and returns the callback. */
  click(message: FakeMessage, label: string, who: FakeUser = alice): Promise<CallbackView> {
    return this.clickRaw(message, buttonId(message, label), who);
  }

  clickRaw(message: FakeMessage, customId: string, who: FakeUser = alice): Promise<CallbackView> {
    const sent = this.fake.clickButton({ customId, message, user: who });
    return this.callback(sent.id);
  }
}

// Typed views of the raw Discord JSON the fake records, for the parts these tests read.
export interface EmbedView {
  title?: string;
  description?: string;
  footer?: { text: string };
  fields?: { name: string; value: string }[];
}

export interface ButtonView {
  label?: string;
  custom_id?: string;
  disabled?: boolean;
}

export interface CallbackView {
  type: number;
  token: string;
  data?: {
    embeds?: EmbedView[];
    components?: { components: ButtonView[] }[];
    flags?: number;
    choices?: { name: string; value: string }[];
  };
}

export function asCallbackView(record: CallbackRecord): CallbackView {
  return { type: record.type, token: record.token, data: record.data as CallbackView['data'] };
}

export function embedsOf(message: { embeds: Json[] }): EmbedView[] {
  return message.embeds as EmbedView[];
}

export function buttonsOf(message: { components: Json[] } | CallbackView): ButtonView[] {
  const rows =
    'type' in message ? message.data?.components : (message.components as { components: ButtonView[] }[]);
  return (rows ?? []).flatMap((row) => row.components);
}

export function buttonId(message: FakeMessage, label: string): string {
  const button = buttonsOf(message).find((b) => b.label === label || b.label?.startsWith(`${label}.`));
  if (!button?.custom_id) throw new Error(`no button "${label}" on message ${message.id}`);
  return button.custom_id;
}

/** The text of the first embed of a callback's message: title, description and fields. */
export function embedText(callback: CallbackView | CallbackRecord): string {
  const embed = ('data' in callback ? (callback.data as CallbackView['data']) : undefined)?.embeds?.[0];
  if (!embed) return '';
  return [
    embed.title,
    embed.description,
    ...(embed.fields ?? []).map((field) => `${field.name}: ${field.value}`),
  ]
    .filter((part): part is string => typeof part === 'string')
    .join('\n');
}

export function isEphemeral(callback: CallbackView): boolean {
  return ((callback.data?.flags ?? 0) & 64) !== 0;
}

export async function waitUntil(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
