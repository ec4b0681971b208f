// The per-question accuracy chart for /quizstats: Apache ECharts lays it out as SVG (server-side,
// no DOM), resvg (WebAssembly, shipped inside its npm package) draws it into a PNG with a bundled
// DejaVu font. Dark text on an opaque white card, so it reads the same on Discord's dark and light
// themes. Both libraries are loaded on the first chart only: a bot nobody asks for results from
// never pays their memory.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Resvg as ResvgClass } from '@resvg/resvg-wasm';
import type * as EChartsModule from 'echarts/core';
import type { Report } from '../report.js';

export const CHART_WIDTH = 800;
/** Bars shown at most (the hardest); the text and the CSV carry the rest. */
export const MAX_BARS = 30;
const BAR_ROW = 34;
const CHROME = 110;
const FONT_FAMILY = 'DejaVu Sans';
/** DejaVu Sans' mean advance width, in ems: ECharts cannot measure text without a canvas. */
const AVERAGE_ADVANCE = 0.6;

export interface Chart {
  png: Buffer;
  width: number;
  height: number;
  bars: number;
}

/** Bars for the answered questions, hardest first, as `Q3 · question text`. */
export function chartBars(report: Report): { label: string; percent: number; answers: number }[] {
  return report.questions
    .filter((question) => question.accuracy !== null)
    .slice(0, MAX_BARS)
    .map((question) => ({
      label: `Q${question.label} · ${plain(question.text ?? '(since edited)', 36)}`,
      percent: Math.round((question.accuracy ?? 0) * 100),
      answers: question.answers,
    }));
}

export function chartHeight(bars: number): number {
  return CHROME + bars * BAR_ROW;
}

export async function accuracyChart(report: Report): Promise<Chart> {
  const bars = chartBars(report);
  const height = chartHeight(bars.length);
  const { echarts, Resvg, font } = await engine();
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT_FAMILY, color: '#1f2328' },
      title: {
        text: plain(`First answers right: ${report.title}`, 70),
        subtext: `${report.participants} members · ${report.answers} first answers · hardest first`,
        left: 16,
        top: 10,
        textStyle: { fontSize: 17, color: '#1f2328' },
        subtextStyle: { fontSize: 12, color: '#57606a' },
      },
      grid: { left: 16, right: 56, top: 70, bottom: 28 },
      xAxis: {
        type: 'value',
        min: 0,
        max: 100,
        interval: 25,
        axisLabel: { formatter: '{value}%', color: '#57606a' },
        splitLine: { lineStyle: { color: '#d0d7de' } },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: bars.map((bar) => bar.label),
        axisLabel: { color: '#1f2328', fontSize: 12 },
        axisLine: { lineStyle: { color: '#8c959f' } },
        axisTick: { show: false },
      },
      series: [
        {
          type: 'bar',
          barWidth: 20,
          data: bars.map((bar) => ({ value: bar.percent, itemStyle: { color: barColor(bar.percent) } })),
          label: { show: true, position: 'right', formatter: '{c}%', color: '#1f2328', fontSize: 12 },
        },
      ],
    });
    const svg = chart.renderToSVGString();
    const png = new Resvg(svg, {
      font: { fontBuffers: [font], defaultFontFamily: FONT_FAMILY, loadSystemFonts: false },
    })
      .render()
      .asPng();
    return { png: Buffer.from(png), width: CHART_WIDTH, height, bars: bars.length };
  } finally {
    chart.dispose();
  }
}

/** Red under half right, amber under four in five, green above: dark enough for white around them. */
function barColor(percent: number): string {
  if (percent < 50) return '#cf222e';
  if (percent < 80) return '#bf8700';
  return '#1a7f37';
}

/** Markdown as one plain line, cut to `limit` characters. */
function plain(markdown: string, limit: number): string {
  const text = markdown
    .replace(/```[\s\S]*?```/g, ' [code] ')
    .replace(/[`*_~>#|]/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length <= limit
    ? text
    : `${[...text]
        .slice(0, limit - 1)
        .join('')
        .trimEnd()}…`;
}

interface Engine {
  echarts: typeof EChartsModule;
  Resvg: typeof ResvgClass;
  font: Buffer;
}

let loading: Promise<Engine> | null = null;

function engine(): Promise<Engine> {
  loading ??= loadEngine().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

async function loadEngine(): Promise<Engine> {
  const require = createRequire(import.meta.url);
  const [echarts, resvg] = await Promise.all([
    import('echarts/dist/echarts.esm.min.mjs'),
    import('@resvg/resvg-wasm'),
  ]);
  echarts.setPlatformAPI({
    measureText: (text: string, font?: string) => ({
      width: text.length * Number(/(\d+(?:\.\d+)?)px/.exec(font ?? '')?.[1] ?? 12) * AVERAGE_ADVANCE,
    }),
  });
  await resvg.initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
  return {
    echarts,
    Resvg: resvg.Resvg,
    font: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
  };
}
