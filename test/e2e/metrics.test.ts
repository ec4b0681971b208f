// /metrics and /healthz for operators (METRICS_PORT): the real bot on the fake Discord, scraped over
// HTTP as Prometheus would, after members click and run commands; /healthz follows the gateway and
// the store.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot } from '../../src/bot.js';
import { FakeDiscord } from '../../src/sandbox/fake-discord.js';
import { fillDisk } from '../support/faults.js';
import { Harness, LECTURES_DIR, alice, bob } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function startWithMetrics(): Promise<{ harness: Harness; url: string }> {
  h = await Harness.start({ metricsPort: 0 });
  const url = h.bot?.metrics?.url;
  if (!url) throw new Error('the bot serves no metrics');
  return { harness: h, url };
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (comments skipped). */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match?.[1] || match[3] === undefined) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      if (key !== undefined && value !== undefined) labels[key] = value;
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

async function scrape(
  url: string,
): Promise<{ contentType: string | null; value: (name: string, labels?: Record<string, string>) => number }> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  const samples = parseExposition(await response.text());
  return {
    contentType: response.headers.get('content-type'),
    // The sum over every series of `name` whose labels include `labels` (0 when there is none).
    value: (name, labels = {}) =>
      samples
        .filter(
          (s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
        )
        .reduce((sum, s) => sum + s.value, 0),
  };
}

async function health(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/healthz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function waitForHealth(
  url: string,
  status: number,
  timeoutMs = 15_000,
): Promise<Record<string, unknown>> {
  let last = await health(url);
  const started = Date.now();
  while (last.status !== status) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`/healthz stayed ${last.status}: ${JSON.stringify(last.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await health(url);
  }
  return last.body;
}

describe('GIVEN METRICS_PORT', () => {
  it('WHEN members click and run commands THEN /metrics counts them by kind and outcome, with reply and store latency', async () => {
    const { harness, url } = await startWithMetrics();
    const before = await scrape(url);
    expect(before.contentType).toContain('text/plain');
    const answered = { type: 'button', kind: 'answer', outcome: 'ok' };

    const [question] = await harness.startQuiz('shell-basics', 2);
    if (!question) throw new Error('no question posted');
    await harness.click(question, 'B', alice);
    await harness.click(question, 'A', bob);
    await harness.click(question, 'A', alice); // a second answer: still answered, not scored again
    await harness.clickRaw(question, 'q1|zz|nonsense', alice); // an unreadable button: refused
    await harness.quiz('score', [], alice);

    const after = await scrape(url);
    const moved = (name: string, labels?: Record<string, string>) =>
      after.value(name, labels) - before.value(name, labels);
    expect(moved('quizbot_interactions_total', answered)).toBe(3);
    expect(
      moved('quizbot_interactions_total', { type: 'button', kind: 'unreadable', outcome: 'refused' }),
    ).toBe(1);
    expect(moved('quizbot_interactions_total', { type: 'command', kind: 'quiz start', outcome: 'ok' })).toBe(
      1,
    );
    expect(moved('quizbot_interactions_total', { type: 'command', kind: 'quiz score', outcome: 'ok' })).toBe(
      1,
    );
    expect(moved('quizbot_reply_seconds_count', { type: 'button', kind: 'answer' })).toBe(3);
    expect(moved('quizbot_reply_seconds_sum', { type: 'button', kind: 'answer' })).toBeGreaterThan(0);
    expect(moved('quizbot_store_seconds_count', { operation: 'recordAnswer', outcome: 'ok' })).toBe(3);
    expect(
      moved('quizbot_store_seconds_count', { operation: 'getScore', outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(1);
    expect(after.value('quizbot_gateway_connected')).toBe(1);
    expect(after.value('quizbot_quiz_events', { status: 'running' })).toBe(0);
    expect(after.value('process_resident_memory_bytes')).toBeGreaterThan(10e6);
    expect(after.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('WHEN the gateway is down THEN /healthz is 503 until it is back', async () => {
    const { harness, url } = await startWithMetrics();
    expect(await waitForHealth(url, 200)).toMatchObject({ healthy: true, gateway: 'connected', store: 'ok' });

    // Discord drops the connection and refuses to take the bot back for a while.
    harness.fake.rejectAuthentication(4000);
    harness.fake.disconnectAll(4000);
    expect(await waitForHealth(url, 503)).toMatchObject({
      healthy: false,
      gateway: 'disconnected',
      store: 'ok',
    });
    expect((await scrape(url)).value('quizbot_gateway_connected')).toBe(0);

    harness.fake.rejectAuthentication(null);
    expect(await waitForHealth(url, 200, 20_000)).toMatchObject({ gateway: 'connected' });
  });

  it('WHEN the store cannot save THEN /healthz is 503 and the failed store call is counted', async () => {
    const { harness, url } = await startWithMetrics();
    await waitForHealth(url, 200);
    const before = await scrape(url);
    const store = harness.bot?.store;
    if (!store) throw new Error('no bot');

    const disk = fillDisk(store);
    const body = await waitForHealth(url, 503);
    expect(body).toMatchObject({ healthy: false, gateway: 'connected', store: 'failing' });
    expect(String(body.storeError)).toContain('SQLITE_FULL');
    const after = await scrape(url);
    expect(
      after.value('quizbot_store_seconds_count', { operation: 'setMeta', outcome: 'error' }) -
        before.value('quizbot_store_seconds_count', { operation: 'setMeta', outcome: 'error' }),
    ).toBeGreaterThanOrEqual(1);

    disk.free();
    await waitForHealth(url, 200);
  });

  it('WHEN something else is asked for THEN 404, and the endpoint listens on loopback only', async () => {
    const { url } = await startWithMetrics();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${url}/`)).status).toBe(404);
    expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});

it('GIVEN no METRICS_PORT THEN nothing is served', async () => {
  h = await Harness.start();
  expect(h.bot?.metrics).toBeNull();
});

it('GIVEN METRICS_PORT already in use THEN the bot does not start, and says which port', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const { port } = taken.address() as AddressInfo;
  const fake = await FakeDiscord.start();
  const dir = await mkdtemp(join(tmpdir(), 'quizbot-metrics-'));
  try {
    const started = startBot(
      {
        discordToken: 'fake-token',
        clientId: fake.applicationId,
        guildId: null,
        storeUrl: `sqlite://${join(dir, 'quiz.sqlite')}`,
        contentDir: LECTURES_DIR,
        apiUrl: fake.apiUrl,
        logLevel: 'silent',
        metricsPort: port,
      },
      { logger: pino({ level: 'silent' }) },
    );
    await expect(started).rejects.toThrow(`METRICS_PORT ${port} is already in use`);
    expect(fake.identifies).toHaveLength(0);
  } finally {
    taken.close();
    await fake.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
