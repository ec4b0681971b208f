// The bot's settings, read once from the environment. Every problem is reported at once, in plain
// words, before anything connects: a half-configured bot that fails later is harder to fix.
import {
  DEFAULT_LECTURE_CACHE_BYTES,
  DEFAULT_LECTURE_LIMITS,
  DEFAULT_PARSE_BUDGET_MS,
} from './library/limits.js';
import type { LectureLimits } from './library/limits.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  discordToken: string;
  clientId: string;
  /** Register commands to this server only (fast while developing); global when absent. */
  guildId: string | null;
  storeUrl: string;
  contentDir: string;
  /** Watch CONTENT_DIR and serve its changes without a restart (CONTENT_WATCH); on unless false. */
  contentWatch?: boolean;
  /** REST base for the client (an HTTP rate-limit proxy, or a local fake Discord in tests). */
  apiUrl: string | null;
  logLevel: LogLevel;
  /** Leaderboards as Redis sorted sets (PostgreSQL stores only); null: from the database's index. */
  redisUrl?: string | null;
  /** SHARDS / SHARD_LIST: this process starts a shard manager, one bot process per shard. */
  sharding?: ShardPlan | null;
  /** Set in a bot process the shard manager started: the shards it serves. */
  shard?: ShardAssignment | null;
  /** Serve /metrics and /healthz on this port (0: any free port); null or absent: no endpoint. */
  metricsPort?: number | null;
  /** The address the metrics endpoint listens on; loopback unless set. */
  metricsHost?: string;
  /**
   * Set when this run is the sandbox (src/sandbox/): the real bot against a local Discord. Its token,
   * client id and API URL are then the local Discord's, filled in when that starts.
   */
  sandbox?: SandboxSettings;
  /** What a server may upload with /lecture add; the defaults when absent. */
  lectureLimits?: LectureLimits;
  /** LECTURE_PARSE_TIMEOUT: an upload's check budget in the parser thread, in ms. */
  lectureParseBudgetMs?: number;
  /** LECTURE_CACHE_SIZE: uploaded lecture source kept parsed in memory, all servers together, in bytes. */
  lectureCacheBytes?: number;
}

export interface ShardPlan {
  /** Shards in all, across every machine; 'auto' takes Discord's recommendation. */
  count: 'auto' | number;
  /** The shards this machine runs; null: all of them. */
  list: number[] | null;
}

export interface ShardAssignment {
  ids: number[];
  count: number;
}

export interface SandboxSettings {
  /** Where the sandbox page is served, on 127.0.0.1 only (0: any free port). */
  port: number;
}

/** The sandbox keeps its own store, so trying things never touches a real bot's scores. */
export const SANDBOX_STORE_URL = 'sqlite://data/sandbox.sqlite';
export const DEFAULT_SANDBOX_PORT = 3000;

/**
 * Whether this start is the sandbox: asked for (`--sandbox`, as `npm run sandbox` does), or no
 * DISCORD_TOKEN outside production, so a fresh clone's `npm start` shows the bot at once. Under
 * NODE_ENV=production a missing token stays an error: a server must not quietly serve a sandbox.
 */
export function wantsSandbox(env: NodeJS.ProcessEnv, args: readonly string[]): boolean {
  if (args.includes('--sandbox')) return true;
  return (env.DISCORD_TOKEN ?? '').trim() === '' && env.NODE_ENV !== 'production';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `The configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

const SNOWFLAKE = /^\d{17,20}$/;

// What each setting is for, quoted in the message when it is missing or malformed.
const HINTS: Record<string, string> = {
  DISCORD_TOKEN: "the bot's token from the Discord Developer Portal (your application → Bot → Reset Token)",
  DISCORD_CLIENT_ID:
    'the application ID from the Developer Portal (General Information → Application ID), 17 to 20 digits',
  DISCORD_GUILD_ID:
    'a server ID (17 to 20 digits; Developer Mode → right-click the server → Copy Server ID), or leave it empty',
  STORE_URL:
    'a SQLite URL such as sqlite://data/quizbot.sqlite, or a PostgreSQL URL such as postgres://user:password@host:5432/quizbot',
  CONTENT_DIR: 'the folder holding the lecture markdown files, such as content',
  CONTENT_WATCH: 'true (the default: changes to CONTENT_DIR are served without a restart) or false',
  DISCORD_API_URL: 'an http(s) URL ending at /api, such as http://127.0.0.1:8080/api, or leave it empty',
  LOG_LEVEL: `one of ${LOG_LEVELS.join(', ')}`,
  REDIS_URL: 'a Redis URL such as redis://127.0.0.1:6379, or leave it empty',
  SHARDS: 'auto, or how many shards in all (a whole number from 1), or leave it empty for one process',
  SHARD_LIST:
    'the shard ids this machine runs, comma-separated (e.g. 0,1), each below SHARDS; or leave it empty',
  METRICS_PORT: 'a TCP port from 0 to 65535 for /metrics and /healthz, such as 9464, or leave it empty',
  METRICS_HOST: 'an address to serve metrics on, such as 127.0.0.1 (the default) or 0.0.0.0',
  SANDBOX_PORT: `a port number from 0 to 65535 (0: any free port), ${DEFAULT_SANDBOX_PORT} when empty`,
  LECTURE_MAX_FILE_SIZE: 'a size such as 1MB, 512KB or 1048576 (bytes), at least 1KB',
  SERVER_MAX_LECTURES: 'a whole number of lectures, at least 1, such as 500',
  SERVER_MAX_LECTURE_SIZE: 'a size such as 20MB, 512KB or 20971520 (bytes), at least 1KB',
  LECTURE_PARSE_TIMEOUT: 'a time such as 10s, 500ms or 10000 (milliseconds), from 1ms to 10min',
  LECTURE_CACHE_SIZE: 'a size such as 128MB, 64MB or 134217728 (bytes), at least 1KB',
};

/** `1MB`, `512KB`, `512 kB` or plain bytes; K and M count in 1,024s, as Discord shows file sizes. */
const SIZE = /^(\d+)\s*(b|kb|kib|mb|mib)?$/i;
const KIB = 1024;

function parseSize(text: string): number {
  const match = SIZE.exec(text.trim());
  const unit = match?.[2]?.toLowerCase()[0];
  const factor = unit === 'k' ? KIB : unit === 'm' ? KIB * KIB : 1;
  return match ? Number(match[1]) * factor : Number.NaN;
}

/** `10s`, `500ms`, `2min` or plain milliseconds. */
const DURATION = /^(\d+)\s*(ms|s|min)?$/i;

function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim());
  const unit = match?.[2]?.toLowerCase();
  const factor = unit === 's' ? 1000 : unit === 'min' ? 60_000 : 1;
  return match ? Number(match[1]) * factor : Number.NaN;
}

/** What a reader gives for a value it refuses. */
const INVALID: unique symbol = Symbol('invalid');
type Invalid = typeof INVALID;
/** Reads a setting that is set (not empty): its value, or INVALID. */
type Reader<T> = (text: string) => T | Invalid;

/** The text without surrounding spaces, if it then matches. */
const matching =
  (pattern: RegExp): Reader<string> =>
  (text) => {
    const trimmed = text.trim();
    return pattern.test(trimmed) ? trimmed : INVALID;
  };

const notBlank = matching(/\S/);

const oneOf =
  <T extends string>(values: readonly T[]): Reader<T> =>
  (text) =>
    values.find((value) => value === text) ?? INVALID;

/** A safe integer within [min, max]. */
function wholeNumber(value: number, min: number, max = Number.MAX_SAFE_INTEGER): number | Invalid {
  return Number.isSafeInteger(value) && value >= min && value <= max ? value : INVALID;
}

/** Digits (after trimming) as a whole number within [min, max]. */
const digits =
  (pattern: RegExp, min: number, max?: number): Reader<number> =>
  (text) => {
    const matched = matching(pattern)(text);
    return matched === INVALID ? INVALID : wholeNumber(Number(matched), min, max);
  };

const duration: Reader<number> = (text) => wholeNumber(parseDuration(text), 1, 600_000);
const size: Reader<number> = (text) => wholeNumber(parseSize(text), KIB);
const logLevel = oneOf(LOG_LEVELS);

/**
 * Reads settings one by one and notes each one that is not valid, so that every problem is reported
 * at once, in the order the settings were read.
 */
class SettingsReader {
  private readonly invalid: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** An optional setting (unset or empty: undefined); undefined too when not valid (and noted). */
  optional<T>(key: string, read: Reader<T>): T | undefined {
    const text = this.env[key];
    if (text === undefined || text === '') return undefined;
    return this.checked(key, read(text));
  }

  /** A setting that must be set; when it is not valid, '' (never used: `problems()` says why). */
  required(key: string, read: Reader<string>): string {
    const text = this.env[key];
    return this.checked(key, text === undefined ? INVALID : read(text)) ?? '';
  }

  /** Whether none of these settings was found not valid. */
  valid(...keys: string[]): boolean {
    return keys.every((key) => !this.invalid.includes(key));
  }

  /** One problem per setting that is not valid, naming it and what to set it to, never its value. */
  problems(): string[] {
    return this.invalid.map((key) => {
      const value = this.env[key];
      const state = value === undefined || value.trim() === '' ? 'is missing' : 'is not valid';
      return `${key} ${state}: set it to ${HINTS[key] ?? 'a valid value'}`;
    });
  }

  private checked<T>(key: string, value: T | Invalid): T | undefined {
    if (value !== INVALID) return value;
    this.invalid.push(key);
    return undefined;
  }
}

/** The settings that must go together, as read. */
interface Combined {
  STORE_URL: string | undefined;
  REDIS_URL: string | undefined;
  SHARDS: string | undefined;
  SHARD_LIST: string | undefined;
}

/** Settings that are valid alone but not together; each problem names the setting to change. */
function combinationProblems(values: Combined, shard: ShardAssignment | null): string[] {
  const problems: string[] = [];
  const postgres = /^postgres(ql)?:/.test(values.STORE_URL ?? '');
  if (values.REDIS_URL !== undefined && !postgres) {
    problems.push('REDIS_URL needs a PostgreSQL STORE_URL: leaderboards in Redis are rebuilt from it');
  }
  if (shard !== null) return problems;
  const count =
    values.SHARDS === undefined || values.SHARDS === 'auto' ? values.SHARDS : Number(values.SHARDS);
  if (count !== undefined && count !== 1 && !postgres) {
    problems.push(
      'SHARDS needs a PostgreSQL STORE_URL (postgres://...) for more than one shard: shard processes cannot share a SQLite file',
    );
  }
  if (values.SHARD_LIST !== undefined) {
    if (count === undefined)
      problems.push('SHARD_LIST needs SHARDS: set SHARDS to the number of shards in all');
    else if (typeof count === 'number' && parseShardList(values.SHARD_LIST).some((id) => id >= count)) {
      problems.push(`SHARD_LIST is not valid: every shard id must be below SHARDS (${count})`);
    }
  }
  return problems;
}

function parseShardList(list: string): number[] {
  return [...new Set(list.split(',').map((id) => Number(id.trim())))].sort((a, b) => a - b);
}

/**
 * A process the shard manager started: discord.js hands it its shard in SHARDS and SHARD_COUNT
 * (replacing the manager's own SHARDS setting) with SHARDING_MANAGER=true.
 */
function assignedShard(env: NodeJS.ProcessEnv): ShardAssignment | null {
  if (env.SHARDING_MANAGER !== 'true') return null;
  const ids = (env.SHARDS ?? '').split(',').map((id) => Number(id.trim()));
  const count = Number(env.SHARD_COUNT);
  if (
    !Number.isInteger(count) ||
    count < 1 ||
    ids.some((id) => !Number.isInteger(id) || id < 0 || id >= count)
  )
    return null;
  return { ids, count };
}

export function parseConfig(env: NodeJS.ProcessEnv, options: { sandbox?: boolean } = {}): Config {
  if (options.sandbox === true) return parseSandboxConfig(env);
  const shard = assignedShard(env);
  // In a shard process SHARDS is discord.js's shard id, not the setting; SHARD_LIST is the manager's.
  const settings = new SettingsReader(
    shard === null ? env : { ...env, SHARDS: undefined, SHARD_LIST: undefined },
  );
  const discordToken = settings.required('DISCORD_TOKEN', notBlank);
  const clientId = settings.required('DISCORD_CLIENT_ID', matching(SNOWFLAKE));
  const guildId = settings.optional('DISCORD_GUILD_ID', matching(SNOWFLAKE));
  const storeUrl = settings.optional('STORE_URL', matching(/^(sqlite|postgres|postgresql):\/\/.+/));
  const contentDir = settings.optional('CONTENT_DIR', notBlank);
  const contentWatch = settings.optional('CONTENT_WATCH', (text) =>
    oneOf(['true', 'false'])(text.trim().toLowerCase()),
  );
  const apiUrl = settings.optional('DISCORD_API_URL', matching(/^https?:\/\/[^\s]+$/));
  const level = settings.optional('LOG_LEVEL', logLevel);
  const redisUrl = settings.optional('REDIS_URL', matching(/^rediss?:\/\/.+/));
  const shards = settings.optional('SHARDS', matching(/^(auto|[1-9]\d{0,4})$/));
  const shardList = settings.optional('SHARD_LIST', matching(/^\d{1,5}(\s*,\s*\d{1,5})*$/));
  const metricsPort = settings.optional('METRICS_PORT', digits(/^\d{1,5}$/, 0, 65_535));
  const metricsHost = settings.optional('METRICS_HOST', matching(/^[^\s/]+$/));
  const maxFileBytes = settings.optional('LECTURE_MAX_FILE_SIZE', size);
  const maxLectures = settings.optional('SERVER_MAX_LECTURES', digits(/^\d+$/, 1));
  const maxTotalBytes = settings.optional('SERVER_MAX_LECTURE_SIZE', size);
  const parseBudgetMs = settings.optional('LECTURE_PARSE_TIMEOUT', duration);
  const cacheBytes = settings.optional('LECTURE_CACHE_SIZE', size);
  // Combinations are checked even when other settings are wrong, so every problem shows at once.
  const combined = settings.valid('STORE_URL', 'REDIS_URL', 'SHARDS', 'SHARD_LIST')
    ? combinationProblems(
        { STORE_URL: storeUrl, REDIS_URL: redisUrl, SHARDS: shards, SHARD_LIST: shardList },
        shard,
      )
    : [];
  const problems = [...new Set([...settings.problems(), ...combined])];
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    discordToken,
    clientId,
    guildId: guildId ?? null,
    storeUrl: storeUrl ?? 'sqlite://data/quizbot.sqlite',
    contentDir: contentDir ?? 'content',
    contentWatch: contentWatch !== 'false',
    apiUrl: apiUrl?.replace(/\/+$/, '') ?? null,
    logLevel: level ?? 'info',
    redisUrl: redisUrl ?? null,
    sharding:
      shard !== null || shards === undefined
        ? null
        : Object.freeze({
            count: shards === 'auto' ? 'auto' : Number(shards),
            list: shardList === undefined ? null : parseShardList(shardList),
          }),
    shard: shard === null ? null : Object.freeze(shard),
    metricsPort: metricsPort ?? null,
    metricsHost: metricsHost ?? '127.0.0.1',
    lectureLimits: Object.freeze({
      maxFileBytes: maxFileBytes ?? DEFAULT_LECTURE_LIMITS.maxFileBytes,
      maxLectures: maxLectures ?? DEFAULT_LECTURE_LIMITS.maxLectures,
      maxTotalBytes: maxTotalBytes ?? DEFAULT_LECTURE_LIMITS.maxTotalBytes,
    }),
    lectureParseBudgetMs: parseBudgetMs ?? DEFAULT_PARSE_BUDGET_MS,
    lectureCacheBytes: cacheBytes ?? DEFAULT_LECTURE_CACHE_BYTES,
  });
}

// The sandbox reads only what it uses: its Discord, token and store are its own.
function parseSandboxConfig(env: NodeJS.ProcessEnv): Config {
  const settings = new SettingsReader(env);
  const contentDir = settings.optional('CONTENT_DIR', notBlank);
  const level = settings.optional('LOG_LEVEL', logLevel);
  // A number as JavaScript reads one (Number()), as the sandbox always has.
  const port = settings.optional('SANDBOX_PORT', (text) => wholeNumber(Number(text), 0, 65_535));
  const problems = settings.problems();
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    discordToken: '',
    clientId: '',
    guildId: null,
    storeUrl: SANDBOX_STORE_URL,
    contentDir: contentDir ?? 'content',
    apiUrl: null,
    logLevel: level ?? 'info',
    sandbox: Object.freeze({ port: port ?? DEFAULT_SANDBOX_PORT }),
  });
}
