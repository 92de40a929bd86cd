/**
 * Hand-built result models for the HTML report tests: every field typed, so a model change
 * shows up here at type-check time. Numbers are chosen by the test, not measured, and are
 * internally consistent (received + lost = sent, drops <= lost).
 */
import type { CompareReport } from '../../src/compare/model.js';
import type { FindRateReport, FindRateTrial } from '../../src/findrate/model.js';
import type {
  KernelCounters, LatencySummaryUs, LoopbackRunReport, ReceiverEnd, ReceiverInterval, ReceiverRunReport, ReceiverSocketInfo, ReceiverStart,
  SenderEnd, SenderInterval, SenderStart,
} from '../../src/report/model.js';

/** Text that would end a <script> element (and try to load something) if written raw. */
export const HOSTILE = '</script><script src="http://example.invalid/x.js"></script><!--';

const latency = (p50: number, p99: number, max: number, samples: number): LatencySummaryUs => ({ p50, p90: p50 * 2, p99, p999: max, min: 3, max, mean: p50 * 1.2, samples, negativeSamples: 0 });

const kernel = (drops: number, peak: number, granted: number): KernelCounters => ({
  socketDrops: drops, rcvbufErrors: drops, inErrors: drops, inDatagrams: 10_000, noPorts: 0, inCsumErrors: 0, rxQueueBytes: 0, peakRxQueueBytes: peak, peakQueueFraction: Math.round((peak / granted) * 1e4) / 1e4,
});

const GRANTED = 212_992;

const socket: ReceiverSocketInfo = {
  backend: 'dgram', backendReason: 'auto: native addon not built', localAddress: '127.0.0.1', localPort: 5201, group: null, source: null,
  rcvbufRequestedBytes: null, rcvbufGrantedBytes: GRANTED, rmemMaxBytes: 4_194_304, rmemDefaultBytes: 212_992, rcvbufForced: false, rcvbufMethod: 'default', rcvbufNote: null,
};

/** Per interval: [received, lost, socket drops, peak queue bytes]. */
export const INTERVALS: readonly [number, number, number, number][] = [
  [10_000, 0, 0, 20_000],
  [9_000, 1_000, 1_000, 212_992],
  [10_000, 0, 0, 50_000],
];
const SIZE = 1_000;

function receiverInterval(i: number): ReceiverInterval {
  const [packets, lost, drops, peak] = INTERVALS[i]!;
  const row = {
    key: 'sum', packets, bytes: packets * SIZE, lostPackets: lost, duplicatePackets: 0, outOfOrderPackets: 0, jitterMs: 0.01,
    lossPercent: Math.round((lost / (packets + lost)) * 1e6) / 1e4, bitsPerSecond: packets * SIZE * 8, packetsPerSecond: packets, latencyUs: latency(20, 400, 900, packets),
  };
  return { role: 'receiver', startSec: i, endSec: i + 1, streams: [row], sum: { ...row, foreignPackets: 0 }, kernel: kernel(drops, peak, GRANTED) };
}

function senderInterval(i: number): SenderInterval {
  return { role: 'sender', startSec: i, endSec: i + 1, streams: [], sum: { packets: 10_000, bytes: 10_000 * SIZE, lateBursts: 0, bitsPerSecond: 80_000_000, packetsPerSecond: 10_000 } };
}

const received = INTERVALS.reduce((a, r) => a + r[0], 0);
const lost = INTERVALS.reduce((a, r) => a + r[1], 0);
const drops = INTERVALS.reduce((a, r) => a + r[2], 0);

export const PERCENTILES = [
  { percentile: 0, valueUs: 3 }, { percentile: 25, valueUs: 12 }, { percentile: 50, valueUs: 20 }, { percentile: 75, valueUs: 31 },
  { percentile: 90, valueUs: 60 }, { percentile: 99, valueUs: 400 }, { percentile: 99.9, valueUs: 900 }, { percentile: 100, valueUs: 2_100 },
];

function receiverEnd(source: string): ReceiverEnd {
  const counters = { packets: received, bytes: received * SIZE, lostPackets: lost, duplicatePackets: 0, outOfOrderPackets: 0, jitterMs: 0.01, lossPercent: Math.round((lost / (received + lost)) * 1e6) / 1e4 };
  return {
    role: 'receiver',
    stoppedBy: 'senders-done',
    durationSec: 3,
    total: { ...counters, foreignPackets: 0, invalidPackets: 0, otherSessionPackets: 0, durationSec: 3, bitsPerSecond: (received * SIZE * 8) / 3, packetsPerSecond: received / 3, latencyUs: latency(20, 400, 2_100, received), latencyPercentilesUs: PERCENTILES },
    streams: [{
      ...counters, key: 'ab/1', sessionId: 'ab', streamId: 1, source, firstSeq: 0, highestSeq: received + lost - 1, senderPackets: received + lost, endOfStreamReceived: true, lostBeforeFirstPackets: 0,
      durationSec: 3, bitsPerSecond: (received * SIZE * 8) / 3, packetsPerSecond: received / 3, joinToFirstPacketMs: null, latencyUs: latency(20, 400, 2_100, received),
      sendToKernelUs: null, kernelToAppUs: null, interArrivalUs: latency(100, 200, 300, received), interArrivalClock: 'application',
    }],
    kernel: kernel(drops, 212_992, GRANTED),
    socket,
    reconciliation: { lostPackets: lost, droppedBySocket: drops, lostBeforeSocket: lost - drops, unexplainedSocketDrops: 0, words: `lost ${lost}: ${drops} dropped by this socket's full receive buffer` },
    clockNote: null,
    maxLossPercent: null,
    maxLossExceeded: false,
    warnings: [],
  };
}

const receiverStart: ReceiverStart = { role: 'receiver', version: '0.1.0', timestampUs: Date.UTC(2026, 0, 2, 3, 4, 5) * 1000, config: { port: 5201 }, socket, clockNote: null, warnings: [] };

export function receiverReport(source = '127.0.0.1:40000'): ReceiverRunReport {
  return { schemaVersion: 1, start: receiverStart, intervals: INTERVALS.map((_, i) => receiverInterval(i)), end: receiverEnd(source) };
}

export function loopbackReport(): LoopbackRunReport {
  const senderSocket = { backend: 'dgram' as const, backendReason: 'auto: native addon not built', localAddress: '127.0.0.1', localPort: 40000, sndbufRequestedBytes: null, sndbufGrantedBytes: 212_992, wmemMaxBytes: 212_992, pacer: 'setTimeout', gso: false, tos: null };
  const start: SenderStart = { role: 'sender', version: '0.1.0', timestampUs: receiverStart.timestampUs, sessionId: 'ab', config: { packetsPerSec: 10_000, sizeBytes: SIZE, streams: 1, burst: 1 }, socket: senderSocket, warnings: [] };
  const lateness = { p50: 5, p99: 50, max: 90, samples: 30_000 };
  const sender: SenderEnd = {
    role: 'sender', stoppedBy: 'duration', sessionId: 'ab',
    total: { packets: received + lost, bytes: (received + lost) * SIZE, bursts: received + lost, lateBursts: 0, sendErrors: 0, durationSec: 3, bitsPerSecond: 80_000_000, packetsPerSecond: 10_000, targetPacketsPerSecond: 10_000, rateErrorPercent: 0, sendLatenessUs: lateness },
    streams: [], socket: senderSocket, kernel: { sndbufErrors: 0, outDatagrams: received + lost }, warnings: [],
  };
  const recv = receiverReport();
  const intervals = [...recv.intervals, ...INTERVALS.map((_, i) => senderInterval(i))].sort((a, b) => a.endSec - b.endSec);
  return { schemaVersion: 1, start: { role: 'loopback', sender: start, receiver: receiverStart }, intervals, end: { ...recv.end, sender } };
}

export function compareReport(): CompareReport {
  const row = (label: string, requested: number | null, granted: number, got: number, lostN: number, peak: number) => ({
    label, rcvbufRequestedBytes: requested, rcvbufGrantedBytes: granted, rcvbufForced: requested !== null, sentPackets: 50_000, packets: got, lostPackets: lostN,
    lossPercent: Math.round((lostN / 50_000) * 1e6) / 1e4, rcvbufErrors: lostN, socketDrops: lostN, latencyP99Us: 900, peakQueueFraction: peak, backend: 'dgram',
    sessionId: '00000000000000ab', otherSessionPackets: 0, stoppedBy: 'senders-done' as const,
  });
  const settings = [row('default', null, 212_992, 45_050, 4_950, 1), row('1M', 1_048_576, 2_097_152, 49_700, 300, 1), row('26214400', 26_214_400, 52_428_800, 50_000, 0, 0.31)];
  return {
    schemaVersion: 1,
    start: { role: 'compare', mode: 'loopback', settings: settings.map((s) => s.label), rmemMaxBytes: 4_194_304, rmemDefaultBytes: 212_992 },
    end: {
      role: 'compare', settings, maxLossPercent: 0,
      verdict: {
        winner: '26214400',
        lines: ['default 212992: 9.9 % lost (4,950 of 50,000), all of it receive-buffer overflow on this host', '1048576: 0.6 % lost (300 of 50,000), all of it receive-buffer overflow on this host', '26214400: 0 lost', 'smallest loss-free setting: 26,214,400 bytes requested (52,428,800 granted)'],
        fix: ['sysctl -w net.core.rmem_max=26214400', 'sysctl -w net.core.rmem_default=26214400'],
      },
    },
  };
}

function trial(phase: 'step' | 'bisect', pps: number, lossPercent: number, maxLoss: number): FindRateTrial {
  const sent = pps * 2;
  const lostN = Math.round((sent * lossPercent) / 100);
  return {
    phase, packetsPerSec: pps, bitsPerSec: pps * SIZE * 8, burst: 1, durationSec: 2, sentPackets: sent, packets: sent - lostN, lostPackets: lostN, lossPercent,
    socketDrops: lostN, rcvbufErrors: lostN, sentPacketsPerSec: pps, passed: lossPercent <= maxLoss,
  };
}

/** Two settings; the first one's label is hostile, to test escaping end to end. */
export function findRateReport(label = HOSTILE): FindRateReport {
  const maxLoss = 0.1;
  const path1 = [trial('step', 1_000, 0, maxLoss), trial('step', 4_000, 0, maxLoss), trial('step', 16_000, 0, maxLoss), trial('step', 64_000, 12.5, maxLoss), trial('bisect', 32_000, 0.05, maxLoss), trial('bisect', 48_000, 3.2, maxLoss), trial('bisect', 40_000, 0.4, maxLoss)];
  const path2 = [trial('step', 1_000, 0, maxLoss), trial('step', 4_000, 0, maxLoss), trial('step', 16_000, 0, maxLoss), trial('step', 64_000, 0, maxLoss), trial('step', 256_000, 30, maxLoss), trial('bisect', 160_000, 0, maxLoss), trial('bisect', 208_000, 2.1, maxLoss)];
  return {
    schemaVersion: 1,
    start: { role: 'find-rate', search: 'rate', settings: [label, '26214400'], sizeBytes: SIZE, maxLossPercent: maxLoss, trialSec: 2 },
    end: {
      role: 'find-rate', search: 'rate', maxLossPercent: maxLoss,
      results: [
        { label, rcvbufRequestedBytes: null, rcvbufGrantedBytes: 212_992, bestPacketsPerSec: 32_000, bestBitsPerSec: 256_000_000, bestBurst: 1, firstFailPacketsPerSec: 40_000, trials: path1, summary: 'at most 0.1% loss up to 32,000 datagrams/s; 40,000 lost more (resolution 25%)' },
        { label: '26214400', rcvbufRequestedBytes: 26_214_400, rcvbufGrantedBytes: 52_428_800, bestPacketsPerSec: 160_000, bestBitsPerSec: 1_280_000_000, bestBurst: 1, firstFailPacketsPerSec: 208_000, trials: path2, summary: 'at most 0.1% loss up to 160,000 datagrams/s; 208,000 lost more (resolution 30%)' },
      ],
    },
  };
}
