// Runs the real entry point as a child process, the way `npm start` does (the compiled dist/index.js,
// with the node options of the start script; test/support/build-dist.ts builds it before the tests), or
// its TypeScript source through tsx as `npm run dev` does, and reads its pino log lines back.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { waitUntil } from './harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The node options and script of an npm script whose last command is `node [--options] <script>`. */
export function nodeCommand(script: string): { nodeArgs: string[]; script: string } {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> };
  const last = (pkg.scripts[script] ?? '').split('&&').at(-1) ?? '';
  const [node, ...words] = last.trim().split(/\s+/);
  const file = words.find((word) => !word.startsWith('-'));
  if (node !== 'node' || file === undefined)
    throw new Error(`npm run ${script} does not end in node <script>`);
  return { nodeArgs: words.slice(0, words.indexOf(file)), script: `${ROOT}${file}` };
}

/** What `npm start` runs. */
export const ENTRY = nodeCommand('start');
/** What `npm run deploy` runs. */
export const DEPLOY = nodeCommand('deploy');
/** The TypeScript source `npm run dev` runs through tsx (`tsx [--options] <script>`), with its options. */
export const DEV_ENTRY = ((): { nodeArgs: string[]; script: string } => {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> };
  const [tsx, ...words] = (pkg.scripts.dev ?? '').trim().split(/\s+/);
  const file = words.find((word) => !word.startsWith('-'));
  if (tsx !== 'tsx' || file === undefined) throw new Error('npm run dev is not tsx <script>');
  return { nodeArgs: words.slice(0, words.indexOf(file)), script: `${ROOT}${file}` };
})();
const TSX_LOADER = pathToFileURL(
  fileURLToPath(new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url)),
).href;
const SETTINGS = [
  'DISCORD_TOKEN',
  'DISCORD_CLIENT_ID',
  'DISCORD_GUILD_ID',
  'STORE_URL',
  'CONTENT_DIR',
  'DISCORD_API_URL',
  'LOG_LEVEL',
  'REDIS_URL',
  'SHARDS',
  'SHARD_LIST',
  'METRICS_PORT',
  'METRICS_HOST',
  'SANDBOX_PORT',
];

export interface BotProcess {
  child: ChildProcessWithoutNullStreams;
  stdout: string[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface LogRecord {
  level: number;
  msg: string;
}

const children: ChildProcessWithoutNullStreams[] = [];

/**
 * Runs `node <options> <script>` in `cwd` (with tsx's loader for a .ts script), with none of the bot's
 * settings in its environment but `env`'s.
 */
export function runEntryPoint(
  cwd: string,
  env: Record<string, string> = {},
  command: { nodeArgs: string[]; script: string } = ENTRY,
): BotProcess {
  const childEnv = { ...process.env, ...env };
  for (const key of SETTINGS) if (!(key in env)) delete childEnv[key];
  const loader = command.script.endsWith('.ts') ? ['--import', TSX_LOADER] : [];
  const child = spawn(process.execPath, [...command.nodeArgs, ...loader, command.script], {
    cwd,
    env: childEnv,
  });
  children.push(child);
  const bot: BotProcess = {
    child,
    stdout: [],
    stderr: [],
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.stdout
    .setEncoding('utf8')
    .on('data', (chunk: string) => bot.stdout.push(...chunk.split('\n').filter(Boolean)));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => bot.stderr.push(chunk));
  return bot;
}

/** For afterEach: kills every child still running. */
export function killChildren(): void {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** The pino lines (level and message); a line that is not JSON counts as a message at level 0. */
export function logRecords(bot: BotProcess): LogRecord[] {
  return bot.stdout.map((line) => {
    try {
      const { level, msg } = JSON.parse(line) as LogRecord;
      return { level, msg };
    } catch {
      return { level: 0, msg: line };
    }
  });
}

export function logMessages(bot: BotProcess): string[] {
  return logRecords(bot).map((record) => record.msg);
}

/** pino's level numbers: 50 is error, 60 fatal. */
export function errorMessages(bot: BotProcess): string[] {
  return logRecords(bot)
    .filter((record) => record.level >= 50)
    .map((record) => record.msg);
}

export async function waitForLog(bot: BotProcess, pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  await waitUntil(() => logMessages(bot).some((msg) => pattern.test(msg)), timeoutMs).catch(() => {
    throw new Error(`no log line ${pattern} in:\n${bot.stdout.join('\n')}\n${bot.stderr.join('')}`);
  });
}

/** Resolves with the exit, or rejects with the log if the process is still running after `timeoutMs`. */
export async function exitWithin(
  bot: BotProcess,
  timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `still running after ${timeoutMs} ms; log:\n${bot.stdout.join('\n')}\n${bot.stderr.join('')}`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([bot.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
