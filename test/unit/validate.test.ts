import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../helpers/config-error.js';
import { validateLoopback, validateReceiver, validateSender, type ValidateDeps } from '../../src/config/validate.js';

function info(address: string, family: 'IPv4' | 'IPv6'): NetworkInterfaceInfo {
  return { address, family, netmask: '', mac: '00:00:00:00:00:00', internal: false, cidr: null, scopeid: 0 } as NetworkInterfaceInfo;
}

const mtuCalls: Array<[string, string | null]> = [];
const deps: ValidateDeps = {
  networkInterfaces: () => ({
    lo: [info('127.0.0.1', 'IPv4'), info('::1', 'IPv6')],
    eth0: [info('fd00::2', 'IPv6'), info('192.0.2.2', 'IPv4')],
    wg0: [info('fe80::1', 'IPv6')],
  }),
  pathMtu: (dest, name) => {
    mtuCalls.push([dest, name]);
    return name === 'jumbo0' ? 9000 : dest.startsWith('127.') || dest === '::1' ? 65536 : 1500;
  },
};

const send = (raw: Record<string, unknown>) => validateSender(raw, deps);
const recv = (raw: Record<string, unknown>) => validateReceiver(raw, deps);
const loop = (raw: Record<string, unknown>) => validateLoopback(raw, deps);


describe('validateSender', () => {
  it('derives family, multicast, TTL and defaults', () => {
    const c = send({ dest: '239.1.2.3' });
    expect(c).toMatchObject({ family: 4, isMulticast: true, ttl: 1, port: 5001, sizeBytes: 1470, durationSec: 10, count: null, burst: 1, streams: 1, endCopies: 3, loop: false, backend: 'auto' });
    expect(c.rate).toEqual({ kind: 'bitsPerSec', bitsPerSec: 10e6 });
    expect(c.output).toEqual({ json: false, jsonStream: false, intervalSec: 1 });
    expect(c.warnings).toEqual([]);
    const u = send({ dest: '192.0.2.9' });
    expect(u).toMatchObject({ isMulticast: false, ttl: null });
    const v6 = send({ dest: 'ff3e::8000:1' });
    expect(v6).toMatchObject({ family: 6, isMulticast: true, sizeBytes: 1450 });
    expect(send({ dest: 'fd00::9' })).toMatchObject({ family: 6, isMulticast: false });
  });

  it('derives packets/s and burst interval from a bit rate (UDP payload bits)', () => {
    const c = send({ dest: '10.0.0.1', rate: '100m', size: '1250' });
    expect(c.packetsPerSec).toBe(10_000);
    expect(c.burstIntervalNs).toBeCloseTo(100_000, 6);
    const b = send({ dest: '10.0.0.1', rate: '100m', size: 1250, burst: '10' });
    expect(b.burstIntervalNs).toBeCloseTo(1_000_000, 6);
  });

  it('pps and max rates', () => {
    expect(send({ dest: '10.0.0.1', rate: '20kpps' })).toMatchObject({ packetsPerSec: 20_000, burstIntervalNs: 50_000 });
    expect(send({ dest: '10.0.0.1', rate: 'max' })).toMatchObject({ rate: { kind: 'max' }, packetsPerSec: Infinity, burstIntervalNs: 0 });
  });

  it('--burst-interval derives the rate and conflicts with --rate', () => {
    const c = send({ dest: '10.0.0.1', burst: '100', 'burst-interval': '10ms' });
    expect(c.packetsPerSec).toBeCloseTo(10_000, 9);
    expect(c.burstIntervalNs).toBeCloseTo(10e6, 3);
    expect(c.rate).toEqual({ kind: 'packetsPerSec', packetsPerSec: c.packetsPerSec });
    expect(send({ dest: '10.0.0.1', burstInterval: '1s' }).packetsPerSec).toBe(1);
    expect(errorOf(() => send({ dest: '10.0.0.1', rate: '1m', 'burst-interval': '1ms' }))).toMatch(/^--burst-interval: cannot be combined with --rate/);
  });

  it('ranges', () => {
    expect(errorOf(() => send({ dest: '10.0.0.1', size: '70000' }))).toBe('--size: 70000 is out of range (allowed: 40..65507 bytes)');
    expect(errorOf(() => send({ dest: '10.0.0.1', size: '39' }))).toMatch(/^--size: 39 is out of range/);
    expect(send({ dest: 'fd00::9', size: '65527' }).sizeBytes).toBe(65527);
    expect(errorOf(() => send({ dest: 'fd00::9', size: '65528' }))).toContain('40..65527 bytes');
    expect(errorOf(() => send({ dest: '10.0.0.1', size: '64K' }))).toBe('--size: 64K (65536) is out of range (allowed: 40..65507 bytes)');
    expect(errorOf(() => send({ dest: '10.0.0.1', port: '0' }))).toBe('--port: 0 is out of range (allowed: 1..65535)');
    expect(errorOf(() => send({ dest: '10.0.0.1', port: '65536' }))).toMatch(/^--port/);
    expect(errorOf(() => send({ dest: '10.0.0.1', port: 'http' }))).toMatch(/^--port: 'http' is not an integer/);
    expect(errorOf(() => send({ dest: '10.0.0.1', burst: '0' }))).toMatch(/^--burst: 0 is out of range \(allowed: 1\.\.100000/);
    expect(errorOf(() => send({ dest: '10.0.0.1', burst: '100001' }))).toMatch(/^--burst/);
    expect(errorOf(() => send({ dest: '10.0.0.1', count: '0' }))).toMatch(/^--count/);
    expect(errorOf(() => send({ dest: '10.0.0.1', duration: '86401' }))).toMatch(/^--duration: 86401 is out of range/);
    expect(errorOf(() => send({ dest: '10.0.0.1', duration: '0' }))).toMatch(/^--duration/);
    expect(errorOf(() => send({ dest: '239.1.1.1', ttl: '256' }))).toMatch(/^--ttl: 256 is out of range \(allowed: 0\.\.255\)/);
    expect(errorOf(() => send({ dest: '10.0.0.1', sndbuf: '1000' }))).toMatch(/^--sndbuf: 1000 is out of range \(allowed: 1024\.\./);
    expect(errorOf(() => send({ dest: '10.0.0.1', streams: '65' }))).toMatch(/^--streams: 65 is out of range \(allowed: 1\.\.64\)/);
    expect(errorOf(() => send({ dest: '10.0.0.1', interval: '0.05' }))).toMatch(/^--interval: .*\(allowed: 0 \(off\) or 0\.1\.\.3600 s\)/);
    expect(errorOf(() => send({ dest: '10.0.0.1', backend: 'turbo' }))).toBe("--backend: 'turbo' is not a choice (allowed: auto, dgram, native)");
    expect(errorOf(() => send({ dest: '10.0.0.1', rate: '1', size: '1470' }))).toMatch(/^--rate: .*one burst every/);
  });

  it('count, duration, ttl, sndbuf, interval, streams', () => {
    expect(send({ dest: '10.0.0.1', count: '1000' })).toMatchObject({ count: 1000, durationSec: null });
    expect(send({ dest: '10.0.0.1', count: '1000', duration: '2m' })).toMatchObject({ count: 1000, durationSec: 120 });
    expect(send({ dest: '10.0.0.1', duration: '500ms' })).toMatchObject({ count: null, durationSec: 0.5 });
    expect(send({ dest: '239.1.1.1', ttl: '0' }).ttl).toBe(0);
    expect(send({ dest: '10.0.0.1', ttl: '64' }).ttl).toBe(64);
    expect(send({ dest: '10.0.0.1', sndbuf: '4M' }).sndbufBytes).toBe(4194304);
    expect(send({ dest: '10.0.0.1', interval: '0' }).output.intervalSec).toBe(0);
    expect(send({ dest: '10.0.0.1', interval: '500ms' }).output.intervalSec).toBe(0.5);
    expect(send({ dest: '10.0.0.1', streams: '4' }).streams).toBe(4);
    expect(send({ dest: '10.0.0.1', json: true }).output.json).toBe(true);
  });

  it('dest must be a usable IP address', () => {
    expect(errorOf(() => send({}))).toMatch(/^--dest: is required/);
    expect(errorOf(() => send({ dest: 'example.com' }))).toMatch(/^--dest: 'example.com' is not an IP address/);
    expect(errorOf(() => send({ dest: '0.0.0.0' }))).toMatch(/^--dest/);
    expect(errorOf(() => send({ dest: '::' }))).toMatch(/^--dest/);
  });

  it('--json and --json-stream are mutually exclusive', () => {
    expect(errorOf(() => send({ dest: '10.0.0.1', json: true, 'json-stream': true }))).toMatch(/^--json: cannot be combined with --json-stream/);
  });

  it('warns (never adjusts) above the path MTU', () => {
    mtuCalls.length = 0;
    const c = send({ dest: '10.0.0.1', size: '1473' });
    expect(c.sizeBytes).toBe(1473);
    expect(c.warnings).toHaveLength(1);
    expect(c.warnings[0]).toMatch(/1501 bytes .* 1500-byte MTU/);
    expect(mtuCalls).toEqual([['10.0.0.1', null]]);
    expect(send({ dest: '10.0.0.1', size: '1472' }).warnings).toEqual([]);
    expect(send({ dest: 'fd00::9', size: '1453' }).warnings).toHaveLength(1);
    expect(send({ dest: 'fd00::9', size: '1452' }).warnings).toEqual([]);
    expect(send({ dest: '127.0.0.1', size: '8000' }).warnings).toEqual([]);
    const unknown = validateSender({ dest: '10.0.0.1', size: '9000' }, { ...deps, pathMtu: () => null });
    expect(unknown.warnings).toEqual([]);
  });

  it('passes the --interface name to the MTU lookup', () => {
    mtuCalls.length = 0;
    send({ dest: '239.1.1.1', interface: 'eth0' });
    expect(mtuCalls).toEqual([['239.1.1.1', 'eth0']]);
  });

  it('resolves --interface by name or address', () => {
    expect(send({ dest: '239.1.1.1', interface: 'eth0' }).interface).toEqual({ given: 'eth0', name: 'eth0', address: '192.0.2.2' });
    expect(send({ dest: '239.1.1.1', interface: '192.0.2.2' }).interface).toEqual({ given: '192.0.2.2', name: 'eth0', address: '192.0.2.2' });
    expect(send({ dest: 'ff15::1', interface: 'eth0' }).interface).toEqual({ given: 'eth0', name: 'eth0', address: '::%eth0' });
    expect(send({ dest: 'ff15::1', interface: 'fd00:0::2' }).interface).toEqual({ given: 'fd00:0::2', name: 'eth0', address: '::%eth0' });
    expect(errorOf(() => send({ dest: '239.1.1.1', interface: 'eth9' }))).toBe("--interface: no interface named 'eth9' (allowed: an interface name or address of this host: eth0, lo, wg0)");
    expect(errorOf(() => send({ dest: '239.1.1.1', interface: '10.9.9.9' }))).toMatch(/10\.9\.9\.9 is not an address of this host .*eth0, lo, wg0/);
    expect(errorOf(() => send({ dest: '239.1.1.1', interface: 'wg0' }))).toMatch(/'wg0' has no IPv4 address/);
    expect(errorOf(() => send({ dest: '239.1.1.1', interface: 'fd00::2' }))).toMatch(/^--interface: fd00::2 is an IPv6 address but the run is IPv4/);
  });

  it('--loop on unicast is a warning, not an error', () => {
    const c = send({ dest: '10.0.0.1', loop: true });
    expect(c.loop).toBe(true);
    expect(c.warnings[0]).toMatch(/--loop/);
    expect(send({ dest: '239.1.1.1', loop: true }).warnings).toEqual([]);
  });
});

describe('validateReceiver', () => {
  it('unicast defaults: bind wildcard, port 5001, no duration', () => {
    expect(recv({})).toMatchObject({ bind: '0.0.0.0', port: 5001, family: 4, group: null, source: null, durationSec: null, idleExitSec: null, maxLossPercent: null, countFrom: 'zero', clocksSynced: false, rcvbufBytes: null, rcvbufForce: false });
    expect(recv({ bind: '192.0.2.2', port: '6000' })).toMatchObject({ bind: '192.0.2.2', port: 6000, family: 4 });
    expect(recv({ bind: '::' })).toMatchObject({ bind: '::', family: 6 });
  });

  it('multicast: ASM and SSM, bind the family wildcard', () => {
    expect(recv({ group: '239.1.1.1' })).toMatchObject({ bind: '0.0.0.0', family: 4, group: '239.1.1.1', source: null });
    expect(recv({ group: '232.1.1.1', source: '192.0.2.9' })).toMatchObject({ group: '232.1.1.1', source: '192.0.2.9' });
    expect(recv({ group: 'ff3e::1', source: 'fd00::9' })).toMatchObject({ bind: '::', family: 6 });
  });

  it('multicast rules', () => {
    expect(errorOf(() => recv({ group: '10.0.0.1' }))).toBe('--group: 10.0.0.1 is not a multicast address (allowed: 224.0.0.0/4 or ff00::/8)');
    expect(errorOf(() => recv({ source: '192.0.2.9' }))).toMatch(/^--source: needs --group/);
    expect(errorOf(() => recv({ group: '232.1.1.1', source: 'fd00::9' }))).toMatch(/^--source: .*unicast IPv4/);
    expect(errorOf(() => recv({ group: '232.1.1.1', source: '239.0.0.1' }))).toMatch(/^--source/);
    expect(errorOf(() => recv({ group: '232.1.1.1', source: '0.0.0.0' }))).toMatch(/^--source/);
    expect(errorOf(() => recv({ bind: '239.1.1.1' }))).toMatch(/^--bind: 239\.1\.1\.1 is a multicast group .*--group 239\.1\.1\.1/);
    expect(errorOf(() => recv({ bind: '192.0.2.2', group: '239.1.1.1' }))).toMatch(/^--bind: cannot be combined with --group/);
  });

  it('port 0 is not allowed for a receiver', () => {
    expect(errorOf(() => recv({ port: '0' }))).toBe('--port: 0 is out of range (allowed: 1..65535)');
  });

  it('rcvbuf and force', () => {
    expect(recv({ rcvbuf: '26214400', 'rcvbuf-force': true })).toMatchObject({ rcvbufBytes: 26214400, rcvbufForce: true });
    expect(recv({ rcvbuf: '8M' }).rcvbufBytes).toBe(8388608);
    expect(recv({ rcvbuf: 'default' }).rcvbufBytes).toBeNull();
    expect(errorOf(() => recv({ 'rcvbuf-force': true }))).toMatch(/^--rcvbuf-force: needs --rcvbuf/);
    expect(errorOf(() => recv({ rcvbuf: 'default', rcvbufForce: true }))).toMatch(/^--rcvbuf-force/);
    expect(errorOf(() => recv({ rcvbuf: '3G' }))).toMatch(/^--rcvbuf: 3G \(3221225472\) is out of range \(allowed: 1024\.\.2147483647 bytes\)/);
  });

  it('duration, idle-exit, max-loss, count-from, clocks-synced, interface', () => {
    expect(recv({ duration: '30s', 'idle-exit': '2', 'max-loss': '0.5', 'count-from': 'first', 'clocks-synced': true })).toMatchObject({ durationSec: 30, idleExitSec: 2, maxLossPercent: 0.5, countFrom: 'first', clocksSynced: true });
    expect(errorOf(() => recv({ 'idle-exit': '0.05' }))).toMatch(/^--idle-exit: 0\.05 is out of range \(allowed: 0\.1\.\.86400 s\)/);
    expect(errorOf(() => recv({ 'max-loss': '101' }))).toBe('--max-loss: 101 is out of range (allowed: 0..100 %)');
    expect(errorOf(() => recv({ 'count-from': 'last' }))).toMatch(/^--count-from: 'last' is not a choice \(allowed: zero, first\)/);
    expect(recv({ group: '239.1.1.1', interface: 'eth0' }).interface).toEqual({ given: 'eth0', name: 'eth0', address: '192.0.2.2' });
    expect(recv({ group: 'ff12::1', interface: 'wg0' }).interface).toEqual({ given: 'wg0', name: 'wg0', address: '::%wg0' });
    expect(errorOf(() => recv({ json: true, jsonStream: true }))).toMatch(/^--json/);
  });
});

describe('validateLoopback', () => {
  it('defaults: 127.0.0.1, port 0 on both ends, 5 s at 100m, clocks synced', () => {
    const { sender, receiver } = loop({});
    expect(sender).toMatchObject({ dest: '127.0.0.1', port: 0, family: 4, isMulticast: false, durationSec: 5, ttl: null, interface: null });
    expect(sender.rate).toEqual({ kind: 'bitsPerSec', bitsPerSec: 100e6 });
    expect(receiver).toMatchObject({ bind: '127.0.0.1', port: 0, family: 4, group: null, clocksSynced: true, durationSec: null });
  });

  it('--ipv6 uses ::1', () => {
    const { sender, receiver } = loop({ ipv6: true });
    expect(sender).toMatchObject({ dest: '::1', family: 6 });
    expect(receiver).toMatchObject({ bind: '::1', family: 6 });
  });

  it('passes flags to both ends', () => {
    const { sender, receiver } = loop({ rate: '1g', size: '8000', count: '100', rcvbuf: '4M', 'max-loss': '1', json: true, port: '7000' });
    expect(sender).toMatchObject({ sizeBytes: 8000, count: 100, durationSec: null, port: 7000 });
    expect(receiver).toMatchObject({ rcvbufBytes: 4194304, maxLossPercent: 1, port: 7000 });
    expect(receiver.output.json).toBe(true);
  });

  it('rejects multicast and non-loopback destinations', () => {
    expect(errorOf(() => loop({ dest: '239.1.1.1' }))).toMatch(/^--dest: 239\.1\.1\.1 is multicast/);
    expect(errorOf(() => loop({ dest: 'ff02::1' }))).toMatch(/^--dest: ff02::1 is multicast/);
    expect(errorOf(() => loop({ dest: '192.0.2.2' }))).toMatch(/^--dest: 192\.0\.2\.2 is not a loopback address/);
    expect(errorOf(() => loop({ dest: 'fd00::2' }))).toMatch(/^--dest/);
    expect(errorOf(() => loop({ dest: '127.0.0.1', ipv6: true }))).toMatch(/^--ipv6: conflicts with --dest/);
    expect(loop({ dest: '127.0.0.2' }).receiver.bind).toBe('127.0.0.2');
  });
});
