/** The HTML report of `compare`: one bar group per receive-buffer setting, then the verdict. */
import { settingName } from '../../compare/verdict.js';
import type { CompareReport, CompareSetting } from '../../compare/model.js';
import { formatBytes, formatInteger, formatPercent } from '../format.js';
import { formatMicros } from './units.js';
import type { ChartSpec } from './chart-spec.js';
import { formatDate, renderPage, type ReportContext } from './page.js';
import { COLOURS } from './palette.js';

const queuePercent = (s: CompareSetting): number => Math.round(s.peakQueueFraction * 1000) / 10;

function names(r: CompareReport): string[] {
  return r.end.settings.map((s) => `${settingName(s, r.start.rmemDefaultBytes)}${s.rcvbufForced ? ' (forced)' : ''}`);
}

/** Two-line axis labels: the setting, then what the kernel granted. */
function labels(r: CompareReport): string[][] {
  return r.end.settings.map((s, i) => [names(r)[i] ?? s.label, `granted ${formatBytes(s.rcvbufGrantedBytes)}`]);
}

function receivedLostChart(r: CompareReport): ChartSpec {
  const s = r.end.settings;
  return {
    id: 'received-lost',
    title: 'Received and lost, per setting',
    caption: 'The same traffic at each receive-buffer setting: each bar is everything sent, split into what arrived and what was lost.',
    x: { title: 'receive buffer setting', type: 'category', labels: labels(r), stacked: true },
    y: { title: 'datagrams', type: 'linear', min: 0, format: 'si', stacked: true, integer: true },
    series: [
      { label: 'received', kind: 'bar', axis: 'y', color: COLOURS.received, data: s.map((x) => x.packets) },
      { label: 'lost', kind: 'bar', axis: 'y', color: COLOURS.lost, data: s.map((x) => x.lostPackets) },
    ],
    table: {
      head: ['Setting', 'Sent', 'Received', 'Lost', 'Loss'],
      rows: s.map((x, i) => [names(r)[i] ?? x.label, formatInteger(x.sentPackets), formatInteger(x.packets), formatInteger(x.lostPackets), formatPercent(x.lossPercent)]),
    },
  };
}

function dropsChart(r: CompareReport): ChartSpec {
  const s = r.end.settings;
  return {
    id: 'drops',
    title: 'Where the loss happened, per setting',
    caption: "Lost datagrams next to the kernel's counters: this socket's drops (its receive buffer was full) and the namespace's Udp RcvbufErrors. Loss above the socket drops happened before the socket.",
    x: { title: 'receive buffer setting', type: 'category', labels: labels(r) },
    y: { title: 'datagrams', type: 'linear', min: 0, format: 'si', integer: true },
    series: [
      { label: 'lost (sequence gaps)', kind: 'bar', axis: 'y', color: COLOURS.lost, data: s.map((x) => x.lostPackets) },
      { label: 'socket drops', kind: 'bar', axis: 'y', color: COLOURS.socketDrops, data: s.map((x) => x.socketDrops) },
      { label: 'RcvbufErrors', kind: 'bar', axis: 'y', color: COLOURS.rcvbufErrors, data: s.map((x) => x.rcvbufErrors) },
    ],
    table: {
      head: ['Setting', 'Lost', 'Socket drops', 'RcvbufErrors'],
      rows: s.map((x, i) => [names(r)[i] ?? x.label, formatInteger(x.lostPackets), formatInteger(x.socketDrops), formatInteger(x.rcvbufErrors)]),
    },
  };
}

function queueChart(r: CompareReport): ChartSpec {
  const s = r.end.settings;
  return {
    id: 'peak-queue',
    title: 'Peak receive queue, per setting',
    caption: 'The fullest the socket\'s receive buffer got during the run, as a share of what the kernel granted. 100 % means it filled and the kernel dropped.',
    x: { title: 'receive buffer setting', type: 'category', labels: labels(r) },
    y: { title: 'peak queue, % of receive buffer', type: 'linear', min: 0, max: Math.max(100, ...s.map(queuePercent)), format: 'percent' },
    series: [
      { label: 'peak queue', kind: 'bar', axis: 'y', color: COLOURS.queue, data: s.map(queuePercent) },
      { label: 'buffer full (100 %)', kind: 'line', axis: 'y', color: COLOURS.lost, data: s.map(() => 100), dashed: true, point: 'none' },
    ],
    table: {
      head: ['Setting', 'Granted, bytes', 'Peak queue'],
      rows: s.map((x, i) => [names(r)[i] ?? x.label, formatInteger(x.rcvbufGrantedBytes), `${queuePercent(x)} %`]),
    },
  };
}

function latencyChart(r: CompareReport): ChartSpec {
  const s = r.end.settings;
  return {
    id: 'latency-p99',
    title: 'Latency p99, per setting',
    caption: 'One-way latency that 99 % of the datagrams beat. A bigger buffer loses less but can hold datagrams longer: this is what the room costs.',
    x: { title: 'receive buffer setting', type: 'category', labels: labels(r) },
    y: { title: 'one-way latency p99, µs', type: 'linear', min: 0, format: 'si' },
    series: [{ label: 'latency p99', kind: 'bar', axis: 'y', color: COLOURS.latency, data: s.map((x) => x.latencyP99Us) }],
    table: {
      head: ['Setting', 'Latency p99, µs', 'Latency p99'],
      rows: s.map((x, i) => [names(r)[i] ?? x.label, formatInteger(x.latencyP99Us), formatMicros(x.latencyP99Us)]),
    },
  };
}

export function renderCompareHtml(report: CompareReport, context: ReportContext): string {
  const s = report.end.settings;
  const v = report.end.verdict;
  const date = formatDate(context.generatedAtMs);
  const backends = [...new Set(s.map((x) => x.backend))].join(', ') || '-';
  const rmem = (n: number | null): string => (n === null ? '-' : `${formatInteger(n)} B`);
  return renderPage({
    kind: 'compare',
    title: `mcastbench compare report: ${context.host}, ${date}`,
    facts: [
      ['Date', date],
      ['Host', context.host],
      ['Backend', backends],
      ['Settings', report.start.settings.join(', ')],
      ['Max loss to win', formatPercent(report.end.maxLossPercent)],
      ['net.core.rmem_max', rmem(report.start.rmemMaxBytes)],
      ['net.core.rmem_default', rmem(report.start.rmemDefaultBytes)],
    ],
    tiles: [
      { label: 'smallest setting within --max-loss', value: v.winner ?? 'none', tone: v.winner === null ? 'bad' : 'good' },
      { label: 'settings run', value: `${s.length} of ${report.start.settings.length}` },
      ...s.map((x, i) => ({ label: `lost at ${names(report)[i] ?? x.label}`, value: formatPercent(x.lossPercent), tone: x.lossPercent <= report.end.maxLossPercent ? ('good' as const) : ('bad' as const) })),
    ],
    notes: v.lines,
    commands: { heading: 'To apply it (as root, in the initial network namespace)', lines: v.fix },
    tables: [],
    charts: [receivedLostChart(report), dropsChart(report), queueChart(report), latencyChart(report)],
    context,
  });
}
