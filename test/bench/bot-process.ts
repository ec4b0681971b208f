// Starts a bot (the real one, or the bare discord.js bot) as a child process pointed at a fake Discord,
// and always stops it again: on a normal end, on an error, and when the bench itself is interrupted.
// The bot runs in its own process because a bot and a fake sharing one event loop distort the tail.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeDiscord } from '../../src/sandbox/fake-discord.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The bot's TypeScript source (run through tsx, as `npm run dev` does). */
export const QUIZ_ENTRY = 'src/index.ts';
export const BARE_ENTRY = 'test/bench/bare-bot.ts';

export interface Entry {
  entry: string;
  /** false for JavaScript run by plain node. */
  tsx: boolean;
}

let built: string | undefined;

/**
 * Each bot as it is meant to run: the quiz bot as `npm start` runs it (its build script, then the
 * compiled entry), the bare bot bundled to JavaScript the same way. Built once per bench process.
 */
export function botEntry(kind: 'quiz' | 'bare'): Entry {
  if (kind === 'bare') return { entry: compiledForBench(BARE_ENTRY), tsx: false };
  return { entry: builtBot(), tsx: false };
}

/** dist/ as `npm start` builds it (once per bench process); the compiled entry it runs. */
export function builtBot(): string {
  built ??= buildAsStarted();
  return built;
}

function buildAsStarted(): string {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const start = readStartScript().split('&&').at(-1) ?? '';
  const entry = start
    .trim()
    .split(/\s+/)
    .slice(1)
    .find((word) => !word.startsWith('-'));
  if (!entry?.endsWith('.js')) throw new Error(`npm start does not run a compiled entry: ${start}`);
  return entry;
}

function readStartScript(): string {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts?: Record<string, string> };
  return pkg.scripts?.start ?? '';
}

/**
 * `entry` (a .ts file under ROOT) bundled to JavaScript by the build script, as the bot is, into
 * dist/bench/, so that it runs on plain node and loads its packages as the bot does; returns its path
 * relative to ROOT. Dependencies stay in node_modules.
 */
export function compiledForBench(entry: string): string {
  execFileSync(process.execPath, ['src/build.js', entry, join('dist', 'bench')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  return join('dist', 'bench', basename(entry).replace(/\.ts$/, '.js'));
}

/** Long enough for a cold tsx compile of the bot plus loading the whole corpus. */
const READY_TIMEOUT_MS = 30_000;
/** The bot drains for up to 5 s on SIGTERM; past this the bench kills it. */
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_KEPT = 8_000;

export interface BotProcessOptions {
  entry: string;
  fake: FakeDiscord;
  storeUrl?: string;
  contentDir?: string;
  /** Extra environment, e.g. for a bench-only variant of the bot. */
  env?: Record<string, string>;
  /** Modules loaded with --import before the entry (bench-only variants of the bot). */
  preload?: string[];
  /** Node options, e.g. those of `npm start`, or --expose-gc for the memory probe. */
  nodeArgs?: string[];
  /** false for an entry already compiled to JavaScript: no tsx loader in the process. */
  tsx?: boolean;
}

export interface BotProcess {
  readonly pid: number;
  /** Resolves with the exit code when the process ends, however it ends. */
  readonly exited: Promise<number | null>;
  /** The tail of stdout and stderr together (warnings and errors only at LOG_LEVEL=warn). */
  output(): string;
  /** Log lines at warn level or above, plus anything written to stderr. */
  problems(): number;
  memory(): { rssMb: number; peakRssMb: number };
  /** CPU time used so far (ms): the main (JavaScript) thread, and every thread together. */
  cpu(): CpuTime;
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL if it has not exited within the timeout. Resolves once it has exited. */
  stop(): Promise<number | null>;
}

const live = new Set<ChildProcess>();
let exitHooked = false;

/** Whatever happens to the bench, no bot outlives it. */
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of live) child.kill('SIGKILL');
      process.exit(130);
    });
  }
}

/**
 * The node options `npm start` gives the bot (e.g. `tsx --max-old-space-size=512 src/index.ts`), so
 * the bench measures the bot as it is run. Only `--flag` and `--flag=value` tokens are taken.
 */
export function startFlags(): string[] {
  const tokens = readStartScript().split(/\s+/);
  const flags: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (token === '--import' || token === '--require') i += 1;
    else if (/^--[a-z][a-z0-9-]*(=\S+)?$/.test(token)) flags.push(token);
  }
  return flags;
}

export async function startBotProcess(opts: BotProcessOptions): Promise<BotProcess> {
  hookExit();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DISCORD_TOKEN: 'bench-token',
    DISCORD_CLIENT_ID: opts.fake.applicationId,
    DISCORD_API_URL: opts.fake.apiUrl,
    LOG_LEVEL: 'warn',
    ...(opts.storeUrl === undefined ? {} : { STORE_URL: opts.storeUrl }),
    ...(opts.contentDir === undefined ? {} : { CONTENT_DIR: opts.contentDir }),
    ...opts.env,
  };
  // e.g. BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the bots (not allowed in NODE_OPTIONS).
  const nodeArgs = [
    ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== ''),
    ...(opts.nodeArgs ?? []),
  ];
  // Without tsx in the process, a TypeScript preload is bundled to JavaScript first.
  const preload = (opts.preload ?? []).flatMap((module) => [
    '--import',
    `./${opts.tsx === false && module.endsWith('.ts') ? compiledForBench(module) : module}`,
  ]);
  const loader = opts.tsx === false ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...nodeArgs, ...loader, ...preload, opts.entry], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    });
  });

  let tail = '';
  let problems = 0;
  const keep = (text: string): void => {
    tail = (tail + text).slice(-OUTPUT_KEPT);
  };
  child.stdout.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    // pino levels: 40 warn, 50 error, 60 fatal.
    problems += (text.match(/"level":(4|5|6)0/g) ?? []).length;
    keep(text);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    problems += text.split('\n').filter((line) => line.trim() !== '').length;
    keep(text);
  });

  const handle: BotProcess = {
    get pid() {
      return child.pid ?? -1;
    },
    exited,
    output: () => tail,
    problems: () => problems,
    memory: () => readMemory(child.pid ?? -1),
    cpu: () => readCpu(child.pid ?? -1),
    signal: (signal) => void child.kill(signal),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };

  try {
    await Promise.race([
      opts.fake.waitForIdentify(READY_TIMEOUT_MS),
      exited.then((code) => {
        throw new Error(`${opts.entry} exited with code ${code} before it connected:\n${tail}`);
      }),
    ]);
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return handle;
}

/** VmRSS and VmHWM (peak) of a process, in MB (10^6 bytes). */
export function readMemory(pid: number): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rssMb: (kb('VmRSS') * 1024) / 1e6, peakRssMb: (kb('VmHWM') * 1024) / 1e6 };
}

export interface CpuTime {
  mainMs: number;
  totalMs: number;
}

/** Clock ticks per second for /proc times; 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

/** utime + stime of every thread, from /proc/<pid>/task/<tid>/stat. */
export function readCpu(pid: number): CpuTime {
  const cpu: CpuTime = { mainMs: 0, totalMs: 0 };
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    // The thread name sits in parentheses and may hold spaces; the numeric fields follow it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
    cpu.totalMs += ms;
    if (tid === String(pid)) cpu.mainMs += ms;
  }
  return cpu;
}

/** CPU time (ms) the whole machine spent busy so far, all cores together, from /proc/stat. */
export function readMachineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal ...
  const [, user, nice, system, , , irq, softirq, steal] = line.split(/\s+/).map(Number);
  return (
    (((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * 1000) /
    CLOCK_TICKS
  );
}
