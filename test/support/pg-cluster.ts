// A PostgreSQL server of a test file's own, for the tests that stop and start it for real: the
// shared TEST_POSTGRES_URL server cannot be stopped under the other test files. A throwaway cluster
// in a temp folder (initdb, fsync off), on loopback and a free port, removed afterwards. PostgreSQL
// refuses to run as root, so as root its programs run as the postgres user (`su postgres`), which
// .ci/run's Debian package creates. The server binaries: /usr/lib/postgresql/<version>/bin (Debian's),
// else initdb and pg_ctl on the PATH. A test process killed before it could clean up leaves its cluster
// (and its server, which pg_ctl detached) behind: the next cluster made stops and removes those.
import { execFile, execFileSync } from 'node:child_process';
import {
  accessSync,
  chownSync,
  constants,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';

const DEBIAN_VERSIONS = '/usr/lib/postgresql';
const FOLDER_PREFIX = 'quizbot-pg-';
/** In each cluster's folder: the pid of the test process that made it. */
const OWNER_FILE = 'owner.pid';
/** Below Linux's ephemeral range (32768-60999): no outgoing connection takes the port while the server is down. */
const PORTS = { low: 20_000, high: 32_000 };

/** The folder with initdb and pg_ctl, or undefined when PostgreSQL's server programs are not installed. */
export const POSTGRES_BIN = findPostgresBin();

export type StopMode = 'immediate' | 'fast';

export class PgCluster {
  private running = false;
  private readonly onExit = (): void => this.stopNow();

  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    readonly port: number,
  ) {}

  /** A new cluster, started. About 3 s (initdb). */
  static async create(): Promise<PgCluster> {
    if (POSTGRES_BIN === undefined)
      throw new Error(
        `no PostgreSQL server programs (initdb, pg_ctl) in ${DEBIAN_VERSIONS}/*/bin or on the PATH: apt-get install postgresql`,
      );
    PgCluster.removeOrphans(POSTGRES_BIN);
    const dir = mkdtempSync(join(tmpdir(), FOLDER_PREFIX));
    writeFileSync(join(dir, OWNER_FILE), String(process.pid));
    if (asRoot()) chownSync(dir, postgresUid(), -1);
    const cluster = new PgCluster(POSTGRES_BIN, dir, await freePort());
    process.once('exit', cluster.onExit);
    try {
      await cluster.run('initdb', [
        '-D',
        cluster.data,
        '-A',
        'trust',
        '-U',
        'postgres',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
      ]);
      await cluster.start();
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
    return cluster;
  }

  /** Stops and removes the clusters of test processes that no longer run (a killed test run's). */
  private static removeOrphans(bin: string): void {
    for (const name of readdirSync(tmpdir())) {
      if (!name.startsWith(FOLDER_PREFIX)) continue;
      const dir = join(tmpdir(), name);
      let owner: number;
      try {
        owner = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
      } catch {
        continue; // being made right now, or not ours
      }
      if (!Number.isInteger(owner) || isRunning(owner)) continue;
      new PgCluster(bin, dir, 0).stopNow();
    }
  }

  /** The cluster's own `postgres` database. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** A new, empty database on the cluster, for one test. */
  async createDatabase(name: string): Promise<string> {
    const client = new pg.Client(this.url);
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    return `postgres://postgres@127.0.0.1:${this.port}/${name}`;
  }

  /** Starts the server (again) on its port, resolving once it accepts connections. */
  async start(): Promise<void> {
    // -k: the Unix socket in the temp folder, not /var/run/postgresql. fsync=off (and initdb
    // --no-sync) keep startup under a second and stay sound for what the tests check: a commit still
    // write()s its WAL to the OS before it is acknowledged (synchronous_commit stays on), and
    // `stop -m immediate` kills the server processes, not the OS, so that WAL survives in the page
    // cache and crash recovery replays it. Only a power cut would lose it, and no test makes one.
    const options = `-k ${this.dir} -h 127.0.0.1 -p ${this.port} -c fsync=off`;
    await this.run('pg_ctl', ['-D', this.data, '-l', this.logFile, '-o', options, '-w', '-t', '60', 'start']);
    this.running = true;
  }

  /**
   * Stops the server: 'immediate' kills it as a crash would (connections reset, crash recovery at the
   * next start); 'fast' ends every session with an error and shuts down cleanly.
   */
  async stop(mode: StopMode): Promise<void> {
    await this.run('pg_ctl', ['-D', this.data, '-m', mode, '-w', 'stop']);
    this.running = false;
  }

  /** The server's log, for a failure's message. */
  async log(): Promise<string> {
    return readFile(this.logFile, 'utf8').catch(() => '');
  }

  /** Stops the server if it runs and removes the cluster. */
  async destroy(): Promise<void> {
    process.off('exit', this.onExit);
    if (this.running) await this.stop('immediate').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private get data(): string {
    return join(this.dir, 'data');
  }

  private get logFile(): string {
    return join(this.dir, 'pg.log');
  }

  /** Last resort when the test process ends without destroy(): no server left running. */
  private stopNow(): void {
    if (!this.running && !existsSync(join(this.data, 'postmaster.pid'))) {
      rmSync(this.dir, { recursive: true, force: true });
      return;
    }
    const [file, args] = this.command('pg_ctl', ['-D', this.data, '-m', 'immediate', 'stop']);
    try {
      execFileSync(file, args, { stdio: 'ignore' });
    } catch {
      // Already gone.
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private run(program: string, args: string[]): Promise<void> {
    const [file, argv] = this.command(program, args);
    return new Promise((resolve, reject) => {
      execFile(file, argv, { cwd: this.dir }, (error, stdout, stderr) => {
        if (error === null) resolve();
        else reject(new Error(`${program} ${args.join(' ')} failed: ${stderr || stdout || error.message}`));
      });
    });
  }

  private command(program: string, args: string[]): [string, string[]] {
    const path = join(this.bin, program);
    if (!asRoot()) return [path, args];
    return ['su', ['postgres', '-c', [path, ...args].map(shellQuoted).join(' ')]];
  }
}

function findPostgresBin(): string | undefined {
  const hasPrograms = (dir: string): boolean =>
    ['initdb', 'pg_ctl', 'postgres'].every((program) => isExecutable(join(dir, program)));
  const versions = existsSync(DEBIAN_VERSIONS)
    ? readdirSync(DEBIAN_VERSIONS)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => join(DEBIAN_VERSIONS, version, 'bin'))
    : [];
  const onPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return [...versions, ...onPath].find(hasPrograms);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function asRoot(): boolean {
  return userInfo().uid === 0;
}

function postgresUid(): number {
  return Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
}

function shellQuoted(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A port nobody listens on, outside the ephemeral range. */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = PORTS.low + Math.floor(Math.random() * (PORTS.high - PORTS.low));
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port for PostgreSQL');
}
