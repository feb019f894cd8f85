// Counted nouns for every message a person reads ("1 channel", "3 stories"): the one place that knows plurals.

/** "1 story", "2 stories"; the plural defaults to the noun with an s. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
