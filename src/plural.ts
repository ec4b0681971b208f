/** "1 lecture", "3 lectures": English counts for replies and logs (regular nouns only). */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
