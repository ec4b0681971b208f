// The sandbox page: a Discord server with two channels, a member list to act as, the server's
// scheduled events, and the message box. State comes from /api/state; changes arrive live as
// server-sent events (/api/live) and are drawn in place.
import type { LiveEvent, SandboxState, ViewMessage, ViewScheduledEvent } from '../protocol.js';
import { getState, post } from './api.js';
import { Composer } from './composer.js';
import { clear, el } from './dom.js';
import { renderMessage } from './messages.js';
import type { MessageActions } from './messages.js';
import { refreshRelativeTimes, timestamp } from './rich-text.js';
import type { Names } from './rich-text.js';

const EVENT_STATUS: Record<number, string> = { 1: 'Scheduled', 2: 'Live now', 3: 'Ended', 4: 'Canceled' };

class App {
  private state: SandboxState;
  private member: string;
  private channel: string;
  private readonly dismissed = new Set<string>();
  private readonly failures = new Map<string, string>();
  private readonly messageNodes = new Map<string, HTMLElement>();
  private readonly log: HTMLElement;
  private readonly channelTitle: HTMLElement;
  private readonly channelNav: HTMLElement;
  private readonly memberList: HTMLElement;
  private readonly eventsPanel: HTMLElement;
  private readonly status: HTMLElement;
  private readonly composer: Composer;
  private readonly resetDialog: HTMLDialogElement;

  constructor(root: HTMLElement, initial: SandboxState) {
    this.state = initial;
    this.member = initial.members[0]?.id ?? '';
    this.channel = initial.channels[0]?.id ?? '';
    this.log = el('div', { class: 'messages', attrs: { role: 'log', 'aria-live': 'polite', tabindex: '0' } });
    this.channelTitle = el('h2', { class: 'channel-title' });
    this.channelNav = el('ul', { class: 'channel-list' });
    this.memberList = el('fieldset', { class: 'member-list' });
    this.eventsPanel = el('section', {
      class: 'events-panel',
      attrs: { 'aria-labelledby': 'events-heading' },
    });
    this.status = el('p', { class: 'status', attrs: { role: 'status' } });
    this.composer = new Composer({
      member: () => this.currentMember(),
      channel: () => this.currentChannel(),
      commands: () => this.state.commands,
      channels: () => this.state.channels,
      users: () => [...this.state.members, this.state.bot],
    });
    this.resetDialog = this.buildResetDialog();
    clear(root);
    root.append(
      el(
        'nav',
        { class: 'sidebar', attrs: { 'aria-label': 'Server' } },
        el(
          'h1',
          { class: 'server-name' },
          this.state.guild.name,
          el('span', { class: 'sandbox-tag' }, 'sandbox'),
        ),
        this.eventsPanel,
        el('h2', { class: 'sidebar-heading', id: 'channels-heading' }, 'Text channels'),
        this.channelNav,
        el(
          'div',
          { class: 'sidebar-foot' },
          el(
            'button',
            { class: 'reset', attrs: { type: 'button' }, on: { click: () => this.resetDialog.showModal() } },
            'Reset the sandbox…',
          ),
          this.status,
        ),
      ),
      el('main', { class: 'channel' }, this.channelTitle, this.log, this.composer.root),
      el('aside', { class: 'members', attrs: { 'aria-label': 'Members' } }, this.memberList),
      this.resetDialog,
    );
    this.renderAll();
    window.setInterval(() => refreshRelativeTimes(document), 1000);
  }

  // ------------------------------------------------------------ state

  replaceState(state: SandboxState): void {
    this.state = state;
    if (!state.members.some((m) => m.id === this.member)) this.member = state.members[0]?.id ?? '';
    this.renderAll();
  }

  apply(event: LiveEvent): void {
    switch (event.type) {
      case 'message':
        this.upsert(event.message);
        return;
      case 'events':
        this.state.events = event.events;
        this.renderEvents();
        return;
      case 'commands':
        this.state.commands = event.commands;
        this.composer.refreshLabel();
        return;
      case 'reset':
        this.status.textContent = event.resetting ? 'Resetting…' : 'The sandbox was reset.';
        if (!event.resetting) void getState().then((s) => this.replaceState(s));
        return;
    }
  }

  private upsert(message: ViewMessage): void {
    const i = this.state.messages.findIndex((m) => m.id === message.id);
    if (i >= 0) this.state.messages[i] = message;
    else this.state.messages.push(message);
    if (message.channelId !== this.channel) return;
    const old = this.messageNodes.get(message.id);
    if (!this.visible(message)) {
      old?.remove();
      this.messageNodes.delete(message.id);
      return;
    }
    const node = this.messageNode(message);
    if (old) {
      // Edited in place; a keyboard user's focus stays on the same button.
      const focusKey =
        document.activeElement instanceof HTMLElement && old.contains(document.activeElement)
          ? document.activeElement.dataset.customId
          : undefined;
      old.replaceWith(node);
      if (focusKey) node.querySelector<HTMLElement>(`[data-custom-id="${CSS.escape(focusKey)}"]`)?.focus();
      return;
    }
    const atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 80;
    const next = this.channelMessages().find(
      (m) => compareIds(m.id, message.id) > 0 && this.messageNodes.has(m.id),
    );
    const before = next ? this.messageNodes.get(next.id) : undefined;
    this.log.insertBefore(node, before ?? null);
    if (atBottom) this.log.scrollTop = this.log.scrollHeight;
  }

  private visible(m: ViewMessage): boolean {
    return !m.deleted && (m.visibleTo === null || m.visibleTo === this.member) && !this.dismissed.has(m.id);
  }

  private channelMessages(): ViewMessage[] {
    return this.state.messages
      .filter((m) => m.channelId === this.channel)
      .sort((a, b) => compareIds(a.id, b.id));
  }

  private currentMember(): SandboxState['members'][number] {
    const found = this.state.members.find((m) => m.id === this.member) ?? this.state.members[0];
    if (!found) throw new Error('the sandbox has no members');
    return found;
  }

  private currentChannel(): SandboxState['channels'][number] {
    const found = this.state.channels.find((c) => c.id === this.channel) ?? this.state.channels[0];
    if (!found) throw new Error('the sandbox has no channels');
    return found;
  }

  // ------------------------------------------------------------ drawing

  private renderAll(): void {
    this.renderChannels();
    this.renderMembers();
    this.renderEvents();
    this.renderMessages();
    this.composer.refreshLabel();
  }

  private renderMessages(): void {
    clear(this.log);
    this.messageNodes.clear();
    const channel = this.currentChannel();
    this.channelTitle.textContent = `# ${channel.name}`;
    this.log.setAttribute('aria-label', `Messages in #${channel.name}`);
    const shown = this.channelMessages().filter((m) => this.visible(m));
    if (shown.length === 0)
      this.log.append(
        el(
          'p',
          { class: 'empty' },
          `This is the start of #${channel.name}. Type / to see the bot's commands.`,
        ),
      );
    for (const m of shown) this.log.append(this.messageNode(m));
    this.log.scrollTop = this.log.scrollHeight;
  }

  private messageNode(m: ViewMessage): HTMLElement {
    const node = renderMessage(m, this.names, this.actions, this.failures.get(m.id));
    this.messageNodes.set(m.id, node);
    return node;
  }

  private readonly names: Names = {
    user: (id) => [...this.state.members, this.state.bot].find((u) => u.id === id)?.name ?? 'unknown-user',
    channel: (id) => this.state.channels.find((c) => c.id === id)?.name ?? 'unknown-channel',
  };

  private readonly actions: MessageActions = {
    click: (message, button, node) => {
      if (!button.customId) return;
      node.disabled = true;
      node.setAttribute('aria-busy', 'true');
      this.failures.delete(message.id);
      void post('/api/click', { member: this.member, messageId: message.id, customId: button.customId }).then(
        (result) => {
          node.disabled = button.disabled;
          node.removeAttribute('aria-busy');
          if (!result.ok) {
            this.failures.set(message.id, result.error);
            const latest = this.state.messages.find((m) => m.id === message.id);
            if (latest) this.upsert(latest);
          }
        },
      );
    },
    dismiss: (message) => {
      this.dismissed.add(message.id);
      this.messageNodes.get(message.id)?.remove();
      this.messageNodes.delete(message.id);
      this.composer.focus();
    },
  };

  private renderChannels(): void {
    clear(this.channelNav);
    this.channelNav.setAttribute('aria-labelledby', 'channels-heading');
    for (const c of this.state.channels) {
      const button = el(
        'button',
        {
          class: 'channel-link',
          attrs: { type: 'button', 'aria-current': c.id === this.channel ? 'page' : undefined },
        },
        `# ${c.name}`,
      );
      button.addEventListener('click', () => {
        this.channel = c.id;
        this.renderChannels();
        this.renderMessages();
        this.composer.refreshLabel();
        this.composer.focus();
      });
      this.channelNav.append(el('li', {}, button));
    }
  }

  private renderMembers(): void {
    clear(this.memberList);
    this.memberList.append(el('legend', {}, 'Acting as'));
    for (const m of this.state.members) {
      const radio = el('input', { attrs: { type: 'radio', name: 'member', value: m.id } });
      radio.checked = m.id === this.member;
      radio.addEventListener('change', () => {
        if (!radio.checked) return;
        this.member = m.id;
        this.renderMessages();
        this.composer.refreshLabel();
      });
      this.memberList.append(
        el(
          'label',
          { class: 'member' },
          radio,
          el('span', { class: 'avatar', attrs: { 'aria-hidden': 'true' } }, m.name.slice(0, 1).toUpperCase()),
          el('span', { class: 'member-name' }, m.name),
          m.moderator ? el('span', { class: 'moderator-tag' }, 'moderator') : null,
        ),
      );
    }
    this.memberList.append(
      el(
        'p',
        { class: 'member bot-member' },
        el('span', { class: 'avatar', attrs: { 'aria-hidden': 'true' } }, '🤖'),
        el('span', { class: 'member-name' }, this.state.bot.name),
        el('span', { class: 'bot-tag' }, 'BOT'),
      ),
    );
  }

  private renderEvents(): void {
    clear(this.eventsPanel);
    const events = this.state.events;
    this.eventsPanel.append(
      el(
        'h2',
        { class: 'sidebar-heading', id: 'events-heading' },
        `Scheduled events · ${events.filter((e) => e.status <= 2).length} upcoming`,
      ),
    );
    if (events.length === 0) {
      this.eventsPanel.append(
        el('p', { class: 'events-empty' }, 'None yet. A moderator schedules one with /quizevent schedule.'),
      );
      return;
    }
    this.eventsPanel.append(el('ul', { class: 'events' }, ...events.map(renderEvent)));
  }

  private buildResetDialog(): HTMLDialogElement {
    const dialog = el(
      'dialog',
      { class: 'reset-dialog', attrs: { 'aria-labelledby': 'reset-title' } },
      el('h2', { id: 'reset-title' }, 'Reset the sandbox?'),
      el(
        'p',
        {},
        'Every message, score and quiz event is deleted and the bot starts again, reading the content folder afresh (so edited lectures show).',
      ),
    );
    const confirm = el('button', { class: 'danger', attrs: { type: 'button' } }, 'Reset everything');
    const cancel = el('button', { attrs: { type: 'button' } }, 'Cancel');
    confirm.addEventListener('click', () => {
      dialog.close();
      this.status.textContent = 'Resetting…';
      void post('/api/reset', {}).then((result) => {
        this.status.textContent = result.ok ? 'The sandbox was reset.' : result.error;
        this.dismissed.clear();
        this.failures.clear();
        return getState().then((s) => this.replaceState(s));
      });
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.append(el('div', { class: 'dialog-buttons' }, cancel, confirm));
    return dialog;
  }
}

function renderEvent(e: ViewScheduledEvent): HTMLElement {
  const seconds = Math.floor(Date.parse(e.start) / 1000);
  return el(
    'li',
    { class: `event status-${e.status}` },
    el(
      'p',
      { class: 'event-status' },
      EVENT_STATUS[e.status] ?? 'Scheduled',
      ' · ',
      timestamp(seconds, 'f'),
      ' (',
      timestamp(seconds, 'R'),
      ')',
    ),
    el('p', { class: 'event-name' }, e.name),
    e.location ? el('p', { class: 'event-location' }, `📍 ${e.location}`) : null,
    e.description ? el('details', {}, el('summary', {}, 'Details'), el('p', {}, e.description)) : null,
  );
}

/** Snowflakes are numbers too large for a double: compare them as text of digits. */
function compareIds(a: string, b: string): number {
  return a.length === b.length ? a.localeCompare(b) : a.length - b.length;
}

function main(): void {
  const root = document.getElementById('app');
  if (!root) return;
  let app: App | null = null;
  const live = new EventSource('/api/live');
  // Every (re)connection starts from the whole state, so nothing sent while away is missed.
  live.addEventListener('open', () => {
    void getState().then(
      (state) => {
        if (app) app.replaceState(state);
        else app = new App(root, state);
      },
      () => undefined,
    );
  });
  live.addEventListener('error', () => {
    if (!app) root.textContent = 'The sandbox server cannot be reached. Is it still running?';
  });
  live.addEventListener('message', (e: MessageEvent<string>) => {
    // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- the sandbox server sends the LiveEvent shapes of protocol.ts
    const event = JSON.parse(e.data) as LiveEvent;
    app?.apply(event);
  });
}

main();
