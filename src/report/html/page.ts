/**
 * The page shell every HTML report shares: header (title, date, host, backend, command line),
 * summary, one figure per chart (canvas, caption, the same data as a table, the chart's JSON),
 * Chart.js inlined and the page script. Pure: strings in, one self-contained HTML string out.
 * A Content-Security-Policy of default-src 'none' makes the browser refuse any fetch at all,
 * so the file renders the same with the network off.
 */
import { chartJsSource } from './chartjs-source.js';
import { embeddedChart, type ChartSpec, type HtmlTable } from './chart-spec.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { escapeHtml, jsonForScript, scriptSafe } from './escape.js';
import { PAGE_STYLE } from './style.js';

/** What the report needs from outside its model; the CLI fills it in. */
export interface ReportContext {
  /** Host the command ran on. */
  host: string;
  /** The arguments after "mcastbench", as typed; null when unknown (library use). */
  args: readonly string[] | null;
  /** When the report was made, ms since the epoch: the date for models without a timestamp. */
  generatedAtMs: number;
}

/** A headline figure: big value, small label, optional tone. */
export interface Tile {
  label: string;
  value: string;
  tone?: 'good' | 'bad' | 'neutral';
}

export interface Page {
  /** report kind, e.g. "loopback": becomes body[data-report]. */
  kind: string;
  title: string;
  /** Header facts, in order: [label, value]. */
  facts: [string, string][];
  tiles: Tile[];
  /** Plain sentences under the tiles (verdicts, reconciliation, warnings). */
  notes: string[];
  /** Shell commands to show as a copyable block, with a heading, or none. */
  commands?: { heading: string; lines: string[] };
  /** Detail tables under the summary. */
  tables: { heading: string; table: HtmlTable }[];
  charts: ChartSpec[];
  context: ReportContext;
}

/** "2026-01-01 00:00:00 UTC": one fixed form, whatever the viewer's locale. */
export function formatDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The command line as a shell would take it back: words with odd characters single-quoted. */
export function shellLine(args: readonly string[]): string {
  const quote = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['mcastbench', ...args.map(quote)].join(' ');
}

export function renderTable(t: HtmlTable, className = 'data'): string {
  const head = t.head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const rows = t.rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`);
  return `<table class="${className}"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function renderFigure(c: ChartSpec): string {
  const dataId = `${c.id}-data`;
  const rows = c.table.rows.length;
  // Short tables are open (they are the chart in words); long ones fold so the charts stay together.
  const open = rows <= 12 ? ' open' : '';
  return [
    `<figure class="chart${c.wide === true ? ' wide' : ''}" id="${escapeHtml(c.id)}" data-chart="${escapeHtml(dataId)}">`,
    `<figcaption><h3>${escapeHtml(c.title)}</h3><p>${escapeHtml(c.caption)}</p></figcaption>`,
    `<div class="canvas-box"><canvas role="img" aria-label="${escapeHtml(c.title)}"></canvas></div>`,
    `<details${open}><summary>Data table (${rows} row${rows === 1 ? '' : 's'})</summary><div class="scroll">${renderTable(c.table)}</div></details>`,
    `<script type="application/json" id="${escapeHtml(dataId)}">${jsonForScript(embeddedChart(c))}</script>`,
    '</figure>',
  ].join('\n');
}

function renderHeader(p: Page): string {
  const facts = p.facts.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join('');
  const cmd = p.context.args === null ? '' : `<p class="command"><code>${escapeHtml(shellLine(p.context.args))}</code></p>`;
  return `<header><h1>${escapeHtml(p.title)}</h1><dl class="facts">${facts}</dl>${cmd}</header>`;
}

function renderSummary(p: Page): string {
  const tiles = p.tiles.map((t) => `<div class="tile ${t.tone ?? 'neutral'}"><span class="value">${escapeHtml(t.value)}</span><span class="label">${escapeHtml(t.label)}</span></div>`).join('');
  const notes = p.notes.length === 0 ? '' : `<ul class="notes">${p.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`;
  const commands = p.commands && p.commands.lines.length > 0 ? `<h3>${escapeHtml(p.commands.heading)}</h3><pre class="commands"><code>${escapeHtml(p.commands.lines.join('\n'))}</code></pre>` : '';
  const tables = p.tables.map((t) => `<h3>${escapeHtml(t.heading)}</h3><div class="scroll">${renderTable(t.table)}</div>`).join('');
  return `<section class="summary"><h2>Summary</h2><div class="tiles">${tiles}</div>${notes}${commands}${tables}</section>`;
}

export function renderPage(p: Page): string {
  const ids = new Set(p.charts.map((c) => c.id));
  if (ids.size !== p.charts.length) throw new Error('chart ids must be unique in a page');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="mcastbench">',
    `<title>${escapeHtml(p.title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    `<body data-report="${escapeHtml(p.kind)}" data-charts-expected="${p.charts.length}" data-charts-rendered="0">`,
    renderHeader(p),
    '<noscript><p class="noscript">The charts need JavaScript; every chart\'s data is also in the table under it.</p></noscript>',
    '<main>',
    renderSummary(p),
    `<section class="charts"><h2>Charts</h2><div class="grid">`,
    ...p.charts.map(renderFigure),
    '</div></section>',
    '</main>',
    `<footer>Generated by mcastbench on ${escapeHtml(p.context.host)} at ${escapeHtml(formatDate(p.context.generatedAtMs))}. Self-contained: Chart.js (MIT licence) is embedded; nothing is fetched.</footer>`,
    `<script>${chartJsSource()}</script>`,
    `<script>${scriptSafe(CLIENT_SCRIPT)}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
