/**
 * The CLI end to end on 127.0.0.1 (never multicast: that would leave through eth0). Every
 * assertion compares with a count the test controls: packets it asked for, datagrams it
 * crafted, gaps it left.
 */
import { describe, expect, it } from 'vitest';
import { runCli, startCli, freePort, waitForUdpPort } from '../helpers/cli.js';
import { GAPPY_TRUTH, crafted, gappyStream, sendRaw } from '../helpers/crafted.js';
import { HEADER_BYTES, MAGIC } from '../../src/wire/header.js';

describe('mcastbench CLI on loopback', () => {
  it('loopback --json: every packet sent is received or explained by the kernel', async () => {
    const r = await runCli(['loopback', '--count', '3000', '--rate', '3000pps', '--size', '200', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['schemaVersion', 'start', 'intervals', 'end']));
    const end = doc.end;
    expect(end.sender.total.packets).toBe(3000);
    expect(end.streams).toHaveLength(1);
    const s = end.streams[0];
    expect(s.senderPackets).toBe(3000);
    expect(s.endOfStreamReceived).toBe(true);
    expect(s.packets + s.lostPackets).toBe(3000);
    expect(s.lostPackets).toBe(end.kernel.socketDrops);
    expect(s.duplicatePackets).toBe(0);
    expect(end.total.foreignPackets).toBe(0);
    for (const k of ['packets', 'bytes', 'lostPackets', 'duplicatePackets', 'outOfOrderPackets', 'jitterMs', 'bitsPerSecond', 'packetsPerSecond']) {
      expect(typeof s[k], k).toBe('number');
    }
    expect(Object.keys(s.latencyUs)).toEqual(expect.arrayContaining(['p50', 'p90', 'p99', 'p999', 'max', 'samples']));
    expect(s.latencyUs.samples).toBe(s.packets);
    expect(end.socket.rcvbufGrantedBytes).toBeGreaterThan(0);
    expect(end.socket.rmemMaxBytes).toBe(Number((await import('node:fs')).readFileSync('/proc/sys/net/core/rmem_max', 'utf8')));
    for (const k of ['socketDrops', 'rcvbufErrors', 'inErrors']) expect(typeof end.kernel[k]).toBe('number');
    for (const k of ['packets', 'bytes', 'bitsPerSecond', 'packetsPerSecond', 'lateBursts']) expect(typeof end.sender.total[k]).toBe('number');
    expect(Object.keys(end.sender.total.sendLatenessUs)).toEqual(expect.arrayContaining(['p50', 'p99', 'max']));
  });

  it('receive + send: counts match, foreign datagrams change only foreignPackets', async () => {
    const port = await freePort();
    const rx = startCli(['receive', '--bind', '127.0.0.1', '--port', String(port), '--idle-exit', '1', '--duration', '30', '--json']);
    await waitForUdpPort(port);
    // Junk the test controls: random bytes, a truncated header, wrong magic, wrong version.
    const junk: Uint8Array[] = [];
    for (let i = 0; i < 100; i++) junk.push(new Uint8Array(1 + (i % 90)).map((_, j) => (i * 31 + j * 7) & 0xff));
    for (let i = 0; i < 50; i++) junk.push(crafted(i).subarray(0, HEADER_BYTES - 1 - (i % 20)));
    for (let i = 0; i < 50; i++) {
      const b = crafted(i);
      new DataView(b.buffer).setUint32(0, MAGIC ^ 0xff);
      junk.push(b);
    }
    for (let i = 0; i < 50; i++) {
      const b = crafted(i);
      b[4] = 2;
      junk.push(b);
    }
    const tx = runCli(['send', '--dest', '127.0.0.1', '--port', String(port), '--count', '2000', '--rate', '4000pps', '--size', '300', '--json']);
    await sendRaw(port, junk);
    const t = await tx;
    expect(t.code, t.stderr).toBe(0);
    const sent = JSON.parse(t.stdout);
    expect(sent.end.total.packets).toBe(2000);
    const r = await rx.done;
    expect(r.code, r.stderr).toBe(0);
    const end = JSON.parse(r.stdout).end;
    expect(end.stoppedBy).toBe('idle-exit');
    expect(end.total.foreignPackets).toBe(junk.length);
    expect(end.total.invalidPackets).toBe(0);
    expect(end.streams).toHaveLength(1);
    const s = end.streams[0];
    expect(s.sessionId).toBe(sent.end.sessionId);
    expect(s.packets + s.lostPackets).toBe(2000);
    expect(s.lostPackets).toBe(end.kernel.socketDrops);
    expect(s.duplicatePackets).toBe(0);
    expect(s.outOfOrderPackets).toBe(0);
  });

  it('exact loss, duplicates, reordering and tail loss from a crafted stream; --max-loss exits 3', async () => {
    const port = await freePort();
    const rx = startCli(['receive', '--bind', '127.0.0.1', '--port', String(port), '--idle-exit', '0.5', '--duration', '30', '--max-loss', '1', '--json']);
    await waitForUdpPort(port);
    const datagrams = gappyStream();
    await sendRaw(port, datagrams);
    const r = await rx.done;
    const end = JSON.parse(r.stdout).end;
    expect(end.streams[0]).toMatchObject(GAPPY_TRUTH);
    expect(end.maxLossExceeded).toBe(true);
    expect(r.code).toBe(3);
  });

  it('--json-stream prints one event per line: start, intervals, end', async () => {
    const r = await runCli(['loopback', '--count', '1500', '--rate', '1000pps', '--size', '100', '--interval', '0.5', '--json-stream']);
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events[0].event).toBe('start');
    expect(events.at(-1).event).toBe('end');
    expect(events.filter((e) => e.event === 'interval').length).toBeGreaterThanOrEqual(2);
  });

  it('IPv6 loopback works', async () => {
    const r = await runCli(['loopback', '--ipv6', '--count', '500', '--rate', '1000pps', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const end = JSON.parse(r.stdout).end;
    expect(end.streams[0].packets + end.streams[0].lostPackets).toBe(500);
    expect(end.streams[0].source.startsWith('::1')).toBe(true);
  });

  it('prints a table and interval lines without --json', async () => {
    const r = await runCli(['loopback', '--count', '1000', '--rate', '1000pps', '--interval', '0.5']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/lost/i);
    expect(r.stderr).toMatch(/sec/);
  });

  it.each([
    [['send', '--dest', '127.0.0.1', '--port', '5000', '--size', '70000'], '--size'],
    [['send', '--dest', '127.0.0.1', '--port', '5000', '--rate', 'fast'], '--rate'],
    [['send', '--dest', '127.0.0.1', '--port', '70000'], '--port'],
    [['receive', '--port', '5000', '--source', '10.1.1.1'], '--source'],
    [['receive', '--port', '5000', '--group', '10.1.1.1'], '--group'],
    [['receive', '--port', '5000', '--rcvbuf', '12Q'], '--rcvbuf'],
    [['loopback', '--dest', '239.1.1.1'], '--dest'],
    [['send', '--bogus-flag'], 'bogus'],
  ])('bad input %j: one line naming %s, exit 2, no stack trace', async (args, flag) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(flag);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });
});

describe('Ctrl-C', () => {
  it('SIGINT stops the run and still prints the partial result', async () => {
    const { child, done } = startCli(['loopback', '--duration', '30', '--rate', '2000pps', '--size', '200', '--json']);
    await new Promise((r) => setTimeout(r, 2000));
    child.kill('SIGINT');
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    const end = JSON.parse(r.stdout).end;
    expect(end.stoppedBy).toBe('signal');
    expect(end.sender.stoppedBy).toBe('signal');
    const s = end.streams[0];
    // Stopped early, yet nothing unexplained: the end of stream still carried the count.
    expect(end.sender.total.packets).toBeGreaterThan(0);
    expect(end.sender.total.packets).toBeLessThan(60_000);
    expect(s.senderPackets).toBe(end.sender.total.packets);
    expect(s.packets + s.lostPackets).toBe(end.sender.total.packets);
  });
});
