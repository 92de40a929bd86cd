/**
 * --profile totem end to end on 127.0.0.1 (never multicast). Truths the test controls: the
 * window, rotation and count or duration it asks for (the sender must send exactly that shape),
 * and a receiver paused for 300 ms in a 1 s run of 300-datagram windows every 10 ms (30,000
 * datagrams/s: this 2-core machine keeps up, where a 1 ms rotation would be 300,000/s). Such a
 * window cannot fit the kernel default buffer (212,992 B holds 92 datagrams of 1,472 B at the
 * 2,304 B truesize seen here), so that run must lose, and lose exactly what the socket dropped;
 * a forced 26214400 request (root) must lose nothing although the queue grows past the default.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import type { LoopbackRunReport, TotemProfileResult } from '../../src/report/model.js';

const isRoot = process.getuid?.() === 0;
const rmemDefault = Number(readFileSync('/proc/sys/net/core/rmem_default', 'utf8'));
const OVERFLOW = ['--profile', 'totem', '--window-size', '300', '--netmtu', '1500', '--token-rotation', '10ms', '--duration', '1s', '--receiver-pause', '300ms', '--pause-every', '900ms'];
const SENT = 100 * 300;

async function loopback(args: string[]): Promise<LoopbackRunReport['end'] & { profile: TotemProfileResult }> {
  const r = await runCli(['loopback', ...args, '--json'], 60_000);
  expect(r.code, r.stderr).toBe(0);
  const end = (JSON.parse(r.stdout) as LoopbackRunReport).end;
  expect(end.profile).toBeDefined();
  return end as LoopbackRunReport['end'] & { profile: TotemProfileResult };
}

describe('--profile totem: traffic shape', () => {
  it('--duration 1s at 20 per 10 ms rotation: exactly 100 bursts of 20 datagrams of 1500 - 28 bytes', async () => {
    const end = await loopback(['--profile', 'totem', '--window-size', '20', '--token-rotation', '10ms', '--duration', '1s']);
    const t = end.sender.total;
    expect(t.bursts).toBe(100);
    expect(t.packets).toBe(100 * 20);
    expect(t.bytes).toBe(100 * 20 * 1472);
    expect(end.streams).toHaveLength(1);
    expect(end.streams[0]!.senderPackets).toBe(2000);
    expect(end.total.packets + end.total.lostPackets).toBe(2000);
    expect(end.total.bytes).toBe(end.total.packets * 1472);
    expect(end.profile).toMatchObject({ windowSize: 20, netmtuBytes: 1500, datagramBytes: 1472, tokenRotationMs: 10, windowBytes: 29_440, maxWindowSizeForNetmtu: 170, withinCorosyncRule: true });
    expect(end.sender.profile?.buffer).toBeNull();
  });

  it('--count 1010 with the default window of 50: 21 bursts, the last one partial', async () => {
    const end = await loopback(['--profile', 'totem', '--count', '1010']);
    expect(end.sender.total.packets).toBe(1010);
    expect(end.sender.total.bursts).toBe(21);
    expect(end.profile).toMatchObject({ windowSize: 50, datagramBytes: 1472, tokenRotationMs: 10 });
  });

  it('IPv6: the datagram is netmtu - 48', async () => {
    const end = await loopback(['--ipv6', '--profile', 'totem', '--window-size', '10', '--count', '100']);
    expect(end.sender.total.bytes).toBe(100 * 1452);
    expect(end.profile.datagramBytes).toBe(1452);
  });
});

describe('--profile totem: the window against the receive buffer', () => {
  for (const backend of ['auto', 'dgram'] as const) {
    it(`--backend ${backend}, kernel default buffer: 300 x 1,472 B overflows it; lost == socket drops; the queue peaked at the probed capacity`, async () => {
      const end = await loopback([...OVERFLOW, '--backend', backend]);
      const b = end.profile.buffer!;
      console.info(
        `[totem] ${end.socket.backend}, default ${b.rcvbufGrantedBytes} B: truesize ${b.truesizeBytes} B, holds ${b.bufferHoldsDatagrams}, ` +
          `lost ${b.lostPackets} of ${b.sentPackets}, socket drops ${b.socketDrops}, peak queue ${b.peakRxQueueBytes} B`,
      );
      expect(end.sender.total.packets).toBe(SENT);
      expect(end.socket.rcvbufGrantedBytes).toBe(rmemDefault);
      expect(end.streams[0]!.endOfStreamReceived).toBe(true);
      expect(end.total.lostPackets).toBeGreaterThan(0);
      expect(end.total.lostPackets).toBe(end.kernel.socketDrops);
      expect(end.reconciliation.lostBeforeSocket).toBe(0);
      expect(end.total.packets + end.total.lostPackets).toBe(SENT);
      expect(b).toMatchObject({ sentPackets: SENT, lostPackets: end.total.lostPackets, socketDrops: end.kernel.socketDrops, windowFitsBuffer: false, survived: false });
      expect(end.profile.withinCorosyncRule).toBe(false);
      // The probe's truesize explains the run's own queue: full means whole datagrams of that
      // truesize up to the buffer (Linux 6.x; older kernels admit one more).
      const truesize = b.truesizeBytes!;
      expect(truesize).toBeGreaterThan(1472);
      expect(b.peakRxQueueBytes % truesize).toBe(0);
      expect([b.bufferHoldsDatagrams, b.bufferHoldsDatagrams! + 1]).toContain(b.peakRxQueueBytes / truesize);
    });

    it.skipIf(!isRoot)(`--backend ${backend}, --rcvbuf 26214400 --rcvbuf-force (root): the same traffic loses nothing, though the queue outgrew the default buffer`, async () => {
      const end = await loopback([...OVERFLOW, '--backend', backend, '--rcvbuf', '26214400', '--rcvbuf-force']);
      const b = end.profile.buffer!;
      console.info(`[totem] ${end.socket.backend}, forced ${b.rcvbufGrantedBytes} B: holds ${b.bufferHoldsDatagrams}, lost ${b.lostPackets}, peak queue ${b.peakRxQueueBytes} B (${b.peakQueuedDatagrams} datagrams)`);
      expect(end.socket.rcvbufForced).toBe(true);
      expect(end.socket.rcvbufGrantedBytes).toBe(2 * 26_214_400);
      expect(end.sender.total.packets).toBe(SENT);
      expect(end.total.lostPackets).toBe(0);
      expect(end.total.packets).toBe(SENT);
      expect(end.kernel.socketDrops).toBe(0);
      expect(b).toMatchObject({ windowFitsBuffer: true, survived: true, lostPackets: 0 });
      // The pause really stalled the reader: more was queued than the default buffer holds.
      expect(b.peakRxQueueBytes).toBeGreaterThan(rmemDefault);
    });
  }

  it.skipIf(!isRoot)('compare (root): a verdict line per setting, default did not survive, 26214400 forced did', async () => {
    const r = await runCli(['compare', '--rcvbuf', 'default,26214400', '--rcvbuf-force', ...OVERFLOW], 90_000);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('Totem: corosync.conf(5): window_size should be no larger than 256000 / netmtu = 170 at netmtu 1,500: 300 is above it');
    const def = lines.find((l) => l.startsWith('window 300 x 1,472 B = 441,600 B payload per rotation') && l.includes(`; default ${rmemDefault} buffer`));
    const big = lines.find((l) => l.startsWith('window 300 x 1,472 B') && l.includes('; 26214400 (forced) buffer, 52,428,800 B granted'));
    expect(def, r.stdout).toMatch(/: lost [\d,]+ \([\d,]+ by the socket's full buffer\), peak queue \d+ %: did not survive$/);
    expect(big, r.stdout).toMatch(/: lost 0, peak queue \d+ %: survived$/);
  }, 90_000);

  it('text report: one Totem block with the rule, the truesize, the prediction, the measurement and the verdict', async () => {
    const r = await runCli(['loopback', '--profile', 'totem', '--count', '500', '--interval', '0'], 60_000);
    expect(r.code, r.stderr).toBe(0);
    const block = r.stdout.slice(r.stdout.indexOf('Totem: '));
    expect(r.stdout.match(/^Totem: /gm)).toHaveLength(1);
    expect(block).toMatch(/^Totem: window_size 50 x 1,472 B datagrams \(netmtu 1,500 - 28 B IP\/UDP\) every 10 ms token rotation = 73,600 B payload per rotation, 5,000 pps/);
    expect(block).toContain('corosync.conf(5): window_size should be no larger than 256000 / netmtu = 170 at netmtu 1,500: 50 is within it');
    expect(block).toMatch(/the kernel charges each datagram its truesize, not its payload: [\d,]+ B per 1,472 B datagram here/);
    expect(block).toMatch(/buffer [\d,]+ B granted holds [\d,]+ datagrams; one window needs [\d,]+ B/);
    expect(block).toMatch(/measured: lost \d+ of 500/);
    expect(block).toMatch(/verdict: /);
  });
});

describe('--profile totem: bad input', () => {
  it.each([
    [['send', '--dest', '127.0.0.1', '--profile', 'totem', '--rate', '1m'], '--rate: conflicts with --profile totem'],
    [['loopback', '--profile', 'totem', '--size', '1000'], '--size: conflicts with --profile totem'],
    [['compare', '--profile', 'totem', '--burst', '5'], '--burst: conflicts with --profile totem'],
    [['loopback', '--window-size', '10'], '--window-size: needs --profile totem'],
    [['loopback', '--profile', 'totem', '--netmtu', '100'], '--netmtu: 100 is out of range (allowed: 576..9000 bytes)'],
    [['loopback', '--profile', 'totem', '--token-rotation', '5s'], '--token-rotation: 5s is out of range (allowed: 0.1 ms..1000 ms)'],
    [['receive', '--port', '5000', '--window-size', '10'], '--window-size: unknown option'],
  ])('%j: one line naming the flag, exit 2', async (args, text) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(text);
    expect(r.stdout).toBe('');
  });
});
