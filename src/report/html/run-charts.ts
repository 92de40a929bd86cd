/**
 * The four charts of a receive or loopback report: throughput and loss per interval, the
 * receive queue's peak per interval, and the run's latency percentile curve. Each comes with
 * the table of the same numbers.
 */
import { formatInteger, formatMbitsPerSec, formatPercent, formatSec } from '../format.js';
import type { Interval, LatencyPercentileUs, ReceiverEnd, ReceiverInterval, SenderInterval } from '../model.js';
import { formatMicros } from './units.js';
import type { ChartSpec, XY } from './chart-spec.js';
import { COLOURS } from './palette.js';

const mbit = (bitsPerSec: number): number => Math.round(bitsPerSec / 1e3) / 1e3;
const span = (i: Interval): string => `${formatSec(i.startSec)}-${formatSec(i.endSec)}`;
const endLabel = (i: Interval): string => `${Number(i.endSec.toFixed(2))}`;

export function receiverIntervals(intervals: readonly Interval[]): ReceiverInterval[] {
  return intervals.filter((i): i is ReceiverInterval => i.role === 'receiver');
}

export function senderIntervals(intervals: readonly Interval[]): SenderInterval[] {
  return intervals.filter((i): i is SenderInterval => i.role === 'sender');
}

export function throughputChart(intervals: readonly Interval[]): ChartSpec {
  const recv = receiverIntervals(intervals);
  const sent = senderIntervals(intervals);
  const points = (list: readonly (ReceiverInterval | SenderInterval)[]): XY[] => list.map((i) => ({ x: i.endSec, y: mbit(i.sum.bitsPerSecond) }));
  const series: ChartSpec['series'] = [];
  if (sent.length > 0) series.push({ label: 'sent', kind: 'line', axis: 'y', color: COLOURS.sent, data: points(sent), dashed: true, point: 'rect' });
  series.push({ label: 'received', kind: 'line', axis: 'y', color: COLOURS.received, data: points(recv), fill: sent.length === 0 });
  const rows = [...sent.map((i) => ({ side: 'sent', i })), ...recv.map((i) => ({ side: 'received', i }))]
    .sort((a, b) => a.i.endSec - b.i.endSec || a.side.localeCompare(b.side))
    .map(({ side, i }) => [span(i), side, formatMbitsPerSec(i.sum.bitsPerSecond), formatInteger(i.sum.packetsPerSecond), formatInteger(i.sum.packets)]);
  return {
    id: 'throughput',
    title: 'Throughput per interval',
    caption: sent.length > 0
      ? 'UDP payload rate the sender put out and the receiver got, per interval (each side timed from its own start). A gap between the lines is loss or queueing.'
      : 'UDP payload rate received per interval, all streams together.',
    x: { title: 'time since start, s (end of each interval)', type: 'linear', min: 0 },
    y: { title: 'throughput, Mbit/s (UDP payload)', type: 'linear', min: 0, format: 'si' },
    series,
    table: { head: ['Interval, s', 'Side', 'Mbit/s', 'Datagrams/s', 'Datagrams'], rows },
  };
}

export function lossChart(intervals: readonly Interval[]): ChartSpec {
  const recv = receiverIntervals(intervals);
  return {
    id: 'loss',
    title: 'Loss per interval',
    caption: 'Datagrams missing from the sequence (lost) and the ones this socket dropped because its receive buffer was full (kernel drops counter), with the loss rate on the right axis.',
    x: { title: 'interval end, s', type: 'category', labels: recv.map(endLabel) },
    y: { title: 'datagrams per interval', type: 'linear', min: 0, format: 'int', integer: true },
    y2: { title: 'loss, % of datagrams', type: 'linear', min: 0, format: 'percent' },
    series: [
      { label: 'lost (sequence gaps)', kind: 'bar', axis: 'y', color: COLOURS.lost, data: recv.map((i) => i.sum.lostPackets) },
      { label: 'socket drops (kernel)', kind: 'bar', axis: 'y', color: COLOURS.socketDrops, data: recv.map((i) => i.kernel.socketDrops) },
      { label: 'loss %', kind: 'line', axis: 'y2', color: COLOURS.limit, data: recv.map((i) => i.sum.lossPercent), point: 'circle' },
    ],
    table: {
      head: ['Interval, s', 'Received', 'Lost', 'Loss', 'Socket drops', 'RcvbufErrors'],
      rows: recv.map((i) => [span(i), formatInteger(i.sum.packets), formatInteger(i.sum.lostPackets), formatPercent(i.sum.lossPercent), formatInteger(i.kernel.socketDrops), formatInteger(i.kernel.rcvbufErrors)]),
    },
  };
}

export function queueChart(intervals: readonly Interval[], rcvbufGrantedBytes: number): ChartSpec {
  const recv = receiverIntervals(intervals);
  const percent = (i: ReceiverInterval): number => Math.round(i.kernel.peakQueueFraction * 1000) / 10;
  return {
    id: 'queue',
    title: 'Receive queue occupancy per interval',
    caption: `Highest fill of the socket's receive buffer seen in each interval (sampled every 20 ms, kernel truesize), as a share of the ${formatInteger(rcvbufGrantedBytes)} bytes granted. At 100 % the kernel drops.`,
    x: { title: 'interval end, s', type: 'category', labels: recv.map(endLabel) },
    y: { title: 'peak queue, % of receive buffer', type: 'linear', min: 0, max: Math.max(100, ...recv.map(percent)), format: 'percent' },
    series: [
      { label: 'peak queue', kind: 'bar', axis: 'y', color: COLOURS.queue, data: recv.map(percent) },
      { label: 'buffer full (100 %)', kind: 'line', axis: 'y', color: COLOURS.lost, data: recv.map(() => 100), dashed: true, point: 'none' },
    ],
    table: {
      head: ['Interval, s', 'Peak queue, bytes', 'Peak queue', 'Queue at end, bytes'],
      rows: recv.map((i) => [span(i), formatInteger(i.kernel.peakRxQueueBytes), `${percent(i)} %`, formatInteger(i.kernel.rxQueueBytes)]),
    },
  };
}

export function percentileLabel(p: number): string {
  return p === 0 ? 'min' : p === 100 ? 'max' : `p${p}`;
}

export function latencyChart(end: ReceiverEnd): ChartSpec {
  const points: readonly LatencyPercentileUs[] = end.total.latencyPercentilesUs;
  const values = points.map((p) => p.valueUs);
  // A log axis shows a long tail and the body together; it cannot show zero.
  const log = values.length > 1 && Math.min(...values) > 0 && Math.max(...values) / Math.min(...values) >= 20;
  const samples = end.total.latencyUs.samples;
  return {
    id: 'latency',
    title: 'Latency percentiles',
    caption: samples > 0
      ? `One-way latency (send time in the datagram to arrival in the application) of all ${formatInteger(samples)} samples: the value at or below which each share of datagrams arrived. The right end is the tail.`
      : 'No latency samples were recorded in this run.',
    x: { title: 'percentile (share of datagrams at or below the value)', type: 'category', labels: points.map((p) => percentileLabel(p.percentile)) },
    y: { title: `one-way latency, µs${log ? ' (log scale)' : ''}`, type: log ? 'logarithmic' : 'linear', format: log ? 'log' : 'si', ...(log ? {} : { min: 0 }) },
    series: [{ label: 'latency', kind: 'line', axis: 'y', color: COLOURS.latency, data: values, point: 'circle' }],
    table: { head: ['Percentile', 'Latency, µs', 'Latency'], rows: points.map((p) => [percentileLabel(p.percentile), formatInteger(p.valueUs), formatMicros(p.valueUs)]) },
  };
}
