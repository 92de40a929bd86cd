/**
 * A chart as data: what the report's page script turns into a Chart.js chart, and what the
 * plain table next to it shows. Kept declarative and JSON-only (no callbacks), so it can be
 * embedded in the page as JSON and checked in tests without a browser.
 */

/** How the page script writes an axis' tick labels. */
export type TickFormat =
  /** 1,234 */
  | 'int'
  /** 1.5k, 2M */
  | 'si'
  /** "12 %" (the value is already a percentage) */
  | 'percent'
  /** Log axes: only the 1, 2, 5 x 10^n ticks get a label, SI-suffixed */
  | 'log';

export interface Axis {
  /** Axis title with its unit, e.g. "throughput, Mbit/s". */
  title: string;
  type: 'category' | 'linear' | 'logarithmic';
  min?: number;
  max?: number;
  format?: TickFormat;
  /** Bars of different series stack instead of standing side by side. */
  stacked?: boolean;
  /** Whole numbers only (counts): no fractional ticks. */
  integer?: boolean;
}

export interface XAxis extends Axis {
  /** Category axes: one label per data point (an array is a multi-line label). */
  labels?: (string | string[])[];
}

export interface XY {
  x: number;
  y: number | null;
}

export interface Series {
  label: string;
  kind: 'line' | 'bar';
  /** Which value axis: the left (y) or the right (y2). */
  axis: 'y' | 'y2';
  color: string;
  /** Category x: one value per label (null = no value); linear x: points. */
  data: (number | null)[] | XY[];
  dashed?: boolean;
  /** Area under a line, lightly filled. */
  fill?: boolean;
  /** Line drawn as steps (per-interval values hold for the whole interval). */
  stepped?: boolean;
  /** Point marker; 'none' draws the line only. */
  point?: 'circle' | 'rect' | 'triangle' | 'crossRot' | 'none';
  /** Lines only: draw the markers without joining them. */
  showLine?: boolean;
  /** Bars: drawn over each other at the same x instead of side by side. */
  overlap?: boolean;
}

export interface HtmlTable {
  head: string[];
  /** Cells already formatted for people; escaped when written. */
  rows: string[][];
}

export interface ChartSpec {
  /** Unique in the page; also the element id of the chart's container. */
  id: string;
  title: string;
  /** One or two sentences under the title: what the chart shows and how to read it. */
  caption: string;
  x: XAxis;
  y: Axis;
  y2?: Axis;
  series: Series[];
  /** The same data, readable without JavaScript. */
  table: HtmlTable;
  /** Takes the page's full width (many categories, e.g. a long search path). */
  wide?: boolean;
}

/** What the page embeds as JSON for its script: the chart without its table and words. */
export type EmbeddedChart = Pick<ChartSpec, 'id' | 'x' | 'y' | 'y2' | 'series'>;

export function embeddedChart(c: ChartSpec): EmbeddedChart {
  return c.y2 === undefined ? { id: c.id, x: c.x, y: c.y, series: c.series } : { id: c.id, x: c.x, y: c.y, y2: c.y2, series: c.series };
}
