// Line charts as SVG (no dependencies), and a PNG of them through Debian's Chromium driven
// headless by playwright-core (a screenshot of the SVG). The PNG step is optional: without a
// browser the SVG is still written and the error is returned.
import { writeFileSync } from 'node:fs';

export interface Series {
  name: string;
  color: string;
  points: Array<[x: number, y: number]>;
  dashed?: boolean;
}

export interface Panel {
  title: string;
  yLabel: string;
  series: Series[];
  /** A horizontal goal line. */
  goal?: { y: number; label: string };
}

const W = 420;
const H = 300;
const M = { l: 62, r: 26, t: 34, b: 46 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  // Only tops whose quarters are round too (the axis has four gridlines): 1.5 gave 37.5 and 113.
  for (const m of [1, 1.2, 1.6, 2, 3, 4, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function panel(p: Panel, xs: number[], ox: number, xLabel: string): string {
  const xMax = Math.max(...xs);
  const yMax = niceMax(Math.max(p.goal?.y ?? 0, ...p.series.flatMap((s) => s.points.map(([, y]) => y))) * 1.05);
  const pw = W - M.l - M.r;
  const ph = H - M.t - M.b;
  const X = (x: number) => ox + M.l + (x / xMax) * pw;
  const Y = (y: number) => M.t + ph - (y / yMax) * ph;
  const out: string[] = [`<text x="${ox + W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(p.title)}</text>`];
  for (let i = 0; i <= 4; i++) {
    const y = (yMax / 4) * i;
    out.push(`<line x1="${X(0)}" x2="${X(xMax)}" y1="${Y(y)}" y2="${Y(y)}" stroke="#ddd"/>`, `<text x="${X(0) - 6}" y="${Y(y) + 4}" text-anchor="end" font-size="11">${+y.toPrecision(3)}</text>`);
  }
  for (const x of xs) out.push(`<text x="${X(x)}" y="${M.t + ph + 16}" text-anchor="middle" font-size="11">${x}</text>`);
  out.push(`<line x1="${X(0)}" x2="${X(xMax)}" y1="${Y(0)}" y2="${Y(0)}" stroke="#333"/>`, `<line x1="${X(0)}" x2="${X(0)}" y1="${Y(0)}" y2="${Y(yMax)}" stroke="#333"/>`);
  out.push(`<text x="${ox + M.l + pw / 2}" y="${H - 8}" text-anchor="middle" font-size="12">${esc(xLabel)}</text>`);
  out.push(`<text transform="translate(${ox + 14},${M.t + ph / 2}) rotate(-90)" text-anchor="middle" font-size="12">${esc(p.yLabel)}</text>`);
  if (p.goal) out.push(`<line x1="${X(0)}" x2="${X(xMax)}" y1="${Y(p.goal.y)}" y2="${Y(p.goal.y)}" stroke="#c00" stroke-dasharray="2 3"/>`, `<text x="${X(xMax) - 2}" y="${Y(p.goal.y) - 4}" text-anchor="end" font-size="10" fill="#c00">${esc(p.goal.label)}</text>`);
  // The legend sits on a white card, so a goal line crossing it does not run through its words.
  const legendW = 16 + 6.5 * Math.max(...p.series.map((s) => s.name.length));
  out.push(`<rect x="${ox + M.l + 4}" y="${M.t + 2}" width="${legendW.toFixed(0)}" height="${p.series.length * 15 + 4}" fill="#fff" fill-opacity="0.9"/>`);
  p.series.forEach((s, i) => {
    const pts = s.points.map(([x, y]) => `${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${pts}"/>`);
    for (const [x, y] of s.points) out.push(`<circle cx="${X(x)}" cy="${Y(y)}" r="3" fill="${s.color}"/>`);
    out.push(`<rect x="${ox + M.l + 8}" y="${M.t + 6 + i * 15}" width="12" height="3" fill="${s.color}"/><text x="${ox + M.l + 24}" y="${M.t + 11 + i * 15}" font-size="11">${esc(s.name)}</text>`);
  });
  return out.join('\n');
}

export function chartSvg(title: string, xLabel: string, xs: number[], panels: Panel[]): string {
  const width = W * panels.length;
  const body = panels.map((p, i) => panel(p, xs, i * W, xLabel)).join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H + 28}" viewBox="0 -28 ${width} ${H + 28}" font-family="DejaVu Sans, Arial, sans-serif">
<rect x="0" y="-28" width="${width}" height="${H + 28}" fill="#fff"/>
<text x="${width / 2}" y="-8" text-anchor="middle" font-size="15">${esc(title)}</text>
${body}
</svg>
`;
}

/** Writes `svgPath` and, through headless Chromium, `pngPath`; returns an error text when the PNG could not be made. */
export async function writeChart(svg: string, svgPath: string, pngPath: string): Promise<string | null> {
  writeFileSync(svgPath, svg);
  const size = /width="(\d+)" height="(\d+)"/.exec(svg)!;
  try {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: Number(size[1]), height: Number(size[2]) }, deviceScaleFactor: 2 });
      await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
      await page.locator('svg').screenshot({ path: pngPath });
    } finally {
      await browser.close();
    }
    return null;
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
}
