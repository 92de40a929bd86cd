/**
 * --profile totem results and text, from fixed inputs: the rule arithmetic, the window against
 * a buffer at a given truesize (prediction and measured verdict), and the blocks the send,
 * loopback and compare reports print.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCompare } from '../../src/compare/render.js';
import type { CompareReport, CompareSetting } from '../../src/compare/model.js';
import type { TotemProfileConfig } from '../../src/config/types.js';
import { totemBufferCheck, totemResult, totemRule } from '../../src/profile/result.js';
import type { LoopbackRunReport, SenderRunReport } from '../../src/report/model.js';
import { renderSenderSummary, renderSummary } from '../../src/report/table.js';
import { renderTotemLines, verdictText } from '../../src/report/totem.js';

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

const profile = (windowSize: number, netmtuBytes = 1500): TotemProfileConfig => ({
  name: 'totem',
  windowSize,
  netmtuBytes,
  ipUdpHeaderBytes: 28,
  datagramBytes: netmtuBytes - 28,
  tokenRotationMs: 10,
});

type LoopbackEnd = LoopbackRunReport['end'];

/** The loopback fixture's end with a given buffer, send count, loss (all socket drops) and peak queue. */
function endWith(o: { rcvbuf: number; sent: number; lost: number; peakQueue: number }): LoopbackEnd {
  const base = fixture<LoopbackRunReport>('loopback-report.json').end;
  return {
    ...base,
    socket: { ...base.socket, rcvbufGrantedBytes: o.rcvbuf },
    total: { ...base.total, lostPackets: o.lost, packets: o.sent - o.lost },
    kernel: { ...base.kernel, socketDrops: o.lost, rcvbufErrors: o.lost, peakRxQueueBytes: o.peakQueue, peakQueueFraction: o.peakQueue / o.rcvbuf },
    reconciliation: { ...base.reconciliation, lostPackets: o.lost, droppedBySocket: o.lost, lostBeforeSocket: 0 },
    sender: { ...base.sender, total: { ...base.sender.total, packets: o.sent } },
  };
}

const probe = { truesizeBytes: 2304, datagrams: 8, queuedBytes: 18432 };

describe('totemRule', () => {
  it('corosync defaults: 50 x 1472 B = 73,600 B per rotation, within 256000 / 1500 = 170', () => {
    const r = totemRule(profile(50));
    expect(r).toMatchObject({ windowBytes: 73_600, maxWindowSizeForNetmtu: 170, withinCorosyncRule: true, corosyncRuleBytes: 256_000, packetsPerSecond: 5000, buffer: null });
    expect(r.bitsPerSecond).toBe(5000 * 1472 * 8);
  });

  it('the rule edge and jumbo frames', () => {
    expect(totemRule(profile(170)).withinCorosyncRule).toBe(true);
    expect(totemRule(profile(171)).withinCorosyncRule).toBe(false);
    expect(totemRule(profile(28, 9000))).toMatchObject({ maxWindowSizeForNetmtu: 28, withinCorosyncRule: true, windowBytes: 28 * 8972 });
  });
});

describe('totemBufferCheck', () => {
  it('a window that fits the default buffer at 2,304 B truesize (50 x 2304 = 115,200 <= 212,992, which holds 92)', () => {
    const b = totemBufferCheck(profile(50), endWith({ rcvbuf: 212_992, sent: 5000, lost: 0, peakQueue: 4608 }), probe);
    expect(b).toMatchObject({ windowTruesizeBytes: 115_200, bufferHoldsDatagrams: 92, windowFitsBuffer: true, survived: true, peakQueuedDatagrams: 2, sentPackets: 5000 });
    expect(verdictText(b)).toBe('the window survived this buffer');
  });

  it("the rule's own ceiling does not fit a default buffer: the rule counts netmtu, the kernel charges truesize", () => {
    const b = totemBufferCheck(profile(170), endWith({ rcvbuf: 212_992, sent: 17_000, lost: 0, peakQueue: 0 }), probe);
    expect(b.windowTruesizeBytes).toBe(391_680);
    expect(b.windowFitsBuffer).toBe(false);
    // Nothing lost, yet the prediction says a stalled receiver would overflow: the verdict says both.
    expect(verdictText(b)).toContain('only because the receiver kept reading');
  });

  it('an overflowing window: measured loss attributed to the socket, peak queue in datagrams', () => {
    const b = totemBufferCheck(profile(300), endWith({ rcvbuf: 212_992, sent: 30_000, lost: 18_960, peakQueue: 211_968 }), probe);
    expect(b).toMatchObject({ windowFitsBuffer: false, bufferHoldsDatagrams: 92, lostPackets: 18_960, droppedBySocketPackets: 18_960, socketDrops: 18_960, peakQueuedDatagrams: 92, survived: false });
    expect(verdictText(b)).toBe('the window did not survive this buffer');
  });

  it('a forced 25 MiB request (52,428,800 B granted) holds 22,755 datagrams', () => {
    const b = totemBufferCheck(profile(300), endWith({ rcvbuf: 52_428_800, sent: 30_000, lost: 0, peakQueue: 20_736_000 }), probe);
    expect(b).toMatchObject({ bufferHoldsDatagrams: 22_755, windowFitsBuffer: true, peakQueuedDatagrams: 9000, survived: true });
  });

  it('loss although the window fits is blamed on the receiver falling behind, not the window', () => {
    const b = totemBufferCheck(profile(50), endWith({ rcvbuf: 212_992, sent: 5000, lost: 800, peakQueue: 211_968 }), probe);
    expect(b.windowFitsBuffer).toBe(true);
    expect(verdictText(b)).toMatch(/^lost although one window fits/);
  });

  it('no probe: no prediction, the measurement stays', () => {
    const b = totemBufferCheck(profile(50), endWith({ rcvbuf: 212_992, sent: 5000, lost: 0, peakQueue: 0 }), null);
    expect(b).toMatchObject({ truesizeBytes: null, truesizeProbe: null, bufferHoldsDatagrams: null, windowFitsBuffer: null, peakQueuedDatagrams: null, survived: true });
    expect(renderTotemLines({ ...totemRule(profile(50)), buffer: b }).join('\n')).toContain('could not be measured here');
  });
});

describe('text', () => {
  it('loopback: one Totem block, with the rule, the truesize, the prediction, the measurement and the verdict', () => {
    const report = fixture<LoopbackRunReport>('loopback-report.json');
    const end = endWith({ rcvbuf: 212_992, sent: 30_000, lost: 18_960, peakQueue: 211_968 });
    end.sender = { ...end.sender, profile: totemRule(profile(300)) };
    end.profile = totemResult(profile(300), end, probe);
    const text = renderSummary({ ...report, end });
    expect(text.match(/^Totem: /gm)).toHaveLength(1);
    const block = text.slice(text.indexOf('Totem: '));
    expect(block).toBe(
      [
        'Totem: window_size 300 x 1,472 B datagrams (netmtu 1,500 - 28 B IP/UDP) every 10 ms token rotation = 441,600 B payload per rotation, 30,000 pps, 353 Mbits/sec',
        '  corosync.conf(5): window_size should be no larger than 256000 / netmtu = 170 at netmtu 1,500: 300 is above it',
        '  the kernel charges each datagram its truesize, not its payload: 2,304 B per 1,472 B datagram here (8 datagrams queued 18,432 B on loopback)',
        '  buffer 212,992 B granted holds 92 datagrams; one window needs 691,200 B: a receiver that reads nothing for a rotation loses 208 of every window',
        "  measured: lost 18,960 of 30,000 (18,960 dropped by this socket's full buffer, 0 before it); socket drops 18,960; peak queue 211,968 B = 99.5% of the buffer = 92 datagrams",
        '  verdict: the window did not survive this buffer',
        '',
      ].join('\n'),
    );
  });

  it('send: the rule, and where to check the buffer', () => {
    const report = fixture<SenderRunReport>('sender-report.json');
    const text = renderSenderSummary({ ...report.end, profile: totemRule(profile(50)) });
    expect(text).toContain('Totem: window_size 50 x 1,472 B datagrams (netmtu 1,500 - 28 B IP/UDP) every 10 ms token rotation = 73,600 B payload per rotation, 5,000 pps, 58.9 Mbits/sec');
    expect(text).toContain('window_size should be no larger than 256000 / netmtu = 170 at netmtu 1,500: 50 is within it');
    expect(text).toContain("the receiver's buffer must hold a whole window");
    expect(renderSenderSummary(report.end)).not.toContain('Totem');
  });

  it('compare: the rule once and a verdict line per setting', () => {
    const row = (label: string, rcvbuf: number, requested: number | null, forced: boolean, lost: number, peak: number): CompareSetting => ({
      label, rcvbufRequestedBytes: requested, rcvbufGrantedBytes: rcvbuf, rcvbufForced: forced, sentPackets: 30_000, packets: 30_000 - lost, lostPackets: lost,
      lossPercent: (lost / 30_000) * 100, rcvbufErrors: lost, socketDrops: lost, latencyP99Us: 900, peakQueueFraction: peak / rcvbuf, backend: 'native',
      sessionId: '00000000000000a1', otherSessionPackets: 0, stoppedBy: 'senders-done',
      totem: totemBufferCheck(profile(300), endWith({ rcvbuf, sent: 30_000, lost, peakQueue: peak }), probe),
    });
    const settings = [row('default', 212_992, null, false, 18_960, 211_968), row('26214400', 52_428_800, 26_214_400, true, 0, 20_736_000)];
    const report: CompareReport = {
      schemaVersion: 1,
      start: { role: 'compare', mode: 'loopback', settings: ['default', '26214400'], rmemMaxBytes: 4_194_304, rmemDefaultBytes: 212_992 },
      end: { role: 'compare', settings, verdict: { winner: '26214400', lines: [], fix: [] }, maxLossPercent: 0, profile: totemRule(profile(300)) },
    };
    const lines = renderCompare(report).split('\n');
    const at = lines.findIndex((l) => l.startsWith('Totem: '));
    expect(lines[at]).toBe('Totem: corosync.conf(5): window_size should be no larger than 256000 / netmtu = 170 at netmtu 1,500: 300 is above it');
    expect(lines[at + 1]).toBe(
      "window 300 x 1,472 B = 441,600 B payload per rotation (691,200 B at 2,304 B truesize); default 212992 buffer, 212,992 B granted, holds 92: lost 18,960 (18,960 by the socket's full buffer), peak queue 100 %: did not survive",
    );
    expect(lines[at + 2]).toBe(
      'window 300 x 1,472 B = 441,600 B payload per rotation (691,200 B at 2,304 B truesize); 26214400 (forced) buffer, 52,428,800 B granted, holds 22,755: lost 0, peak queue 40 %: survived',
    );
    const plain = renderCompare({ ...report, end: { ...report.end, profile: undefined } });
    expect(plain).not.toContain('Totem');
  });
});
