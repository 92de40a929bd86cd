/**
 * --profile totem at the validation boundary: the mapping onto the sender's pacing, the
 * defaults, the conflicts and ranges (one line naming the flag), and corosync.conf(5)'s
 * window_size <= 256000 / netmtu rule (warned about, never adjusted).
 */
import { describe, expect, it } from 'vitest';
import { errorOf } from '../helpers/config-error.js';
import { maxWindowSizeForNetmtu } from '../../src/config/profile.js';
import { validateLoopback, validateSender, type ValidateDeps } from '../../src/config/validate.js';

const deps: ValidateDeps = {
  networkInterfaces: () => ({}),
  pathMtu: (dest) => (dest.startsWith('127.') || dest === '::1' ? 65536 : 1500),
};

const send = (raw: Record<string, unknown>) => validateSender(raw, deps);
const loop = (raw: Record<string, unknown>) => validateLoopback(raw, deps);


describe('--profile totem: mapping', () => {
  it('defaults: window 50 of 1472-byte datagrams (1500 - 28) every 10 ms', () => {
    const c = send({ dest: '239.192.1.1', profile: 'totem' });
    expect(c.profile).toEqual({ name: 'totem', windowSize: 50, netmtuBytes: 1500, ipUdpHeaderBytes: 28, datagramBytes: 1472, tokenRotationMs: 10 });
    expect(c.sizeBytes).toBe(1472);
    expect(c.burst).toBe(50);
    expect(c.burstIntervalNs).toBeCloseTo(10e6, 3);
    expect(c.packetsPerSec).toBeCloseTo(5000, 9);
    expect(c.rate).toEqual({ kind: 'packetsPerSec', packetsPerSec: c.packetsPerSec });
    expect(c.streams).toBe(1);
    expect(c.warnings).toEqual([]);
  });

  it('the flags set the burst, the datagram size and the burst interval', () => {
    const c = send({ dest: '10.0.0.1', profile: 'totem', 'window-size': '20', netmtu: '9000', 'token-rotation': '2ms' });
    expect(c).toMatchObject({ burst: 20, sizeBytes: 8972 });
    expect(c.burstIntervalNs).toBeCloseTo(2e6, 3);
    expect(c.packetsPerSec).toBeCloseTo(10_000, 6);
    expect(c.profile).toMatchObject({ windowSize: 20, netmtuBytes: 9000, datagramBytes: 8972, tokenRotationMs: 2 });
  });

  it('IPv6 takes 48 header bytes out of netmtu', () => {
    const c = send({ dest: 'ff15::1', profile: 'totem' });
    expect(c.profile).toMatchObject({ ipUdpHeaderBytes: 48, datagramBytes: 1452 });
    expect(c.sizeBytes).toBe(1452);
    expect(loop({ ipv6: true, profile: 'totem', netmtu: '1280' }).sender.sizeBytes).toBe(1232);
  });

  it('--count and --duration still bound the run; loopback and compare get the same traffic', () => {
    expect(send({ dest: '10.0.0.1', profile: 'totem', count: '1000' })).toMatchObject({ count: 1000, durationSec: null });
    const { sender } = loop({ profile: 'totem', 'window-size': '300', 'token-rotation': '1ms', duration: '1s' });
    expect(sender).toMatchObject({ burst: 300, sizeBytes: 1472, durationSec: 1, dest: '127.0.0.1' });
    expect(sender.burstIntervalNs).toBeCloseTo(1e6, 3);
  });

  it('without --profile nothing changes', () => {
    expect(send({ dest: '10.0.0.1' }).profile).toBeNull();
    expect(send({ dest: '10.0.0.1' }).sizeBytes).toBe(1470);
  });
});

describe('--profile totem: conflicts and ranges', () => {
  it.each([
    [{ rate: '10m' }, '--rate'],
    [{ burst: '10' }, '--burst'],
    [{ 'burst-interval': '1ms' }, '--burst-interval'],
    [{ size: '1000' }, '--size'],
    [{ streams: '2' }, '--streams'],
  ])('%j conflicts with --profile totem', (extra, flag) => {
    const msg = errorOf(() => send({ dest: '10.0.0.1', profile: 'totem', ...extra }));
    expect(msg.startsWith(`${flag}: conflicts with --profile totem`)).toBe(true);
  });

  it('--streams 1 is no conflict', () => {
    expect(send({ dest: '10.0.0.1', profile: 'totem', streams: '1' }).streams).toBe(1);
  });

  it.each(['window-size', 'netmtu', 'token-rotation'])('--%s needs --profile totem', (flag) => {
    expect(errorOf(() => send({ dest: '10.0.0.1', [flag]: '100' }))).toBe(`--${flag}: needs --profile totem (allowed: --profile totem --${flag} ...)`);
  });

  it('unknown profile', () => {
    expect(errorOf(() => send({ dest: '10.0.0.1', profile: 'pacemaker' }))).toBe("--profile: 'pacemaker' is not a profile (allowed: totem)");
  });

  it('ranges name the allowed values', () => {
    const t = (extra: Record<string, unknown>) => errorOf(() => send({ dest: '10.0.0.1', profile: 'totem', ...extra }));
    expect(t({ 'window-size': '0' })).toBe('--window-size: 0 is out of range (allowed: 1..100000 messages)');
    expect(t({ 'window-size': '100001' })).toMatch(/^--window-size: 100001 is out of range/);
    expect(t({ 'window-size': 'many' })).toMatch(/^--window-size: 'many' is not an integer/);
    expect(t({ netmtu: '575' })).toBe('--netmtu: 575 is out of range (allowed: 576..9000 bytes)');
    expect(t({ netmtu: '9001' })).toMatch(/^--netmtu: 9001 is out of range/);
    expect(errorOf(() => send({ dest: 'fd00::1', profile: 'totem', netmtu: '1279' }))).toBe('--netmtu: 1279 is out of range (allowed: 1280..9000 bytes (IPv6))');
    expect(t({ 'token-rotation': '50us' })).toBe('--token-rotation: 50us is out of range (allowed: 0.1 ms..1000 ms)');
    expect(t({ 'token-rotation': '1001ms' })).toBe('--token-rotation: 1001ms is out of range (allowed: 0.1 ms..1000 ms)');
    expect(t({ 'token-rotation': 'soon' })).toMatch(/^--token-rotation: 'soon' is not a duration/);
    expect(send({ dest: '10.0.0.1', profile: 'totem', 'token-rotation': '1s' }).burstIntervalNs).toBeCloseTo(1e9, 3);
    expect(send({ dest: '10.0.0.1', profile: 'totem', netmtu: '576' }).sizeBytes).toBe(548);
    expect(send({ dest: '10.0.0.1', profile: 'totem', 'token-rotation': '100us' }).profile?.tokenRotationMs).toBe(0.1);
    expect(send({ dest: '10.0.0.1', profile: 'totem', 'token-rotation': '0.1ms' }).burstIntervalNs).toBeCloseTo(100_000, 3);
  });
});

describe("corosync.conf(5): window_size <= 256000 / netmtu", () => {
  it('the arithmetic', () => {
    expect(maxWindowSizeForNetmtu(1500)).toBe(170);
    expect(maxWindowSizeForNetmtu(9000)).toBe(28);
    expect(maxWindowSizeForNetmtu(576)).toBe(444);
    expect(maxWindowSizeForNetmtu(1280)).toBe(200);
  });

  it('a window above it is warned about and kept as given', () => {
    expect(send({ dest: '10.0.0.1', profile: 'totem', 'window-size': '170' }).warnings).toEqual([]);
    const c = send({ dest: '10.0.0.1', profile: 'totem', 'window-size': '171' });
    expect(c.burst).toBe(171);
    expect(c.profile?.windowSize).toBe(171);
    expect(c.warnings).toHaveLength(1);
    expect(c.warnings[0]).toContain('--window-size 171 is above');
    expect(c.warnings[0]).toContain('256000 / netmtu = 170 (netmtu 1500)');
    expect(send({ dest: '10.0.0.1', profile: 'totem', netmtu: '9000', 'window-size': '29' }).warnings[0]).toContain('= 28 (netmtu 9000)');
  });

  it('a netmtu above the path MTU gets the fragmentation warning, naming --netmtu', () => {
    const c = send({ dest: '10.0.0.1', profile: 'totem', netmtu: '9000', 'window-size': '10' });
    expect(c.warnings).toHaveLength(1);
    expect(c.warnings[0]).toMatch(/^--netmtu 9000: each datagram is 9000 bytes .* above the 1500-byte MTU/);
  });
});
