// A Logger that keeps every line with the child bindings it was logged under, in order, as pino writes them: a key
// bound twice (a child of a child tagged alike) appears twice in pino's JSON line, which this makes visible.
import type { Logger } from '../../src/ports.js';

export interface BoundLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  /** Every binding key from the root down, repeats included. */
  readonly boundKeys: readonly string[];
  readonly obj: Record<string, unknown>;
  readonly msg: string | undefined;
}

export function bindingLogger(lines: BoundLine[] = [], bound: readonly string[] = []): Logger & { lines: BoundLine[] } {
  const at =
    (level: BoundLine['level']) =>
    (obj: object | string, msg?: string): void => {
      const fields = typeof obj === 'string' ? {} : (obj as Record<string, unknown>);
      lines.push({ level, boundKeys: bound, obj: fields, msg: typeof obj === 'string' ? obj : msg });
    };
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (bindings) => bindingLogger(lines, [...bound, ...Object.keys(bindings)]),
  };
}

/** The keys of a line that pino would write more than once. */
export function repeatedKeys(line: BoundLine): string[] {
  const keys = [...line.boundKeys, ...Object.keys(line.obj)];
  return [...new Set(keys.filter((k, i) => keys.indexOf(k) !== i))];
}
