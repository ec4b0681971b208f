// The slash commands the bot registered, as the sandbox's message box offers them, and the options
// a member filled in, checked as Discord's own client checks them before it sends anything.
import type { OptionInput, ViewCommand, ViewOption } from './protocol.js';

/** Discord's application command option types. */
export const OptionType = {
  Subcommand: 1,
  SubcommandGroup: 2,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
  Role: 8,
  Mentionable: 9,
  Number: 10,
  Attachment: 11,
} as const;

/** What a command's options can refer to, for the checks and for `resolved`. */
export interface OptionWorld {
  users: Map<string, unknown>;
  /** member objects (without `user`) by user id */
  members: Map<string, unknown>;
  channels: Map<string, unknown>;
  roles: Map<string, unknown>;
  attachments: Map<string, unknown>;
}

export interface BuiltOptions {
  /** the interaction's `data.options`, nested under the subcommand (and group) */
  options: unknown[];
  resolved: unknown;
}

type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/**
 * Each runnable command (a command, or each of its subcommands) from the registration JSON, with
 * the members who may use it: Discord hides a command whose default_member_permissions a member
 * lacks (Administrator sees everything).
 */
export function runnableCommands(
  registered: readonly unknown[],
  members: readonly { id: string; permissions: string }[],
): ViewCommand[] {
  const out: ViewCommand[] = [];
  for (const raw of registered) {
    if (!isObj(raw) || (raw.type !== undefined && raw.type !== 1)) continue; // chat input only
    const name = text(raw.name);
    const allowed = members
      .filter((m) => mayUse(raw.default_member_permissions, m.permissions))
      .map((m) => m.id);
    const options = list(raw.options).filter(isObj);
    const subs = options.filter(
      (o) => o.type === OptionType.Subcommand || o.type === OptionType.SubcommandGroup,
    );
    if (subs.length === 0) {
      out.push({
        path: [name],
        description: text(raw.description),
        options: options.map(viewOption),
        members: allowed,
      });
      continue;
    }
    for (const sub of subs) {
      if (sub.type === OptionType.SubcommandGroup) {
        for (const leaf of list(sub.options).filter(isObj))
          out.push(leafCommand([name, text(sub.name), text(leaf.name)], leaf, allowed));
      } else {
        out.push(leafCommand([name, text(sub.name)], sub, allowed));
      }
    }
  }
  return out;
}

function leafCommand(path: string[], sub: Obj, members: string[]): ViewCommand {
  return {
    path,
    description: text(sub.description),
    options: list(sub.options).filter(isObj).map(viewOption),
    members,
  };
}

function mayUse(required: unknown, permissions: string): boolean {
  if (typeof required !== 'string') return true;
  const have = BigInt(permissions);
  const administrator = 1n << 3n;
  if ((have & administrator) !== 0n) return true;
  const need = BigInt(required);
  return (have & need) === need;
}

function viewOption(raw: Obj): ViewOption {
  const minValue = num(raw.min_value);
  const maxValue = num(raw.max_value);
  const minLength = num(raw.min_length);
  const maxLength = num(raw.max_length);
  const channelTypes = list(raw.channel_types).filter((t): t is number => typeof t === 'number');
  return {
    type: num(raw.type) ?? OptionType.String,
    name: text(raw.name),
    description: text(raw.description),
    required: raw.required === true,
    autocomplete: raw.autocomplete === true,
    choices: list(raw.choices)
      .filter(isObj)
      .map((c) => ({ name: text(c.name), value: typeof c.value === 'number' ? c.value : text(c.value) })),
    ...(minValue === undefined ? {} : { minValue }),
    ...(maxValue === undefined ? {} : { maxValue }),
    ...(minLength === undefined ? {} : { minLength }),
    ...(maxLength === undefined ? {} : { maxLength }),
    ...(channelTypes.length > 0 ? { channelTypes } : {}),
  };
}

/** A refusal the member reads, as Discord's client shows it under the message box. */
export class OptionError extends Error {
  override name = 'OptionError';
}

/**
 * The options Discord sends for a command, checked against its definition: required ones present,
 * numbers whole and in range, text within its length, a listed choice, a channel of an allowed type,
 * a known member or file. Throws OptionError with a sentence naming the option.
 */
export function buildOptions(
  command: ViewCommand,
  input: Record<string, OptionInput>,
  world: OptionWorld,
): BuiltOptions {
  const resolved: Record<string, Record<string, unknown>> = {};
  const leaf: unknown[] = [];
  for (const name of Object.keys(input))
    if (!command.options.some((o) => o.name === name))
      throw new OptionError(`/${command.path.join(' ')} has no option "${name}".`);
  for (const option of command.options) {
    const raw = input[option.name];
    if (raw === undefined || raw === '') {
      if (option.required) throw new OptionError(`Fill in "${option.name}": it is required.`);
      continue;
    }
    leaf.push({ type: option.type, name: option.name, value: checkedValue(option, raw, world, resolved) });
  }
  return { options: nest(command.path, leaf), resolved };
}

/**
 * The options of an autocomplete request: what is filled in so far (values that do not check out
 * are left out, as Discord does) and the option being typed, as typed, marked `focused`.
 */
export function autocompleteOptions(
  command: ViewCommand,
  input: Record<string, OptionInput>,
  focused: string,
  world: OptionWorld,
): unknown[] {
  const leaf: unknown[] = [];
  for (const option of command.options) {
    const raw = input[option.name];
    if (option.name === focused) {
      leaf.push({
        type: option.type,
        name: option.name,
        value: typeof raw === 'string' ? raw : '',
        focused: true,
      });
      continue;
    }
    if (raw === undefined || raw === '') continue;
    try {
      leaf.push({ type: option.type, name: option.name, value: checkedValue(option, raw, world, {}) });
    } catch (error) {
      if (!(error instanceof OptionError)) throw error;
    }
  }
  if (!command.options.some((o) => o.name === focused && o.autocomplete))
    throw new OptionError(`"${focused}" has no suggestions.`);
  return nest(command.path, leaf);
}

function nest(path: string[], leaf: unknown[]): unknown[] {
  const [, group, sub] = path;
  if (path.length === 3 && group !== undefined && sub !== undefined)
    return [
      {
        type: OptionType.SubcommandGroup,
        name: group,
        options: [{ type: OptionType.Subcommand, name: sub, options: leaf }],
      },
    ];
  if (path.length === 2 && group !== undefined)
    return [{ type: OptionType.Subcommand, name: group, options: leaf }];
  return leaf;
}

function checkedValue(
  option: ViewOption,
  raw: OptionInput,
  world: OptionWorld,
  resolved: Record<string, Record<string, unknown>>,
): string | number | boolean {
  const name = `"${option.name}"`;
  const resolve = (kind: string, id: string, value: unknown): void => {
    resolved[kind] = { ...resolved[kind], [id]: value };
  };
  if (option.type === OptionType.Boolean) {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw new OptionError(`${name} must be True or False.`);
  }
  const value = String(raw).trim();
  switch (option.type) {
    case OptionType.String: {
      if (option.minLength !== undefined && value.length < option.minLength)
        throw new OptionError(`${name} needs at least ${option.minLength} characters.`);
      if (option.maxLength !== undefined && value.length > option.maxLength)
        throw new OptionError(`${name} takes at most ${option.maxLength} characters.`);
      return checkedChoice(option, value);
    }
    case OptionType.Integer:
    case OptionType.Number: {
      const n = Number(value);
      if (value === '' || !Number.isFinite(n) || (option.type === OptionType.Integer && !Number.isInteger(n)))
        throw new OptionError(
          `${name} must be a ${option.type === OptionType.Integer ? 'whole number' : 'number'}.`,
        );
      if (option.minValue !== undefined && n < option.minValue)
        throw new OptionError(`${name} must be at least ${option.minValue}.`);
      if (option.maxValue !== undefined && n > option.maxValue)
        throw new OptionError(`${name} must be at most ${option.maxValue}.`);
      return checkedChoice(option, n);
    }
    case OptionType.User:
    case OptionType.Mentionable: {
      const found = world.users.get(value);
      if (found !== undefined) {
        resolve('users', value, found);
        const member = world.members.get(value);
        if (member !== undefined) resolve('members', value, member);
        return value;
      }
      const role = option.type === OptionType.Mentionable ? world.roles.get(value) : undefined;
      if (role === undefined) throw new OptionError(`${name}: pick a member of this server.`);
      resolve('roles', value, role);
      return value;
    }
    case OptionType.Role: {
      const role = world.roles.get(value);
      if (role === undefined) throw new OptionError(`${name}: pick a role of this server.`);
      resolve('roles', value, role);
      return value;
    }
    case OptionType.Channel: {
      const channel = world.channels.get(value);
      const type = isObj(channel) ? channel.type : undefined;
      if (channel === undefined) throw new OptionError(`${name}: pick a channel of this server.`);
      if (option.channelTypes && !option.channelTypes.some((t) => t === type))
        throw new OptionError(`${name}: that kind of channel cannot be picked here.`);
      resolve('channels', value, channel);
      return value;
    }
    case OptionType.Attachment: {
      const file = world.attachments.get(value);
      if (file === undefined) throw new OptionError(`${name}: attach a file.`);
      resolve('attachments', value, file);
      return value;
    }
    default:
      throw new OptionError(`${name} is of a kind the sandbox cannot send (type ${option.type}).`);
  }
}

function checkedChoice<T extends string | number>(option: ViewOption, value: T): T {
  if (option.choices.length === 0 || option.choices.some((c) => c.value === value)) return value;
  throw new OptionError(`"${option.name}" must be one of: ${option.choices.map((c) => c.name).join(', ')}.`);
}
