/**
 * The final summary: a cli-table3 table per role plus the plain-language lines that make the
 * numbers actionable (kernel counters, reconciliation, buffer sizes, clock note). Pure: model in,
 * string out; colour only when the caller asks for it.
 */
import Table from 'cli-table3';
import {
  formatBytes,
  formatInteger,
  formatMbitsPerSec,
  formatPercent,
  formatSec,
  formatSignedPercent,
  formatUs,
  formatUsValue,
} from './format.js';
import type { LatencySummaryUs, ReceiverEnd, RunReport, SenderEnd, TotemProfileResult } from './model.js';
import { renderTotemLines } from './totem.js';

export interface TableOptions {
  /** ANSI colour for headers; decided by the caller (TTY, NO_COLOR), never here. */
  colour?: boolean;
}

function newTable(head: string[], opts: TableOptions): InstanceType<typeof Table> {
  // ANSI written here, not through cli-table3's colour library: that one re-detects the
  // terminal (and turns itself off under CI=true), overriding the caller's decision.
  return new Table({
    head: opts.colour ? head.map((h) => `\u001b[36m${h}\u001b[39m`) : head,
    style: { head: [], border: [], compact: true },
    colAligns: head.map((_, i) => (i === 0 ? 'left' : 'right')),
  });
}

function lostCell(lost: number, percent: number): string {
  return `${formatInteger(lost)} (${formatPercent(percent)})`;
}

function latencyCells(l: LatencySummaryUs): string[] {
  return l.samples > 0 ? [formatUsValue(l.p50), formatUsValue(l.p99), formatUsValue(l.max)] : ['-', '-', '-'];
}

function bytesOrDash(n: number | null): string {
  return n === null ? 'default' : formatBytes(n);
}

function receiverTable(end: ReceiverEnd, opts: TableOptions): string {
  const t = newTable(['Stream', 'Source', 'Packets', 'Bytes', 'Mbit/s', 'pps', 'Lost (%)', 'Dup', 'OOO', 'Jitter ms', 'Lat p50 us', 'p99 us', 'max us'], opts);
  const several = new Set(end.streams.map((s) => s.sessionId)).size > 1;
  for (const s of end.streams) {
    t.push([
      several ? `${s.sessionId.slice(0, 4)}/${s.streamId}` : String(s.streamId),
      s.source,
      formatInteger(s.packets),
      formatBytes(s.bytes),
      formatMbitsPerSec(s.bitsPerSecond),
      formatInteger(s.packetsPerSecond),
      lostCell(s.lostPackets, s.lossPercent),
      formatInteger(s.duplicatePackets),
      formatInteger(s.outOfOrderPackets),
      s.jitterMs.toFixed(3),
      ...latencyCells(s.latencyUs),
    ]);
  }
  const x = end.total;
  t.push([
    'Total',
    '',
    formatInteger(x.packets),
    formatBytes(x.bytes),
    formatMbitsPerSec(x.bitsPerSecond),
    formatInteger(x.packetsPerSecond),
    lostCell(x.lostPackets, x.lossPercent),
    formatInteger(x.duplicatePackets),
    formatInteger(x.outOfOrderPackets),
    x.jitterMs.toFixed(3),
    ...latencyCells(x.latencyUs),
  ]);
  return t.toString();
}

function streamNotes(end: ReceiverEnd): string[] {
  const lines: string[] = [];
  for (const s of end.streams) {
    if (!s.endOfStreamReceived) lines.push(`stream ${s.streamId}: no end-of-stream datagram arrived, so loss after the last one received is unknown`);
    if (s.lostBeforeFirstPackets > 0) lines.push(`stream ${s.streamId}: ${formatInteger(s.lostBeforeFirstPackets)} datagrams before the first one received never arrived (sent before the receiver listened, or lost)`);
    if (s.sendToKernelUs && s.kernelToAppUs) {
      lines.push(`stream ${s.streamId}: latency split p50/p99: send->kernel ${formatUs(s.sendToKernelUs.p50)}/${formatUs(s.sendToKernelUs.p99)}, kernel->app ${formatUs(s.kernelToAppUs.p50)}/${formatUs(s.kernelToAppUs.p99)}`);
    }
  }
  return lines;
}

function receiverLines(end: ReceiverEnd): string[] {
  const k = end.kernel;
  const sock = end.socket;
  const lines = [...streamNotes(end)];
  if (end.total.foreignPackets > 0 || end.total.invalidPackets > 0) {
    lines.push(`ignored: ${formatInteger(end.total.foreignPackets)} foreign datagrams, ${formatInteger(end.total.invalidPackets)} implausible ones`);
  }
  if (end.total.latencyUs.negativeSamples > 0) {
    lines.push(`latency: ${formatInteger(end.total.latencyUs.negativeSamples)} negative samples (receiver clock behind the sender's) not recorded`);
  }
  lines.push(`kernel: socket drops ${formatInteger(k.socketDrops)}, RcvbufErrors ${formatInteger(k.rcvbufErrors)}, InErrors ${formatInteger(k.inErrors)}`);
  lines.push(end.reconciliation.words);
  const rmem = sock.rmemMaxBytes === null ? '' : ` (rmem_max ${formatBytes(sock.rmemMaxBytes)})`;
  lines.push(`socket: rcvbuf requested ${bytesOrDash(sock.rcvbufRequestedBytes)}, granted ${formatBytes(sock.rcvbufGrantedBytes)}${rmem}, via ${sock.rcvbufMethod}`);
  if (sock.rcvbufNote) lines.push(sock.rcvbufNote);
  if (end.clockNote) lines.push(end.clockNote);
  if (end.maxLossPercent !== null) {
    const verdict = end.maxLossExceeded ? 'EXCEEDED' : 'within limit';
    lines.push(`max-loss: ${formatPercent(end.total.lossPercent)} lost, limit ${formatPercent(end.maxLossPercent)}: ${verdict}`);
  }
  // The rcvbuf note is also a warning (so it reaches --json readers); print it once here.
  for (const w of end.warnings) if (w !== sock.rcvbufNote) lines.push(`warning: ${w}`);
  lines.push(`backend: ${sock.backend} (${sock.backendReason})`);
  return lines;
}

export function renderReceiverSummary(end: ReceiverEnd, opts: TableOptions = {}): string {
  const where = end.socket.group
    ? `${end.socket.source ? `(${end.socket.source}, ${end.socket.group})` : end.socket.group} port ${end.socket.localPort}`
    : `${end.socket.localAddress} port ${end.socket.localPort}`;
  const title = `receiver: ${where}, ${formatSec(end.durationSec)} s, stopped by ${end.stoppedBy}`;
  return [title, receiverTable(end, opts), ...receiverLines(end)].join('\n') + '\n';
}

function senderTable(end: SenderEnd, opts: TableOptions): string {
  const t = newTable(['Stream', 'Packets', 'Bytes', 'Mbit/s', 'pps', 'Rate error', 'Late bursts', 'Lateness p50 us', 'p99 us', 'max us'], opts);
  const x = end.total;
  const perStreamTarget = x.targetPacketsPerSecond === null || end.streams.length === 0 ? null : x.targetPacketsPerSecond / end.streams.length;
  const lateness = (l: SenderEnd['total']['sendLatenessUs']): string[] =>
    l.samples > 0 ? [formatUsValue(l.p50), formatUsValue(l.p99), formatUsValue(l.max)] : ['-', '-', '-'];
  for (const s of end.streams) {
    const err = perStreamTarget === null || perStreamTarget === 0 ? null : ((s.packetsPerSecond - perStreamTarget) / perStreamTarget) * 100;
    t.push([String(s.streamId), formatInteger(s.packets), formatBytes(s.bytes), formatMbitsPerSec(s.bitsPerSecond), formatInteger(s.packetsPerSecond), formatSignedPercent(err), formatInteger(s.lateBursts), ...lateness(s.sendLatenessUs)]);
  }
  t.push(['Total', formatInteger(x.packets), formatBytes(x.bytes), formatMbitsPerSec(x.bitsPerSecond), formatInteger(x.packetsPerSecond), formatSignedPercent(x.rateErrorPercent), formatInteger(x.lateBursts), ...lateness(x.sendLatenessUs)]);
  return t.toString();
}

export function renderSenderSummary(end: SenderEnd, opts: TableOptions = {}): string {
  const x = end.total;
  const target = x.targetPacketsPerSecond === null ? 'max rate' : `target ${formatInteger(x.targetPacketsPerSecond)} pps`;
  const lines = [`sender: session ${end.sessionId}, ${formatSec(x.durationSec)} s, ${target}, stopped by ${end.stoppedBy}`, senderTable(end, opts)];
  if (x.sendErrors > 0) lines.push(`send errors: ${formatInteger(x.sendErrors)} datagrams the kernel refused (not counted as sent)`);
  lines.push(`kernel: SndbufErrors ${formatInteger(end.kernel.sndbufErrors)}, OutDatagrams ${formatInteger(end.kernel.outDatagrams)}`);
  const s = end.socket;
  const wmem = s.wmemMaxBytes === null ? '' : ` (wmem_max ${formatBytes(s.wmemMaxBytes)})`;
  lines.push(`socket: ${s.localAddress} port ${s.localPort}, sndbuf requested ${bytesOrDash(s.sndbufRequestedBytes)}, granted ${formatBytes(s.sndbufGrantedBytes)}${wmem}`);
  if (s.pacer) {
    const extras = [s.gso ? 'UDP GSO' : '', s.tos !== null && s.tos !== undefined ? `TOS ${s.tos}` : ''].filter(Boolean).join(', ');
    lines.push(`pacing: ${s.pacer}${extras ? `; ${extras}` : ''}`);
  }
  for (const w of end.warnings) lines.push(`warning: ${w}`);
  lines.push(`backend: ${s.backend} (${s.backendReason})`);
  if (end.profile) lines.push(...renderTotemLines(end.profile));
  return lines.join('\n') + '\n';
}

/** Any run report: sender, receiver, or loopback (sender summary, then receiver summary). */
export function renderSummary(report: RunReport, opts: TableOptions = {}): string {
  switch (report.start.role) {
    case 'sender':
      return renderSenderSummary(report.end as SenderEnd, opts);
    case 'receiver':
      return renderReceiverSummary(report.end as ReceiverEnd, opts);
    case 'loopback': {
      const { sender, profile, ...receiver } = report.end as ReceiverEnd & { sender: SenderEnd; profile?: TotemProfileResult };
      // The loopback block knows the buffer too: it replaces the sender's rule-only block.
      const senderText = renderSenderSummary(profile ? { ...sender, profile: undefined } : sender, opts);
      const totem = profile ? `${renderTotemLines(profile).join('\n')}\n` : '';
      return `${senderText}\n${renderReceiverSummary(receiver, opts)}${totem}`;
    }
  }
}
