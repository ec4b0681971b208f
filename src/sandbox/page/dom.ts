// A small element builder. Text always goes in as text nodes, never as HTML: everything the page
// shows (lecture text, member input) is data.

type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  id?: string;
  /** attributes set as they are (aria-*, role, type, href...) */
  attrs?: Record<string, string | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.id) node.id = props.id;
  for (const [name, value] of Object.entries(props.attrs ?? {}))
    if (value !== undefined) node.setAttribute(name, value);
  for (const [name, handler] of Object.entries(props.on ?? {}))
    // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- the DOM's addEventListener takes an Event listener; each handler is registered under its own event's name
    if (handler) node.addEventListener(name, handler as EventListener);
  append(node, children);
  return node;
}

export function append(node: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/** A unique id for aria-controls and labels. */
let counter = 0;
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}
