// Aligned plain-text tables for the eval and bench reports.

export type Cell = string | number;

/** Numbers and numeric-looking cells align right, the rest left. */
export function formatTable(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = [header, ...rows].map((row) => row.map((c) => String(c)));
  const widths = header.map((_, col) => Math.max(...text.map((row) => (row[col] ?? '').length)));
  const numeric = /^[-+]?[\d.,]+(\s?[a-z%]+)?$|^[-+]?\d|^—$/;
  const line = (row: readonly string[], isHeader: boolean): string =>
    row
      .map((c, col) => {
        const w = widths[col] ?? c.length;
        return !isHeader && numeric.test(c) && col > 0 ? c.padStart(w) : c.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  const [head, ...body] = text;
  const out = [line(head ?? [], true), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const row of body) out.push(line(row, false));
  return out.join('\n');
}

export function printTable(title: string, header: readonly string[], rows: readonly (readonly Cell[])[]): void {
  console.log(`\n${title}`);
  console.log(formatTable(header, rows));
}

export const fix = (x: number, digits = 3): string => (Number.isFinite(x) ? x.toFixed(digits) : '—');
export const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '—');
export const ms = (x: number): string => `${Math.round(x)} ms`;
