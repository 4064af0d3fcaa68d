// The demo's loss chart: training loss and a validation metric per epoch as two lines in an
// inline SVG, each on its own scale (a loss and an RMSE or P@10 differ in range), redrawn
// after every epoch. Plain SVG: two polylines and a few labels do not need a chart library.

const SVG = 'http://www.w3.org/2000/svg';
const W = 420;
const H = 180;
const PAD = { left: 44, right: 44, top: 14, bottom: 26 };

export interface Series {
  name: string;
  values: number[];
  colour: string;
}

function el(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

const label = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(3));

/** Draws `series` (the first on the left axis, the second on the right) over `epochs` epochs into `svg`. */
export function drawChart(svg: SVGSVGElement, epochs: number, series: Series[]): void {
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.replaceChildren();
  const x = (e: number) => PAD.left + (epochs <= 1 ? 0 : (e / (epochs - 1)) * (W - PAD.left - PAD.right));
  svg.append(el('line', { x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom, stroke: '#90a4ae' }));
  svg.append(el('text', { x: W / 2, y: H - 6, 'text-anchor': 'middle', 'font-size': 11, fill: '#555' }, `epoch (1–${epochs})`));
  series.slice(0, 2).forEach((s, k) => {
    const finite = s.values.filter(Number.isFinite);
    if (finite.length === 0) return;
    const lo = Math.min(...finite);
    const hi = Math.max(...finite);
    const span = hi - lo || Math.abs(hi) || 1;
    const y = (v: number) => PAD.top + (1 - (v - lo) / span) * (H - PAD.top - PAD.bottom);
    const points = s.values.map((v, e) => (Number.isFinite(v) ? `${x(e).toFixed(1)},${y(v).toFixed(1)}` : '')).filter(Boolean);
    svg.append(el('polyline', { points: points.join(' '), fill: 'none', stroke: s.colour, 'stroke-width': 2, 'data-series': s.name }));
    const axisX = k === 0 ? PAD.left - 4 : W - PAD.right + 4;
    const anchor = k === 0 ? 'end' : 'start';
    svg.append(el('text', { x: axisX, y: y(hi) + 4, 'text-anchor': anchor, 'font-size': 10, fill: s.colour }, label(hi)));
    svg.append(el('text', { x: axisX, y: y(lo) + 4, 'text-anchor': anchor, 'font-size': 10, fill: s.colour }, label(lo)));
    svg.append(el('text', { x: k === 0 ? PAD.left : W - PAD.right, y: 10, 'text-anchor': anchor === 'end' ? 'start' : 'end', 'font-size': 11, fill: s.colour }, s.name));
  });
}
