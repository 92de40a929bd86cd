import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonErrorDocument, renderJsonDocument, renderJsonEvent } from '../../src/report/json.js';
import { renderInterval, renderIntervalHeader, renderReceiverInterval, renderSenderInterval } from '../../src/report/interval-line.js';
import type { LoopbackRunReport, ReceiverInterval, ReceiverRunReport, SenderInterval, SenderRunReport } from '../../src/report/model.js';
import { renderReceiverSummary, renderSenderSummary, renderSummary } from '../../src/report/table.js';

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

const receiver = fixture<ReceiverRunReport>('receiver-report.json');
const sender = fixture<SenderRunReport>('sender-report.json');
const loopback = fixture<LoopbackRunReport>('loopback-report.json');
const ANSI = new RegExp(String.fromCharCode(27) + "\\[");

describe('receiver summary table', () => {
  const text = renderReceiverSummary(receiver.end);

  it('has every column and a total row', () => {
    for (const col of ['Stream', 'Source', 'Packets', 'Bytes', 'Mbit/s', 'pps', 'Lost (%)', 'Dup', 'OOO', 'Jitter ms', 'Lat p50 us', 'p99 us', 'max us']) {
      expect(text).toContain(col);
    }
    expect(text).toMatch(/│ Total +│/);
  });

  it('formats the numbers', () => {
    expect(text).toContain('8,491');
    expect(text).toContain('16,994');
    expect(text).toContain('11.9 MBytes');
    expect(text).toContain('12 (0.14%)');
    expect(text).toContain('12 (0.07%)');
    expect(text).toContain('0.012');
    expect(text).toContain('1,620');
  });

  it('prints kernel counters, reconciliation, socket, clock, max-loss, warnings, backend', () => {
    expect(text).toContain('kernel: socket drops 9, RcvbufErrors 9, InErrors 9');
    expect(text).toContain(receiver.end.reconciliation.words);
    expect(text).toContain('socket: rcvbuf requested 25.0 MBytes, granted 416 KBytes (rmem_max 208 KBytes)');
    expect(text).toContain(receiver.end.socket.rcvbufNote as string);
    expect(text).toContain(receiver.end.clockNote as string);
    expect(text).toContain('max-loss: 0.07% lost, limit 0.05%: EXCEEDED');
    expect(text).toContain('warning: the kernel capped --rcvbuf at net.core.rmem_max');
    expect(text).toContain('backend: native (addon loaded');
    expect(text).toContain('(192.0.2.10, 232.1.1.1) port 5001');
    expect(text).toContain('2 foreign datagrams');
  });

  it('is colourless unless asked', () => {
    expect(text).not.toMatch(ANSI);
    expect(text.endsWith('\n')).toBe(true);
  });
});

describe('sender summary table', () => {
  const text = renderSenderSummary(sender.end);
  it('has per-stream rows, a total and the lines', () => {
    for (const col of ['Packets', 'Bytes', 'Mbit/s', 'pps', 'Rate error', 'Late bursts', 'Lateness p50 us', 'p99 us', 'max us']) expect(text).toContain(col);
    expect(text).toContain('17,006');
    expect(text).toMatch(/│ 1 +│ +8,503 │/);
    expect(text).toMatch(/│ Total +│ +17,006 │/);
    expect(text).toContain('0.00%');
    expect(text).toContain('kernel: SndbufErrors 0, OutDatagrams 17,012');
    expect(text).toContain('sndbuf requested default, granted 208 KBytes (wmem_max 208 KBytes)');
    expect(text).toContain('backend: dgram');
    expect(text).toContain('session 9f2c4e1a7b3d5f60');
  });

  it('shows max rate without a rate error', () => {
    const max = structuredClone(sender.end);
    max.total.targetPacketsPerSecond = null;
    max.total.rateErrorPercent = null;
    const t = renderSenderSummary(max);
    expect(t).toContain('max rate');
    expect(t).toMatch(/│ Total .*│ +- │/);
  });
});

describe('renderSummary', () => {
  it('dispatches on the role; loopback shows both ends', () => {
    expect(renderSummary(receiver)).toBe(renderReceiverSummary(receiver.end));
    expect(renderSummary(sender)).toBe(renderSenderSummary(sender.end));
    const text = renderSummary(loopback);
    expect(text.indexOf('sender: session 1a2b3c4d5e6f7081')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('receiver: 127.0.0.1 port 38211')).toBeGreaterThan(text.indexOf('sender:'));
    expect(text).toContain('no datagrams lost');
    expect(text).toContain('stopped by senders-done');
    expect(text).toContain('42,517');
  });

  it('colours headers only when asked', () => {
    expect(renderSummary(loopback, { colour: true })).toMatch(ANSI);
  });
});

describe('interval lines', () => {
  const r0 = receiver.intervals[0] as ReceiverInterval;
  const r1 = receiver.intervals[1] as ReceiverInterval;

  it('receiver: one line per stream plus SUM, iperf layout', () => {
    const lines = renderReceiverInterval(r0).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('[  1] 0.00-1.00 sec  1.19 MBytes  10.0 Mbits/sec    850 pps  0.011 ms  0/850 (0%)  lat p50 23 us p99 120 us');
    expect(lines[2]).toMatch(/^\[SUM\] 0\.00-1\.00 sec +2\.38 MBytes +20\.0 Mbits\/sec +1,700 pps/);
    expect(renderReceiverInterval(r1)).toContain('12/850 (1.41%)');
    expect(renderReceiverInterval(r1)).toContain('kernel drops 9');
  });

  it('a single stream has no SUM line', () => {
    const one: ReceiverInterval = { ...r0, streams: [r0.streams[0]!] };
    expect(renderReceiverInterval(one).trimEnd().split('\n')).toHaveLength(1);
  });

  it('sender: packets, rate and late bursts', () => {
    const s1 = sender.intervals[1] as SenderInterval;
    const lines = renderSenderInterval(s1).trimEnd().split('\n');
    expect(lines[0]).toBe('[  1] 1.00-2.00 sec  1.19 MBytes  10.0 Mbits/sec    850 pps  850 packets  4 late bursts');
    expect(lines[2]).toContain('[SUM]');
  });

  it('dispatches on the role and applies a prefix to every line', () => {
    const text = loopback.intervals.map((i) => renderInterval(i, i.role === 'sender' ? 'send ' : 'recv ')).join('');
    expect(text.trimEnd().split('\n').every((l) => /^(send|recv) \[/.test(l))).toBe(true);
    expect(renderIntervalHeader('receiver')).toContain('Lost/Total');
    expect(renderIntervalHeader('sender')).toContain('Late');
  });
});

describe('json', () => {
  it('the document round-trips to the model', () => {
    for (const report of [receiver, sender, loopback]) {
      expect(JSON.parse(renderJsonDocument(report))).toEqual(report);
    }
  });

  it('non-finite numbers become null', () => {
    const doc = JSON.parse(renderJsonDocument({ ...sender, start: { ...sender.start, config: { packetsPerSec: Infinity } } }));
    expect(doc.start.config.packetsPerSec).toBeNull();
  });

  it('events are single NDJSON lines that round-trip', () => {
    const line = renderJsonEvent({ event: 'interval', data: receiver.intervals[0]! });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.trimEnd()).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({ event: 'interval', data: receiver.intervals[0] });
  });

  it('errors go inside the document', () => {
    expect(JSON.parse(renderJsonDocument(jsonErrorDocument('ERR_JOIN_FAILED', 'join failed')))).toEqual({ schemaVersion: 1, error: { code: 'ERR_JOIN_FAILED', message: 'join failed' } });
  });
});
