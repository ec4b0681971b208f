// The sandbox's web server, on 127.0.0.1 only: the page, its JSON API, live updates as server-sent
// events, and the files of messages. Other websites open in the same browser must not drive it, so
// it answers only its own host name and origin, and every POST needs a JSON or file body a plain
// cross-site form cannot send.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import type { PageBundle } from './page-bundle.js';
import type {
  ApiResult,
  AutocompleteRequest,
  ClickRequest,
  CommandRequest,
  LiveEvent,
  OptionInput,
  PostRequest,
} from './protocol.js';
import type { Sandbox } from './sandbox.js';
import { ATTACHMENT_PATH } from './view.js';
import { ATTACHMENT_SIZE_LIMIT } from './attachments.js';

const JSON_LIMIT = 64 * 1024;
const HEARTBEAT_MS = 15_000;
/** Shown inline; anything else (SVG included: it can carry scripts) is offered for download. */
const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export interface SandboxServer {
  url: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startServer(
  sandbox: Sandbox,
  page: PageBundle,
  port: number,
  log: Logger,
): Promise<SandboxServer> {
  const http = createServer();
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const address = http.address();
  if (address === null || typeof address === 'string') throw new Error('the sandbox server is not on TCP');
  const actualPort = (address satisfies AddressInfo).port;
  const origins = new Set([`http://127.0.0.1:${actualPort}`, `http://localhost:${actualPort}`]);
  const hosts = new Set([`127.0.0.1:${actualPort}`, `localhost:${actualPort}`]);
  const live = new Set<ServerResponse>();

  http.on('request', (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) return send(res, error.status, { ok: false, error: error.message });
      log.error({ err: error, url: req.url }, 'sandbox: request failed');
      send(res, 500, { ok: false, error: 'The sandbox hit an error; see its log.' });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A page elsewhere reaching 127.0.0.1 through a rebound DNS name names another host.
    if (!hosts.has(req.headers.host ?? '')) throw new HttpError(421, 'Open the sandbox at its own address.');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (req.method === 'GET') return get(url, res);
    if (req.method !== 'POST') throw new HttpError(405, 'Method not allowed.');
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin))
      throw new HttpError(403, 'Requests from other sites are refused.');
    if (url.pathname === '/api/upload') return upload(req, res);
    const body = await readJson(req);
    switch (url.pathname) {
      case '/api/command':
        return send(res, 200, await sandbox.command(commandRequest(body)));
      case '/api/autocomplete':
        return send(
          res,
          200,
          await sandbox.autocomplete({
            ...commandRequest(body),
            focused: field(body, 'focused'),
          } satisfies AutocompleteRequest),
        );
      case '/api/click':
        return send(res, 200, await sandbox.click(clickRequest(body)));
      case '/api/message':
        return send(res, 200, await sandbox.post(postRequest(body)));
      case '/api/reset':
        await sandbox.reset();
        return send(res, 200, { ok: true });
      default:
        throw new HttpError(404, 'Not found.');
    }
  }

  function get(url: URL, res: ServerResponse): void {
    switch (url.pathname) {
      case '/':
        return raw(res, 200, 'text/html; charset=utf-8', page.html);
      case '/app.js':
        return raw(res, 200, 'text/javascript; charset=utf-8', page.js);
      case '/app.css':
        return raw(res, 200, 'text/css; charset=utf-8', page.css);
      case '/api/state':
        return send(res, 200, sandbox.state());
      case '/api/live':
        return openLive(res);
    }
    const file = new RegExp(`^${ATTACHMENT_PATH}/([^/]+)/[^/]+$`).exec(url.pathname);
    const stored = file?.[1] === undefined ? undefined : sandbox.attachment(file[1]);
    if (!stored) throw new HttpError(404, 'Not found.');
    const inline = INLINE_IMAGES.has(stored.contentType);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': inline ? stored.contentType : 'application/octet-stream',
      'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename="${stored.filename}"`,
      'Content-Length': String(stored.bytes.length),
    });
    res.end(stored.bytes);
  }

  function openLive(res: ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream',
      Connection: 'keep-alive',
    });
    res.write(': live\n\n');
    live.add(res);
    const stop = sandbox.subscribe((event: LiveEvent) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    const heartbeat = setInterval(() => res.write(': beat\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    res.on('close', () => {
      stop();
      clearInterval(heartbeat);
      live.delete(res);
    });
  }

  async function upload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A custom header: a cross-site page cannot send it without a CORS preflight, which is refused.
    const name = req.headers['x-filename'];
    if (typeof name !== 'string' || name === '') throw new HttpError(400, 'Name the file (X-Filename).');
    const bytes = await readBody(req, ATTACHMENT_SIZE_LIMIT + 1);
    const type = req.headers['content-type'] ?? 'application/octet-stream';
    send(res, 200, sandbox.upload(decodeURIComponent(name), type, bytes));
  }

  log.debug({ port: actualPort }, 'sandbox server listening');
  return {
    url: `http://127.0.0.1:${actualPort}`,
    async close() {
      for (const res of live) res.end();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, body: ApiResult<object> | object): void {
  raw(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function raw(res: ServerResponse, status: number, type: string, body: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type });
  res.end(body);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit)
      throw new HttpError(413, `That is larger than ${Math.floor(limit / 1024 / 1024) || 1} MiB.`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

type Body = Record<string, unknown>;

async function readJson(req: IncomingMessage): Promise<Body> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
    throw new HttpError(415, 'Send JSON (Content-Type: application/json).');
  const text = (await readBody(req, JSON_LIMIT)).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'The request is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new HttpError(400, 'Send a JSON object.');
  return { ...parsed };
}

function field(body: Body, name: string): string {
  const value = body[name];
  if (typeof value !== 'string') throw new HttpError(400, `"${name}" is missing.`);
  return value;
}

function commandRequest(body: Body): CommandRequest {
  const path = body.path;
  const options = body.options;
  if (!Array.isArray(path) || !path.every((p): p is string => typeof p === 'string'))
    throw new HttpError(400, '"path" must list the command and subcommand names.');
  const values: Record<string, OptionInput> = {};
  if (typeof options === 'object' && options !== null && !Array.isArray(options)) {
    for (const [name, value] of Object.entries(options))
      if (typeof value === 'string' || typeof value === 'boolean') values[name] = value;
  }
  return { member: field(body, 'member'), channelId: field(body, 'channelId'), path, options: values };
}

function clickRequest(body: Body): ClickRequest {
  return {
    member: field(body, 'member'),
    messageId: field(body, 'messageId'),
    customId: field(body, 'customId'),
  };
}

function postRequest(body: Body): PostRequest {
  return {
    member: field(body, 'member'),
    channelId: field(body, 'channelId'),
    content: field(body, 'content'),
  };
}
