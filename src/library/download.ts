// Fetches an attachment's bytes with a time limit and a size cap: reading stops as soon as the
// cap is passed, so a huge or endless file costs at most the cap in memory.
import type { Clock } from '../clock.js';
import { formatBytes, formatSizeAgainstLimit } from './limits.js';

export type Download = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

export interface DownloadOptions {
  maxBytes: number;
  timeoutMs: number;
  /** The bot's timers, so tests can move time instead of waiting. */
  timers: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
}

export async function download(url: string, options: DownloadOptions): Promise<Download> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = options.timers.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  try {
    const response = await fetch(url, { signal: controller.signal, redirect: 'follow' });
    if (!response.ok)
      return { ok: false, reason: `the download failed (HTTP ${response.status}); try again` };
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      controller.abort();
      return { ok: false, reason: tooLarge(declared, options.maxBytes) };
    }
    return await readCapped(response, options.maxBytes, controller);
  } catch (error) {
    if (timedOut) {
      return { ok: false, reason: `the download took longer than ${options.timeoutMs / 1000} s; try again` };
    }
    return { ok: false, reason: `the download failed (${describe(error)}); try again` };
  } finally {
    options.timers.clearTimeout(timer);
  }
}

async function readCapped(
  response: Response,
  maxBytes: number,
  controller: AbortController,
): Promise<Download> {
  if (response.body === null) return { ok: true, bytes: new Uint8Array() };
  // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- fetch's body stream is typed any here; it yields bytes
  const reader = response.body.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      controller.abort();
      await reader.cancel().catch(() => undefined);
      return { ok: false, reason: tooLarge(total, maxBytes, true) };
    }
    chunks.push(value);
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}

function tooLarge(bytes: number, maxBytes: number, atLeast = false): string {
  if (atLeast)
    return `too large: more than ${formatBytes(maxBytes)}, and a lecture file may be at most ${formatBytes(maxBytes)}`;
  const sizes = formatSizeAgainstLimit(bytes, maxBytes);
  return `too large: ${sizes.size}, and a lecture file may be at most ${sizes.limit}`;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
