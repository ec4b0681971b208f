// The message box. Typing `/` lists the commands the bot registered (those the member may use);
// picking one shows a field per option: text, numbers, True/False, a member, a channel, a file, and
// the bot's own autocomplete for options that have it. Enter sends, Escape steps back.
import type { OptionInput, ViewChannel, ViewCommand, ViewMember, ViewOption, ViewUser } from '../protocol.js';
import { post, upload } from './api.js';
import { clear, el, uid } from './dom.js';

export interface ComposerContext {
  member(): ViewMember;
  channel(): ViewChannel;
  commands(): ViewCommand[];
  channels(): ViewChannel[];
  users(): ViewUser[];
}

const OPTION_TYPE_NAMES: Record<number, string> = {
  3: 'text',
  4: 'whole number',
  5: 'True or False',
  6: 'member',
  7: 'channel',
  8: 'role',
  9: 'member or role',
  10: 'number',
  11: 'file',
};

interface Field {
  option: ViewOption;
  /** the value to send, or undefined when empty */
  value(): OptionInput | undefined;
  focusTarget: HTMLElement;
}

/** A listbox under (or above) an input, for commands and autocomplete choices. */
class Suggestions {
  readonly list: HTMLUListElement;
  private items: { label: string; detail?: string; pick: () => void }[] = [];
  private active = -1;

  constructor(
    private readonly input: HTMLInputElement,
    label: string,
  ) {
    this.list = el('ul', {
      class: 'suggestions',
      id: uid('listbox'),
      attrs: { role: 'listbox', 'aria-label': label },
    });
    this.list.hidden = true;
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', this.list.id);
  }

  get open(): boolean {
    return !this.list.hidden && this.items.length > 0;
  }

  show(items: { label: string; detail?: string; pick: () => void }[], emptyText?: string): void {
    this.items = items;
    this.active = items.length > 0 ? 0 : -1;
    clear(this.list);
    items.forEach((item, i) => {
      const option = el(
        'li',
        { id: `${this.list.id}-${i}`, attrs: { role: 'option', 'aria-selected': 'false' } },
        el('span', { class: 'suggestion-label' }, item.label),
        item.detail ? el('span', { class: 'suggestion-detail' }, item.detail) : null,
      );
      // mousedown, not click: picking must happen before the input loses focus.
      option.addEventListener('mousedown', (e) => {
        e.preventDefault();
        item.pick();
      });
      this.list.appendChild(option);
    });
    if (items.length === 0 && emptyText)
      this.list.appendChild(
        el('li', { class: 'suggestion-empty', attrs: { role: 'presentation' } }, emptyText),
      );
    this.list.hidden = items.length === 0 && !emptyText;
    this.input.setAttribute('aria-expanded', String(!this.list.hidden));
    this.highlight();
  }

  hide(): void {
    this.items = [];
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  /** Arrow keys move, Enter or Tab picks, Escape closes; true when the key was used here. */
  key(e: KeyboardEvent): boolean {
    if (!this.open) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const step = e.key === 'ArrowDown' ? 1 : -1;
      this.active = (this.active + step + this.items.length) % this.items.length;
      this.highlight();
      return true;
    }
    if ((e.key === 'Enter' || e.key === 'Tab') && this.active >= 0) {
      this.items[this.active]?.pick();
      return true;
    }
    if (e.key === 'Escape') {
      this.hide();
      return true;
    }
    return false;
  }

  private highlight(): void {
    [...this.list.children].forEach((node, i) =>
      node.setAttribute('aria-selected', String(i === this.active)),
    );
    if (this.active >= 0) {
      this.input.setAttribute('aria-activedescendant', `${this.list.id}-${this.active}`);
      this.list.children[this.active]?.scrollIntoView({ block: 'nearest' });
    } else this.input.removeAttribute('aria-activedescendant');
  }
}

export class Composer {
  readonly root: HTMLFormElement;
  private readonly input: HTMLInputElement;
  private readonly commandSuggestions: Suggestions;
  private readonly chip: HTMLElement;
  private readonly optionsBox: HTMLElement;
  private readonly error: HTMLElement;
  private readonly sendButton: HTMLButtonElement;
  private command: ViewCommand | null = null;
  private fields: Field[] = [];
  private sending = false;

  constructor(private readonly ctx: ComposerContext) {
    this.input = el('input', {
      class: 'message-input',
      attrs: { type: 'text', autocomplete: 'off', spellcheck: 'true' },
    });
    this.commandSuggestions = new Suggestions(this.input, 'Commands');
    this.chip = el('div', { class: 'command-chip' });
    this.chip.hidden = true;
    this.optionsBox = el('div', { class: 'command-options' });
    this.optionsBox.hidden = true;
    this.error = el('p', { class: 'composer-error', attrs: { role: 'alert' } });
    this.sendButton = el('button', { class: 'send', attrs: { type: 'submit' } }, 'Send');
    this.root = el(
      'form',
      { class: 'composer', attrs: { 'aria-label': 'Message box' } },
      this.commandSuggestions.list,
      this.error,
      el('div', { class: 'composer-row' }, this.chip, this.input, this.sendButton),
      this.optionsBox,
    );
    this.root.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.send();
    });
    this.input.addEventListener('input', () => this.onInput());
    this.input.addEventListener('keydown', (e) => {
      if (this.commandSuggestions.key(e)) e.preventDefault();
    });
    this.input.addEventListener('blur', () => this.commandSuggestions.hide());
    this.refreshLabel();
  }

  /** The channel or member changed: the box names the channel, the commands follow the member. */
  refreshLabel(): void {
    this.input.setAttribute('aria-label', `Message #${this.ctx.channel().name}`);
    this.input.placeholder = `Message #${this.ctx.channel().name} (type / for commands)`;
    if (
      this.command &&
      !this.ctx
        .commands()
        .some(
          (c) =>
            c.path.join(' ') === this.command?.path.join(' ') && c.members.includes(this.ctx.member().id),
        )
    )
      this.cancelCommand();
  }

  focus(): void {
    (this.command ? (this.fields[0]?.focusTarget ?? this.sendButton) : this.input).focus();
  }

  private onInput(): void {
    this.error.textContent = '';
    const text = this.input.value;
    if (!text.startsWith('/')) return this.commandSuggestions.hide();
    const typed = text.slice(1).trim().toLowerCase().replace(/\s+/g, ' ');
    const mine = this.ctx.commands().filter((c) => c.members.includes(this.ctx.member().id));
    const matches = mine
      .filter((c) => c.path.join(' ').startsWith(typed) || (typed !== '' && c.path.join(' ').includes(typed)))
      .sort(
        (a, b) => Number(!a.path.join(' ').startsWith(typed)) - Number(!b.path.join(' ').startsWith(typed)),
      );
    this.commandSuggestions.show(
      matches.map((c) => ({
        label: `/${c.path.join(' ')}`,
        detail: c.description,
        pick: () => this.pickCommand(c),
      })),
      mine.length === 0 ? 'The bot has registered no commands you can use yet.' : 'No command matches.',
    );
  }

  private pickCommand(command: ViewCommand): void {
    this.command = command;
    this.commandSuggestions.hide();
    this.input.value = '';
    this.input.hidden = true;
    clear(this.chip);
    this.chip.append(
      el('span', { class: 'command-name' }, `/${command.path.join(' ')}`),
      el('span', { class: 'command-description' }, command.description),
      el(
        'button',
        {
          class: 'chip-cancel',
          attrs: { type: 'button', 'aria-label': 'Cancel the command' },
          on: { click: () => this.cancelCommand() },
        },
        '×',
      ),
    );
    this.chip.hidden = false;
    // Required options first, as Discord lists them.
    const ordered = [
      ...command.options.filter((o) => o.required),
      ...command.options.filter((o) => !o.required),
    ];
    this.fields = ordered.map((o) => this.field(o));
    clear(this.optionsBox);
    this.optionsBox.append(...this.fields.map((f) => f.focusTarget.closest('.option') ?? f.focusTarget));
    this.optionsBox.hidden = this.fields.length === 0;
    this.root.addEventListener('keydown', this.onFormKey);
    this.focus();
  }

  private readonly onFormKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && this.command && !e.defaultPrevented) {
      e.preventDefault();
      this.cancelCommand();
    }
  };

  private cancelCommand(): void {
    this.command = null;
    this.fields = [];
    clear(this.optionsBox);
    this.optionsBox.hidden = true;
    this.chip.hidden = true;
    this.input.hidden = false;
    this.error.textContent = '';
    this.root.removeEventListener('keydown', this.onFormKey);
    this.input.focus();
  }

  // ------------------------------------------------------------ option fields

  private field(option: ViewOption): Field {
    const id = uid(`option-${option.name}`);
    const label = el(
      'label',
      { attrs: { for: id } },
      el('span', { class: 'option-name' }, option.name),
      option.required ? el('span', { class: 'required', attrs: { 'aria-label': 'required' } }, ' *') : null,
    );
    const hint = el(
      'span',
      { class: 'option-hint', id: `${id}-hint` },
      `${option.description} (${OPTION_TYPE_NAMES[option.type] ?? `type ${option.type}`})`,
    );
    const wrap = (control: HTMLElement, ...extra: HTMLElement[]): HTMLElement => {
      control.id = id;
      control.setAttribute('aria-describedby', hint.id);
      if (option.required) control.setAttribute('aria-required', 'true');
      return el('div', { class: 'option' }, label, control, hint, ...extra);
    };
    const select = (choices: { label: string; value: string }[]): Field => {
      const node = el(
        'select',
        {},
        el('option', { attrs: { value: '' } }, option.required ? 'Choose…' : '(none)'),
        ...choices.map((c) => el('option', { attrs: { value: c.value } }, c.label)),
      );
      wrap(node);
      return { option, focusTarget: node, value: () => (node.value === '' ? undefined : node.value) };
    };
    switch (option.type) {
      case 5:
        return select([
          { label: 'True', value: 'true' },
          { label: 'False', value: 'false' },
        ]);
      case 6:
      case 9:
        return select(
          this.ctx.users().map((u) => ({ label: u.bot ? `${u.name} (bot)` : u.name, value: u.id })),
        );
      case 7:
        return select(
          this.ctx
            .channels()
            .filter((c) => !option.channelTypes || option.channelTypes.includes(c.type))
            .map((c) => ({ label: `#${c.name}`, value: c.id })),
        );
      case 8:
        return select([]);
      case 11:
        return this.fileField(option, wrap);
    }
    if (option.choices.length > 0)
      return select(option.choices.map((c) => ({ label: c.name, value: String(c.value) })));
    const input = el('input', {
      attrs: { type: option.type === 4 || option.type === 10 ? 'number' : 'text', autocomplete: 'off' },
    });
    if (option.type === 4) input.step = '1';
    if (option.type === 10) input.step = 'any';
    if (option.minValue !== undefined) input.min = String(option.minValue);
    if (option.maxValue !== undefined) input.max = String(option.maxValue);
    if (option.maxLength !== undefined) input.maxLength = option.maxLength;
    if (!option.autocomplete) {
      wrap(input);
      return { option, focusTarget: input, value: () => (input.value === '' ? undefined : input.value) };
    }
    return this.autocompleteField(option, input, wrap);
  }

  /** The bot's own suggestions as the member types (an autocomplete interaction per pause). */
  private autocompleteField(
    option: ViewOption,
    input: HTMLInputElement,
    wrap: (c: HTMLElement, ...e: HTMLElement[]) => HTMLElement,
  ): Field {
    const suggestions = new Suggestions(input, `Suggestions for ${option.name}`);
    wrap(input, suggestions.list);
    let chosen: { name: string; value: string } | null = null;
    let timer: number | undefined;
    let asked = 0;
    const ask = (): void => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        const command = this.command;
        if (!command) return;
        const ticket = ++asked;
        void post<{ choices: { name: string; value: string }[] }>('/api/autocomplete', {
          ...this.request(command, option.name),
          focused: option.name,
        }).then((result) => {
          if (ticket !== asked || document.activeElement !== input) return;
          if (!result.ok) return suggestions.show([], result.error);
          suggestions.show(
            result.choices.map((c) => ({
              label: c.name,
              pick: () => {
                chosen = c;
                input.value = c.name;
                suggestions.hide();
              },
            })),
            'No suggestions',
          );
        });
      }, 120);
    };
    input.addEventListener('input', () => {
      chosen = null;
      ask();
    });
    input.addEventListener('focus', ask);
    input.addEventListener('blur', () => suggestions.hide());
    input.addEventListener('keydown', (e) => {
      if (suggestions.key(e)) {
        e.preventDefault();
        e.stopPropagation();
      }
    });
    return {
      option,
      focusTarget: input,
      value: () =>
        input.value === '' ? undefined : chosen && chosen.name === input.value ? chosen.value : input.value,
    };
  }

  private fileField(option: ViewOption, wrap: (c: HTMLElement, ...e: HTMLElement[]) => HTMLElement): Field {
    const input = el('input', { attrs: { type: 'file' } });
    const status = el('span', { class: 'upload-status', attrs: { 'aria-live': 'polite' } });
    wrap(input, status);
    let uploaded: string | undefined;
    input.addEventListener('change', () => {
      uploaded = undefined;
      const file = input.files?.[0];
      if (!file) return;
      status.textContent = `Uploading ${file.name}…`;
      void upload(file).then((result) => {
        if (result.ok) {
          uploaded = result.id;
          status.textContent = `${result.filename} attached`;
        } else status.textContent = result.error;
      });
    });
    return { option, focusTarget: input, value: () => uploaded };
  }

  // ------------------------------------------------------------ sending

  private request(
    command: ViewCommand,
    skip?: string,
  ): { member: string; channelId: string; path: string[]; options: Record<string, OptionInput> } {
    const options: Record<string, OptionInput> = {};
    for (const f of this.fields) {
      const value = f.option.name === skip ? inputText(f) : f.value();
      if (value !== undefined) options[f.option.name] = value;
    }
    return { member: this.ctx.member().id, channelId: this.ctx.channel().id, path: command.path, options };
  }

  private async send(): Promise<void> {
    if (this.sending) return;
    const command = this.command;
    if (!command && this.commandSuggestions.open) return;
    this.sending = true;
    this.sendButton.disabled = true;
    this.error.textContent = '';
    try {
      if (command) {
        const missing = this.fields.find((f) => f.option.required && f.value() === undefined);
        if (missing) {
          this.error.textContent = `Fill in "${missing.option.name}": it is required.`;
          missing.focusTarget.focus();
          return;
        }
        const result = await post('/api/command', this.request(command));
        if (!result.ok) {
          this.error.textContent = result.error;
          return;
        }
        this.cancelCommand();
        return;
      }
      const content = this.input.value;
      if (content.trim() === '') return;
      if (content.startsWith('/')) {
        this.error.textContent = 'Pick a command from the list (type / to see them).';
        return;
      }
      const result = await post('/api/message', {
        member: this.ctx.member().id,
        channelId: this.ctx.channel().id,
        content,
      });
      if (result.ok) this.input.value = '';
      else this.error.textContent = result.error;
    } finally {
      this.sending = false;
      this.sendButton.disabled = false;
    }
  }
}

/** What is typed in a field right now, for autocomplete (Discord sends the focused value as typed). */
function inputText(f: Field): OptionInput | undefined {
  const target = f.focusTarget;
  return target instanceof HTMLInputElement ? target.value : f.value();
}
