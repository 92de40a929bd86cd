/**
 * The --profile totem block of the text reports: the window, corosync.conf(5)'s rule with the
 * numbers, and where the receive buffer is known whether one window survives it (predicted from
 * the measured per-datagram truesize, and measured by the run). Pure: model in, lines out.
 */
import { formatBitsPerSec, formatInteger, formatPercent } from './format.js';
import type { TotemBufferCheck, TotemProfileResult } from './model.js';

const bytes = (n: number): string => `${formatInteger(n)} B`;

function ms(n: number): string {
  return `${Number(n.toPrecision(6))} ms`;
}

/** "window_size 50 x 1,472 B datagrams ... = 73,600 B payload per rotation". */
function windowLine(p: TotemProfileResult): string {
  return (
    `Totem: window_size ${formatInteger(p.windowSize)} x ${bytes(p.datagramBytes)} datagrams (netmtu ${formatInteger(p.netmtuBytes)} - ${p.ipUdpHeaderBytes} B IP/UDP) ` +
    `every ${ms(p.tokenRotationMs)} token rotation = ${bytes(p.windowBytes)} payload per rotation, ${formatInteger(p.packetsPerSecond)} pps, ${formatBitsPerSec(p.bitsPerSecond)}`
  );
}

/** corosync.conf(5)'s rule with this run's numbers. */
export function ruleLine(p: TotemProfileResult): string {
  const where = p.withinCorosyncRule ? 'within it' : 'above it';
  return `corosync.conf(5): window_size should be no larger than ${p.corosyncRuleBytes} / netmtu = ${formatInteger(p.maxWindowSizeForNetmtu)} at netmtu ${formatInteger(p.netmtuBytes)}: ${formatInteger(p.windowSize)} is ${where}`;
}

function truesizeLine(p: TotemProfileResult, b: TotemBufferCheck): string {
  if (b.truesizeBytes === null || b.truesizeProbe === null) {
    return 'the kernel charges each datagram its truesize, not its payload; it could not be measured here (no /proc/net/udp), so there is no prediction';
  }
  return (
    `the kernel charges each datagram its truesize, not its payload: ${bytes(b.truesizeBytes)} per ${bytes(p.datagramBytes)} datagram here ` +
    `(${b.truesizeProbe.datagrams} datagrams queued ${bytes(b.truesizeProbe.queuedBytes)} on loopback)`
  );
}

function predictionLine(p: TotemProfileResult, b: TotemBufferCheck): string | null {
  if (b.bufferHoldsDatagrams === null || b.windowTruesizeBytes === null) return null;
  const fits = b.windowFitsBuffer === true;
  const outcome = fits
    ? 'a receiver that reads nothing for a whole rotation still queues it'
    : `a receiver that reads nothing for a rotation loses ${formatInteger(p.windowSize - b.bufferHoldsDatagrams)} of every window`;
  return `buffer ${bytes(b.rcvbufGrantedBytes)} granted holds ${formatInteger(b.bufferHoldsDatagrams)} datagrams; one window needs ${bytes(b.windowTruesizeBytes)}: ${outcome}`;
}

function measuredLine(b: TotemBufferCheck): string {
  const lost =
    b.lostPackets === 0
      ? `lost 0 of ${formatInteger(b.sentPackets)}`
      : `lost ${formatInteger(b.lostPackets)} of ${formatInteger(b.sentPackets)} (${formatInteger(b.droppedBySocketPackets)} dropped by this socket's full buffer, ${formatInteger(b.lostBeforeSocketPackets)} before it)`;
  const queued = b.peakQueuedDatagrams === null ? '' : ` = ${formatInteger(b.peakQueuedDatagrams)} datagrams`;
  return `measured: ${lost}; socket drops ${formatInteger(b.socketDrops)}; peak queue ${bytes(b.peakRxQueueBytes)} = ${formatPercent(Math.round(b.peakQueueFraction * 1000) / 10)} of the buffer${queued}`;
}

export function verdictText(b: TotemBufferCheck): string {
  if (b.survived && b.windowFitsBuffer !== false) return 'the window survived this buffer';
  if (b.survived) return 'nothing lost, but only because the receiver kept reading: a receiver stalled for a rotation would overflow this buffer';
  if (b.windowFitsBuffer === false) return 'the window did not survive this buffer';
  if (b.droppedBySocketPackets === 0 && b.lostPackets > 0) return 'datagrams were lost before the socket: not this buffer\'s doing';
  return 'lost although one window fits: the receiver fell behind by more than a window (a stall longer than a rotation, or slower than the offered rate)';
}

/** The block under a loopback or send report. */
export function renderTotemLines(p: TotemProfileResult): string[] {
  const lines = [windowLine(p), `  ${ruleLine(p)}`];
  const b = p.buffer;
  if (b === null) {
    lines.push("  the receiver's buffer must hold a whole window at the kernel's per-datagram truesize, not its payload: see the receiver's report, or try a size here with mcastbench compare --profile totem");
    return lines;
  }
  lines.push(`  ${truesizeLine(p, b)}`);
  const predicted = predictionLine(p, b);
  if (predicted !== null) lines.push(`  ${predicted}`);
  lines.push(`  ${measuredLine(b)}`);
  lines.push(`  verdict: ${verdictText(b)}`);
  return lines;
}

/** compare: "window 50 x 1,472 B = 73,600 B payload per rotation; default 212992 buffer: lost 0 ...". */
export function renderTotemSettingLine(p: TotemProfileResult, setting: string, b: TotemBufferCheck): string {
  const charged = b.windowTruesizeBytes === null || b.truesizeBytes === null ? '' : ` (${bytes(b.windowTruesizeBytes)} at ${bytes(b.truesizeBytes)} truesize)`;
  const holds = b.bufferHoldsDatagrams === null ? '' : `, holds ${formatInteger(b.bufferHoldsDatagrams)}`;
  const lost = b.lostPackets === 0 ? 'lost 0' : `lost ${formatInteger(b.lostPackets)} (${formatInteger(b.droppedBySocketPackets)} by the socket's full buffer)`;
  return (
    `window ${formatInteger(p.windowSize)} x ${bytes(p.datagramBytes)} = ${bytes(p.windowBytes)} payload per rotation${charged}; ` +
    `${setting} buffer, ${bytes(b.rcvbufGrantedBytes)} granted${holds}: ${lost}, peak queue ${Math.round(b.peakQueueFraction * 100)} %: ${b.survived ? 'survived' : 'did not survive'}`
  );
}
