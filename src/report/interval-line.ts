/**
 * Live interval lines for stderr, one per stream per interval (plus [SUM] with several streams),
 * laid out like iperf 2's so eyes trained on iperf read them without a legend. Pure: interval
 * in, text out (each line ends in "\n").
 */
import { formatBitsPerSec, formatBytes, formatInteger, formatMs, formatPercent, formatPps, formatSec, formatUs } from './format.js';
import type { Interval, LatencySummaryUs, ReceiverInterval, ReceiverIntervalStream, SenderInterval, SenderIntervalStream } from './model.js';

function label(id: string): string {
  return `[${id.padStart(3)}]`;
}

function range(interval: { startSec: number; endSec: number }): string {
  return `${formatSec(interval.startSec)}-${formatSec(interval.endSec)} sec`.padStart(13);
}

/** "sessionId/streamId" -> "3"; with several senders in one interval the session prefix is kept. */
export function streamLabel(key: string, withSession: boolean): string {
  const slash = key.lastIndexOf('/');
  if (slash < 0) return key;
  const streamId = key.slice(slash + 1);
  return withSession ? `${key.slice(0, Math.min(slash, 4))}/${streamId}` : streamId;
}

function latency(l: LatencySummaryUs): string {
  return l.samples > 0 ? `  lat p50 ${formatUs(l.p50)} p99 ${formatUs(l.p99)}` : '';
}

function receiverLine(id: string, interval: ReceiverInterval, s: ReceiverIntervalStream, extra: string): string {
  const total = s.packets + s.lostPackets;
  const anomalies = [
    s.duplicatePackets > 0 ? `${formatInteger(s.duplicatePackets)} dup` : '',
    s.outOfOrderPackets > 0 ? `${formatInteger(s.outOfOrderPackets)} ooo` : '',
  ].filter((x) => x !== '');
  return (
    `${label(id)} ${range(interval)}  ${formatBytes(s.bytes).padStart(11)}  ${formatBitsPerSec(s.bitsPerSecond).padStart(14)}` +
    `  ${formatPps(s.packetsPerSecond).padStart(9)}  ${formatMs(s.jitterMs).padStart(8)}` +
    `  ${formatInteger(s.lostPackets)}/${formatInteger(total)} (${formatPercent(s.lossPercent)})` +
    (anomalies.length > 0 ? `  ${anomalies.join(' ')}` : '') +
    latency(s.latencyUs) +
    extra +
    '\n'
  );
}

export function renderReceiverInterval(interval: ReceiverInterval, prefix = ''): string {
  const sessions = new Set(interval.streams.map((s) => s.key.slice(0, Math.max(0, s.key.lastIndexOf('/')))));
  const drops = interval.kernel.socketDrops > 0 ? `  kernel drops ${formatInteger(interval.kernel.socketDrops)}` : '';
  const several = interval.streams.length > 1;
  let out = '';
  interval.streams.forEach((s, i) => {
    const last = i === interval.streams.length - 1 && !several;
    out += prefix + receiverLine(streamLabel(s.key, sessions.size > 1), interval, s, last ? drops : '');
  });
  if (several || interval.streams.length === 0) {
    const foreign = interval.sum.foreignPackets > 0 ? `  foreign ${formatInteger(interval.sum.foreignPackets)}` : '';
    out += prefix + receiverLine('SUM', interval, interval.sum, foreign + drops);
  }
  return out;
}

function senderLine(id: string, interval: SenderInterval, s: Omit<SenderIntervalStream, 'streamId'>): string {
  return (
    `${label(id)} ${range(interval)}  ${formatBytes(s.bytes).padStart(11)}  ${formatBitsPerSec(s.bitsPerSecond).padStart(14)}` +
    `  ${formatPps(s.packetsPerSecond).padStart(9)}  ${formatInteger(s.packets)} packets  ${formatInteger(s.lateBursts)} late bursts\n`
  );
}

export function renderSenderInterval(interval: SenderInterval, prefix = ''): string {
  let out = '';
  for (const s of interval.streams) out += prefix + senderLine(String(s.streamId), interval, s);
  if (interval.streams.length !== 1) out += prefix + senderLine('SUM', interval, interval.sum);
  return out;
}

/** The column legend printed once before the first interval. */
export function renderIntervalHeader(role: 'sender' | 'receiver', prefix = ''): string {
  const head = `[ ID] ${'Interval'.padEnd(13)}  ${'Transfer'.padStart(11)}  ${'Bitrate'.padStart(14)}  ${'Rate'.padStart(9)}`;
  return prefix + (role === 'receiver' ? `${head}  ${'Jitter'.padStart(8)}  Lost/Total (%)  Latency\n` : `${head}  Sent  Late\n`);
}

/** Either role; `prefix` tells the two apart when one run prints both (loopback). */
export function renderInterval(interval: Interval, prefix = ''): string {
  return interval.role === 'receiver' ? renderReceiverInterval(interval, prefix) : renderSenderInterval(interval, prefix);
}
