/**
 * The native addon's JS boundary: every function type-checks its arguments (TypeError), system
 * errors carry code / errno / syscall like Node's own, and the natively patched wire header is
 * byte-identical to encodeHeader(). Loopback only, no traffic beyond 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadNative, type NativeAddon } from '../../src/transport/native-loader.js';
import { DecodeStatus, decodeHeader, encodeHeader, HEADER_BYTES, newHeaderFields } from '../../src/wire/header.js';

const { addon, reason } = loadNative();
const SKIP = addon === null ? `native addon not built (${reason}); build it with "npm run build:native"` : '';

describe.skipIf(addon === null)(`native addon boundary${SKIP ? ` (skipped: ${SKIP})` : ''}`, () => {
  const a = addon as NativeAddon;
  const fds: number[] = [];
  const udp = (family: 4 | 6 = 4): number => {
    const fd = a.openUdp(family);
    fds.push(fd);
    return fd;
  };
  afterEach(() => {
    for (const fd of fds.splice(0)) {
      try {
        a.close(fd);
      } catch {
        // closed by the test
      }
    }
  });

  it('rejects wrong argument types with TypeError, naming the function and argument', () => {
    const fd = udp();
    const cases: Array<[string, () => unknown]> = [
      ['openUdp', () => a.openUdp('4' as unknown as 4)],
      ['openUdp', () => a.openUdp(5 as unknown as 4)],
      ['bind', () => a.bind('3' as unknown as number, '127.0.0.1', 0)],
      ['bind', () => a.bind(fd, 127 as unknown as string, 0)],
      ['bind', () => a.bind(fd, '127.0.0.1', 70000)],
      ['bind', () => a.bind(fd, 'localhost', 0)],
      ['bind', () => a.bind(-1, '127.0.0.1', 0)],
      ['connect', () => a.connect(fd, '127.0.0.1', 1.5)],
      ['setsockoptInt', () => a.setsockoptInt(fd, 1, 2, '1' as unknown as number)],
      ['getsockoptInt', () => (a.getsockoptInt as (...x: unknown[]) => number)(fd, 1)],
      ['setRcvbufForce', () => a.setRcvbufForce(fd, -1)],
      ['joinAsm', () => a.joinAsm(fd, 5 as unknown as string, null)],
      ['joinAsm', () => a.joinAsm(fd, '239.1.1.1', {} as unknown as string)],
      ['joinSsm', () => a.joinSsm(fd, '232.1.1.1', 7 as unknown as string, null)],
      ['joinSsm', () => a.joinSsm(fd, '232.1.1.1', '::1', null)],
      ['leave', () => a.leave(fd, '239.1.1.1', 3 as unknown as string, null)],
      ['setMulticastTtl', () => a.setMulticastTtl(fd, 256)],
      ['setMulticastLoop', () => a.setMulticastLoop(fd, 1 as unknown as boolean)],
      ['setTos', () => a.setTos(fd, 300)],
      ['send', () => a.send(fd, 'abc' as unknown as Uint8Array, 3)],
      ['send', () => a.send(fd, new Uint8Array(4), 5)],
      ['sendBatch', () => a.sendBatch(fd, new Uint8Array(100), 50, 50, 3)],
      ['sendTemplate', () => a.sendTemplate(fd, new Uint8Array(64), 39, 1, 0, 0, false)],
      ['sendTemplate', () => a.sendTemplate(fd, new Uint8Array(2000), 1500, 64, 0, 0, true)],
      ['patchHeader', () => a.patchHeader(new Uint8Array(39), 0, 0, 0, 0)],
      ['sleepUntil', () => a.sleepUntil('1' as unknown as number, 0)],
      ['sleepUntil', () => a.sleepUntil(a.monotonicNs() + 60e9, 0)],
      ['openRaw', () => a.openRaw('tcp' as 'igmp')],
      ['openPacket', () => a.openPacket('lo', 'yes' as unknown as boolean, 'ipv4')],
      ['openPacket', () => a.openPacket('lo', false, 'arp' as 'ipv4')],
      ['openPacket', () => (a.openPacket as (...x: unknown[]) => number)('lo', false)],
      ['Receiver', () => new a.Receiver(fd, new Uint8Array(10), 0, new Float64Array(8), new Uint8Array(16), () => undefined)],
      ['Receiver', () => new a.Receiver(fd, new Uint8Array(64), 64, new Float64Array(8), new Uint8Array(16), 'cb' as unknown as () => void)],
      ['Receiver', () => new a.Receiver(fd, new Uint8Array(128), 64, new Float64Array(8), new Uint8Array(32), () => undefined)],
    ];
    for (const [name, call] of cases) {
      let err: unknown = null;
      try {
        call();
      } catch (e) {
        err = e;
      }
      expect(err, `${name} should throw`).toBeInstanceOf(TypeError);
      expect((err as Error).message).toContain(name);
    }
  });

  it('throws system errors with code, negative errno and syscall', () => {
    const fd = udp();
    const catchErr = (f: () => unknown): NodeJS.ErrnoException => {
      try {
        f();
      } catch (e) {
        return e as NodeJS.ErrnoException;
      }
      throw new Error('expected an error');
    };
    // 192.0.2.1 (TEST-NET-1) is not a local address.
    const e1 = catchErr(() => a.bind(fd, '192.0.2.1', 0));
    expect(e1).toBeInstanceOf(Error);
    expect(e1).not.toBeInstanceOf(TypeError);
    expect(e1.code).toBe('EADDRNOTAVAIL');
    expect(e1.errno).toBe(-99);
    expect(e1.syscall).toBe('bind');
    expect(e1.message).toContain('192.0.2.1');

    a.bind(fd, '127.0.0.1', 0);
    const { port } = a.localAddress(fd);
    const e2 = catchErr(() => a.bind(udp(), '127.0.0.1', port));
    expect(e2.code).toBe('EADDRINUSE');

    // A unicast address is not a group (no traffic: the kernel refuses before any report).
    expect(catchErr(() => a.joinAsm(fd, '127.0.0.1', null)).code).toBe('EINVAL');
    // An IPv4 address on an IPv6 socket.
    expect(catchErr(() => a.bind(udp(6), '127.0.0.1', 0)).code).toBe('EINVAL');
    expect(catchErr(() => a.setMulticastIf(fd, 'no-such-if0')).code).toBe('ENODEV');
    // close() only closes fds this addon opened in this thread.
    expect(catchErr(() => a.close(0)).code).toBe('EBADF');
  });

  it('sets and reads back socket options, including SO_MEMINFO', () => {
    const fd = udp();
    a.setsockoptInt(fd, 1, 8, 65536); // SOL_SOCKET, SO_RCVBUF
    expect(a.getsockoptInt(fd, 1, 8)).toBe(131072);
    a.enableRxqOvfl(fd);
    expect(a.getsockoptInt(fd, 1, 40)).toBe(1); // SO_RXQ_OVFL
    a.enableTimestampNs(fd);
    expect(a.getsockoptInt(fd, 1, 35)).toBe(1); // SO_TIMESTAMPNS
    a.setTos(fd, 0x10);
    expect(a.getsockoptInt(fd, 0, 1)).toBe(0x10); // IPPROTO_IP, IP_TOS
    const m = a.meminfo(fd);
    expect(m.rcvbuf).toBe(131072);
    expect(m.drops).toBe(0);
    expect(a.inq(fd)).toBe(0);
  });

  it('patches headers byte-identically to encodeHeader()', () => {
    const seqs = [0, 1, 0xffffffff, 0x100000000, 2 ** 53 - 1025];
    for (const seq of seqs) {
      const want = new Uint8Array(HEADER_BYTES);
      encodeHeader(new DataView(want.buffer), 0, 1, 0xbeef, 0x12345678, 0x9abcdef0, seq, 0x18a2b3c4, 0xd5e6f708, 77);
      const got = new Uint8Array(HEADER_BYTES);
      encodeHeader(new DataView(got.buffer), 0, 1, 0xbeef, 0x12345678, 0x9abcdef0, 0, 0, 0, 0);
      a.patchHeader(got, seq, 0x18a2b3c4, 0xd5e6f708, 77);
      expect(Buffer.from(got).toString('hex')).toBe(Buffer.from(want).toString('hex'));
      const h = newHeaderFields();
      expect(decodeHeader(new DataView(got.buffer), 0, HEADER_BYTES, h)).toBe(DecodeStatus.Ok);
      expect(h.seq).toBe(seq);
    }
  });

  it('sleepUntil sleeps to a CLOCK_MONOTONIC deadline and reports lateness', () => {
    const t0 = a.monotonicNs();
    const late = a.sleepUntil(t0 + 3e6, 200_000);
    const elapsed = a.monotonicNs() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(3e6);
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(100e6);
    // A deadline in the past returns at once.
    expect(a.sleepUntil(t0, 0)).toBeGreaterThan(0);
    const [hi, lo] = a.realtimeNs();
    expect(Math.abs((hi * 2 ** 32 + lo) / 1e6 - Date.now())).toBeLessThan(5000);
  });

  it('raw sockets need CAP_NET_RAW: open when root, EPERM otherwise', () => {
    let fd = -1;
    try {
      fd = a.openRaw('igmp');
    } catch (e) {
      expect((e as NodeJS.ErrnoException).code).toBe('EPERM');
      return;
    }
    expect(fd).toBeGreaterThan(2);
    a.close(fd);
    for (const proto of ['ipv4', 'ipv6'] as const) a.close(a.openPacket('lo', false, proto));
  });
});
