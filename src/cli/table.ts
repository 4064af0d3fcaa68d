// Plain-text tables for the CLI: right-aligned numbers, left-aligned text.

/** Renders rows (first row = header) as aligned columns. */
export function formatTable(rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)));
  const widths = cells[0].map((_, j) => Math.max(...cells.map((r) => (r[j] ?? '').length)));
  const numeric = rows[1]?.map((c) => typeof c === 'number') ?? [];
  return cells
    .map((r, i) => {
      const line = r.map((c, j) => (numeric[j] && i > 0 ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join('  ');
      return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n')
    .trimEnd();
}

/** 4 significant decimals for metrics, fewer for large values. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  const abs = Math.abs(x);
  return abs >= 100 ? x.toFixed(1) : abs >= 1 ? x.toFixed(4) : x.toFixed(4);
}
