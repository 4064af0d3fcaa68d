// Markdown tables and number formatting, so the printed output can be pasted into README.md.

/** A number with about 3 significant digits, or '–' when it is not finite. */
export function num(x, digits = 3) {
  if (!Number.isFinite(x)) return '–';
  const abs = Math.abs(x);
  if (abs >= 10 ** digits) return Math.round(x).toLocaleString('en-US');
  if (abs === 0) return '0';
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
  return x.toFixed(Math.min(decimals, 6));
}

/** "median (min–max)" of a summary, each scaled by `scale`. */
export function spread(s, scale = 1, digits = 3) {
  if (!s || !Number.isFinite(s.median)) return '–';
  return `${num(s.median * scale, digits)} (${num(s.min * scale, digits)}–${num(s.max * scale, digits)})`;
}

/** A ratio like "8.4×". */
export function times(x) {
  return Number.isFinite(x) ? `${num(x, 2)}×` : '–';
}

/** A GitHub-flavoured Markdown table; columns after the first are right-aligned. */
export function table(header, rows) {
  const cells = [header, ...rows].map((r) => r.map((c) => String(c)));
  const widths = header.map((_, j) => Math.max(3, ...cells.map((r) => (r[j] ?? '').length)));
  const line = (r) => `| ${r.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join(' | ')} |`;
  const rule = `|${widths.map((w, j) => (j === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}
