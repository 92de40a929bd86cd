/**
 * The HTML report of `find-rate`: for each receive-buffer setting the search path (every trial
 * in order, passed or failed against --max-loss), and the answers side by side.
 */
import type { FindRateReport, FindRateResult, FindRateTrial } from '../../findrate/model.js';
import { formatInteger, formatMbitsPerSec, formatPercent } from '../format.js';
import type { ChartSpec } from './chart-spec.js';
import { formatDate, renderPage, type ReportContext, type Tile } from './page.js';
import { COLOURS } from './palette.js';

const orNull = (n: number | null): string => (n === null ? '-' : formatInteger(n));

function answersChart(r: FindRateReport): ChartSpec {
  const results = r.end.results;
  return {
    id: 'answers',
    title: 'Highest passing rate, per setting',
    caption: `The fastest trial that lost at most ${formatPercent(r.end.maxLossPercent)} at each receive-buffer setting, next to the slowest one above it that lost more: the answer lies between the two.`,
    x: { title: 'receive buffer setting', type: 'category', labels: results.map((x) => [x.label, `granted ${formatInteger(x.rcvbufGrantedBytes)} B`]) },
    y: { title: 'offered rate, datagrams/s', type: 'linear', min: 0, format: 'si' },
    series: [
      { label: 'highest passing', kind: 'bar', axis: 'y', color: COLOURS.passed, data: results.map((x) => x.bestPacketsPerSec) },
      { label: 'lowest failing', kind: 'bar', axis: 'y', color: COLOURS.failed, data: results.map((x) => x.firstFailPacketsPerSec) },
    ],
    wide: true,
    table: {
      head: ['Setting', 'Granted, bytes', 'Highest passing, datagrams/s', 'Mbit/s', 'Burst', 'Lowest failing, datagrams/s', 'Trials'],
      rows: results.map((x) => [x.label, formatInteger(x.rcvbufGrantedBytes), orNull(x.bestPacketsPerSec), x.bestBitsPerSec === null ? '-' : formatMbitsPerSec(x.bestBitsPerSec), orNull(x.bestBurst), orNull(x.firstFailPacketsPerSec), String(x.trials.length)]),
    },
  };
}

function trialRow(t: FindRateTrial, i: number): string[] {
  return [
    String(i + 1),
    t.phase,
    formatInteger(t.packetsPerSec),
    formatMbitsPerSec(t.bitsPerSec),
    formatInteger(t.burst),
    formatInteger(t.sentPackets),
    formatInteger(t.packets),
    formatInteger(t.lostPackets),
    formatPercent(t.lossPercent),
    formatInteger(t.socketDrops),
    formatInteger(t.rcvbufErrors),
    t.passed ? 'pass' : 'FAIL',
  ];
}

function searchChart(r: FindRateReport, x: FindRateResult, index: number): ChartSpec {
  const trials = x.trials;
  const rates = trials.map((t) => t.packetsPerSec);
  // The climb is geometric: a log axis keeps the first trials visible next to the last.
  const log = rates.length > 1 && Math.min(...rates) > 0 && Math.max(...rates) / Math.min(...rates) >= 10;
  const variable = r.end.search === 'rate' ? 'the sending rate' : 'the burst size (fixed burst interval)';
  return {
    id: `search-${index + 1}`,
    title: `Search path: ${x.label} (granted ${formatInteger(x.rcvbufGrantedBytes)} B)`,
    caption: `Each trial in order, searching ${variable}: bars are the offered rate (green passed, red lost more than ${formatPercent(r.end.maxLossPercent)}), the line is its loss. Answer: ${x.summary}`,
    x: { title: 'trial (phase)', type: 'category', labels: trials.map((t, i) => [`#${i + 1}`, t.phase]) },
    y: { title: `offered rate, datagrams/s${log ? ' (log scale)' : ''}`, type: log ? 'logarithmic' : 'linear', format: log ? 'log' : 'si', ...(log ? {} : { min: 0 }) },
    y2: { title: 'loss, % of datagrams', type: 'linear', min: 0, format: 'percent' },
    series: [
      { label: 'passed', kind: 'bar', axis: 'y', color: COLOURS.passed, data: trials.map((t) => (t.passed ? t.packetsPerSec : null)), overlap: true },
      { label: 'failed', kind: 'bar', axis: 'y', color: COLOURS.failed, data: trials.map((t) => (t.passed ? null : t.packetsPerSec)), overlap: true },
      { label: 'loss %', kind: 'line', axis: 'y2', color: COLOURS.limit, data: trials.map((t) => t.lossPercent), point: 'circle' },
      { label: `max loss (${formatPercent(r.end.maxLossPercent)})`, kind: 'line', axis: 'y2', color: COLOURS.lost, data: trials.map(() => r.end.maxLossPercent), dashed: true, point: 'none' },
    ],
    wide: true,
    table: {
      head: ['Trial', 'Phase', 'Offered, datagrams/s', 'Mbit/s', 'Burst', 'Sent', 'Received', 'Lost', 'Loss', 'Socket drops', 'RcvbufErrors', 'Result'],
      rows: trials.map(trialRow),
    },
  };
}

function answerTile(x: FindRateResult): Tile {
  if (x.bestPacketsPerSec === null) return { label: `${x.label}: highest passing rate`, value: 'none passed', tone: 'bad' };
  const mbit = x.bestBitsPerSec === null ? '' : ` (${formatMbitsPerSec(x.bestBitsPerSec)} Mbit/s)`;
  return { label: `${x.label}: highest passing rate`, value: `${formatInteger(x.bestPacketsPerSec)} datagrams/s${mbit}`, tone: 'good' };
}

export function renderFindRateHtml(report: FindRateReport, context: ReportContext): string {
  const s = report.start;
  const date = formatDate(context.generatedAtMs);
  return renderPage({
    kind: 'find-rate',
    title: `mcastbench find-rate report: ${context.host}, ${date}`,
    facts: [
      ['Date', date],
      ['Host', context.host],
      ['Searching', s.search === 'rate' ? 'sending rate' : 'burst size'],
      ['Datagram size', `${formatInteger(s.sizeBytes)} B`],
      ['Max loss to pass', formatPercent(s.maxLossPercent)],
      ['Trial length', `${s.trialSec} s`],
      ['Settings', s.settings.join(', ')],
    ],
    tiles: report.end.results.map(answerTile),
    // The summary sentence already starts with the setting (e.g. "default 212992: ...").
    notes: report.end.results.map((x) => x.summary),
    tables: [],
    charts: [answersChart(report), ...report.end.results.map((x, i) => searchChart(report, x, i))],
    context,
  });
}
