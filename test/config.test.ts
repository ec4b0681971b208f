// Unit tests of src/config.ts. (They belong in test/config.test.ts; kept here while several people
// work in the tree, since test/e2e is this feature's folder.)
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, wantsSandbox } from '../src/config.js';

const valid = { DISCORD_TOKEN: 'token', DISCORD_CLIENT_ID: '123456789012345678' };

function problemsOf(env: Record<string, string>, sandbox = false): string[] {
  try {
    parseConfig(env, { sandbox });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseConfig', () => {
  it('GIVEN only the two required settings THEN the defaults fill the rest, frozen', () => {
    const config = parseConfig(valid);
    expect(config).toEqual({
      discordToken: 'token',
      clientId: '123456789012345678',
      guildId: null,
      storeUrl: 'sqlite://data/quizbot.sqlite',
      contentDir: 'content',
      contentWatch: true,
      apiUrl: null,
      logLevel: 'info',
      redisUrl: null,
      sharding: null,
      shard: null,
      metricsPort: null,
      metricsHost: '127.0.0.1',
      lectureLimits: { maxFileBytes: 1_048_576, maxLectures: 500, maxTotalBytes: 20_971_520 },
      lectureParseBudgetMs: 10_000,
      lectureCacheBytes: 134_217_728,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('GIVEN upload limits THEN sizes read as bytes, KB or MB, and a bad one is reported', () => {
    const config = parseConfig({
      ...valid,
      LECTURE_MAX_FILE_SIZE: '512KB',
      SERVER_MAX_LECTURES: '50',
      SERVER_MAX_LECTURE_SIZE: '5 MB',
    });
    expect(config.lectureLimits).toEqual({
      maxFileBytes: 524_288,
      maxLectures: 50,
      maxTotalBytes: 5_242_880,
    });
    expect(parseConfig({ ...valid, LECTURE_MAX_FILE_SIZE: '4096' }).lectureLimits?.maxFileBytes).toBe(4096);
    expect(problemsOf({ ...valid, LECTURE_MAX_FILE_SIZE: 'huge', SERVER_MAX_LECTURES: '0' })).toEqual([
      'LECTURE_MAX_FILE_SIZE is not valid: set it to a size such as 1MB, 512KB or 1048576 (bytes), at least 1KB',
      'SERVER_MAX_LECTURES is not valid: set it to a whole number of lectures, at least 1, such as 500',
    ]);
  });

  it('GIVEN a parse budget and a lecture cache size THEN they read as ms and bytes, and a bad one is reported', () => {
    const config = parseConfig({ ...valid, LECTURE_PARSE_TIMEOUT: '2s', LECTURE_CACHE_SIZE: '64MB' });
    expect(config.lectureParseBudgetMs).toBe(2000);
    expect(config.lectureCacheBytes).toBe(67_108_864);
    expect(parseConfig({ ...valid, LECTURE_PARSE_TIMEOUT: '1ms' }).lectureParseBudgetMs).toBe(1);
    expect(parseConfig({ ...valid, LECTURE_PARSE_TIMEOUT: '1min' }).lectureParseBudgetMs).toBe(60_000);
    expect(problemsOf({ ...valid, LECTURE_PARSE_TIMEOUT: 'soon', LECTURE_CACHE_SIZE: 'lots' })).toEqual([
      'LECTURE_PARSE_TIMEOUT is not valid: set it to a time such as 10s, 500ms or 10000 (milliseconds), from 1ms to 10min',
      'LECTURE_CACHE_SIZE is not valid: set it to a size such as 128MB, 64MB or 134217728 (bytes), at least 1KB',
    ]);
  });

  it('GIVEN empty optional settings (as in a copied .env.example) THEN they count as unset', () => {
    expect(
      parseConfig({ ...valid, DISCORD_GUILD_ID: '', DISCORD_API_URL: '', STORE_URL: '' }).guildId,
    ).toBeNull();
  });

  it('GIVEN every optional setting THEN each is read, and a trailing slash on the API URL is dropped', () => {
    const config = parseConfig({
      ...valid,
      DISCORD_GUILD_ID: '223456789012345678',
      STORE_URL: 'sqlite:///var/lib/quizbot/scores.sqlite',
      CONTENT_DIR: 'lectures',
      DISCORD_API_URL: 'http://127.0.0.1:8080/api/',
      LOG_LEVEL: 'debug',
      METRICS_PORT: '9464',
      METRICS_HOST: '0.0.0.0',
    });
    expect(config).toMatchObject({
      metricsPort: 9464,
      metricsHost: '0.0.0.0',
      guildId: '223456789012345678',
      storeUrl: 'sqlite:///var/lib/quizbot/scores.sqlite',
      contentDir: 'lectures',
      apiUrl: 'http://127.0.0.1:8080/api',
      logLevel: 'debug',
    });
  });

  it('GIVEN several problems THEN all are reported together, in plain words, without echoing values', () => {
    const problems = problemsOf({
      DISCORD_CLIENT_ID: 'my-app',
      DISCORD_GUILD_ID: '12',
      STORE_URL: 'mysql://db',
      DISCORD_API_URL: 'not a url',
      LOG_LEVEL: 'loud',
    });
    expect(problems.map((problem) => problem.split(':')[0])).toEqual([
      'DISCORD_TOKEN is missing',
      'DISCORD_CLIENT_ID is not valid',
      'DISCORD_GUILD_ID is not valid',
      'STORE_URL is not valid',
      'DISCORD_API_URL is not valid',
      'LOG_LEVEL is not valid',
    ]);
    expect(problems.join('\n')).not.toContain('my-app');
  });

  it.each(['65536', 'http', '-1', '94 64'])('GIVEN METRICS_PORT=%s THEN it is not valid', (port) => {
    expect(problemsOf({ ...valid, METRICS_PORT: port })).toEqual([
      expect.stringMatching(/^METRICS_PORT is not valid: set it to a TCP port/),
    ]);
  });

  it.each([
    [undefined, true],
    ['', true],
    ['true', true],
    ['FALSE', false],
  ])('GIVEN CONTENT_WATCH=%s THEN the content folder is watched: %s', (value, watched) => {
    expect(
      parseConfig({ ...valid, ...(value === undefined ? {} : { CONTENT_WATCH: value }) }).contentWatch,
    ).toBe(watched);
  });

  it('GIVEN CONTENT_WATCH=no THEN it is not valid', () => {
    expect(problemsOf({ ...valid, CONTENT_WATCH: 'no' })).toEqual([
      expect.stringMatching(/^CONTENT_WATCH is not valid: set it to true \(the default/),
    ]);
  });

  it('GIVEN a blank token THEN it is missing', () => {
    expect(problemsOf({ ...valid, DISCORD_TOKEN: '   ' })).toEqual([
      expect.stringMatching(/^DISCORD_TOKEN is missing: /),
    ]);
  });

  it('GIVEN PostgreSQL, Redis and shards THEN each is read', () => {
    const config = parseConfig({
      ...valid,
      STORE_URL: 'postgres://bot:secret@db.internal:5432/quizbot',
      REDIS_URL: 'redis://cache:6379',
      SHARDS: '4',
      SHARD_LIST: '3, 1,1',
    });
    expect(config).toMatchObject({
      storeUrl: 'postgres://bot:secret@db.internal:5432/quizbot',
      redisUrl: 'redis://cache:6379',
      sharding: { count: 4, list: [1, 3] },
      shard: null,
    });
    expect(parseConfig({ ...valid, STORE_URL: 'postgresql://db/q', SHARDS: 'auto' }).sharding).toEqual({
      count: 'auto',
      list: null,
    });
  });

  it('GIVEN settings that do not go together THEN each is named, all at once', () => {
    expect(problemsOf({ ...valid, REDIS_URL: 'redis://cache', SHARDS: '2', SHARD_LIST: '0' })).toEqual([
      expect.stringMatching(/^REDIS_URL needs a PostgreSQL STORE_URL/),
      expect.stringMatching(/^SHARDS needs a PostgreSQL STORE_URL/),
    ]);
    expect(problemsOf({ ...valid, STORE_URL: 'postgres://db/q', SHARDS: '2', SHARD_LIST: '0,2' })).toEqual([
      expect.stringMatching(/^SHARD_LIST is not valid: every shard id must be below SHARDS \(2\)/),
    ]);
    expect(problemsOf({ ...valid, SHARD_LIST: '0' })).toEqual([
      expect.stringMatching(/^SHARD_LIST needs SHARDS/),
    ]);
    // Alongside the other problems, not after they are fixed.
    expect(problemsOf({ DISCORD_CLIENT_ID: valid.DISCORD_CLIENT_ID, SHARDS: '3' })).toEqual([
      expect.stringMatching(/^DISCORD_TOKEN is missing/),
      expect.stringMatching(/^SHARDS needs a PostgreSQL STORE_URL/),
    ]);
    expect(
      problemsOf({ ...valid, SHARDS: 'many', REDIS_URL: 'http://x' }).map((p) => p.split(':')[0]),
    ).toEqual(['REDIS_URL is not valid', 'SHARDS is not valid']);
  });

  it('GIVEN one shard over SQLite THEN the manager may run it (one process owns the file)', () => {
    expect(parseConfig({ ...valid, SHARDS: '1' }).sharding).toEqual({ count: 1, list: null });
  });

  it('GIVEN a process the shard manager started THEN its shard comes from discord.js, not the SHARDS setting', () => {
    const config = parseConfig({
      ...valid,
      STORE_URL: 'postgres://db/q',
      SHARDING_MANAGER: 'true',
      SHARDS: '3',
      SHARD_COUNT: '4',
      SHARD_LIST: '3',
    });
    expect(config).toMatchObject({ sharding: null, shard: { ids: [3], count: 4 } });
  });
});

describe('the sandbox', () => {
  it('GIVEN no token outside production THEN npm start is the sandbox; under NODE_ENV=production it is not', () => {
    expect(wantsSandbox({}, [])).toBe(true);
    expect(wantsSandbox({ DISCORD_TOKEN: '  ', NODE_ENV: 'development' }, [])).toBe(true);
    expect(wantsSandbox({ NODE_ENV: 'production' }, [])).toBe(false);
    expect(wantsSandbox({ DISCORD_TOKEN: 'token' }, [])).toBe(false);
  });

  it('GIVEN --sandbox (npm run sandbox) THEN it is the sandbox even with a token, in production too', () => {
    expect(wantsSandbox({ DISCORD_TOKEN: 'token', NODE_ENV: 'production' }, ['--sandbox'])).toBe(true);
  });

  it('GIVEN the sandbox THEN Discord settings and STORE_URL are not read: its own store, port 3000 by default', () => {
    const config = parseConfig(
      { DISCORD_CLIENT_ID: 'not-an-id', STORE_URL: 'sqlite://data/quizbot.sqlite', CONTENT_DIR: 'lectures' },
      { sandbox: true },
    );
    expect(config).toMatchObject({
      storeUrl: 'sqlite://data/sandbox.sqlite',
      contentDir: 'lectures',
      sandbox: { port: 3000 },
    });
    expect(parseConfig({ SANDBOX_PORT: '4000' }, { sandbox: true }).sandbox).toEqual({ port: 4000 });
  });

  it('GIVEN a bad SANDBOX_PORT or LOG_LEVEL THEN the sandbox reports both, like the bot', () => {
    expect(problemsOf({ SANDBOX_PORT: 'http', LOG_LEVEL: 'loud' }, true).map((p) => p.split(':')[0])).toEqual(
      ['LOG_LEVEL is not valid', 'SANDBOX_PORT is not valid'],
    );
    expect(problemsOf({ SANDBOX_PORT: '70000' }, true)).toHaveLength(1);
  });
});
