import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

/** One measured point of a series: `y` at size `x` (events, issues, reminders). */
export interface ChartPoint {
  x: number;
  y: number;
  series: string;
}

/** One chart of a figure: lines of y against the size, on a logarithmic size axis. */
export interface ChartPanel {
  title: string;
  xTitle: string;
  yTitle: string;
  points: ChartPoint[];
  /** a goal drawn as a dashed line (a ceiling or a floor) */
  goal?: { y: number; label: string };
}

/** The few vega and vega-lite entry points used here (vega-lite's own types need a module resolution tsc does not use). */
interface VegaLite {
  compile(spec: object): { spec: object };
}
interface Vega {
  parse(spec: object): unknown;
  View: new (runtime: unknown, options: { renderer: 'none' }) => { toSVG(): Promise<string>; finalize(): void };
}

// vega and vega-lite are ES modules only, and the CJS bench runner's `import()` is compiled into `require()`: this
// keeps a real dynamic import (of the resolved file, so it does not depend on where the import is resolved from)
const dynamicImport = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
const importModule = (name: string) => dynamicImport(pathToFileURL(require.resolve(name)).href);

const FONT = 'DejaVu Sans';

/** 3 significant digits, thousands as k and millions as M (vega's SI format would write 0.85 s as "850m") */
export function shortNumber(n: number): string {
  const digits = (v: number) => String(Number(v.toPrecision(3)));
  if (Math.abs(n) >= 1e6) return `${digits(n / 1e6)}M`;
  if (Math.abs(n) >= 1e3) return `${digits(n / 1e3)}k`;
  return digits(n);
}

function panelSpec(panel: ChartPanel, width: number): object {
  const values = panel.points.map((p) => ({ ...p, label: shortNumber(p.y) }));
  const sizes = [...new Set(panel.points.map((p) => p.x))].sort((a, b) => a - b);
  const x = {
    field: 'x',
    type: 'quantitative',
    title: panel.xTitle,
    scale: { type: 'log', domain: [sizes[0] / 1.5, sizes[sizes.length - 1] * 1.5] },
    axis: { values: sizes, format: '~s', grid: false },
  };
  const y = { field: 'y', type: 'quantitative', title: panel.yTitle, scale: { zero: true } };
  const layers: object[] = [
    {
      data: { values },
      mark: { type: 'line', point: { size: 60 } },
      encoding: {
        x,
        y,
        color: {
          field: 'series',
          type: 'nominal',
          title: null,
          legend: { orient: 'bottom', columns: 2, labelLimit: 0 },
        },
      },
    },
    {
      data: { values },
      mark: { type: 'text', dy: -10, fontSize: 11 },
      encoding: { x, y, text: { field: 'label' }, color: { field: 'series' } },
    },
  ];
  if (panel.goal)
    layers.push(
      {
        data: { values: [panel.goal] },
        mark: { type: 'rule', strokeDash: [6, 4], color: '#c0392b' },
        encoding: { y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values: [panel.goal] },
        mark: { type: 'text', align: 'right', x: 'width', dx: -4, dy: -7, color: '#c0392b', fontSize: 11 },
        encoding: { y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } },
      },
    );
  return { title: panel.title, width, height: 260, layer: layers };
}

/**
 * Draws the panels side by side (vega-lite → SVG, headless) and writes them as a PNG (resvg, with the system's
 * DejaVu fonts so the text is drawn).
 */
export async function writeChart(file: string, title: string, panels: ChartPanel[], subtitle?: string): Promise<void> {
  const vegaLite = (await importModule('vega-lite')) as VegaLite;
  const vega = (await importModule('vega')) as Vega;
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, fontSize: 15, ...(subtitle ? { subtitle, subtitleFontSize: 13 } : {}) },
    background: 'white',
    padding: 12,
    config: { font: FONT, view: { stroke: null } },
    // one panel alone takes the width of two, so the figure's title fits above it
    hconcat: panels.map((panel) => panelSpec(panel, panels.length === 1 ? 640 : 360)),
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
  };
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: true, defaultFontFamily: FONT },
  })
    .render()
    .asPng();
  writeFileSync(file, png);
}
