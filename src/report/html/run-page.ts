/** The HTML report of `receive` and `loopback`: header, summary, and the four run charts. */
import { formatBytes, formatInteger, formatMbitsPerSec, formatPercent, formatSec } from '../format.js';
import type { LoopbackRunReport, ReceiverEnd, ReceiverRunReport, SenderEnd } from '../model.js';
import { formatMicros } from './units.js';
import type { HtmlTable } from './chart-spec.js';
import { formatDate, renderPage, type ReportContext, type Tile } from './page.js';
import { latencyChart, lossChart, queueChart, throughputChart } from './run-charts.js';

type Config = Readonly<Record<string, unknown>>;

/** A finite number from a run's echoed config, or null (absent, or Infinity written as null). */
function num(cfg: Config, key: string): number | null {
  const v = cfg[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function listening(end: ReceiverEnd): string {
  const s = end.socket;
  if (s.group === null) return `${s.localAddress} port ${s.localPort}`;
  return `${s.source === null ? s.group : `(${s.source}, ${s.group})`} port ${s.localPort}`;
}

function receiveBuffer(end: ReceiverEnd): string {
  const s = end.socket;
  const asked = s.rcvbufRequestedBytes === null ? 'kernel default' : `${formatInteger(s.rcvbufRequestedBytes)} B asked`;
  return `${asked}, ${formatInteger(s.rcvbufGrantedBytes)} B granted${s.rcvbufForced ? ' (forced)' : ''}`;
}

function offered(cfg: Config): string {
  const pps = num(cfg, 'packetsPerSec');
  const streams = num(cfg, 'streams') ?? 1;
  const size = num(cfg, 'sizeBytes');
  const burst = num(cfg, 'burst');
  const parts = [pps === null ? 'max rate' : `${formatInteger(pps * streams)} datagrams/s`];
  if (pps !== null && size !== null) parts.push(`${formatMbitsPerSec(pps * streams * size * 8)} Mbit/s`);
  parts.push(`${streams} stream${streams === 1 ? '' : 's'}`);
  if (size !== null) parts.push(`${formatInteger(size)} B datagrams`);
  if (burst !== null && burst > 1) parts.push(`bursts of ${burst}`);
  return parts.join(', ');
}

function receiverTiles(end: ReceiverEnd): Tile[] {
  const t = end.total;
  const l = t.latencyUs;
  const lossTone = end.maxLossExceeded || (end.maxLossPercent === null && t.lostPackets > 0) ? 'bad' : 'good';
  return [
    { label: 'datagrams received', value: formatInteger(t.packets) },
    { label: 'lost (share of expected)', value: `${formatInteger(t.lostPackets)} (${formatPercent(t.lossPercent)})`, tone: lossTone },
    { label: 'received, UDP payload', value: `${formatMbitsPerSec(t.bitsPerSecond)} Mbit/s` },
    { label: 'latency p50 / p99', value: l.samples > 0 ? `${formatMicros(l.p50)} / ${formatMicros(l.p99)}` : '-' },
    { label: 'socket drops (kernel)', value: formatInteger(end.kernel.socketDrops), tone: end.kernel.socketDrops > 0 ? 'bad' : 'good' },
    { label: `peak receive queue (of ${formatBytes(end.socket.rcvbufGrantedBytes)})`, value: `${Math.round(end.kernel.peakQueueFraction * 100)} %`, tone: end.kernel.peakQueueFraction >= 1 ? 'bad' : 'neutral' },
  ];
}

function receiverNotes(end: ReceiverEnd): string[] {
  const notes = [`stopped by ${end.stoppedBy} after ${formatSec(end.durationSec)} s`, end.reconciliation.words];
  if (end.maxLossPercent !== null) {
    notes.push(`max-loss: ${formatPercent(end.total.lossPercent)} lost, limit ${formatPercent(end.maxLossPercent)}: ${end.maxLossExceeded ? 'EXCEEDED' : 'within limit'}`);
  }
  if (end.total.latencyUs.negativeSamples > 0) notes.push(`latency: ${formatInteger(end.total.latencyUs.negativeSamples)} negative samples (receiver clock behind the sender's) not recorded`);
  if (end.clockNote) notes.push(end.clockNote);
  for (const w of end.warnings) notes.push(`warning: ${w}`);
  notes.push(`backend: ${end.socket.backend} (${end.socket.backendReason})`);
  return notes;
}

function streamsTable(end: ReceiverEnd): HtmlTable {
  const row = (name: string, s: ReceiverEnd['total'] | ReceiverEnd['streams'][number]): string[] => [
    name,
    formatInteger(s.packets),
    formatMbitsPerSec(s.bitsPerSecond),
    `${formatInteger(s.lostPackets)} (${formatPercent(s.lossPercent)})`,
    formatInteger(s.duplicatePackets),
    formatInteger(s.outOfOrderPackets),
    s.jitterMs.toFixed(3),
    s.latencyUs.samples > 0 ? formatMicros(s.latencyUs.p50) : '-',
    s.latencyUs.samples > 0 ? formatMicros(s.latencyUs.p99) : '-',
    s.latencyUs.samples > 0 ? formatMicros(s.latencyUs.max) : '-',
  ];
  return {
    head: ['Stream', 'Datagrams', 'Mbit/s', 'Lost (%)', 'Duplicates', 'Out of order', 'Jitter, ms', 'Latency p50', 'p99', 'max'],
    rows: [...end.streams.map((s) => row(`${s.streamId} from ${s.source}`, s)), row('Total', end.total)],
  };
}

function kernelTable(end: ReceiverEnd): HtmlTable {
  const k = end.kernel;
  return {
    head: ['Counter', 'Value'],
    rows: [
      ['socket drops (this socket)', formatInteger(k.socketDrops)],
      ['Udp RcvbufErrors (namespace)', formatInteger(k.rcvbufErrors)],
      ['Udp InErrors (namespace)', formatInteger(k.inErrors)],
      ['peak receive queue, bytes', formatInteger(k.peakRxQueueBytes)],
      ['receive buffer granted, bytes', formatInteger(end.socket.rcvbufGrantedBytes)],
      ['net.core.rmem_max, bytes', end.socket.rmemMaxBytes === null ? '-' : formatInteger(end.socket.rmemMaxBytes)],
    ],
  };
}

function senderTable(end: SenderEnd): HtmlTable {
  const t = end.total;
  return {
    head: ['Sender', 'Datagrams', 'Mbit/s', 'Datagrams/s', 'Target datagrams/s', 'Late bursts', 'Send errors', 'SndbufErrors'],
    rows: [[
      `${end.socket.localAddress} port ${end.socket.localPort}`,
      formatInteger(t.packets),
      formatMbitsPerSec(t.bitsPerSecond),
      formatInteger(t.packetsPerSecond),
      t.targetPacketsPerSecond === null ? 'max' : formatInteger(t.targetPacketsPerSecond),
      formatInteger(t.lateBursts),
      formatInteger(t.sendErrors),
      formatInteger(end.kernel.sndbufErrors),
    ]],
  };
}

function runCharts(report: ReceiverRunReport | LoopbackRunReport, end: ReceiverEnd): ReturnType<typeof throughputChart>[] {
  return [throughputChart(report.intervals), lossChart(report.intervals), latencyChart(end), queueChart(report.intervals, end.socket.rcvbufGrantedBytes)];
}

export function renderReceiveHtml(report: ReceiverRunReport, context: ReportContext): string {
  const end = report.end;
  const date = formatDate(report.start.timestampUs / 1000);
  return renderPage({
    kind: 'receive',
    title: `mcastbench receive report: ${context.host}, ${date}`,
    facts: [
      ['Date', date],
      ['Host', context.host],
      ['Backend', end.socket.backend],
      ['Listening on', listening(end)],
      ['Receive buffer', receiveBuffer(end)],
      ['Duration', `${formatSec(end.durationSec)} s`],
    ],
    tiles: receiverTiles(end),
    notes: receiverNotes(end),
    tables: [
      { heading: 'Streams', table: streamsTable(end) },
      { heading: 'Kernel counters', table: kernelTable(end) },
    ],
    charts: runCharts(report, end),
    context,
  });
}

export function renderLoopbackHtml(report: LoopbackRunReport, context: ReportContext): string {
  const { sender, ...end } = report.end;
  const cfg = report.start.sender.config;
  const date = formatDate(report.start.sender.timestampUs / 1000);
  const backends = sender.socket.backend === end.socket.backend ? end.socket.backend : `send ${sender.socket.backend}, receive ${end.socket.backend}`;
  return renderPage({
    kind: 'loopback',
    title: `mcastbench loopback report: ${context.host}, ${date}`,
    facts: [
      ['Date', date],
      ['Host', context.host],
      ['Backend', backends],
      ['Target', `${end.socket.localAddress} port ${end.socket.localPort}`],
      ['Offered', offered(cfg)],
      ['Receive buffer', receiveBuffer(end)],
      ['Duration', `${formatSec(end.durationSec)} s`],
    ],
    tiles: [{ label: 'datagrams sent', value: formatInteger(sender.total.packets) }, ...receiverTiles(end)],
    notes: [...receiverNotes(end), ...sender.warnings.filter((w) => !end.warnings.includes(w)).map((w) => `warning: ${w}`)],
    tables: [
      { heading: 'Sender', table: senderTable(sender) },
      { heading: 'Receiver streams', table: streamsTable(end) },
      { heading: 'Kernel counters (receiver)', table: kernelTable(end) },
    ],
    charts: runCharts(report, end),
    context,
  });
}
