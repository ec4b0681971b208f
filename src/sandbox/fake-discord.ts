// A fake Discord on 127.0.0.1 for end-to-end tests: an HTTP server for the REST API and a `ws` gateway on the
// same port. A real discord.js Client talks to it through `rest: { api: fake.apiUrl }`; payload shapes follow
// /work/shared/docs/discord-testing.md (measured against discord.js 14.28).
import { randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { AttachmentStore, type AttachmentJson, type StoredAttachment } from './attachments.js';

// Raw Discord JSON: the shapes are Discord's, not ours, so the public records keep them loose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface FakeUser {
  id: string;
  username: string;
}

export interface FakeGuildSpec {
  id: string;
  name: string;
  /** `type` defaults to 0 (text channel) */
  channels: { id: string; name: string; type?: number }[];
}

export interface RecordedRequest {
  method: string;
  /** decoded, after /api/v10, e.g. '/channels/1/messages' */
  path: string;
  query: URLSearchParams;
  /** parsed JSON body, or `payload_json` of a multipart body; undefined when there was none */
  body: Json;
  at: number;
  headers: IncomingHttpHeaders;
  /** files of a multipart body (field name, file name, size in bytes, content type, the bytes) */
  files?: FakeFile[];
}

/** A file the bot uploaded (a reply's attachment), bytes included so tests can read it. */
export interface FakeFile {
  field: string;
  name: string;
  size: number;
  type: string;
  bytes: Buffer;
}

/** An attachment as Discord puts it in `data.resolved.attachments` of a command. */
export interface FakeAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
}

/** How the fake's CDN serves a hosted attachment. */
export interface HostOptions {
  /** The size Discord reports in the payload (default: the real size). */
  reportedSize?: number;
  /** Answer with this status and no file (e.g. 404, 500). */
  status?: number;
  /** Send the headers and never the body: a download that hangs. */
  hang?: boolean;
  /** No Content-Length: the body arrives in chunks, its size unknown until the end. */
  chunked?: boolean;
  contentType?: string;
}

export interface FakeMessage {
  id: string;
  channelId: string;
  author: FakeUser;
  content?: string;
  embeds: Json[];
  components: Json[];
  flags?: number;
  /** how many times the message was edited (PATCH, or an interaction callback of type 7) */
  edits: number;
  guildId?: string;
  createdAt?: number;
  editedAt?: number;
  deleted?: boolean;
  /** the interaction whose reply or follow-up this message is */
  interactionId?: string;
  /** who caused that interaction, and the command's name: kept with the message, as Discord does */
  interaction?: MessageInteraction;
  /** a deferred reply (callback type 5) not yet filled: Discord shows "is thinking..." */
  loading?: boolean;
  /** files uploaded with the message (multipart), in order */
  attachments?: StoredAttachment[];
  /** files the bot attached (the latest edit's, when an edit sent files), bytes included for tests */
  files?: FakeFile[];
}

export interface MessageInteraction {
  id: string;
  type: number;
  user: FakeUser;
  /** the slash command's name, for commands */
  name?: string;
}

/** What changed, for a page that shows the local Discord live (src/sandbox/server.ts). */
export type FakeChange =
  | { kind: 'message'; message: FakeMessage }
  | { kind: 'scheduled-events'; guildId: string }
  | { kind: 'commands' };

/** Everything a restart of the local Discord keeps (the sandbox saves it beside its store). */
export interface FakeSnapshot {
  version: 1;
  messages: (Omit<FakeMessage, 'attachments'> & { attachments?: SnapshotAttachment[] })[];
  commands: [string, Json[]][];
  scheduledEvents: Json[];
  users: FakeUser[];
}

interface SnapshotAttachment {
  id: string;
  filename: string;
  contentType: string;
  base64: string;
}

export interface CallbackRecord {
  interactionId: string;
  token: string;
  type: number;
  data: Json;
  at: number;
}

export interface StartOptions {
  guilds?: FakeGuildSpec[];
  applicationId?: string;
  botUser?: FakeUser;
  /** users GET /users/{id} and GET /guilds/{id}/members/{id} know before any interaction names them */
  users?: FakeUser[];
  /**
   * The bot's own permissions (a bitfield string): its managed role's and every interaction's
   * `app_permissions`. Defaults to ADMIN_PERMISSIONS.
   */
  botPermissions?: string;
  /**
   * The fake's time, for the snowflakes of interactions and messages (a click's time is read from
   * its snowflake) and the nonce window; tests that move the bot's clock pass the same one.
   */
  now?: () => number;
  /**
   * Answer every IDENTIFY and RESUME by closing the connection with this code, as Discord does for a
   * bad token (4004) or intents it refuses (4013 invalid, 4014 privileged but not enabled).
   */
  identifyCloseCode?: number;
  /** The port to listen on (127.0.0.1 only); any free one when absent. */
  port?: number;
  /**
   * The bot's token: when set, REST calls must carry `Authorization: Bot <token>` (401 otherwise)
   * and IDENTIFY the same token (closed with 4004 otherwise), as Discord checks.
   */
  token?: string;
  /** State saved by `snapshot()` of an earlier run: messages, commands, scheduled events. */
  restore?: FakeSnapshot;
}

/** Discord returns the message already made for a repeated nonce within this window. */
export const NONCE_WINDOW_MS = 5 * 60_000;

export interface InteractionTarget {
  user?: FakeUser;
  guildId?: string;
  channelId?: string;
  /** the invoking member's permissions (a bitfield string); defaults to MEMBER_PERMISSIONS */
  permissions?: string;
  /** send as a DM interaction: `user` instead of `member`, no guild */
  dm?: boolean;
}

export const EPHEMERAL = 64;

/** ViewChannel, SendMessages, EmbedLinks, ReadMessageHistory, AddReactions, UseApplicationCommands. */
export const MEMBER_PERMISSIONS = String(
  (1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 16n) | (1n << 6n) | (1n << 31n),
);
/** Every permission bit Discord defines today, Administrator included. */
export const ADMIN_PERMISSIONS = String((1n << 51n) - 1n);

const DISCORD_EPOCH = 1420070400000n;

/** Makes real-looking snowflakes (19 digits today), strictly increasing for each maker. */
export function snowflakeMaker(now: () => number = Date.now): () => string {
  let last = 0n;
  return () => {
    let id = (BigInt(Math.floor(now())) - DISCORD_EPOCH) << 22n;
    if (id <= last) id = last + 1n;
    last = id;
    return id.toString();
  };
}

/** A real-looking snowflake made now, strictly increasing within the process. */
export const snowflake = snowflakeMaker();

export function user(id: string, username?: string): FakeUser {
  return { id, username: username ?? `user${id.slice(-4)}` };
}

const KNOWN_ERRORS: Record<number, string> = {
  10003: 'Unknown Channel',
  10004: 'Unknown Guild',
  10007: 'Unknown Member',
  10008: 'Unknown Message',
  10013: 'Unknown User',
  10015: 'Unknown Webhook',
  10062: 'Unknown interaction',
  10063: 'Unknown application command',
  10070: 'Unknown Guild Scheduled Event',
  40060: 'Interaction has already been acknowledged.',
  50001: 'Missing Access',
  50013: 'Missing Permissions',
  50035: 'Invalid Form Body',
};

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function obj(value: unknown): Obj {
  return isObj(value) ? value : {};
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const noContent: Reply = { status: 204 };

function ok(body: unknown): Reply {
  return { status: 200, body };
}

function error(status: number, code: number, message?: string): Reply {
  return { status, body: { code, message: message ?? KNOWN_ERRORS[code] ?? 'Fake Discord error' } };
}

interface Session {
  id: string;
  seq: number;
}

interface Connection {
  socket: WebSocket;
  session?: Session;
  /** READY and every GUILD_CREATE were sent (or the session RESUMED) */
  ready: boolean;
}

interface InteractionState {
  id: string;
  token: string;
  type: number;
  user: FakeUser;
  guildId?: string;
  channelId: string;
  /** for component interactions: the message the component sits on */
  message?: FakeMessage;
  /** the command's name, for commands and autocomplete */
  name?: string;
  acknowledged: boolean;
  original?: FakeMessage;
  followUps: FakeMessage[];
}

interface Waiter<T> {
  match: (value: T) => boolean;
  resolve: (value: T) => void;
}

interface Failure {
  predicate: (r: RecordedRequest) => boolean;
  status: number;
  code: number;
  message?: string;
  left: number;
}

/** A route's captured path segments, in order ('' past the last one). */
type RouteParams = [string, string, string];

type Handler = (req: RecordedRequest, params: RouteParams) => Reply;

export class FakeDiscord {
  readonly apiUrl: string;
  readonly gatewayUrl: string;
  readonly applicationId: string;
  readonly botUser: FakeUser;
  readonly guilds: FakeGuildSpec[];
  readonly botPermissions: string;
  readonly now: () => number;
  /** Ids as Discord makes them, from this fake's clock: a click's time is read from its id. */
  private readonly newId: () => string;
  /** See StartOptions.identifyCloseCode; `rejectAuthentication` changes it while running. */
  private identifyCloseCode: number | null;
  readonly requests: RecordedRequest[] = [];
  readonly callbacks: CallbackRecord[] = [];
  /** IDENTIFY payloads (`d`) in arrival order, e.g. to assert the intents asked for */
  readonly identifies: Json[] = [];
  /** RESUME payloads (`d`) in arrival order */
  readonly resumes: Json[] = [];

  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private readonly sessions = new Map<string, Session>();
  private readonly interactions = new Map<string, InteractionState>();
  private readonly interactionsByToken = new Map<string, InteractionState>();
  private readonly messages = new Map<string, FakeMessage>();
  private readonly channelPosts = new Map<string, FakeMessage[]>();
  private readonly users = new Map<string, FakeUser>();
  private readonly commands = new Map<string, Obj[]>(); // key: 'global' or a guild id
  private readonly commandIds = new Map<string, string>();
  private readonly events = new Map<string, Obj>();
  private readonly failures: Failure[] = [];
  private readonly intercepts: {
    predicate: (r: RecordedRequest) => boolean;
    run: (r: RecordedRequest) => void;
  }[] = [];
  /** `${channelId}|${nonce}` of messages posted with enforce_nonce, for Discord's de-duplication. */
  private readonly nonces = new Map<string, FakeMessage>();
  private readonly callbackWaiters: Waiter<CallbackRecord>[] = [];
  private readonly requestWaiters: Waiter<RecordedRequest>[] = [];
  private readonly readyWaiters: (() => void)[] = [];
  private readonly routes: [string, RegExp, Handler][];
  private readonly token: string | null;
  private readonly changeListeners = new Set<(change: FakeChange) => void>();
  /** uploaded files of each multipart request, kept out of the recorded request */
  private readonly uploads = new WeakMap<RecordedRequest, Upload[]>();
  readonly attachments: AttachmentStore;
  /** How tests asked the CDN to serve an attachment (a failure, a hang, chunks). */
  private readonly hostOptions = new Map<string, HostOptions>();

  private constructor(http: Server, wss: WebSocketServer, port: number, opts: StartOptions) {
    this.http = http;
    this.wss = wss;
    this.apiUrl = `http://127.0.0.1:${port}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port}/gateway`;
    this.botUser = opts.botUser ?? user('100000000000000001', 'QuizBot');
    this.applicationId = opts.applicationId ?? this.botUser.id;
    this.guilds = opts.guilds ?? [
      {
        id: '200000000000000001',
        name: 'Study Group',
        channels: [{ id: '300000000000000001', name: 'quiz' }],
      },
    ];
    this.botPermissions = opts.botPermissions ?? ADMIN_PERMISSIONS;
    this.now = opts.now ?? (() => Date.now());
    this.newId = snowflakeMaker(this.now);
    this.identifyCloseCode = opts.identifyCloseCode ?? null;
    this.users.set(this.botUser.id, this.botUser);
    for (const u of opts.users ?? []) this.users.set(u.id, u);
    this.routes = this.buildRoutes();
    this.token = opts.token ?? null;
    this.attachments = new AttachmentStore(`http://127.0.0.1:${port}/attachments`, this.newId);
    if (opts.restore) this.restore(opts.restore);
  }

  static async start(opts: StartOptions = {}): Promise<FakeDiscord> {
    const http = createServer();
    const wss = new WebSocketServer({ server: http, path: '/gateway' });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = listeningAddress(http);
    const fake = new FakeDiscord(http, wss, port, opts);
    http.on('request', (req, res) => {
      if (req.url?.startsWith('/attachments/')) {
        fake.serveAttachment(req, res);
        return;
      }
      fake.handleHttp(req).then(
        (reply) => {
          const headers: Record<string, string> = { ...reply.headers };
          // No Content-Type on 204: @discordjs/rest would try to parse an empty body as JSON.
          if (reply.body !== undefined) headers['Content-Type'] = 'application/json';
          res.writeHead(reply.status, headers);
          res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
        },
        (err: unknown) => {
          res.writeHead(500, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ code: 0, message: `fake-discord crashed: ${String(err)}` }));
        },
      );
    });
    wss.on('connection', (socket) => fake.onGatewayConnection(socket));
    return fake;
  }

  // ---------------------------------------------------------------- waiting

  /** Resolves once an open gateway connection has been sent READY and its GUILD_CREATEs (or RESUMED). */
  waitForIdentify(timeoutMs = 10_000): Promise<void> {
    if ([...this.connections].some((c) => c.ready)) return Promise.resolve();
    return withTimeout(
      new Promise<void>((resolve) => this.readyWaiters.push(resolve)),
      timeoutMs,
      () => `no gateway client identified within ${timeoutMs} ms`,
    );
  }

  /** The first callback for that interaction id, whether it already happened or happens later. */
  waitForCallback(interactionId: string, timeoutMs = 3000): Promise<CallbackRecord> {
    return this.waitIn(
      this.callbacks,
      this.callbackWaiters,
      (c) => c.interactionId === interactionId,
      timeoutMs,
      () => `no callback for interaction ${interactionId} within ${timeoutMs} ms; ${this.recentRequests()}`,
    );
  }

  /** The first request (already recorded or still to come) matching the predicate. */
  waitForRequest(predicate: (r: RecordedRequest) => boolean, timeoutMs = 3000): Promise<RecordedRequest> {
    return this.waitIn(
      this.requests,
      this.requestWaiters,
      predicate,
      timeoutMs,
      () => `no matching request within ${timeoutMs} ms; ${this.recentRequests()}`,
    );
  }

  private waitIn<T>(
    seen: T[],
    waiters: Waiter<T>[],
    match: (value: T) => boolean,
    timeoutMs: number,
    describe: () => string,
  ): Promise<T> {
    const found = seen.find(match);
    if (found !== undefined) return Promise.resolve(found);
    let waiter: Waiter<T> | undefined;
    const promise = new Promise<T>((resolve) => {
      waiter = { match, resolve };
      waiters.push(waiter);
    });
    return withTimeout(promise, timeoutMs, describe, () => {
      const i = waiter ? waiters.indexOf(waiter) : -1;
      if (i >= 0) waiters.splice(i, 1);
    });
  }

  private notify<T>(waiters: Waiter<T>[], value: T): void {
    for (const w of [...waiters]) {
      if (w.match(value)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(value);
      }
    }
  }

  private recentRequests(): string {
    const last = this.requests.slice(-8).map((r) => `${r.method} ${r.path}`);
    return `last requests: ${last.length ? last.join(', ') : '(none)'}`;
  }

  // ---------------------------------------------------------------- test controls

  /** The next `count` requests matching the predicate get `status` and `{code, message}` instead of an answer. */
  failNext(
    predicate: (r: RecordedRequest) => boolean,
    status: number,
    code: number,
    count = 1,
    message?: string,
  ): void {
    this.failures.push({
      predicate,
      status,
      code,
      left: count,
      ...(message === undefined ? {} : { message }),
    });
  }

  /**
   * Runs `run` once, synchronously, when the next request matching the predicate arrives, before the
   * fake answers it: e.g. to kill the bot between Discord making a message and the bot hearing so.
   */
  interceptNext(predicate: (r: RecordedRequest) => boolean, run: (r: RecordedRequest) => void): void {
    this.intercepts.push({ predicate, run });
  }

  /** Messages the bot posted with POST /channels/{id}/messages, edits applied in place, deleted ones left out. */
  channelMessages(channelId: string): FakeMessage[] {
    return (this.channelPosts.get(channelId) ?? []).filter((m) => !m.deleted);
  }

  /** The message behind an interaction's reply (or, after a type 6/7 callback, the component's message). */
  originalResponse(token: string): FakeMessage | undefined {
    return this.interactionsByToken.get(token)?.original;
  }

  followUps(token: string): FakeMessage[] {
    return (this.interactionsByToken.get(token)?.followUps ?? []).filter((m) => !m.deleted);
  }

  /** Any message the fake holds (channel post, reply or follow-up) by id. */
  message(id: string): FakeMessage | undefined {
    return this.messages.get(id);
  }

  /** Commands registered with PUT/POST, global ones when no guild id is given. */
  registeredCommands(guildId?: string): Json[] {
    return [...(this.commands.get(guildId ?? 'global') ?? [])];
  }

  /** Scheduled events the bot created (raw Discord objects), optionally for one guild. */
  scheduledEvents(guildId?: string): Json[] {
    return [...this.events.values()].filter((e) => guildId === undefined || e.guild_id === guildId);
  }

  // ---------------------------------------------------------------- attachments

  /**
   * Serves `bytes` as an attachment on this fake's HTTP server and returns it as Discord describes
   * it in a command's `data.resolved.attachments`; pass it to `sendCommand` with `attachmentOption`.
   */
  hostAttachment(filename: string, bytes: Buffer | string, options: HostOptions = {}): FakeAttachment {
    const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    const { id } = this.attachments.put(filename, options.contentType ?? '', data);
    this.hostOptions.set(id, options);
    const url = `${this.apiUrl.replace(/\/api$/, '')}/attachments/${id}/${encodeURIComponent(filename)}`;
    return {
      id,
      filename,
      size: options.reportedSize ?? data.length,
      url,
      proxy_url: url,
      ...(options.contentType === undefined ? {} : { content_type: options.contentType }),
    };
  }

  /** Every file the bot attached to the reply, edits and follow-ups of an interaction, in order. */
  filesOf(token: string): FakeFile[] {
    const state = this.interactionsByToken.get(token);
    if (!state) return [];
    return [state.original, ...state.followUps].flatMap((m) => m?.files ?? []);
  }

  private serveAttachment(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const id = url.pathname.split('/')[2] ?? '';
    this.requests.push({
      method: req.method ?? 'GET',
      path: safeDecode(url.pathname),
      query: url.searchParams,
      body: undefined,
      at: Date.now(),
      headers: req.headers,
    });
    const record = this.requests.at(-1);
    if (record) this.notify(this.requestWaiters, record);
    // Files members attached and files the bot uploaded, served as Discord's CDN serves them.
    const stored = this.attachments.get(id);
    if (!stored) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
      return;
    }
    const bytes = stored.bytes;
    const options = this.hostOptions.get(id) ?? {};
    if (options.status !== undefined) {
      res.writeHead(options.status, { 'Content-Type': 'text/plain' }).end('error');
      return;
    }
    res.writeHead(200, {
      'Content-Type': stored.contentType,
      ...(options.hang || options.chunked ? {} : { 'Content-Length': String(bytes.length) }),
    });
    // A hanging download: headers and nothing else until the client gives up (or the fake stops).
    if (options.hang) {
      res.flushHeaders();
      return;
    }
    if (options.chunked) {
      const half = bytes.length >> 1;
      res.write(bytes.subarray(0, half));
      res.end(bytes.subarray(half));
      return;
    }
    res.end(bytes);
  }

  // ---------------------------------------------------------------- interactions

  sendCommand(opts: { name: string; options?: Json[]; resolved?: unknown } & InteractionTarget): {
    id: string;
    token: string;
  } {
    const guildId = opts.dm ? undefined : (opts.guildId ?? this.defaultGuild().id);
    return this.sendInteraction(2, opts, {
      data: {
        id: this.commandId(opts.name, guildId),
        name: opts.name,
        type: 1,
        options: opts.options ?? [],
        ...(opts.resolved === undefined ? {} : { resolved: opts.resolved }),
      },
    });
  }

  clickButton(
    opts: { customId: string; message: FakeMessage; user?: FakeUser; guildId?: string } & Omit<
      InteractionTarget,
      'channelId'
    >,
  ): { id: string; token: string } {
    // Prefer the fake's own copy: it carries every edit the bot made since the test took its reference.
    const message = this.messages.get(opts.message.id) ?? opts.message;
    return this.sendInteraction(
      3,
      { ...opts, channelId: message.channelId, guildId: opts.guildId ?? message.guildId },
      { data: { custom_id: opts.customId, component_type: 2 }, message: this.messageJson(message) },
      message,
    );
  }

  /** Mark the option being typed with `focused: true`; without one, the last leaf option is marked. */
  autocomplete(opts: { name: string; options: Json[] } & InteractionTarget): { id: string; token: string } {
    const options: unknown[] = structuredClone(opts.options);
    if (!hasFocused(options)) markLastFocused(options);
    const guildId = opts.dm ? undefined : (opts.guildId ?? this.defaultGuild().id);
    return this.sendInteraction(4, opts, {
      data: { id: this.commandId(opts.name, guildId), name: opts.name, type: 1, options },
    });
  }

  /** A raw gateway dispatch to every ready connection, e.g. a malformed INTERACTION_CREATE. */
  dispatch(t: string, d: unknown): void {
    const targets = [...this.connections].filter((c) => c.ready);
    if (targets.length === 0) throw new Error(`fake-discord: no ready gateway connection to send ${t} to`);
    for (const c of targets) this.sendDispatch(c, t, d);
  }

  private sendInteraction(
    type: number,
    target: InteractionTarget,
    extra: Obj,
    message?: FakeMessage,
  ): { id: string; token: string } {
    const id = this.newId();
    const token = `fake.${randomBytes(24).toString('base64url')}`;
    const who = target.user ?? user('400000000000000001', 'student');
    this.users.set(who.id, who);
    const guild = target.dm ? undefined : this.guild(target.guildId ?? this.defaultGuild().id);
    const guildId = target.dm ? undefined : (target.guildId ?? this.defaultGuild().id);
    const channelId =
      target.channelId ?? (target.dm ? `9${who.id.slice(1)}` : (guild?.channels[0]?.id ?? this.newId()));
    const channel = guild?.channels.find((c) => c.id === channelId);

    const payload: Obj = {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      channel_id: channelId,
      app_permissions: this.botPermissions,
      locale: 'en-US',
      entitlements: [],
      attachment_size_limit: 10 * 1024 * 1024,
      ...extra,
    };
    if (guildId !== undefined) {
      Object.assign(payload, {
        guild_id: guildId,
        guild: { id: guildId, locale: 'en-US', features: [] },
        guild_locale: 'en-US',
        channel: channel
          ? this.channelJson(guildId, channel, 0)
          : { id: channelId, type: 0, guild_id: guildId, name: 'unknown', permission_overwrites: [] },
        member: this.memberJson(who, target.permissions ?? MEMBER_PERMISSIONS),
        authorizing_integration_owners: { '0': guildId },
        context: 0,
      });
    } else {
      Object.assign(payload, {
        user: this.userJson(who),
        channel: {
          id: channelId,
          type: 1,
          recipients: [this.userJson(who)],
          last_message_id: null,
          flags: 0,
        },
        authorizing_integration_owners: { '0': '0' },
        context: 1,
      });
    }

    const state: InteractionState = {
      id,
      token,
      type,
      user: who,
      channelId,
      acknowledged: false,
      followUps: [],
      ...(typeof obj(extra.data).name === 'string' ? { name: commandPath(obj(extra.data)) } : {}),
      ...(guildId === undefined ? {} : { guildId }),
      ...(message === undefined ? {} : { message }),
    };
    this.interactions.set(id, state);
    this.interactionsByToken.set(token, state);
    this.dispatch('INTERACTION_CREATE', payload);
    return { id, token };
  }

  private commandId(name: string, guildId: string | undefined): string {
    const registered = [
      ...(guildId === undefined ? [] : (this.commands.get(guildId) ?? [])),
      ...(this.commands.get('global') ?? []),
    ].find((c) => c.name === name);
    if (registered && typeof registered.id === 'string') return registered.id;
    let id = this.commandIds.get(name);
    if (id === undefined) {
      id = this.newId();
      this.commandIds.set(name, id);
    }
    return id;
  }

  // ---------------------------------------------------------------- gateway

  /**
   * Close every gateway connection. A live discord.js client answers 4000 (the default) with a RESUME about
   * 0.5 s later; 1000 makes it IDENTIFY afresh, which its identify throttle delays by about 5.5 s.
   */
  disconnectAll(code = 4000): void {
    for (const c of this.connections) {
      c.ready = false;
      c.socket.close(code, 'fake-discord: disconnectAll');
    }
    this.connections.clear();
  }

  /**
   * From now on answer every IDENTIFY and RESUME by closing with `code` (null: accept them again), e.g.
   * 4004 for a token reset in the Developer Portal while the bot runs; live connections are left open.
   */
  rejectAuthentication(code: number | null): void {
    this.identifyCloseCode = code;
  }

  private onGatewayConnection(socket: WebSocket): void {
    const conn: Connection = { socket, ready: false };
    this.connections.add(conn);
    socket.on('close', () => this.connections.delete(conn));
    socket.on('error', () => this.connections.delete(conn));
    socket.on('message', (raw) => this.onGatewayMessage(conn, raw));
    this.send(conn, { op: 10, d: { heartbeat_interval: 41_250 } });
  }

  private onGatewayMessage(conn: Connection, raw: RawData): void {
    let payload: Obj;
    try {
      payload = obj(JSON.parse(rawText(raw)));
    } catch {
      conn.socket.close(4002, 'Error while decoding payload.');
      return;
    }
    const d = obj(payload.d);
    switch (payload.op) {
      case 1: // heartbeat: without the ack discord.js closes with 4200 and tries to resume
        this.send(conn, { op: 11 });
        break;
      case 2:
        this.identifies.push(d);
        if (this.token !== null && d.token !== this.token) conn.socket.close(4004, 'Authentication failed.');
        else if (this.identifyCloseCode !== null)
          conn.socket.close(this.identifyCloseCode, 'fake-discord: refused');
        else this.identify(conn);
        break;
      case 6: {
        this.resumes.push(d);
        if (this.identifyCloseCode !== null) {
          conn.socket.close(this.identifyCloseCode, 'fake-discord: refused');
          break;
        }
        const session = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
        if (!session) {
          this.send(conn, { op: 9, d: false });
          break;
        }
        conn.session = session;
        this.sendDispatch(conn, 'RESUMED', {});
        this.markReady(conn);
        break;
      }
      default: // presence updates and the like: Discord does not answer them
        break;
    }
  }

  private identify(conn: Connection): void {
    const session: Session = { id: randomBytes(16).toString('hex'), seq: 0 };
    this.sessions.set(session.id, session);
    conn.session = session;
    this.sendDispatch(conn, 'READY', {
      v: 10,
      user: { ...this.userJson(this.botUser), bot: true, verified: true, mfa_enabled: false, flags: 0 },
      guilds: this.guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.gatewayUrl,
      shard: [0, 1],
      application: { id: this.applicationId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
    });
    for (const g of this.guilds) this.sendDispatch(conn, 'GUILD_CREATE', this.guildJson(g, true));
    this.markReady(conn);
  }

  private markReady(conn: Connection): void {
    conn.ready = true;
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  private sendDispatch(conn: Connection, t: string, d: unknown): void {
    const session = conn.session ?? { id: '', seq: 0 };
    session.seq += 1;
    this.send(conn, { op: 0, t, s: session.seq, d });
  }

  private send(conn: Connection, payload: unknown): void {
    if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(JSON.stringify(payload));
  }

  // ---------------------------------------------------------------- REST plumbing

  private async handleHttp(req: IncomingMessage): Promise<Reply> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // discord.js encodes '@original' as '%40original'; route on the decoded path.
    const path = safeDecode(url.pathname).replace(/^\/api(\/v\d+)?/, '');
    const raw = await readAll(req);
    const { body, files, uploads } = await parseBody(raw, req.headers['content-type']);
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      query: url.searchParams,
      body,
      at: Date.now(),
      headers: req.headers,
      ...(files ? { files } : {}),
    };
    this.requests.push(rec);
    if (uploads.length > 0) this.uploads.set(rec, uploads);
    const intercept = this.intercepts.findIndex((i) => i.predicate(rec));
    if (intercept >= 0) this.intercepts.splice(intercept, 1)[0]?.run(rec);
    let reply: Reply;
    const failure = this.failures.find((f) => f.left > 0 && f.predicate(rec));
    if (failure) {
      failure.left -= 1;
      reply = error(failure.status, failure.code, failure.message);
      if (failure.status === 429) {
        // Tell the client to retry almost at once; @discordjs/rest reads these headers.
        reply.headers = { 'Retry-After': '0', 'X-RateLimit-Scope': 'user' };
        reply.body = { ...obj(reply.body), retry_after: 0.01, global: false };
      }
    } else if (!this.authorized(rec)) {
      reply = { status: 401, body: { code: 0, message: '401: Unauthorized' } };
    } else {
      reply = this.route(rec);
    }
    this.notify(this.requestWaiters, rec);
    return reply;
  }

  private route(rec: RecordedRequest): Reply {
    for (const [method, pattern, handler] of this.routes) {
      if (method !== rec.method) continue;
      const m = pattern.exec(rec.path);
      if (m) return handler(rec, [m[1] ?? '', m[2] ?? '', m[3] ?? '']);
    }
    return { status: 404, body: { code: 0, message: '404: Not Found' } };
  }

  private buildRoutes(): [string, RegExp, Handler][] {
    const id = '([^/]+)';
    const r = (method: string, path: string, handler: Handler): [string, RegExp, Handler] => [
      method,
      new RegExp(`^${path.replaceAll(':id', id)}$`),
      handler,
    ];
    return [
      r('GET', '/gateway/bot', () =>
        ok({
          url: this.gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 14_400_000, max_concurrency: 1 },
        }),
      ),
      r('GET', '/gateway', () => ok({ url: this.gatewayUrl })),

      r('POST', '/interactions/:id/:id/callback', (q, [iid, token]) =>
        this.interactionCallback(q, iid, token),
      ),
      r('GET', '/webhooks/:id/:id/messages/:id', (_q, [app, token, mid]) =>
        this.withWebhookMessage(app, token, mid, (m) => ok(this.messageJson(m))),
      ),
      r('PATCH', '/webhooks/:id/:id/messages/:id', (q, [app, token, mid]) =>
        this.withWebhookMessage(app, token, mid, (m) => {
          this.edit(m, q);
          keepFiles(m, q);
          return ok(this.messageJson(m));
        }),
      ),
      r('DELETE', '/webhooks/:id/:id/messages/:id', (_q, [app, token, mid]) =>
        this.withWebhookMessage(app, token, mid, (m) => {
          m.deleted = true;
          this.changed({ kind: 'message', message: m });
          return noContent;
        }),
      ),
      r('POST', '/webhooks/:id/:id', (q, [app, token]) => this.followUp(q, app, token)),

      r('GET', '/channels/:id', (_q, [cid]) => {
        const found = this.findChannel(cid);
        return found ? ok(this.channelJson(found.guild.id, found.channel, 0)) : error(404, 10003);
      }),
      r('GET', '/channels/:id/messages', (_q, [cid]) =>
        ok(
          this.channelMessages(cid)
            .reverse()
            .map((m) => this.messageJson(m)),
        ),
      ),
      r('POST', '/channels/:id/messages', (q, [cid]) => this.channelPost(q, cid)),
      r('GET', '/channels/:id/messages/:id', (_q, [cid, mid]) => {
        const m = this.channelMessage(cid, mid);
        return m ? ok(this.messageJson(m)) : error(404, 10008);
      }),
      r('PATCH', '/channels/:id/messages/:id', (q, [cid, mid]) => {
        const m = this.channelMessage(cid, mid);
        if (!m) return error(404, 10008);
        this.edit(m, q);
        return ok(this.messageJson(m));
      }),
      r('DELETE', '/channels/:id/messages/:id', (_q, [cid, mid]) => {
        const m = this.channelMessage(cid, mid);
        if (!m) return error(404, 10008);
        m.deleted = true;
        this.changed({ kind: 'message', message: m });
        return noContent;
      }),
      r('POST', '/channels/:id/typing', () => noContent),

      r('GET', '/applications/@me', () =>
        ok({ id: this.applicationId, name: this.botUser.username, flags: 0, bot_public: true, owner: null }),
      ),
      r('GET', '/applications/:id/commands', (_q, [app]) => this.listCommands(app, 'global')),
      r('PUT', '/applications/:id/commands', (q, [app]) => this.putCommands(q, app, 'global')),
      r('POST', '/applications/:id/commands', (q, [app]) => this.postCommand(q, app, 'global')),
      r('DELETE', '/applications/:id/commands/:id', (_q, [app, cmd]) =>
        this.deleteCommand(app, 'global', cmd),
      ),
      r('GET', '/applications/:id/guilds/:id/commands', (_q, [app, g]) => this.listCommands(app, g)),
      r('PUT', '/applications/:id/guilds/:id/commands', (q, [app, g]) => this.putCommands(q, app, g)),
      r('POST', '/applications/:id/guilds/:id/commands', (q, [app, g]) => this.postCommand(q, app, g)),
      r('DELETE', '/applications/:id/guilds/:id/commands/:id', (_q, [app, g, cmd]) =>
        this.deleteCommand(app, g, cmd),
      ),

      r('GET', '/guilds/:id', (_q, [g]) => {
        const guild = this.guild(g);
        return guild ? ok(this.guildJson(guild, false)) : error(404, 10004);
      }),
      r('GET', '/guilds/:id/channels', (_q, [g]) => {
        const guild = this.guild(g);
        return guild ? ok(guild.channels.map((c, i) => this.channelJson(guild.id, c, i))) : error(404, 10004);
      }),
      r('GET', '/guilds/:id/members/:id', (_q, [g, uid]) => {
        const u = this.users.get(uid);
        if (!this.guild(g)) return error(404, 10004);
        return u ? ok(this.memberJson(u, MEMBER_PERMISSIONS)) : error(404, 10007);
      }),
      r('GET', '/users/:id', (_q, [uid]) => {
        const u = uid === '@me' ? this.botUser : this.users.get(uid);
        return u ? ok(this.userJson(u)) : error(404, 10013);
      }),

      r('GET', '/guilds/:id/scheduled-events', (_q, [g]) => ok(this.scheduledEvents(g))),
      r('POST', '/guilds/:id/scheduled-events', (q, [g]) => this.createEvent(q, g)),
      r('GET', '/guilds/:id/scheduled-events/:id', (_q, [g, eid]) => {
        const e = this.event(g, eid);
        return e ? ok(e) : error(404, 10070);
      }),
      r('PATCH', '/guilds/:id/scheduled-events/:id', (q, [g, eid]) => {
        const e = this.event(g, eid);
        if (!e) return error(404, 10070);
        Object.assign(e, obj(q.body));
        this.changed({ kind: 'scheduled-events', guildId: g });
        return ok(e);
      }),
      r('DELETE', '/guilds/:id/scheduled-events/:id', (_q, [g, eid]) => {
        if (!this.event(g, eid)) return error(404, 10070);
        this.events.delete(eid);
        this.changed({ kind: 'scheduled-events', guildId: g });
        return noContent;
      }),
    ];
  }

  // ---------------------------------------------------------------- REST handlers

  private interactionCallback(rec: RecordedRequest, interactionId: string, token: string): Reply {
    const state = this.interactions.get(interactionId);
    if (!state || state.token !== token) return error(404, 10062);
    if (state.acknowledged) return error(400, 40060);
    const body = obj(rec.body);
    const type = typeof body.type === 'number' ? body.type : 0;
    const data = obj(body.data);
    state.acknowledged = true;

    switch (type) {
      case 4: // reply
      case 5: // deferred reply: an empty message until editReply fills it
        state.original = this.newMessage(
          state.channelId,
          type === 4 ? data : { flags: data.flags },
          state,
          type === 4 ? this.uploadsOf(rec) : [],
        );
        if (type === 5) state.original.loading = true;
        keepFiles(state.original, rec);
        break;
      case 6: // deferred update: @original is now the component's message
      case 7: // update: edit the component's message in place
        if (state.message) {
          state.original = state.message;
          if (type === 7) this.edit(state.message, rec, data);
        }
        break;
      default: // 8 autocomplete, 9 modal: no message
        break;
    }

    const record: CallbackRecord = { interactionId, token, type, data: body.data, at: rec.at };
    this.callbacks.push(record);
    this.notify(this.callbackWaiters, record);

    if (rec.query.get('with_response') !== 'true') return noContent;
    const message = state.original;
    return ok({
      interaction: {
        id: interactionId,
        type: state.type,
        response_message_id: message?.id ?? null,
        response_message_loading: type === 5,
        response_message_ephemeral: ((message?.flags ?? 0) & EPHEMERAL) !== 0,
      },
      ...(message ? { resource: { type, message: this.messageJson(message) } } : {}),
    });
  }

  private withWebhookMessage(
    app: string,
    token: string,
    messageId: string,
    fn: (m: FakeMessage) => Reply,
  ): Reply {
    const state = this.interactionsByToken.get(token);
    if (app !== this.applicationId || !state) return error(404, 10015);
    const m =
      messageId === '@original'
        ? state.original
        : [state.original, ...state.followUps].find((x) => x?.id === messageId);
    return m && !m.deleted ? fn(m) : error(404, 10008);
  }

  private followUp(rec: RecordedRequest, app: string, token: string): Reply {
    const state = this.interactionsByToken.get(token);
    if (app !== this.applicationId || !state) return error(404, 10015);
    if (!state.acknowledged) return error(404, 10015);
    const m = this.newMessage(state.channelId, obj(rec.body), state, this.uploadsOf(rec));
    keepFiles(m, rec);
    state.followUps.push(m);
    return rec.query.get('wait') === 'true' ? ok(this.messageJson(m)) : noContent;
  }

  private channelPost(rec: RecordedRequest, channelId: string): Reply {
    if (!this.findChannel(channelId)) return error(404, 10003);
    const body = obj(rec.body);
    const nonce =
      typeof body.nonce === 'string' || typeof body.nonce === 'number' ? String(body.nonce) : null;
    const nonceKey = nonce !== null && body.enforce_nonce === true ? `${channelId}|${nonce}` : null;
    const earlier = nonceKey === null ? undefined : this.nonces.get(nonceKey);
    // Discord: "if a message was created with the same nonce in the last few minutes, that message is returned".
    if (earlier && this.now() - (earlier.createdAt ?? 0) < NONCE_WINDOW_MS)
      return ok(this.messageJson(earlier));
    const m = this.newMessage(channelId, body, undefined, this.uploadsOf(rec));
    if (nonceKey !== null) this.nonces.set(nonceKey, m);
    const list = this.channelPosts.get(channelId) ?? [];
    list.push(m);
    this.channelPosts.set(channelId, list);
    return ok(this.messageJson(m));
  }

  private channelMessage(channelId: string, messageId: string): FakeMessage | undefined {
    const m = this.messages.get(messageId);
    return m && m.channelId === channelId && !m.deleted ? m : undefined;
  }

  private listCommands(app: string, key: string): Reply {
    if (app !== this.applicationId) return error(403, 50001);
    return ok(this.commands.get(key) ?? []);
  }

  private putCommands(rec: RecordedRequest, app: string, key: string): Reply {
    if (app !== this.applicationId) return error(403, 50001);
    const previous = this.commands.get(key) ?? [];
    const list = arr(rec.body).map((c) => this.commandJson(obj(c), key, previous));
    this.commands.set(key, list);
    this.changed({ kind: 'commands' });
    return ok(list);
  }

  private postCommand(rec: RecordedRequest, app: string, key: string): Reply {
    if (app !== this.applicationId) return error(403, 50001);
    const list = this.commands.get(key) ?? [];
    const cmd = this.commandJson(obj(rec.body), key, list);
    this.commands.set(key, [...list.filter((c) => c.name !== cmd.name), cmd]);
    this.changed({ kind: 'commands' });
    return ok(cmd);
  }

  private deleteCommand(app: string, key: string, commandId: string): Reply {
    if (app !== this.applicationId) return error(403, 50001);
    const list = this.commands.get(key) ?? [];
    if (!list.some((c) => c.id === commandId)) return error(404, 10063);
    this.commands.set(
      key,
      list.filter((c) => c.id !== commandId),
    );
    this.changed({ kind: 'commands' });
    return noContent;
  }

  private commandJson(body: Obj, key: string, previous: Obj[]): Obj {
    // Discord keeps a command's id when it is overwritten under the same name.
    const kept = previous.find((p) => p.name === body.name)?.id;
    return {
      type: 1,
      description: '',
      options: [],
      default_member_permissions: null,
      nsfw: false,
      ...body,
      id: typeof kept === 'string' ? kept : this.newId(),
      application_id: this.applicationId,
      version: this.newId(),
      ...(key === 'global' ? {} : { guild_id: key }),
    };
  }

  private createEvent(rec: RecordedRequest, guildId: string): Reply {
    if (!this.guild(guildId)) return error(404, 10004);
    const body = obj(rec.body);
    const id = this.newId();
    const event: Obj = {
      channel_id: null,
      description: null,
      scheduled_end_time: null,
      entity_metadata: null,
      image: null,
      recurrence_rule: null,
      privacy_level: 2,
      ...body,
      id,
      guild_id: guildId,
      creator_id: this.botUser.id,
      creator: this.userJson(this.botUser),
      status: 1,
      entity_id: null,
      user_count: 0,
    };
    this.events.set(id, event);
    this.changed({ kind: 'scheduled-events', guildId });
    return ok(event);
  }

  private event(guildId: string, eventId: string): Obj | undefined {
    const e = this.events.get(eventId);
    return e && e.guild_id === guildId ? e : undefined;
  }

  // ---------------------------------------------------------------- model

  private defaultGuild(): FakeGuildSpec {
    const g = this.guilds[0];
    if (!g) throw new Error('fake-discord: no guild configured');
    return g;
  }

  private guild(id: string): FakeGuildSpec | undefined {
    return this.guilds.find((g) => g.id === id);
  }

  private findChannel(
    channelId: string,
  ): { guild: FakeGuildSpec; channel: FakeGuildSpec['channels'][number] } | undefined {
    for (const guild of this.guilds) {
      const channel = guild.channels.find((c) => c.id === channelId);
      if (channel) return { guild, channel };
    }
    return undefined;
  }

  private newMessage(
    channelId: string,
    body: Obj,
    from?: InteractionState,
    uploads: Upload[] = [],
  ): FakeMessage {
    const guildId = from ? from.guildId : this.findChannel(channelId)?.guild.id;
    const m: FakeMessage = {
      id: this.newId(),
      channelId,
      author: this.botUser,
      embeds: arr(body.embeds),
      components: arr(body.components),
      edits: 0,
      createdAt: this.now(),
      ...(typeof body.content === 'string' ? { content: body.content } : {}),
      ...(typeof body.flags === 'number' ? { flags: body.flags } : {}),
      ...(guildId === undefined ? {} : { guildId }),
      ...(from ? { interactionId: from.id, interaction: messageInteraction(from) } : {}),
      ...(uploads.length > 0 ? { attachments: this.storeUploads(uploads) } : {}),
    };
    this.messages.set(m.id, m);
    this.changed({ kind: 'message', message: m });
    return m;
  }

  private messageJson(m: FakeMessage): Obj {
    const from = m.interaction;
    return {
      id: m.id,
      channel_id: m.channelId,
      ...(m.guildId === undefined ? {} : { guild_id: m.guildId }),
      author: { ...this.userJson(m.author), ...(m.author.id === this.botUser.id ? { bot: true } : {}) },
      content: m.content ?? '',
      embeds: m.embeds,
      components: m.components,
      attachments: (m.attachments ?? []).map((a) => this.attachments.json(a)),
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      type: from?.type === 2 ? 20 : 0,
      timestamp: new Date(m.createdAt ?? this.now()).toISOString(),
      edited_timestamp: m.editedAt === undefined ? null : new Date(m.editedAt).toISOString(),
      flags: m.flags ?? 0,
      ...(from
        ? {
            webhook_id: this.applicationId,
            application_id: this.applicationId,
            interaction_metadata: {
              id: from.id,
              type: from.type,
              user: this.userJson(from.user),
              authorizing_integration_owners: m.guildId ? { '0': m.guildId } : { '0': '0' },
            },
          }
        : {}),
    };
  }

  private userJson(u: FakeUser): Obj {
    return {
      id: u.id,
      username: u.username,
      discriminator: '0',
      global_name: u.username,
      avatar: null,
      public_flags: 0,
      ...(u.id === this.botUser.id ? { bot: true } : {}),
    };
  }

  private memberJson(u: FakeUser, permissions: string): Obj {
    return {
      user: this.userJson(u),
      roles: u.id === this.botUser.id ? [this.botRoleId()] : [],
      permissions,
      joined_at: new Date(0).toISOString(),
      nick: null,
      avatar: null,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
    };
  }

  private botRoleId(): string {
    return `7${this.botUser.id.slice(1)}`;
  }

  private channelJson(guildId: string, c: FakeGuildSpec['channels'][number], position: number): Obj {
    return {
      id: c.id,
      type: c.type ?? 0,
      guild_id: guildId,
      name: c.name,
      position,
      permission_overwrites: [],
      nsfw: false,
      parent_id: null,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: 0,
    };
  }

  private guildJson(g: FakeGuildSpec, withGatewayFields: boolean): Obj {
    const role = (
      id: string,
      name: string,
      permissions: string,
      position: number,
      managed: boolean,
    ): Obj => ({
      id,
      name,
      permissions,
      position,
      color: 0,
      hoist: false,
      managed,
      mentionable: false,
      icon: null,
      unicode_emoji: null,
      flags: 0,
      ...(managed ? { tags: { bot_id: this.botUser.id } } : {}),
    });
    const base: Obj = {
      id: g.id,
      name: g.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: '100000000000000009',
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: 'en-US',
      features: [],
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      // @everyone gets ordinary member rights; the bot's managed role makes it an administrator
      // unless the test gave it fewer permissions.
      roles: [
        role(g.id, '@everyone', MEMBER_PERMISSIONS, 0, false),
        role(this.botRoleId(), this.botUser.username, this.botPermissions, 1, true),
      ],
      emojis: [],
      stickers: [],
    };
    if (!withGatewayFields) return base;
    return {
      ...base,
      joined_at: new Date(0).toISOString(),
      large: false,
      unavailable: false,
      member_count: 2,
      members: [this.memberJson(this.botUser, this.botPermissions)],
      channels: g.channels.map((c, i) => this.channelJson(g.id, c, i)),
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: this.scheduledEvents(g.id),
      soundboard_sounds: [],
    };
  }

  // ---------------------------------------------------------------- live view (the sandbox page)

  /** Tells `listener` of every change a channel view shows; returns the way to stop. */
  onChange(listener: (change: FakeChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Every message in a channel, oldest first: posts, replies and follow-ups, ephemeral ones too. */
  messagesIn(channelId: string): FakeMessage[] {
    return [...this.messages.values()].filter((m) => m.channelId === channelId && !m.deleted);
  }

  /** A member's own message. The bot asks for no message intents, so it is not sent to the gateway. */
  postAsMember(channelId: string, author: FakeUser, content: string): FakeMessage {
    if (!this.findChannel(channelId)) throw new Error(`fake-discord: no channel ${channelId}`);
    this.users.set(author.id, author);
    const m = this.newMessage(channelId, { content });
    m.author = author;
    this.changed({ kind: 'message', message: m });
    return m;
  }

  /** A file a member attaches to a command option: the `resolved.attachments` entry to send. */
  uploadAttachment(filename: string, contentType: string, bytes: Buffer): AttachmentJson {
    return this.attachments.json(this.attachments.put(filename, contentType, bytes));
  }

  /** Messages, commands and scheduled events, to start a later run from (`StartOptions.restore`). */
  snapshot(): FakeSnapshot {
    return {
      version: 1,
      messages: [...this.messages.values()]
        .filter((m) => !m.deleted)
        .map(({ attachments, ...m }) => ({
          ...m,
          ...(attachments
            ? {
                attachments: attachments.map((a) => ({
                  id: a.id,
                  filename: a.filename,
                  contentType: a.contentType,
                  base64: a.bytes.toString('base64'),
                })),
              }
            : {}),
        })),
      commands: [...this.commands.entries()],
      scheduledEvents: [...this.events.values()],
      users: [...this.users.values()],
    };
  }

  private restore(saved: FakeSnapshot): void {
    for (const { attachments, ...m } of saved.messages) {
      const message: FakeMessage = {
        ...m,
        ...(attachments
          ? {
              attachments: attachments.map((a) =>
                this.attachments.put(a.filename, a.contentType, Buffer.from(a.base64, 'base64'), a.id),
              ),
            }
          : {}),
      };
      this.messages.set(message.id, message);
      if (message.interactionId === undefined && message.author.id === this.botUser.id) {
        const list = this.channelPosts.get(message.channelId) ?? [];
        list.push(message);
        this.channelPosts.set(message.channelId, list);
      }
    }
    for (const [key, list] of saved.commands) this.commands.set(key, arr(list).map(obj));
    for (const e of saved.scheduledEvents) {
      const event = obj(e);
      if (typeof event.id === 'string') this.events.set(event.id, event);
    }
    for (const u of saved.users) this.users.set(u.id, u);
  }

  private changed(change: FakeChange): void {
    for (const listener of this.changeListeners) listener(change);
  }

  private edit(m: FakeMessage, rec: RecordedRequest, body: Obj = obj(rec.body)): void {
    applyEdit(m, body, this.now());
    // Files sent with an edit are added; `attachments` lists the earlier ones to keep.
    if ('attachments' in body || this.uploadsOf(rec).length > 0) {
      const keep = new Set(arr(body.attachments).map((a) => String(obj(a).id)));
      const kept = (m.attachments ?? []).filter((a) => keep.has(a.id));
      const added = this.storeUploads(this.uploadsOf(rec));
      m.attachments = [...kept, ...added];
    }
    this.changed({ kind: 'message', message: m });
  }

  private uploadsOf(rec: RecordedRequest): Upload[] {
    return this.uploads.get(rec) ?? [];
  }

  private storeUploads(uploads: Upload[]): StoredAttachment[] {
    return uploads.map((u) => this.attachments.put(u.name, u.type, u.bytes));
  }

  /** Discord wants the bot's token on every call but interaction callbacks and webhooks. */
  private authorized(rec: RecordedRequest): boolean {
    if (this.token === null) return true;
    if (/^\/(interactions|webhooks|attachments)\//.test(rec.path)) return true;
    return rec.headers.authorization === `Bot ${this.token}`;
  }

  // ---------------------------------------------------------------- shutdown

  /** Close sockets and servers so vitest can exit. Destroy the discord.js client first, or it will try to reconnect. */
  async stop(): Promise<void> {
    for (const c of this.connections) c.socket.terminate();
    this.connections.clear();
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}

// ------------------------------------------------------------------ helpers

function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number,
  describe: () => string,
  onTimeout?: () => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new Error(`fake-discord: ${describe()}`));
    }, timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The files a request carried, on the message it made or edited. */
function keepFiles(m: FakeMessage, rec: RecordedRequest): void {
  if (rec.files && rec.files.length > 0) m.files = rec.files;
}

/** A slash command's attachment option (type 11); its attachment goes in `resolved.attachments`. */
export function attachmentOption(
  name: string,
  attachment: FakeAttachment,
): { type: 11; name: string; value: string } {
  return { type: 11, name, value: attachment.id };
}

/** The `resolved` part of a command carrying these attachments. */
export function resolvedAttachments(attachments: readonly FakeAttachment[]): Json {
  return { attachments: Object.fromEntries(attachments.map((a) => [a.id, a])) };
}

function applyEdit(m: FakeMessage, body: Obj, now: number = Date.now()): void {
  delete m.loading;
  if ('content' in body) {
    if (typeof body.content === 'string') m.content = body.content;
    else delete m.content;
  }
  if ('embeds' in body) m.embeds = arr(body.embeds);
  if ('components' in body) m.components = arr(body.components);
  // Discord keeps the ephemeral bit whatever an edit sends.
  if (typeof body.flags === 'number') m.flags = ((m.flags ?? 0) & EPHEMERAL) | (body.flags & ~EPHEMERAL);
  m.edits += 1;
  m.editedAt = now;
}

/** "quiz start": the command's name and the subcommand (group) chosen, as Discord shows it. */
function commandPath(data: Obj): string {
  const names = [String(data.name)];
  let options = arr(data.options);
  for (;;) {
    const sub = options.find((o) => isObj(o) && (o.type === 1 || o.type === 2));
    if (!isObj(sub)) return names.join(' ');
    names.push(String(sub.name));
    options = arr(sub.options);
  }
}

function messageInteraction(state: InteractionState): MessageInteraction {
  return {
    id: state.id,
    type: state.type,
    user: state.user,
    ...(state.name === undefined ? {} : { name: state.name }),
  };
}

/** A file of a multipart body, with its bytes. */
interface Upload {
  field: string;
  name: string;
  type: string;
  bytes: Buffer;
}

function hasFocused(options: unknown[]): boolean {
  return options.some((o) => isObj(o) && (o.focused === true || hasFocused(arr(o.options))));
}

function markLastFocused(options: unknown[]): void {
  const last = options.at(-1);
  if (!isObj(last)) return;
  // Subcommands (1) and groups (2) nest: the option being typed is inside them.
  if ((last.type === 1 || last.type === 2) && arr(last.options).length > 0)
    markLastFocused(arr(last.options));
  else last.focused = true;
}

function listeningAddress(server: Server): AddressInfo {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake-discord: not listening on TCP');
  return address;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function rawText(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  if (raw instanceof ArrayBuffer) return Buffer.from(raw).toString('utf8');
  return raw.toString('utf8');
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  // A request stream without setEncoding yields Buffers.
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

async function parseBody(
  raw: Buffer,
  contentType: string | undefined,
): Promise<{ body: unknown; files?: NonNullable<RecordedRequest['files']>; uploads: Upload[] }> {
  if (raw.length === 0) return { body: undefined, uploads: [] };
  if (contentType?.startsWith('multipart/form-data')) {
    // Files make discord.js send multipart with the JSON in `payload_json`; undici's Response parses it.
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    let body: unknown = undefined;
    const files: NonNullable<RecordedRequest['files']> = [];
    const uploads: Upload[] = [];
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
      } else {
        const bytes = Buffer.from(await value.arrayBuffer());
        files.push({ field, name: value.name, size: value.size, type: value.type, bytes });
        uploads.push({ field, name: value.name, type: value.type, bytes });
      }
    }
    return { body, files, uploads };
  }
  const text = raw.toString('utf8');
  try {
    return { body: JSON.parse(text), uploads: [] };
  } catch {
    return { body: text, uploads: [] };
  }
}
