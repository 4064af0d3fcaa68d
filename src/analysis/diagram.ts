// Diagrams of a model's network from its summary, as the course draws them: the user tower on
// the left, the item tower on the right, the parts where they meet in the middle, data flowing
// down. A self-contained SVG (no renderer, fonts or scripts needed), Graphviz DOT and Mermaid.

import type { ModelSummary, SummaryBranch, SummaryLayer } from '../models/model-summary.js';
import { formatShape } from './summary-text.js';

const NODE_W = 178;
const NODE_H = 46;
const GAP_X = 14;
const GAP_Y = 34;
const MARGIN = 20;
const TITLE_H = 34;

/** Fill colours by part type (a legend is the type name in each box). */
const FILL: Record<string, string> = {
  Input: '#eceff1',
  Embedding: '#d6e9f8',
  PooledEmbedding: '#d6e9f8',
  Dense: '#fde2c4',
  Dropout: '#f5f5f5',
  Concatenate: '#dcedc8',
  Dot: '#c8e6c9',
  Add: '#c8e6c9',
  Mean: '#c8e6c9',
  Output: '#c8e6c9',
  Bias: '#e1d5f0',
  Prior: '#e1d5f0',
  Statistic: '#e1d5f0',
  Model: '#fff3bf',
};

export interface PlacedNode {
  layer: SummaryLayer;
  x: number;
  y: number;
  depth: number;
}

export interface DiagramLayout {
  nodes: PlacedNode[];
  width: number;
  height: number;
}

/**
 * Places every part: its row is the longest path from an input (so every edge points down),
 * its column block its branch (user | joint | item), centred within the block.
 */
export function layoutSummary(s: ModelSummary): DiagramLayout {
  const depth = new Map<string, number>();
  for (const l of s.layers) depth.set(l.name, l.inputs.length === 0 ? 0 : 1 + Math.max(...l.inputs.map((i) => depth.get(i)!)));
  const rows = 1 + Math.max(0, ...depth.values());
  const order: SummaryBranch[] = ['user', 'joint', 'item'];
  const count = (b: SummaryBranch, d: number) => s.layers.filter((l) => l.branch === b && depth.get(l.name) === d).length;
  const blockWidth = order.map((b) => {
    let most = 0;
    for (let d = 0; d < rows; d++) most = Math.max(most, count(b, d));
    return most === 0 ? 0 : most * (NODE_W + GAP_X);
  });
  const blockX = [MARGIN, MARGIN + blockWidth[0], MARGIN + blockWidth[0] + blockWidth[1]];
  const nodes: PlacedNode[] = [];
  for (let d = 0; d < rows; d++) {
    order.forEach((b, k) => {
      const here = s.layers.filter((l) => l.branch === b && depth.get(l.name) === d);
      const used = here.length * (NODE_W + GAP_X);
      here.forEach((layer, j) => {
        nodes.push({ layer, depth: d, x: blockX[k] + (blockWidth[k] - used) / 2 + j * (NODE_W + GAP_X) + GAP_X / 2, y: TITLE_H + MARGIN + d * (NODE_H + GAP_Y) });
      });
    });
  }
  const width = Math.max(2 * MARGIN + blockWidth.reduce((a, w) => a + w, 0), 360);
  return { nodes, width, height: TITLE_H + 2 * MARGIN + rows * (NODE_H + GAP_Y) - GAP_Y };
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const cut = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/** The second line of a box: detail, output shape and parameters, as far as they fit. */
function caption(l: SummaryLayer): string {
  const params = l.params > 0 ? ` · ${l.params.toLocaleString('en-US')} p` : '';
  return `${formatShape(l.outputShape)}${params}${l.detail ? ` · ${l.detail}` : ''}`;
}

/**
 * The network as a standalone SVG document (inline styles, no external resources): write it
 * to a file from Node or put it into a page's DOM.
 *
 * @example
 * await writeFile('two-tower.svg', summarySvg(model.summary()));
 */
export function summarySvg(s: ModelSummary): string {
  const { nodes, width, height } = layoutSummary(s);
  const at = new Map(nodes.map((n) => [n.layer.name, n]));
  const edges = nodes.flatMap((n) =>
    n.layer.inputs.map((from) => {
      const a = at.get(from)!;
      const x1 = a.x + NODE_W / 2;
      const y1 = a.y + NODE_H;
      const x2 = n.x + NODE_W / 2;
      const y2 = n.y;
      const my = (y1 + y2) / 2;
      return `<path d="M${x1.toFixed(1)},${y1} C${x1.toFixed(1)},${my} ${x2.toFixed(1)},${my} ${x2.toFixed(1)},${y2 - 2}" marker-end="url(#arrow)"/>`;
    }),
  );
  const boxes = nodes.map((n) => {
    const l = n.layer;
    const fill = FILL[l.type] ?? '#ffffff';
    const title = `${l.name} (${l.type})`;
    return [
      `<g class="part" data-name="${escapeXml(l.name)}">`,
      `<title>${escapeXml(`${title}: ${caption(l)}${l.params > 0 ? (l.trainable ? ', trainable' : ', fixed') : ''}`)}</title>`,
      `<rect x="${n.x.toFixed(1)}" y="${n.y}" width="${NODE_W}" height="${NODE_H}" rx="6" fill="${fill}" stroke="#607d8b"/>`,
      `<text x="${(n.x + NODE_W / 2).toFixed(1)}" y="${n.y + 18}" font-weight="bold">${escapeXml(cut(title, 30))}</text>`,
      `<text x="${(n.x + NODE_W / 2).toFixed(1)}" y="${n.y + 35}" font-size="10">${escapeXml(cut(caption(l), 34))}</text>`,
      `</g>`,
    ].join('');
  });
  const headline = `${s.kind}: ${s.formula} — ${s.totalParams.toLocaleString('en-US')} parameters`;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${escapeXml(headline)}</title>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#607d8b"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${MARGIN}" y="${MARGIN + 8}" font-size="14" font-weight="bold">${escapeXml(headline)}</text>`,
    `<g fill="none" stroke="#90a4ae" stroke-width="1.2">${edges.join('')}</g>`,
    `<g text-anchor="middle" fill="#263238">${boxes.join('')}</g>`,
    `</svg>`,
    '',
  ].join('\n');
}

const BRANCH_TITLE: Record<SummaryBranch, string> = { user: 'user tower', item: 'item tower', joint: 'joint' };

/** Identifiers Graphviz and Mermaid accept, one per part (`user_id` and `user/id` differ by position). */
function nodeIds(s: ModelSummary): (name: string) => string {
  const ids = new Map(s.layers.map((l, i) => [l.name, `n${i}_${l.name.replace(/[^A-Za-z0-9_]/g, '_')}`]));
  return (name) => ids.get(name)!;
}

/**
 * The network as Graphviz DOT (`dot -Tsvg`), the towers as clusters.
 *
 * @example
 * summaryDot(model.summary()); // 'digraph "two-tower" { ... }'
 */
export function summaryDot(s: ModelSummary): string {
  const nodeId = nodeIds(s);
  const q = (t: string) => `"${t.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const node = (l: SummaryLayer) => `    ${nodeId(l.name)} [label=${q(`${l.name} (${l.type})\n${caption(l)}`)}];`;
  const clusters = (['user', 'item'] as const).filter((b) => s.layers.some((l) => l.branch === b)).map((b) => [`  subgraph cluster_${b} {`, `    label=${q(BRANCH_TITLE[b])};`, ...s.layers.filter((l) => l.branch === b).map(node), '  }'].join('\n'));
  return [
    `digraph ${q(s.kind)} {`,
    `  label=${q(`${s.kind}: ${s.formula}`)};`,
    '  rankdir=TB;',
    '  node [shape=box, style="rounded,filled", fillcolor="#f5f5f5", fontname="Helvetica"];',
    ...clusters,
    ...s.layers.filter((l) => l.branch === 'joint').map((l) => node(l).slice(2)),
    ...s.layers.flatMap((l) => l.inputs.map((i) => `  ${nodeId(i)} -> ${nodeId(l.name)};`)),
    '}',
    '',
  ].join('\n');
}

/**
 * The network as a Mermaid flowchart (renders in GitHub Markdown), the towers as subgraphs.
 *
 * @example
 * summaryMermaid(model.summary()); // 'flowchart TB ...'
 */
export function summaryMermaid(s: ModelSummary): string {
  const nodeId = nodeIds(s);
  const label = (l: SummaryLayer) => `${l.name} (${l.type})<br/>${caption(l)}`.replace(/"/g, '#quot;');
  const node = (l: SummaryLayer) => `    ${nodeId(l.name)}["${label(l)}"]`;
  const groups = (['user', 'item'] as const).filter((b) => s.layers.some((l) => l.branch === b)).map((b) => [`  subgraph ${b}_tower ["${BRANCH_TITLE[b]}"]`, ...s.layers.filter((l) => l.branch === b).map(node), '  end'].join('\n'));
  return [
    'flowchart TB',
    ...groups,
    ...s.layers.filter((l) => l.branch === 'joint').map((l) => node(l).slice(2)),
    ...s.layers.flatMap((l) => l.inputs.map((i) => `  ${nodeId(i)} --> ${nodeId(l.name)}`)),
    '',
  ].join('\n');
}
