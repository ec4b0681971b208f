import { once } from 'node:events';
import {
  ActionRowBuilder,
  AutocompleteInteraction,
  ButtonBuilder,
  ButtonInteraction,
  ButtonStyle,
  ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  GuildScheduledEventEntityType,
  GuildScheduledEventPrivacyLevel,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  Status,
  type Interaction,
  type TextChannel,
} from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FakeDiscord,
  attachmentOption,
  resolvedAttachments,
  user,
  type FakeGuildSpec,
} from '../../src/sandbox/fake-discord.js';

let fake: FakeDiscord;
let client: Client | undefined;

beforeEach(async () => {
  fake = await FakeDiscord.start();
});

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await fake.stop();
});

async function login(): Promise<Client> {
  const c = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
  client = c;
  const ready = once(c, Events.ClientReady);
  await c.login('fake-token');
  await ready;
  return c;
}

/** Runs `handle` on the next interaction and resolves with what it returned or threw. */
function onNextInteraction<T>(c: Client, handle: (i: Interaction) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    c.once(Events.InteractionCreate, (i) => {
      handle(i).then(resolve, reject);
    });
  });
}

function guild(): FakeGuildSpec {
  const g = fake.guilds[0];
  if (!g) throw new Error('the fake has no guild');
  return g;
}

function channelId(): string {
  const c = guild().channels[0];
  if (!c) throw new Error('the fake guild has no channel');
  return c.id;
}

describe('FakeDiscord with a real discord.js Client', () => {
  it('GIVEN a login THEN the client is ready with the guild and its text channel cached', async () => {
    const c = await login();
    await fake.waitForIdentify();

    expect(c.user?.id).toBe(fake.botUser.id);
    expect(c.application?.id).toBe(fake.applicationId);
    const cached = c.guilds.cache.get(guild().id);
    expect(cached?.name).toBe(guild().name);
    expect(cached?.channels.cache.get(channelId())?.isTextBased()).toBe(true);
    expect(cached?.members.me?.permissions.has(PermissionFlagsBits.Administrator)).toBe(true);
    expect(fake.identifies[0]).toMatchObject({ intents: GatewayIntentBits.Guilds });
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === '/gateway/bot')).toBe(true);
  });

  it('GIVEN a slash command THEN it arrives as a ChatInputCommandInteraction and an ephemeral reply is recorded', async () => {
    const c = await login();
    const student = user('400000000000000042', 'ada');
    const handled = onNextInteraction(c, async (i) => {
      if (!(i instanceof ChatInputCommandInteraction)) throw new Error(`unexpected ${i.constructor.name}`);
      await i.reply({
        content: `topic ${i.options.getString('topic', true)}`,
        flags: MessageFlags.Ephemeral,
      });
      return {
        name: i.commandName,
        sub: i.options.getSubcommand(),
        user: i.user.id,
        channel: i.channelId,
        guild: i.guildId,
        admin: i.memberPermissions?.has(PermissionFlagsBits.Administrator),
      };
    });

    const { id, token } = fake.sendCommand({
      name: 'quiz',
      user: student,
      options: [{ type: 1, name: 'start', options: [{ type: 3, name: 'topic', value: 'arrays' }] }],
    });

    const callback = await fake.waitForCallback(id);
    expect(callback).toMatchObject({ type: 4, data: { content: 'topic arrays', flags: 64 } });
    expect(await handled).toEqual({
      name: 'quiz',
      sub: 'start',
      user: student.id,
      channel: channelId(),
      guild: guild().id,
      admin: false,
    });
    expect(fake.originalResponse(token)).toMatchObject({ content: 'topic arrays', flags: 64, edits: 0 });
    const request = fake.requests.find((r) => r.path === `/interactions/${id}/${token}/callback`);
    expect(request?.headers.authorization).toBeUndefined();
  });

  it('GIVEN a button on a sent message WHEN it is clicked THEN a ButtonInteraction updates that message', async () => {
    const c = await login();
    const channel = c.channels.cache.get(channelId()) as TextChannel;
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('answer:1:b').setLabel('B').setStyle(ButtonStyle.Primary),
    );
    const sent = await channel.send({ content: 'Question 1', components: [row] });

    const [posted] = fake.channelMessages(channelId());
    expect(posted).toMatchObject({ id: sent.id, content: 'Question 1', edits: 0 });
    expect(posted?.components[0]).toMatchObject({ type: 1, components: [{ custom_id: 'answer:1:b' }] });

    const handled = onNextInteraction(c, async (i) => {
      if (!(i instanceof ButtonInteraction)) throw new Error(`unexpected ${i.constructor.name}`);
      await i.update({ content: 'Answered', components: [] });
      return { customId: i.customId, messageId: i.message.id, content: i.message.content };
    });
    const click = fake.clickButton({ customId: 'answer:1:b', message: posted! });

    expect(await fake.waitForCallback(click.id)).toMatchObject({ type: 7, data: { content: 'Answered' } });
    expect(await handled).toEqual({ customId: 'answer:1:b', messageId: sent.id, content: 'Question 1' });
    expect(fake.channelMessages(channelId())[0]).toMatchObject({
      content: 'Answered',
      components: [],
      edits: 1,
    });

    // A second click on the same (now edited) message answered with a reply instead.
    const replied = onNextInteraction(c, async (i) => {
      if (!i.isButton()) throw new Error('expected a button');
      await i.reply({ content: 'Already answered', flags: MessageFlags.Ephemeral });
      return i.message.content;
    });
    const again = fake.clickButton({ customId: 'answer:1:b', message: posted! });
    expect(await fake.waitForCallback(again.id)).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(await replied).toBe('Answered');
  });

  it('GIVEN deferReply then editReply and followUp THEN originalResponse and followUps reflect them', async () => {
    const c = await login();
    const handled = onNextInteraction(c, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a command');
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      const edited = await i.editReply({ content: 'Your score: 3' });
      const extra = await i.followUp({ content: 'Well done' });
      return { edited: edited.id, extra: extra.id };
    });
    const { id, token } = fake.sendCommand({ name: 'score' });

    expect(await fake.waitForCallback(id)).toMatchObject({ type: 5, data: { flags: 64 } });
    const { edited, extra } = await handled;
    expect(fake.originalResponse(token)).toMatchObject({
      id: edited,
      content: 'Your score: 3',
      flags: 64,
      edits: 1,
    });
    expect(fake.followUps(token)).toMatchObject([{ id: extra, content: 'Well done' }]);
    expect(fake.requests.some((r) => r.method === 'PATCH' && r.path.endsWith('/messages/@original'))).toBe(
      true,
    );
  });

  it('GIVEN reply withResponse THEN the callback response carries the message', async () => {
    const c = await login();
    const handled = onNextInteraction(c, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a command');
      const response = await i.reply({ content: 'Hello', withResponse: true });
      return response.resource?.message?.content;
    });
    const { token } = fake.sendCommand({ name: 'hello' });
    expect(await handled).toBe('Hello');
    expect(fake.originalResponse(token)?.content).toBe('Hello');
  });

  it('GIVEN an autocomplete THEN respond is recorded as callback type 8 with the choices', async () => {
    const c = await login();
    const handled = onNextInteraction(c, async (i) => {
      if (!(i instanceof AutocompleteInteraction)) throw new Error(`unexpected ${i.constructor.name}`);
      const focused = i.options.getFocused(true);
      await i.respond([{ name: `${focused.value}ays`, value: 'arrays' }]);
      return focused.name;
    });
    const { id } = fake.autocomplete({
      name: 'quiz',
      options: [{ type: 1, name: 'start', options: [{ type: 3, name: 'topic', value: 'arr' }] }],
    });
    expect(await fake.waitForCallback(id)).toMatchObject({
      type: 8,
      data: { choices: [{ name: 'arrays', value: 'arrays' }] },
    });
    expect(await handled).toBe('topic');
  });

  it('GIVEN failNext THEN the reply rejects with a DiscordAPIError of that code, once', async () => {
    const c = await login();
    fake.failNext((r) => r.path.startsWith('/interactions/'), 404, 10062);
    const failed = onNextInteraction(c, (i) =>
      i.isRepliable() ? i.reply('too late') : Promise.reject(new Error('not repliable')),
    );
    const first = fake.sendCommand({ name: 'quiz' });
    const err = await failed.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DiscordAPIError);
    expect((err as DiscordAPIError).code).toBe(10062);
    expect((err as DiscordAPIError).status).toBe(404);
    expect(fake.callbacks.some((cb) => cb.interactionId === first.id)).toBe(false);

    const worked = onNextInteraction(c, async (i) => (i.isRepliable() ? i.reply('on time') : undefined));
    const second = fake.sendCommand({ name: 'quiz' });
    await worked;
    expect((await fake.waitForCallback(second.id)).data).toMatchObject({ content: 'on time' });
  });

  it('GIVEN a second callback for one interaction THEN it fails as already acknowledged', async () => {
    const c = await login();
    const handled = onNextInteraction(c, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a command');
      await i.reply('first');
      // Bypass discord.js's own `replied` guard to reach the fake, as two processes answering would.
      return c.rest.post(`/interactions/${i.id}/${i.token}/callback`, {
        body: { type: 4, data: { content: 'second' } },
        auth: false,
      });
    });
    fake.sendCommand({ name: 'quiz' });
    await expect(handled).rejects.toMatchObject({ code: 40060, status: 400 });
  });

  it('GIVEN a malformed INTERACTION_CREATE THEN the harness keeps serving the next interaction', async () => {
    const c = await login();
    // discord.js throws while building the interaction and nothing catches it: it becomes an unhandled
    // rejection, which a bot must survive. Listening here also keeps vitest from failing the run over it.
    const errors: unknown[] = [];
    const onError = (e: unknown): void => void errors.push(e);
    process.on('unhandledRejection', onError);
    try {
      fake.dispatch('INTERACTION_CREATE', {
        id: '1',
        type: 2,
        token: 'x',
        application_id: fake.applicationId,
        channel: { id: channelId(), type: 0 },
        data: { id: '1', name: 'quiz', type: 1 },
      });
      const ok = onNextInteraction(c, async (i) => (i.isRepliable() ? i.reply('fine') : undefined));
      const { id } = fake.sendCommand({ name: 'quiz' });
      await ok;
      expect(await fake.waitForCallback(id)).toMatchObject({ type: 4 });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(TypeError);
    } finally {
      process.off('unhandledRejection', onError);
    }
  });

  it('GIVEN commands and a scheduled event THEN registration echoes ids and the event is stored', async () => {
    const c = await login();
    const body = [new SlashCommandBuilder().setName('quiz').setDescription('Start a quiz').toJSON()];
    const registered = (await c.rest.put(
      `/applications/${fake.applicationId}/guilds/${guild().id}/commands`,
      {
        body,
      },
    )) as { id: string; name: string }[];
    expect(registered).toMatchObject([{ name: 'quiz', guild_id: guild().id }]);
    expect(registered[0]?.id).toMatch(/^\d{17,19}$/);

    const handled = onNextInteraction(c, (i) =>
      Promise.resolve(i.isChatInputCommand() ? i.commandId : undefined),
    );
    fake.sendCommand({ name: 'quiz' });
    expect(await handled).toBe(registered[0]?.id);

    const event = await c.guilds.cache.get(guild().id)!.scheduledEvents.create({
      name: 'Weekly quiz',
      scheduledStartTime: new Date(Date.now() + 86_400_000),
      scheduledEndTime: new Date(Date.now() + 90_000_000),
      privacyLevel: GuildScheduledEventPrivacyLevel.GuildOnly,
      entityType: GuildScheduledEventEntityType.External,
      entityMetadata: { location: '#quiz' },
    });
    expect(fake.scheduledEvents(guild().id)).toMatchObject([{ id: event.id, name: 'Weekly quiz' }]);
    await event.edit({ name: 'Weekly quiz (moved)' });
    expect(fake.scheduledEvents(guild().id)[0]).toMatchObject({ name: 'Weekly quiz (moved)' });
  });

  it('GIVEN disconnectAll THEN a live client resumes and a new client can log in', async () => {
    const c = await login();
    fake.disconnectAll();
    await fake.waitForIdentify();
    expect(fake.identifies).toHaveLength(1);
    expect(fake.resumes).toHaveLength(1);

    const handled = onNextInteraction(c, async (i) => (i.isRepliable() ? i.reply('back') : undefined));
    const { id } = fake.sendCommand({ name: 'quiz' });
    await handled;
    expect((await fake.waitForCallback(id)).data).toMatchObject({ content: 'back' });

    // A bot restart: the old client goes away, a new one identifies from scratch.
    await c.destroy();
    fake.disconnectAll();
    await login();
    expect(fake.identifies).toHaveLength(2);
  });

  it('GIVEN identifyCloseCode THEN login rejects and ShardDisconnect carries the close code', async () => {
    await fake.stop();
    fake = await FakeDiscord.start({ identifyCloseCode: 4014 });
    const c = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
    client = c;
    const disconnected = once(c, Events.ShardDisconnect);

    await expect(c.login('fake-token')).rejects.toThrow('Used disallowed intents');
    const [event] = (await disconnected) as [{ code: number }];
    expect(event.code).toBe(4014);
  });

  it('GIVEN rejectAuthentication after ready THEN the RESUME is closed with the code and the shard gives up', async () => {
    const c = await login();
    const disconnected = once(c, Events.ShardDisconnect);
    fake.rejectAuthentication(4004);
    fake.disconnectAll();

    const [event] = (await disconnected) as [{ code: number }];
    expect(event.code).toBe(4004);
    expect(fake.resumes).toHaveLength(1);
    expect(c.ws.shards.first()?.status).toBe(Status.Disconnected);
  });

  it('GIVEN files, a 429 and a message edit THEN multipart bodies parse and the client retries', async () => {
    const c = await login();
    const channel = c.channels.cache.get(channelId()) as TextChannel;
    fake.failNext((r) => r.method === 'POST' && r.path === `/channels/${channelId()}/messages`, 429, 0);

    const sent = await channel.send({
      content: 'Results',
      files: [{ attachment: Buffer.from('a,b\n1,2\n'), name: 'scores.csv' }],
    });
    const posts = fake.requests.filter((r) => r.path === `/channels/${channelId()}/messages`);
    expect(posts).toHaveLength(2);
    expect(posts[1]?.body).toMatchObject({ content: 'Results' });
    expect(posts[1]?.files).toMatchObject([{ name: 'scores.csv', size: 8 }]);

    await sent.edit({ content: 'Results (final)' });
    expect(fake.channelMessages(channelId())).toMatchObject([{ content: 'Results (final)', edits: 1 }]);
    await sent.delete();
    expect(fake.channelMessages(channelId())).toEqual([]);
  });

  it('GIVEN an unknown route THEN it answers 404 with Discord error JSON and records it', async () => {
    const c = await login();
    await expect(c.rest.get('/no/such/route')).rejects.toBeInstanceOf(DiscordAPIError);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/no/such/route' });
  });
});

describe('FakeDiscord as the sandbox uses it', () => {
  async function loginTo(target: FakeDiscord, token: string): Promise<Client> {
    const c = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: target.apiUrl } });
    client = c;
    const ready = once(c, Events.ClientReady);
    await c.login(token);
    await ready;
    return c;
  }

  it('GIVEN a token THEN only that token is let in: a wrong one is refused at the gateway and over REST', async () => {
    await fake.stop();
    fake = await FakeDiscord.start({ token: 'right-token' });
    const wrong = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
    await expect(wrong.login('wrong-token')).rejects.toThrow();
    await wrong.destroy();
    const unauthorized = await fetch(`${fake.apiUrl}/v10/channels/${channelId()}`, {
      headers: { Authorization: 'Bot wrong-token' },
    });
    expect(unauthorized.status).toBe(401);
    const c = await loginTo(fake, 'right-token');
    expect(c.isReady()).toBe(true);
  });

  it('GIVEN a message with a file THEN it carries the attachment, whose URL serves the bytes', async () => {
    const c = await login();
    const channel = await c.channels.fetch(channelId());
    if (!channel?.isSendable()) throw new Error('not a text channel');
    const sent = await channel.send({
      content: 'export',
      files: [{ attachment: Buffer.from('a,b\n1,2\n'), name: 'scores.csv' }],
    });
    const attachment = sent.attachments.first();
    expect(attachment?.name).toBe('scores.csv');
    expect(attachment?.size).toBe(8);
    const download = await fetch(attachment?.url ?? '');
    expect(await download.text()).toBe('a,b\n1,2\n');
    expect(fake.channelMessages(channelId())[0]?.attachments?.map((a) => a.filename)).toEqual(['scores.csv']);
  });

  it("GIVEN changes THEN onChange tells of each; messagesIn lists replies, ephemeral ones and members' messages in order", async () => {
    const c = await login();
    const changes: string[] = [];
    fake.onChange((change) =>
      changes.push(change.kind === 'message' ? `message ${change.message.edits}` : change.kind),
    );
    const member = user('400000000000000042', 'ada');
    fake.postAsMember(channelId(), member, 'hello');
    const replied = onNextInteraction(c, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a command');
      await i.reply({ content: 'only you', flags: MessageFlags.Ephemeral });
      await i.editReply({ content: 'only you, edited' });
    });
    fake.sendCommand({ name: 'quiz', user: member, options: [{ type: 1, name: 'score', options: [] }] });
    await replied;
    expect(changes).toEqual(['message 0', 'message 0', 'message 0', 'message 1']);
    const listed = fake.messagesIn(channelId());
    expect(listed.map((m) => [m.author.username, m.content, m.flags ?? 0])).toEqual([
      ['ada', 'hello', 0],
      [fake.botUser.username, 'only you, edited', 64],
    ]);
    expect(listed[1]?.interaction).toMatchObject({ user: member, name: 'quiz score', type: 2 });
  });

  it('GIVEN a snapshot THEN a new fake started from it has the messages, commands and scheduled events', async () => {
    const c = await login();
    const channel = await c.channels.fetch(channelId());
    if (!channel?.isSendable()) throw new Error('not a text channel');
    const sent = await channel.send({
      content: 'kept',
      files: [{ attachment: Buffer.from('x'), name: 'x.txt' }],
    });
    await c.application?.commands.set([
      new SlashCommandBuilder().setName('quiz').setDescription('Quiz').toJSON(),
    ]);
    const snapshot = JSON.parse(JSON.stringify(fake.snapshot())) as ReturnType<FakeDiscord['snapshot']>;
    await c.destroy();
    client = undefined;
    await fake.stop();

    fake = await FakeDiscord.start({ restore: snapshot });
    expect(fake.channelMessages(channelId()).map((m) => m.content)).toEqual(['kept']);
    expect(fake.registeredCommands().map((cmd: { name: string }) => cmd.name)).toEqual(['quiz']);
    const again = await login();
    const restoredChannel = await again.channels.fetch(channelId());
    if (!restoredChannel?.isTextBased()) throw new Error('not a text channel');
    expect((await restoredChannel.messages.fetch(sent.id)).content).toBe('kept');
    const restored = fake.message(sent.id);
    expect(restored?.attachments?.[0]?.bytes.toString()).toBe('x');
  });
});

describe('FakeDiscord attachments', () => {
  it('GIVEN a command carrying an attachment THEN discord.js resolves it and its URL serves the bytes', async () => {
    const c = await login();
    const hosted = fake.hostAttachment('notes.md', 'hello\n');
    const handled = onNextInteraction(c, async (i) => {
      if (!(i instanceof ChatInputCommandInteraction)) throw new Error(`unexpected ${i.constructor.name}`);
      const attachment = i.options.getAttachment('file', true);
      await i.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
      return {
        name: attachment.name,
        size: attachment.size,
        body: await (await fetch(attachment.url)).text(),
      };
    });
    fake.sendCommand({
      name: 'lecture',
      options: [{ type: 1, name: 'add', options: [attachmentOption('file', hosted)] }],
      resolved: resolvedAttachments([hosted]),
    });
    expect(await handled).toEqual({ name: 'notes.md', size: 6, body: 'hello\n' });
    expect(fake.requests.some((request) => request.path === `/attachments/${hosted.id}/notes.md`)).toBe(true);
  });

  it('GIVEN hosting options THEN a status is answered, a chunked body has no length, a hang sends only headers', async () => {
    const gone = await fetch(fake.hostAttachment('a.md', 'x', { status: 404 }).url);
    expect(gone.status).toBe(404);
    const chunked = await fetch(fake.hostAttachment('b.md', 'abcdef', { chunked: true }).url);
    expect(chunked.headers.get('content-length')).toBeNull();
    expect(await chunked.text()).toBe('abcdef');
    const controller = new AbortController();
    const hanging = await fetch(fake.hostAttachment('c.md', 'x', { hang: true }).url, {
      signal: controller.signal,
    });
    expect(hanging.status).toBe(200);
    const body = hanging.text();
    controller.abort();
    await expect(body).rejects.toThrow();
  });

  it('GIVEN a reply with files THEN the fake keeps their bytes on the message', async () => {
    const c = await login();
    const handled = onNextInteraction(c, async (i) => {
      if (!(i instanceof ChatInputCommandInteraction)) throw new Error(`unexpected ${i.constructor.name}`);
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      await i.editReply({
        content: 'here',
        files: [{ attachment: Buffer.from('a,b\r\n'), name: 'data.csv' }],
      });
    });
    const { token } = fake.sendCommand({ name: 'quizstats', options: [] });
    await handled;
    expect(fake.filesOf(token).map((file) => [file.name, file.bytes.toString('utf8')])).toEqual([
      ['data.csv', 'a,b\r\n'],
    ]);
    expect(fake.originalResponse(token)?.files?.[0]?.name).toBe('data.csv');
  });
});
