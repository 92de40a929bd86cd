/**
 * runFindRate with a fake loopback whose receiver loses everything above a rate the test sets,
 * and the renderers on its report: what each trial was asked to send, how it was measured, and
 * how the answer reads.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateFindRate } from '../../src/config/find-rate.js';
import type { ReceiverConfig, SenderConfig } from '../../src/config/types.js';
import type { RunHandle, RunHooks } from '../../src/engine/api.js';
import type { FindRateResult, FindRateTrial } from '../../src/findrate/model.js';
import { renderFindRate, renderTrialLine } from '../../src/findrate/render.js';
import { runFindRate } from '../../src/findrate/run.js';
import { summarize, type SummaryContext } from '../../src/findrate/summary.js';
import type { LoopbackRunReport, StopReason } from '../../src/report/model.js';

const FIXTURE = readFileSync(new URL('../fixtures/loopback-report.json', import.meta.url), 'utf8');

interface FakeOptions {
  /** The receiver loses 5 % of everything when offered more than this, datagrams/s. */
  thresholdPps: number;
  /** The sender cannot go faster than this. */
  senderMaxPps?: number;
  /** The path also drops the end-of-stream datagrams, so the receiver's own count misses the tail. */
  tailLost?: number;
}

interface Call {
  sender: SenderConfig;
  receiver: ReceiverConfig;
  stops: StopReason[];
}

function fakeLoopback(o: FakeOptions, pending?: { at: number }) {
  const calls: Call[] = [];
  const run = (sender: SenderConfig, receiver: ReceiverConfig, hooks: RunHooks): RunHandle<LoopbackRunReport> => {
    const call: Call = { sender, receiver, stops: [] };
    calls.push(call);
    hooks.onWarning?.('the kernel granted less than asked');
    const r = JSON.parse(FIXTURE) as LoopbackRunReport;
    const pps = Math.min(sender.packetsPerSec, o.senderMaxPps ?? Infinity);
    const sent = Math.round(pps * (sender.durationSec ?? 0));
    const lost = sender.packetsPerSec > o.thresholdPps ? Math.round(sent * 0.05) : 0;
    r.end.sender.total.packets = sent;
    r.end.sender.total.durationSec = sent / pps;
    r.end.total.packets = sent - lost - (o.tailLost ?? 0);
    r.end.total.duplicatePackets = 0;
    // the receiver's own sequence count cannot see a lost tail
    r.end.total.lostPackets = lost;
    r.end.kernel.socketDrops = lost;
    r.end.kernel.rcvbufErrors = lost;
    r.end.socket.rcvbufGrantedBytes = receiver.rcvbufBytes === null ? 212992 : receiver.rcvbufBytes * 2;
    let resolve: (x: LoopbackRunReport) => void = () => undefined;
    const result = new Promise<LoopbackRunReport>((res) => (resolve = res));
    if (pending?.at !== calls.length) resolve(r);
    return { result, stop: (reason) => (call.stops.push(reason), resolve(r)) };
  };
  return { run, calls };
}

describe('runFindRate (fake loopback)', () => {
  it('one search per setting; each trial sends at its value for --trial; the answer brackets the threshold', async () => {
    const cfg = validateFindRate({ start: '1000pps', ceiling: '100000pps', resolution: '2', trial: '2s', rcvbuf: 'default,4M', size: '1000' });
    const fake = fakeLoopback({ thresholdPps: 12_345 });
    const seen: string[] = [];
    const warnings: string[] = [];
    const report = await runFindRate(cfg, { onTrial: (label, t, i) => seen.push(`${label}#${i}:${t.passed}`), onWarning: (w) => warnings.push(w) }, fake.run).result;

    expect(report.start).toEqual({ role: 'find-rate', search: 'rate', settings: ['default', '4M'], sizeBytes: 1000, maxLossPercent: 0, trialSec: 2 });
    expect(report.end.results.map((r) => [r.label, r.rcvbufRequestedBytes, r.rcvbufGrantedBytes])).toEqual([
      ['default', null, 212992],
      ['4M', 4194304, 8388608],
    ]);
    expect(warnings).toEqual(['the kernel granted less than asked']);
    for (const r of report.end.results) {
      expect(r.bestPacketsPerSec!).toBeLessThanOrEqual(12_345);
      expect(r.firstFailPacketsPerSec!).toBeGreaterThan(12_345);
      expect((r.firstFailPacketsPerSec! - r.bestPacketsPerSec!) / r.bestPacketsPerSec!).toBeLessThanOrEqual(0.02);
      expect(r.bestBitsPerSec).toBe(r.bestPacketsPerSec! * 8000);
      expect(r.bestBurst).toBe(1);
      expect(r.stoppedBy).toBe('resolution');
    }
    const n = report.end.results[0]!.trials.length;
    expect(fake.calls).toHaveLength(2 * n);
    expect(seen).toHaveLength(2 * n);
    expect(seen[0]).toBe('default#1:true');
    // what each trial was asked to send
    fake.calls.forEach((c, i) => {
      const t = report.end.results[Math.floor(i / n)]!.trials[i % n]!;
      expect(c.sender.packetsPerSec).toBe(t.packetsPerSec);
      expect(c.sender.rate).toEqual({ kind: 'packetsPerSec', packetsPerSec: t.packetsPerSec });
      expect(c.sender.burstIntervalNs).toBeCloseTo(1e9 / t.packetsPerSec, 3);
      expect(c.sender.durationSec).toBe(2);
      expect(c.sender.count).toBeNull();
      expect(c.sender.sizeBytes).toBe(1000);
      expect(t.bitsPerSec).toBe(t.packetsPerSec * 8000);
      expect(t.sentPackets).toBe(Math.round(t.packetsPerSec * 2));
      expect(t.lostPackets).toBe(t.packetsPerSec > 12_345 ? Math.round(t.sentPackets * 0.05) : 0);
      expect(t.packets + t.lostPackets).toBe(t.sentPackets);
      expect(t.socketDrops).toBe(t.lostPackets);
    });
  });

  it('loss counts against the sender\'s own count: a tail the receiver never saw is still lost', async () => {
    const cfg = validateFindRate({ start: '1000pps', ceiling: '2000pps', trial: '1s', rcvbuf: 'default' });
    const report = await runFindRate(cfg, {}, fakeLoopback({ thresholdPps: Infinity, tailLost: 7 }).run).result;
    const t = report.end.results[0]!.trials[0]!;
    expect(t.lostPackets).toBe(7);
    expect(t.packets).toBe(t.sentPackets - 7);
    expect(t.passed).toBe(false);
    expect(report.end.results[0]!.bestPacketsPerSec).toBeNull();
  });

  it('burst search: each trial sends bursts of its value at the fixed --burst-interval', async () => {
    const cfg = validateFindRate({ search: 'burst', 'burst-interval': '10ms', start: '4', ceiling: '1000', trial: '1s', rcvbuf: 'default', size: '500' });
    // the receiver loses above 3,700 datagrams/s: 37 per 10 ms burst
    const fake = fakeLoopback({ thresholdPps: 3700 });
    const report = await runFindRate(cfg, {}, fake.run).result;
    const r = report.end.results[0]!;
    expect(r.bestBurst).toBe(37);
    expect(r.bestPacketsPerSec).toBeCloseTo(3700, 6);
    expect(r.trials.map((t) => t.burst)).toEqual(fake.calls.map((c) => c.sender.burst));
    for (const c of fake.calls) {
      expect(c.sender.burstIntervalNs).toBe(10_000_000);
      expect(c.sender.packetsPerSec).toBeCloseTo(c.sender.burst * 100, 6);
    }
    expect(r.summary).toMatch(/^default 212992: largest loss-free burst 37 datagrams every 10\.0 ms \(3,700 pps, 14\.8 Mbit\/s at 500 B\), between 37 and 38 datagrams; the loss above it was this socket's full receive buffer$/);
  });

  it('stop() during a trial: that trial is not judged, the search and the remaining settings end', async () => {
    const cfg = validateFindRate({ start: '1000pps', ceiling: '100000pps', trial: '1s', rcvbuf: 'default,4M' });
    const fake = fakeLoopback({ thresholdPps: 50_000 }, { at: 3 });
    const handle = runFindRate(cfg, {}, fake.run);
    while (fake.calls.length < 3) await new Promise((r) => setTimeout(r, 1));
    handle.stop('signal');
    const report = await handle.result;
    expect(fake.calls).toHaveLength(3);
    expect(fake.calls[2]!.stops).toEqual(['signal']);
    expect(report.end.results).toHaveLength(1);
    const r = report.end.results[0]!;
    expect(r.trials).toHaveLength(2);
    expect(r.stoppedBy).toBe('interrupted');
    expect(r.summary).toMatch(/; interrupted before the search finished$/);
    expect(renderFindRate(report)).toContain('1 setting(s) not searched (interrupted)');
  });
});

function trial(over: Partial<FindRateTrial>): FindRateTrial {
  const pps = over.packetsPerSec ?? 1000;
  return {
    phase: 'step', packetsPerSec: pps, bitsPerSec: pps * 1470 * 8, burst: 1, durationSec: 3, sentPackets: pps * 3, packets: pps * 3,
    lostPackets: 0, lossPercent: 0, socketDrops: 0, rcvbufErrors: 0, sentPacketsPerSec: pps, passed: true, senderLimited: false, ...over,
  };
}

const ctx: SummaryContext = { search: 'rate', sizeBytes: 1470, maxLossPercent: 0, maxTrials: 40 };

function result(trials: FindRateTrial[], stoppedBy: FindRateResult['stoppedBy'], best: FindRateTrial | null, fail: FindRateTrial | null, c = ctx): FindRateResult {
  const r = {
    label: 'default', rcvbufRequestedBytes: null, rcvbufGrantedBytes: 212992, bestPacketsPerSec: best?.packetsPerSec ?? null, bestBitsPerSec: best?.bitsPerSec ?? null,
    bestBurst: best?.burst ?? null, firstFailPacketsPerSec: fail?.packetsPerSec ?? null, trials, stoppedBy,
  };
  return { ...r, summary: summarize(r, c, best, fail) };
}

describe('find-rate summary and table', () => {
  const pass = trial({ packetsPerSec: 3503, phase: 'bisect' });
  const fail = trial({ packetsPerSec: 3656, phase: 'bisect', packets: 10_900, lostPackets: 68, lossPercent: 0.62, socketDrops: 68, passed: false });

  it('the answer line: value, datagrams/s at the size, and the bracket', () => {
    expect(result([pass, fail], 'resolution', pass, fail).summary).toBe(
      "default 212992: highest loss-free rate 41.2 Mbit/s (3,503 pps at 1470 B), between 41.2 and 43.0 Mbit/s; the loss above it was this socket's full receive buffer",
    );
  });

  it('says where the loss above the answer happened: the socket (end-of-stream copies aside), before it, or both', () => {
    const at = (over: Partial<FindRateTrial>): string => {
      const f = { ...fail, ...over };
      return result([pass, f], 'resolution', pass, f).summary.split('; ')[1]!;
    };
    expect(at({ socketDrops: 71 })).toBe("the loss above it was this socket's full receive buffer");
    expect(at({ socketDrops: 0 })).toBe('the loss above it happened before this socket (it dropped none)');
    expect(at({ socketDrops: 50 })).toBe("of the 68 lost above it, 50 were this socket's full receive buffer and 18 were lost before it");
  });

  it('says when the sender, not the receiver, set the upper bound', () => {
    const limited = trial({ packetsPerSec: 3656, sentPacketsPerSec: 3400, passed: false, senderLimited: true });
    expect(result([pass, limited], 'resolution', pass, limited).summary).toBe(
      'default 212992: highest loss-free rate 41.2 Mbit/s (3,503 pps at 1470 B), between 41.2 and 43.0 Mbit/s; at 3,656 pps offered the sender reached only 3,400 pps: the sender was the limit there, not the receiver',
    );
  });

  it('no answer: the lowest trial lost too much, or could not even be offered', () => {
    expect(result([fail], 'lowest-failed', null, fail).summary).toBe(
      "default 212992: no answer: even the lowest rate tried, 43.0 Mbit/s (3,656 pps at 1470 B), lost 0.62% (more than --max-loss 0 %); that loss was this socket's full receive buffer",
    );
    const limited = trial({ packetsPerSec: 3656, sentPacketsPerSec: 3400, passed: false, senderLimited: true });
    expect(result([limited], 'lowest-failed', null, limited).summary).toMatch(/no answer: even the lowest rate tried, .* could not be offered \(the sender reached only 3,400 pps\)$/);
  });

  it('the ceiling, --max-loss above zero, the trial bound, a sized setting', () => {
    expect(result([pass], 'ceiling', pass, null).summary).toBe('default 212992: highest loss-free rate 41.2 Mbit/s (3,503 pps at 1470 B), the ceiling: the limit is above --ceiling');
    expect(result([pass, fail], 'resolution', pass, fail, { ...ctx, maxLossPercent: 0.5 }).summary).toMatch(/^default 212992: highest rate within --max-loss 0\.5 %: 41\.2 Mbit\/s/);
    expect(result([pass, fail], 'max-trials', pass, fail).summary).toMatch(/; stopped by the 40-trial bound before the interval was within --resolution$/);
    const sized = { ...result([pass, fail], 'resolution', pass, fail), rcvbufRequestedBytes: 26214400, rcvbufGrantedBytes: 52428800 };
    expect(summarize(sized, ctx, pass, fail)).toMatch(/^26214400 \(granted 52428800\): /);
  });

  it('the table: every trial in order with phase, offered rate, counts and verdict; then the answer', () => {
    const limited = trial({ packetsPerSec: 7000, sentPacketsPerSec: 6500.4, passed: false, senderLimited: true });
    const r = result([trial({ packetsPerSec: 1751 }), pass, limited, fail], 'resolution', pass, fail);
    const text = renderFindRate({
      schemaVersion: 1,
      start: { role: 'find-rate', search: 'rate', settings: ['default'], sizeBytes: 1470, maxLossPercent: 0, trialSec: 3 },
      end: { role: 'find-rate', search: 'rate', maxLossPercent: 0, results: [r] },
    });
    for (const col of ['#', 'Phase', 'Offered pps', 'Offered Mbit/s', 'Sent', 'Received', 'Lost', 'Lost %', 'Socket drops', 'Result']) expect(text).toContain(col);
    expect(text).not.toContain('Burst');
    expect(text.split('\n')[0]).toBe('find-rate: searching the rate, 1470-byte datagrams, 3 s per trial, --max-loss 0 %');
    expect(text).toContain('receive buffer default 212992:');
    const rows = text.split('\n').filter((l) => /^│ +\d+ │/.test(l));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/│ +1 │ step +│ +1,751 │ +20\.6 │ +5,253 │ +5,253 │ +0 │ +0% │ +0 │ pass +│/);
    expect(rows[2]).toContain('sender-limited (6,500 pps sent)');
    expect(rows[3]).toMatch(/│ +4 │ bisect │ +3,656 │ +43\.0 │ +10,968 │ +10,900 │ +68 │ +0\.62% │ +68 │ fail +│/);
    expect(text.trimEnd().split('\n').at(-1)).toBe(r.summary);
  });

  it('the progress line', () => {
    expect(renderTrialLine('default', fail, 7)).toBe('find-rate: default: bisect 7: 3,656 pps (43.0 Mbit/s, burst 1): sent 10,968, received 10,900, lost 68 (socket drops 68): fail\n');
  });
});
