// Starts the bot: content, store, Discord client, routing, the quiz event runner. Used by the
// entry point and, in process, by the end-to-end tests.
import { join } from 'node:path';
import { Client, Events, GatewayIntentBits, Options, ShardClientUtil } from 'discord.js';
import type { Interaction } from 'discord.js';
import { commands as allCommands } from '../commands/index.js';
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { ContentCache } from './content/cache.js';
import type { LoadedContent } from './content/load.js';
import { formatProblem } from './content/types.js';
import type { BotContext, Command, EventServices } from './discord/command.js';
import { explainFatalClose, explainLoginFailure } from './discord/gateway-close.js';
import { registerIfChanged, targetOf } from './discord/register.js';
import { createRouter } from './discord/router.js';
import type { InteractionObserver } from './discord/router.js';
import { DiscordEventActions } from './events/discord/actions.js';
import { DiscordScheduledEvents } from './events/discord/scheduled-events.js';
import { EventRunner } from './events/runner.js';
import { EventStore } from './events/store.js';
import { FatalSignal } from './fatal.js';
import { createLogger } from './logger.js';
import type { Logger } from './logger.js';
import { gatewaySample } from './metrics/discord/gateway.js';
import { checkHealth } from './metrics/health.js';
import type { BotMetrics } from './metrics/metrics.js';
import { startMetricsServer } from './metrics/server.js';
import type { MetricsServer } from './metrics/server.js';
import { instrumentStore } from './metrics/store.js';
import { newlyShadowed } from './quiz/catalog.js';
import type { Lecture } from './content/types.js';
import { GradedAnswers } from './quiz/graded.js';
import type { LectureSource } from './quiz/lectures.js';
import { ContentFolder } from './library/content-folder.js';
import { watchContent } from './library/content-watcher.js';
import type { ContentWatcher } from './library/content-watcher.js';
import { Library } from './library/library.js';
import { ServerLectures } from './library/lectures.js';
import {
  DEFAULT_LECTURE_CACHE_BYTES,
  DEFAULT_LECTURE_LIMITS,
  DEFAULT_PARSE_BUDGET_MS,
} from './library/limits.js';
import { WorkerParser } from './library/parser.js';
import { LibraryStore } from './library/store.js';
import { StatsRecorder } from './stats/recorder.js';
import { StatsStore } from './stats/store.js';
import { openStore } from './store/index.js';
import type { QuizStore } from './store/index.js';
import { localDataDir } from './store/store-url.js';
import { MostMissedQuestions } from './study/review-night.js';
import type { ReviewNightQuestions } from './study/review-night.js';
import { Study } from './study/study.js';
import { plural } from './plural.js';

export interface StartOptions {
  logger?: Logger;
  commands?: readonly Command[];
  random?: () => number;
  /** The bot's time and timers; tests pass one they move by hand. */
  clock?: Clock;
  /** Quiz event pauses; production uses the defaults, tests shorten them. */
  events?: EventTiming;
}

export interface EventTiming {
  /** Reading time between the lecture and the first question. */
  introSeconds?: number;
  /** Pause after each reveal. */
  revealSeconds?: number;
  /** Wait before a failed event step is tried again. */
  retryDelayMs?: number;
}

export interface RunningBot {
  client: Client<true>;
  store: QuizStore;
  content: LoadedContent;
  /** The lectures each server sees; says which servers' uploads are in memory. */
  lectures: ServerLectures;
  events: EventServices;
  /** Where /metrics and /healthz are served (METRICS_PORT), or null. */
  metrics: { url: string } | null;
  /** Stops taking interactions, lets those under way finish, then closes Discord and the store. */
  stop(): Promise<void>;
  /**
   * Resolves, once the bot has stopped, with the reason it could not go on (Discord refused it for
   * good, or the store file was deleted); never settles otherwise. Before ready, startBot rejects
   * with that reason instead.
   */
  fatal: Promise<Error>;
}

/**
 * How long after ready the content watcher starts. Real time, not the bot's clock: it only keeps the
 * walk from the first clicks' way.
 */
const WATCH_AFTER_READY_MS = 250;

/** How long shutdown waits for interactions under way (a click's store write and reply). */
const DRAIN_TIMEOUT_MS = 5_000;

export async function startBot(config: Config, options: StartOptions = {}): Promise<RunningBot> {
  const log = options.logger ?? createLogger(config.logLevel);
  const commands = options.commands ?? allCommands;
  const clock = options.clock ?? systemClock;

  const cache = openContentCache(config.storeUrl, log);
  const { folder, content } = await loadLectures(
    config.contentDir,
    log,
    cache,
    // The watcher's walk checks a load served from the cache; without a watcher, the load checks.
    config.contentWatch !== false,
  ).catch((error: unknown) => {
    cache?.close();
    throw error;
  });
  // A file read again while running no longer matches the cache: the next start checks the folder.
  folder.onChange(() => cache?.folderChanged());
  const catalog = folder.catalog;
  logShadowed(catalog.shadowed, log);
  const fatal = new FatalSignal();
  // Read only when scraped, by then the client and the event runner below exist.
  // Loaded only with METRICS_PORT: prom-client costs a start without metrics time and memory.
  const metrics: BotMetrics | null =
    config.metricsPort === null || config.metricsPort === undefined
      ? null
      : new (await import('./metrics/metrics.js')).BotMetrics({
          gateway: () => gatewaySample(client),
          eventStatuses: () => events.runner.activeEvents().map((event) => event.status),
        });
  const openedStore = await openStore(config.storeUrl, {
    logger: { warn: (obj, msg) => log.warn(obj, msg) },
    // Nothing more can be saved: stop rather than answer clicks that would not last.
    onFileLost: (error) => fatal.raise(error),
    redisUrl: config.redisUrl ?? null,
  }).catch((error: unknown) => {
    cache?.close();
    throw error;
  });
  const store = metrics ? instrumentStore(openedStore, metrics) : openedStore;
  // Uploads are checked, and stored ones parsed, in a worker thread: clicks go on meanwhile.
  const parser = new WorkerParser({ uploadBudgetMs: config.lectureParseBudgetMs ?? DEFAULT_PARSE_BUDGET_MS });
  // A server's uploads load the first time it needs them (never at start), within a memory budget.
  const lectures: ServerLectures = new ServerLectures(catalog, {
    load: (guildId) => library.loadGuild(guildId),
    budgetBytes: config.lectureCacheBytes ?? DEFAULT_LECTURE_CACHE_BYTES,
    owns: ownsGuild(config),
    onShadow: ({ guildId, lectureId }) =>
      log.warn(
        { guildId, lectureId },
        "a server's own lecture hides a content-folder lecture with the same id there",
      ),
  });
  let served = catalog;
  folder.onChange((next) => {
    // Only those a change hid: the others were logged before.
    logShadowed(newlyShadowed(served, next), log);
    served = next;
    lectures.replaceBundled(next);
  });
  const library = new Library({
    store: new LibraryStore(store.table, store.keyv),
    lectures,
    limits: config.lectureLimits ?? DEFAULT_LECTURE_LIMITS,
    timers: clock,
    log,
    parser,
  });
  let watcher: ContentWatcher | null = null;
  let watchTimer: NodeJS.Timeout | null = null;
  const client = createClient(config);
  // Review cards and review nights learn from every graded answer.
  const study = new Study(store.records);
  // ...and so do teachers' results, counted as answers are graded.
  const graded = new GradedAnswers([study.listener, new StatsRecorder(store.table)]);
  const reviewNight = new MostMissedQuestions(study.missed, lectures);
  const events = eventServices({
    client,
    lectures,
    store,
    graded,
    reviewNight,
    log,
    clock,
    timing: options.events ?? {},
    owns: ownsGuild(config),
  });
  const ctx: BotContext = {
    lectures,
    graded,
    store,
    log,
    random: options.random ?? Math.random,
    now: () => clock.now(),
    events,
    study,
    library,
    stats: new StatsStore(store.table),
  };
  const interactions = serveInteractions(
    client,
    commands,
    ctx,
    metrics ? (handled) => metrics.interactionHandled(handled) : undefined,
  );
  watchGateway(client, fatal, log);
  let metricsServer: MetricsServer | null = null;

  const stopNow = async (): Promise<void> => {
    await metricsServer?.close();
    await interactions.drain();
    // Steps under way finish (they still need Discord and the store); the rest resumes on restart.
    await events.runner.stop();
    if (watchTimer !== null) clearTimeout(watchTimer);
    await watcher?.close();
    await parser.close();
    await client.destroy();
    await store.close();
    cache?.close();
    log.info('stopped: Discord connection and store closed');
  };
  let stopping: Promise<void> | undefined;
  // Shared, so that a second caller (a signal during a fatal stop) also waits for the end.
  const stop = (): Promise<void> => (stopping ??= stopNow());

  try {
    if (metrics) {
      // Up before the login, so that /healthz says 503 while the bot connects.
      metricsServer = await startMetricsServer(config.metricsHost ?? '127.0.0.1', config.metricsPort ?? 0, {
        metrics: () => metrics.expose(),
        health: () =>
          checkHealth({
            gatewayConnected: () => gatewaySample(client).connected,
            storeAnswers: () => store.setMeta('health', clock.now()),
          }),
      });
      log.info(
        { url: metricsServer.url },
        `metrics on ${metricsServer.url}/metrics, health on ${metricsServer.url}/healthz`,
      );
    }
    // A fatal close before ready would leave the wait for ready pending for ever.
    const readyClient = await fatal.race(connect(client, config));
    // Commands are the application's, not a shard's: one process registers them (shard 0's).
    if (registersCommands(config)) await registerOnStart(readyClient, store, config, commands, log);
    // Discord refused the bot or the store file went meanwhile: stop rather than start the runner.
    fatal.throwIfRaised();
    // After ready: resuming events post to channels, which needs the guilds loaded.
    await events.runner.start();
    fatal.throwIfRaised();
    log.info(
      {
        lectures: catalog.size,
        guilds: readyClient.guilds.cache.size,
        ...(config.shard ? { shards: config.shard.ids, shardCount: config.shard.count } : {}),
      },
      `Ready as ${readyClient.user.tag}: ${plural(catalog.size, 'lecture')}, ${plural(readyClient.guilds.cache.size, 'guild')}` +
        (config.shard ? `, shard ${config.shard.ids.join(', ')} of ${config.shard.count}` : ''),
    );
    warmLeaderboards(store, [...readyClient.guilds.cache.keys()], log);
    // A moment after ready: its walk of the folder (a stat per file) would hold the clicks that
    // arrive with ready, and it reads again whatever changed since the load, so the wait loses nothing.
    if (config.contentWatch !== false) {
      watchTimer = setTimeout(() => {
        watchTimer = null;
        // A batch of changed files is read in the parser thread, as uploads are.
        if (stopping === undefined) watcher = watchContent(folder, log, (paths) => parser.parseFiles(paths));
      }, WATCH_AFTER_READY_MS);
      watchTimer.unref();
    } else log.info('content: CONTENT_WATCH=false, changes to the content folder need a restart');
    return {
      client: readyClient,
      store,
      content,
      lectures,
      events,
      metrics: metricsServer ? { url: metricsServer.url } : null,
      stop,
      fatal: fatal.raised.then(async (error) => {
        await stop().catch((stopError: unknown) => log.error({ err: stopError }, 'error while stopping'));
        return error;
      }),
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw fatal.error ?? explainLoginFailure(error) ?? error;
  }
}

function createClient(config: Config): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    // discord.js would keep the user and member of everyone who ever clicked, forever; the bot never
    // reads them back (interactions carry what a handler needs). Only the bot's own stay cached.
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      GuildMemberManager: { maxSize: 200, keepOverLimit: (member) => member.id === member.client.user.id },
      UserManager: { maxSize: 200, keepOverLimit: (user) => user.id === user.client.user.id },
    }),
    ...(config.apiUrl ? { rest: { api: config.apiUrl } } : {}),
    // Always given: discord.js would otherwise read SHARDS from the environment as JSON, and SHARDS
    // is the manager's setting here (an empty SHARDS= copied from .env.example would throw). A
    // process of the shard manager connects only its own shards.
    shards: config.shard?.ids ?? [0],
    shardCount: config.shard?.count ?? 1,
  });
}

/** Whether this process's shards include the guild (Discord's rule: guild_id >> 22 mod shard count). */
function ownsGuild(config: Config): (guildId: string) => boolean {
  const shard = config.shard;
  if (!shard) return () => true;
  return (guildId) => shard.ids.includes(ShardClientUtil.shardIdForGuildId(guildId, shard.count));
}

function registersCommands(config: Config): boolean {
  return !config.shard || config.shard.ids.includes(0);
}

async function connect(client: Client, config: Config): Promise<Client<true>> {
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(config.discordToken);
  return ready;
}

/** Logs the client's trouble; a close Discord will not let it recover from is fatal. */
function watchGateway(client: Client, fatal: FatalSignal, log: Logger): void {
  client.on(Events.Error, (error) => log.error({ err: error }, 'Discord client error'));
  client.on(Events.Warn, (message) => log.warn(message));
  // discord.js emits this only for close codes it will not reconnect after (4004, 4010-4014).
  client.on(Events.ShardDisconnect, (event) =>
    fatal.raise(explainFatalClose(event.code, client.options.intents.toArray())),
  );
  client.on(Events.ShardError, (error, shardId) => {
    // A fatal close also arrives here as a bare "Authentication failed"; the fatal line says more.
    if (fatal.error === undefined) log.error({ err: error, shardId }, 'gateway connection error');
  });
}

/** Routes every interaction; `drain` stops taking new ones and waits (bounded) for those under way. */
function serveInteractions(
  client: Client,
  commands: readonly Command[],
  ctx: BotContext,
  observe?: InteractionObserver,
): { drain(): Promise<void> } {
  const route = createRouter(commands, ctx, observe);
  const underWay = new Set<Promise<void>>();
  const onInteraction = (interaction: Interaction): void => {
    const handled = route(interaction).finally(() => underWay.delete(handled));
    underWay.add(handled);
  };
  client.on(Events.InteractionCreate, onInteraction);
  return {
    async drain() {
      client.off(Events.InteractionCreate, onInteraction);
      await Promise.race([Promise.allSettled([...underWay]), delay(DRAIN_TIMEOUT_MS)]);
    },
  };
}

interface EventDeps {
  client: Client;
  lectures: LectureSource;
  store: QuizStore;
  graded: GradedAnswers;
  reviewNight: ReviewNightQuestions;
  log: Logger;
  clock: Clock;
  timing: EventTiming;
  owns: (guildId: string) => boolean;
}

/** The quiz event store, runner and Discord actions, wired to each other. */
function eventServices({
  client,
  lectures,
  store,
  graded,
  reviewNight,
  log,
  clock,
  timing,
  owns,
}: EventDeps): EventServices {
  const eventStore = new EventStore(store.keyv, { kv: store.kv });
  const scheduled = new DiscordScheduledEvents(client);
  const actions = new DiscordEventActions({
    client,
    lectures,
    scheduled,
    log,
    now: () => clock.now(),
    reviewNight,
    // Called only while the runner runs, so it is assigned by then.
    setDiscordEventId: (eventId, discordEventId) => runner.setDiscordEventId(eventId, discordEventId),
  });
  const runner: EventRunner = new EventRunner({
    store: eventStore,
    actions,
    scores: store,
    graded,
    now: () => clock.now(),
    timers: clock,
    log,
    owns,
    stepLocks: store.stepLocks,
    ...(timing.retryDelayMs === undefined ? {} : { retryDelayMs: timing.retryDelayMs }),
  });
  return {
    store: eventStore,
    runner,
    actions,
    scheduled,
    reviewNight,
    ...(timing.introSeconds === undefined ? {} : { introSeconds: timing.introSeconds }),
    ...(timing.revealSeconds === undefined ? {} : { revealSeconds: timing.revealSeconds }),
  };
}

/**
 * Builds each server's Redis set (when missing or behind) in the background after start-up, so the
 * first /quiz leaderboard after a restart does not pay the build. SQLite's and PostgreSQL's
 * leaderboard tables need nothing.
 * One guild at a time keeps the event loop free for clicks.
 */
function warmLeaderboards(store: QuizStore, guildIds: string[], log: Logger): void {
  void (async () => {
    for (const guildId of guildIds) {
      try {
        await store.warmLeaderboard(guildId);
      } catch (error) {
        log.warn({ err: error, guildId }, 'could not prepare the leaderboard; it will be built on first use');
      }
    }
  })();
}

/**
 * The cache of parsed lecture files, beside the SQLite store file (the folder the operator made
 * writable: data/ by default) or, with PostgreSQL, in data/ (each shard process reads it, and writes
 * it whole with a rename, so processes starting together never see half a file); none for a store
 * in memory.
 */
function openContentCache(storeUrl: string, log: Logger): ContentCache | undefined {
  const dir = localDataDir(storeUrl);
  if (dir === null) return undefined;
  try {
    return ContentCache.open(join(dir, 'content-cache.jsonl'), undefined, {
      onUnreadable: (file, reason) =>
        log.warn({ path: file }, `content: ${file}: ${reason}; its file was read again`),
    });
  } catch (error) {
    log.warn({ err: error }, 'content cache unavailable: every lecture file is parsed');
    return undefined;
  }
}

async function loadLectures(
  contentDir: string,
  log: Logger,
  cache: ContentCache | undefined,
  unverified: boolean,
): Promise<{ folder: ContentFolder; content: LoadedContent }> {
  let loaded: Awaited<ReturnType<typeof ContentFolder.load>>;
  try {
    loaded = await ContentFolder.load(contentDir, log, cache, { unverified });
  } catch (error) {
    throw new Error(
      `cannot read CONTENT_DIR "${contentDir}": ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const { folder, checked } = loaded;
  let { content } = loaded;
  let saved = true;
  if (cache?.stale) {
    try {
      cache.save();
      // The lectures just parsed now read their text and questions from the cache file on demand.
      folder.readBodiesFrom(cache);
      content = { ...content, lectures: [...folder.catalog.inLoadOrder, ...folder.catalog.shadowed] };
    } catch (error) {
      saved = false;
      log.warn(
        { err: error, file: cache.file },
        'could not save the content cache; the next start parses every file again',
      );
    }
  }
  // The cache now holds the folder as it is.
  if (checked && saved) cache?.folderChecked();
  for (const problem of content.problems)
    log.warn({ path: problem.path, line: problem.line }, formatProblem(problem));
  const rejected = new Set(content.problems.map((problem) => problem.path)).size;
  log.info(
    { files: content.fileCount, lectures: content.lectures.length, rejected },
    `loaded ${content.lectures.length} lectures from ${content.fileCount} files in ${contentDir}` +
      (rejected > 0 ? ` (${rejected} files skipped, see the warnings above)` : '') +
      (checked
        ? ''
        : ' (from the content cache; files changed since it was saved are read again once ready)'),
  );
  return { folder, content };
}

/**
 * Lectures hidden by an earlier one with the same id (two course snapshots side by side hide hundreds):
 * one warning with how many and the first, and each at debug level.
 */
function logShadowed(shadowed: readonly Lecture[], log: Logger): void {
  const [first] = shadowed;
  if (first === undefined) return;
  for (const lecture of shadowed) {
    log.debug({ path: lecture.path, id: lecture.id }, 'lecture skipped: another lecture already uses its id');
  }
  log.warn(
    { count: shadowed.length, path: first.path, id: first.id },
    shadowed.length === 1
      ? `lecture skipped: another lecture already uses its id (${first.id}, ${first.path})`
      : `${shadowed.length} lectures skipped: another lecture already uses each one's id (the first: ${first.id}, ${first.path}; LOG_LEVEL=debug lists them all)`,
  );
}

/** A failed registration is logged, not fatal: the commands Discord already has keep working. */
async function registerOnStart(
  client: Client<true>,
  store: QuizStore,
  config: Config,
  commands: readonly Command[],
  log: Logger,
): Promise<void> {
  try {
    await registerIfChanged(client.rest, store, targetOf(config), commands, log);
  } catch (error) {
    log.error(
      { err: error },
      'could not register slash commands; run npm run deploy once Discord is reachable',
    );
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
