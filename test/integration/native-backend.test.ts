/**
 * The native backend against real sockets on 127.0.0.1 / ::1 only (never multicast in the root
 * namespace: it would leave through eth0). Every wait is bounded in count and time.
 */
import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { dgramBackend } from '../../src/transport/dgram.js';
import { socketFd } from '../../src/transport/dgram-internals.js';
import { nativeBackend } from '../../src/transport/native.js';
import { addonPath, forceRcvbuf, loadNative } from '../../src/transport/native-loader.js';
import { selectBackend } from '../../src/transport/select.js';
import type { Backend, ReceiverSocket, ReceiverSocketOptions, SenderSocket } from '../../src/transport/types.js';
import { DecodeStatus, decodeHeader, encodeHeader, HEADER_BYTES, newHeaderFields } from '../../src/wire/header.js';

const { addon, reason } = loadNative();
const SKIP = addon === null ? ` (skipped: native addon not built: ${reason}; run "npm run build:native")` : '';
const isRoot = process.getuid?.() === 0;
const hasV6Loopback = Object.values(networkInterfaces()).some((l) => l?.some((i) => i.address === '::1'));

const canNetns = isRoot && existsSync('/usr/bin/unshare') && (existsSync('/usr/sbin/ip') || existsSync('/sbin/ip'));

const open: Array<ReceiverSocket | SenderSocket> = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

function rxOpts(over: Partial<ReceiverSocketOptions> = {}): ReceiverSocketOptions {
  return {
    family: 4, bind: '127.0.0.1', port: 0, group: null, source: null, interface: null,
    rcvbufBytes: 4 * 1024 * 1024, rcvbufForce: false, ...over,
  };
}

async function pair(rxBackend: Backend, txBackend: Backend, family: 4 | 6 = 4, over: Partial<ReceiverSocketOptions> = {}) {
  const loop = family === 6 ? '::1' : '127.0.0.1';
  const rx = await rxBackend.openReceiver(rxOpts({ family, bind: loop, ...over }));
  open.push(rx);
  const tx = await txBackend.openSender({
    family, dest: loop, port: rx.localPort, isMulticast: false, ttl: null, loop: false, interface: null, sndbufBytes: null,
  });
  open.push(tx);
  return { rx, tx };
}

interface Got { seqs: Set<number>; count: number; badHeaders: number; kernelUs: number[]; appUs: number[]; sources: Set<string> }

function collect(rx: ReceiverSocket): Got {
  const got: Got = { seqs: new Set(), count: 0, badHeaders: 0, kernelUs: [], appUs: [], sources: new Set() };
  const h = newHeaderFields();
  rx.start((data, offset, length, kernelRxUs, appRxUs, addr, port) => {
    got.count++;
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    if (decodeHeader(view, offset, length, h) !== DecodeStatus.Ok) got.badHeaders++;
    else got.seqs.add(h.seq);
    if (got.kernelUs.length < 1000) {
      got.kernelUs.push(kernelRxUs);
      got.appUs.push(appRxUs);
    }
    got.sources.add(`${addr}:${port}`);
  });
  return got;
}

/** Resolves when cond() holds, or after timeoutMs (the caller's expect() then reports). */
async function until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
}

/** Sends n datagrams of size bytes through SenderSocket.send(), yielding every 64. */
async function sendN(tx: SenderSocket, n: number, size = 200): Promise<void> {
  const buf = new Uint8Array(size);
  const view = new DataView(buf.buffer);
  for (let seq = 0; seq < n; seq++) {
    encodeHeader(view, 0, 0, 1, 0xaaaa, 0xbbbb, seq, 0, 0, 0);
    if (!tx.send(buf, size)) await until(() => tx.pending() === 0, 5000);
    if (seq % 64 === 63) await new Promise((r) => setImmediate(r));
  }
  await until(() => tx.pending() === 0, 5000);
}

describe.skipIf(addon === null)(`native backend on loopback${SKIP}`, () => {
  const N = 5000;

  it('native -> native: every datagram arrives once, with sane kernel timestamps', async () => {
    const { rx, tx } = await pair(nativeBackend, nativeBackend);
    expect(rx.backend).toBe('native');
    expect(rx.rcvbuf).toMatchObject({ requestedBytes: 4 * 1024 * 1024, forced: false, method: 'SO_RCVBUF' });
    const got = collect(rx);
    const before = Date.now() * 1000;
    await sendN(tx, N);
    await until(() => got.count >= N);
    expect(got.count).toBe(N);
    expect(got.seqs.size).toBe(N);
    expect(got.badHeaders).toBe(0);
    expect(tx.sendErrors).toBe(0);
    expect(got.sources).toEqual(new Set([`127.0.0.1:${tx.localPort}`]));
    for (let i = 0; i < got.kernelUs.length; i++) {
      const k = got.kernelUs[i]!;
      expect(Number.isFinite(k)).toBe(true);
      expect(k).toBeGreaterThan(before - 1e6);
      // The kernel stamps before the application sees it (same clock, small tolerance).
      expect(k).toBeLessThanOrEqual(got.appUs[i]! + 1000);
      expect(got.appUs[i]! - k).toBeLessThan(5e6);
    }
    expect(rx.kernelDrops?.()).toBe(0);
  });

  it('native -> dgram and dgram -> native: exact counts', async () => {
    for (const [rxB, txB] of [[dgramBackend, nativeBackend], [nativeBackend, dgramBackend]] as const) {
      const { rx, tx } = await pair(rxB, txB);
      const got = collect(rx);
      await sendN(tx, N);
      await until(() => got.count >= N);
      expect(got.count, `${txB.name} -> ${rxB.name}`).toBe(N);
      expect(got.seqs.size).toBe(N);
      expect(got.badHeaders).toBe(0);
    }
  });

  it.skipIf(!hasV6Loopback)('IPv6 ::1 native -> native', async () => {
    const { rx, tx } = await pair(nativeBackend, nativeBackend, 6);
    const got = collect(rx);
    await sendN(tx, 500);
    await until(() => got.count >= 500);
    expect(got.count).toBe(500);
    expect(got.sources).toEqual(new Set([`::1:${tx.localPort}`]));
  });

  it('sendCopies (sendmmsg and UDP GSO) and sendBatch: headers valid, sequence exact', async () => {
    const { rx, tx } = await pair(dgramBackend, nativeBackend);
    const got = collect(rx);
    const size = 300;
    const tpl = new Uint8Array(size);
    encodeHeader(new DataView(tpl.buffer), 0, 0, 7, 1, 2, 0, 0, 0, 0);
    let seq = 0;
    for (let burst = 0; burst < 40; burst++) {
      seq += tx.sendCopies!(tpl, size, 32, seq, burst, burst % 2 === 1);
      await new Promise((r) => setImmediate(r));
    }
    const slab = new Uint8Array(16 * 512);
    for (let k = 0; k < 16; k++) encodeHeader(new DataView(slab.buffer), k * 512, 0, 7, 1, 2, seq + k, 0, 0, 0);
    seq += tx.sendBatch!(slab, 512, HEADER_BYTES + 10, 16);
    expect(seq).toBe(40 * 32 + 16);
    await until(() => got.count >= seq);
    expect(got.count).toBe(seq);
    expect(got.seqs.size).toBe(seq);
    expect(got.badHeaders).toBe(0);
    expect(tx.sendErrors).toBe(0);
  });

  it('counts kernel drops (SO_MEMINFO) while paused, then drains what was queued', async () => {
    const { rx, tx } = await pair(nativeBackend, nativeBackend, 4, { rcvbufBytes: 4096 });
    const got = collect(rx);
    rx.pause();
    await sendN(tx, 2000, 100);
    const drops = rx.kernelDrops!()!;
    expect(drops).toBeGreaterThan(0);
    rx.resume();
    await until(() => got.count + drops >= 2000, 5000);
    expect(got.count + drops).toBe(2000);
  });

  it.skipIf(!isRoot)('SO_RCVBUFFORCE on a node:dgram socket fd exceeds rmem_max (root only)', async () => {
    const { readFileSync } = await import('node:fs');
    const rmemMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    try {
      const want = rmemMax * 4;
      const r = forceRcvbuf(socketFd(s), want);
      expect(r).toEqual({ ok: true, method: 'SO_RCVBUFFORCE via native addon' });
      expect(s.getRecvBufferSize()).toBeGreaterThan(rmemMax * 2);
      expect(s.getRecvBufferSize()).toBe(want * 2);
    } finally {
      s.close();
    }
    const rx = await nativeBackend.openReceiver(rxOpts({ rcvbufBytes: rmemMax * 4, rcvbufForce: true }));
    open.push(rx);
    expect(rx.rcvbuf).toMatchObject({ forced: true, grantedBytes: rmemMax * 8, method: 'SO_RCVBUFFORCE via native addon' });
  });

  // Multicast only inside a throwaway namespace whose sole interface is lo (the fixture refuses
  // to run anywhere else), so nothing can leave the host.
  it.skipIf(!canNetns)('ASM and SSM joins on lo inside an unshared network namespace (root only)', () => {
    const fixture = new URL('../fixtures/native-mcast-netns.mjs', import.meta.url).pathname;
    const script = `ip link set lo up && ip link set lo multicast on && exec "${process.execPath}" "${fixture}" "${addonPath()}"`;
    const r = spawnSync('unshare', ['-n', 'sh', '-c', script], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(0);
    // SSM: 100 from the joined source (127.0.0.1); the 100 from 127.0.0.2 are filtered out.
    expect(JSON.parse(r.stdout)).toEqual({ asm: 100, ssm: 100, stamped: 200 });
  });

  it('forceRcvbuf fails soft on a bad fd', () => {
    expect(forceRcvbuf(-1, 1024)).toMatchObject({ ok: false });
  });

  it('selectBackend: auto prefers native, dgram on request', async () => {
    expect((await selectBackend('auto')).backend.name).toBe('native');
    expect((await selectBackend('native')).backend.name).toBe('native');
    expect((await selectBackend('dgram')).backend.name).toBe('dgram');
  });

  it('loads in a worker_thread and cleans up polls and fds when the worker exits', async () => {
    const code = `
      const { parentPort } = require('node:worker_threads');
      const a = require(${JSON.stringify(addonPath())});
      const fd = a.openUdp(4);
      a.bind(fd, '127.0.0.1', 0);
      const rx = new a.Receiver(fd, new Uint8Array(64 * 2048), 2048, new Float64Array(64 * 8), new Uint8Array(64 * 16), () => {});
      rx.start();
      parentPort.postMessage(a.localAddress(fd).port);
      // Exit with the poll running and the fd open: the env cleanup hook must handle both.
      setTimeout(() => process.exit(0), 50);`;
    for (let i = 0; i < 3; i++) {
      const w = new Worker(code, { eval: true });
      const port = await new Promise<number>((res, rej) => {
        w.once('message', res);
        w.once('error', rej);
      });
      const exit = await new Promise<number>((res) => w.once('exit', res));
      expect(exit).toBe(0);
      // The worker's socket is closed: its port can be bound again.
      const probe = dgram.createSocket('udp4');
      await new Promise<void>((res, rej) => {
        probe.once('error', rej);
        probe.bind(port, '127.0.0.1', () => res());
      });
      probe.close();
    }
  });
});

describe('selectBackend without the addon', () => {
  it.skipIf(addon !== null)('native throws NativeAddonError, auto falls back to dgram', async () => {
    await expect(selectBackend('native')).rejects.toMatchObject({ code: 'ERR_NATIVE_UNAVAILABLE' });
    expect((await selectBackend('auto')).backend.name).toBe('dgram');
  });
});

// The same contract checks on both backends (style rule 8: one suite, both implementations).
describe.skipIf(addon === null)(`transport contract, dgram and native${SKIP}`, () => {
  for (const backend of [dgramBackend, nativeBackend]) {
    it(`${backend.name}: addresses, rcvbuf report, pause/resume, close`, async () => {
      const rx = await backend.openReceiver(rxOpts({ rcvbufBytes: 65536 }));
      expect(rx.backend).toBe(backend.name);
      expect(rx.localAddress).toBe('127.0.0.1');
      expect(rx.localPort).toBeGreaterThan(0);
      expect(rx.fd).toBeGreaterThan(2);
      expect(rx.rcvbuf).toEqual({ requestedBytes: 65536, grantedBytes: 131072, forced: false, method: 'SO_RCVBUF' });
      expect(Number.isNaN(rx.joinedAtUs)).toBe(true);
      const tx = await backend.openSender({
        family: 4, dest: '127.0.0.1', port: rx.localPort, isMulticast: false, ttl: 64, loop: false, interface: null, sndbufBytes: 65536,
      });
      open.push(tx);
      expect(tx.sndbufGrantedBytes).toBe(131072);
      const got = collect(rx);
      rx.pause();
      await sendN(tx, 50);
      await new Promise((r) => setTimeout(r, 50));
      expect(got.count).toBe(0);
      rx.resume();
      await until(() => got.count >= 50, 5000);
      expect(got.count).toBe(50);
      await rx.close();
    });

    // node:dgram drops the error of a callback-less send(), so only the native backend can
    // count ECONNREFUSED today (a known difference, not part of the shared contract).
    it.skipIf(backend.name === 'dgram')(`${backend.name}: sending to a closed port counts ECONNREFUSED, never throws`, async () => {
      const probe = await backend.openReceiver(rxOpts());
      const port = probe.localPort;
      await probe.close();
      const tx = await backend.openSender({
        family: 4, dest: '127.0.0.1', port, isMulticast: false, ttl: null, loop: false, interface: null, sndbufBytes: null,
      });
      open.push(tx);
      await sendN(tx, 20, 64);
      await until(() => tx.sendErrors > 0, 2000);
      expect(tx.sendErrors).toBeGreaterThan(0);
      expect(tx.sendErrors).toBeLessThan(20);
    });
  }
});
