// `model.summary()` as text: the Keras-style table of parts, shapes and parameter counts.

import type { ModelSummary } from '../models/model-summary.js';

const int = (n: number) => n.toLocaleString('en-US');

/** Bytes with a binary unit (1.2 MiB). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

/** A part's output shape with the batch dimension first, as Keras prints it: (None, 24). */
export function formatShape(shape: readonly number[]): string {
  return `(None, ${shape.join(', ')})`;
}

/**
 * The summary as a table: one row per part in data-flow order with its type, detail,
 * output shape, parameters, whether they train, and the parts it reads; then the totals.
 *
 * @example
 * console.log(formatSummary(model.summary()));
 */
export function formatSummary(s: ModelSummary): string {
  const rows = s.layers.map((l) => [`${l.name} (${l.type})`, l.detail, formatShape(l.outputShape), int(l.params), l.params === 0 ? '' : l.trainable ? 'yes' : 'no', l.inputs.join(', ')]);
  const head = ['Part (type)', 'Detail', 'Output shape', 'Params', 'Trainable', 'Reads'];
  const widths = head.map((h, c) => Math.min(c === 1 || c === 5 ? 44 : 60, Math.max(h.length, ...rows.map((r) => r[c].length))));
  const cut = (text: string, w: number) => (text.length > w ? `${text.slice(0, w - 1)}…` : text);
  const line = (cells: string[]) => cells.map((c, i) => (i === 3 ? cut(c, widths[i]).padStart(widths[i]) : cut(c, widths[i]).padEnd(widths[i]))).join('  ').trimEnd();
  const rule = (ch: string) => ch.repeat(widths.reduce((a, w) => a + w, 0) + 2 * (widths.length - 1));
  return [
    `Model: ${s.kind} — ${s.formula}`,
    rule('─'),
    line(head),
    rule('─'),
    ...rows.map(line),
    rule('═'),
    `Total params: ${int(s.totalParams)} (${formatBytes(s.backendBytes)} on the backend${s.backendBytes < 4 * s.totalParams ? ', the rest in JavaScript arrays' : ''})`,
    `Trainable params: ${int(s.trainableParams)}`,
    `Non-trainable params: ${int(s.nonTrainableParams)}`,
  ].join('\n');
}
