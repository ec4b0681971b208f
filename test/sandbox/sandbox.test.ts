// The sandbox without a browser: its API as the page uses it, what it refuses from other sites, and
// that its channels last across a restart while Reset clears everything.
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import type { ApiResult, SandboxState } from '../../src/sandbox/protocol.js';
import { startSandbox } from '../../src/sandbox/start.js';
import type { RunningSandbox } from '../../src/sandbox/start.js';
import { SANDBOX_GUILD, SANDBOX_MEMBERS } from '../../src/sandbox/world.js';
import { waitUntil } from '../e2e/harness.js';

const CONTENT = fileURLToPath(new URL('../fixtures/sandbox', import.meta.url));
const [ada, ben] = SANDBOX_MEMBERS;
const quizChannel = SANDBOX_GUILD.channels[0]!.id;

let dir: string;
let running: RunningSandbox | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quizbot-sandbox-'));
});

afterEach(async () => {
  await running?.stop();
  running = undefined;
  await rm(dir, { recursive: true, force: true });
});

function config(): Config {
  return {
    discordToken: '',
    clientId: '',
    guildId: null,
    storeUrl: `sqlite://${join(dir, 'data', 'sandbox.sqlite')}`,
    contentDir: CONTENT,
    apiUrl: null,
    logLevel: 'silent',
    sandbox: { port: 0 },
  };
}

async function start(): Promise<RunningSandbox> {
  running = await startSandbox(config(), { logger: pino({ level: 'silent' }), random: () => 0 });
  return running;
}

async function api<T extends object = object>(path: string, body: unknown): Promise<ApiResult<T>> {
  const response = await fetch(`${running!.server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as ApiResult<T>;
}

async function state(): Promise<SandboxState> {
  return (await (await fetch(`${running!.server.url}/api/state`)).json()) as SandboxState;
}

function raw(
  path: string,
  headers: Record<string, string>,
  method = 'GET',
  body = '',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  const url = new URL(path, running!.server.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const startQuiz = {
  member: ada!.user.id,
  channelId: quizChannel,
  path: ['quiz', 'start'],
  options: { lecture: 'shell-basics' },
};

describe('the sandbox API', () => {
  it('GIVEN /quiz start THEN the bot posts the lecture and its questions, and a click is graded privately for its member', async () => {
    await start();
    expect(await api('/api/command', startQuiz)).toEqual({ ok: true });
    await waitUntil(() => running!.sandbox.state().messages.length === 3);
    const [summary, question] = (await state()).messages;
    expect(summary?.interaction).toMatchObject({ user: { name: 'ada' }, command: 'quiz start' });
    const button = question?.rows[0]?.find((b) => b.kind === 'button' && b.label?.startsWith('B.'));
    const customId = button?.kind === 'button' ? button.customId : undefined;
    expect(await api('/api/click', { member: ben!.user.id, messageId: question!.id, customId })).toEqual({
      ok: true,
    });
    await waitUntil(() => running!.sandbox.state().messages.length === 4);
    const reply = (await state()).messages[3];
    expect(reply?.visibleTo).toBe(ben!.user.id);
    expect(reply?.embeds[0]?.description).toContain('Correct!');
  });

  it('GIVEN bad input THEN the member is told why and nothing reaches the bot', async () => {
    await start();
    const sent = running!.sandbox.discord.requests.length;
    expect(await api('/api/command', { ...startQuiz, options: {} })).toEqual({
      ok: false,
      error: 'Fill in "lecture": it is required.',
    });
    expect(await api('/api/command', { ...startQuiz, path: ['quizevent', 'start'] })).toEqual({
      ok: false,
      error: 'ada may not use /quizevent start.',
    });
    expect(await api('/api/command', { ...startQuiz, member: 'nobody' })).toEqual({
      ok: false,
      error: 'Pick a member first.',
    });
    expect(
      await api('/api/message', { member: ada!.user.id, channelId: quizChannel, content: '   ' }),
    ).toEqual({ ok: false, error: 'Type a message first.' });
    expect(running!.sandbox.discord.callbacks).toHaveLength(0);
    expect(running!.sandbox.discord.requests.length).toBe(sent);
  });

  it("GIVEN autocomplete THEN the choices are the bot's own", async () => {
    await start();
    const result = await api<{ choices: { name: string; value: string }[] }>('/api/autocomplete', {
      ...startQuiz,
      options: { lecture: 'markup' },
      focused: 'lecture',
    });
    expect(result).toEqual({ ok: true, choices: [{ name: 'Markup <b>Check</b>', value: 'markup-check' }] });
  });
});

describe('what the sandbox refuses', () => {
  it('GIVEN another host name, another origin or a form post THEN it refuses; a file is offered for download, not shown', async () => {
    await start();
    const { port } = new URL(running!.server.url);
    expect((await raw('/api/state', { Host: `evil.example:${port}` })).status).toBe(421);
    const json = { 'Content-Type': 'application/json' };
    expect((await raw('/api/reset', { ...json, Origin: 'http://evil.example' }, 'POST', '{}')).status).toBe(
      403,
    );
    expect(
      (await raw('/api/reset', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'POST', 'a=1'))
        .status,
    ).toBe(415);
    const page = await raw('/', {});
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");

    const upload = await fetch(`${running!.server.url}/api/upload`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/html', 'X-Filename': 'page.html' },
      body: '<script>alert(1)</script>',
    });
    const file = (await upload.json()) as ApiResult<{ id: string; filename: string }>;
    if (!file.ok) throw new Error(file.error);
    const served = await raw(`/attachments/${file.id}/${file.filename}`, {});
    expect(served.headers['content-type']).toBe('application/octet-stream');
    expect(served.headers['content-disposition']).toBe('attachment; filename="page.html"');
  });
});

describe('restart and Reset', () => {
  it('GIVEN a restart THEN the channels and commands are still there and an old question still grades', async () => {
    await start();
    await api('/api/command', startQuiz);
    await waitUntil(() => running!.sandbox.state().messages.length === 3);
    await running!.stop();
    running = undefined;

    await start();
    const after = await state();
    expect(after.messages).toHaveLength(3);
    expect(after.commands.map((c) => c.path.join(' '))).toContain('quiz start');
    const question = after.messages[1]!;
    const button = question.rows[0]?.[0];
    const customId = button?.kind === 'button' ? button.customId : undefined;
    expect(await api('/api/click', { member: ada!.user.id, messageId: question.id, customId })).toEqual({
      ok: true,
    });
    await waitUntil(() => running!.sandbox.state().messages.length === 4);
  });

  it('GIVEN Reset THEN messages, scores and events are gone, and the bot is back with its commands', async () => {
    await start();
    await api('/api/command', startQuiz);
    await waitUntil(() => running!.sandbox.state().messages.length === 3);
    const question = (await state()).messages[1]!;
    const button = question.rows[0]?.[1];
    await api('/api/click', {
      member: ada!.user.id,
      messageId: question.id,
      customId: button?.kind === 'button' ? button.customId : '',
    });
    expect((await running!.store.getScore(SANDBOX_GUILD.id, ada!.user.id))?.score.points).toBe(1);

    expect(await api('/api/reset', {})).toEqual({ ok: true });
    const after = await state();
    expect(after.messages).toEqual([]);
    expect(after.commands.length).toBeGreaterThan(0);
    expect(await running!.store.getScore(SANDBOX_GUILD.id, ada!.user.id)).toBeNull();
    expect(await api('/api/command', startQuiz)).toEqual({ ok: true });
  });
});
