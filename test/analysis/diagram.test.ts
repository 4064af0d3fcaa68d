// Diagrams drawn from model.summary(): the SVG is a well-formed standalone document with a
// box per part and an arrow per connection, the towers side by side; DOT and Mermaid name
// every part and every edge.
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { makeSplit } from '../../src/data/splits.js';
import { buildModel, MODEL_KINDS, type ModelKind, type ModelOptions } from '../../src/models/factory.js';
import { layoutSummary, summaryDot, summaryMermaid, summarySvg } from '../../src/analysis/diagram.js';

const data = generateSynthetic({ nUsers: 60, nItems: 50, nRatings: 1500, seed: 3 });
const split = makeSplit(data, { kind: 'random', testFraction: 0.2, seed: 3 });

/** Throws unless `xml` is well formed: one root, every tag closed in order, attributes quoted, entities known. */
function checkWellFormed(xml: string): void {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  let roots = 0;
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < body.length) {
    const lt = body.indexOf('<', i);
    const text = body.slice(i, lt < 0 ? body.length : lt);
    const badAmp = text.match(/&(?!(amp|lt|gt|quot|apos|#\d+);)/);
    if (badAmp) throw new Error(`bare & in text near ${JSON.stringify(text.slice(0, 40))}`);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(body);
    if (!m) throw new Error(`malformed tag at ${lt}: ${body.slice(lt, lt + 60)}`);
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) roots++;
    i = tag.lastIndex;
  }
  if (stack.length) throw new Error(`unclosed <${stack.join('>, <')}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
}

const cases: [ModelKind, ModelOptions][] = [...MODEL_KINDS.map((k): [ModelKind, ModelOptions] => [k, {}]), ['two-tower', { head: 'dot' }], ['two-tower', { head: 'both' }]];

describe.each(cases)('diagrams of %s %j', (kind, options) => {
  it('SVG, DOT and Mermaid show every part and every connection', async () => {
    const { model } = buildModel(kind, await createBackend('js'), data, split.train, options);
    const s = model.summary();
    const edges = s.layers.reduce((n, l) => n + l.inputs.length, 0);

    const svg = summarySvg(s);
    checkWellFormed(svg);
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).not.toMatch(/(href|src)="(http|\/\/)/); // self-contained
    for (const l of s.layers) expect(svg).toContain(`data-name="${l.name}"`);
    expect(svg.match(/<path d="M[^"]*" marker-end/g)?.length ?? 0).toBe(edges);

    const dot = summaryDot(s);
    expect(dot.match(/->/g)?.length ?? 0).toBe(edges);
    expect(dot.split('{').length).toBe(dot.split('}').length);
    for (const l of s.layers) expect(dot).toContain(`${l.name} (${l.type})`);

    const mermaid = summaryMermaid(s);
    expect(mermaid.startsWith('flowchart TB')).toBe(true);
    expect(mermaid.match(/-->/g)?.length ?? 0).toBe(edges);
    expect(mermaid.match(/^\s*subgraph /gm)?.length ?? 0).toBe(mermaid.match(/^\s*end$/gm)?.length ?? 0);
    // One node declaration per part, under distinct identifiers.
    for (const text of [dot, mermaid]) {
      const ids = [...text.matchAll(/^\s*(n\d+_\w+)\s*\[/gm)].map((m) => m[1]);
      expect(new Set(ids).size).toBe(s.layers.length);
      expect(ids.length).toBe(s.layers.length);
    }
    model.dispose();
  });
});

describe('layout', () => {
  it('the two-tower: user parts left of the joint parts, item parts right of them; every arrow points down', async () => {
    const { model } = buildModel('two-tower', await createBackend('js'), data, split.train);
    const { nodes } = layoutSummary(model.summary());
    const xs = (b: string) => nodes.filter((n) => n.layer.branch === b).map((n) => n.x);
    expect(Math.max(...xs('user'))).toBeLessThan(Math.min(...xs('joint')));
    expect(Math.max(...xs('joint'))).toBeLessThan(Math.min(...xs('item')));
    const at = new Map(nodes.map((n) => [n.layer.name, n]));
    for (const n of nodes) for (const from of n.layer.inputs) expect(at.get(from)!.y).toBeLessThan(n.y);
    // No two boxes overlap.
    for (const a of nodes) for (const b of nodes) if (a !== b && a.y === b.y) expect(Math.abs(a.x - b.x)).toBeGreaterThanOrEqual(178);
  });

  it('text is escaped: a feature named with < & " stays well formed', async () => {
    const { model } = buildModel('mf', await createBackend('js'), data, split.train);
    const s = model.summary();
    s.layers[0].detail = 'a < b & "c"';
    checkWellFormed(summarySvg(s));
    expect(summaryMermaid(s)).toContain('#quot;c#quot;');
  });
});
