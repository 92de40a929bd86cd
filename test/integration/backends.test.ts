/**
 * One contract, two backends: the same crafted traffic (known truth) must give the same counts
 * on node:dgram and on the native addon; without the addon, auto falls back and says why, and
 * --backend native fails loudly. 127.0.0.1 only.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freePort, runCli, startCli, waitForUdpPort } from '../helpers/cli.js';
import { GAPPY_TRUTH, gappyStream, sendRaw } from '../helpers/crafted.js';
import { loadNative } from '../../src/transport/native-loader.js';

const native = loadNative();
const isRoot = process.getuid?.() === 0;
const rmemMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));

async function receiveGappy(backend: string, env: NodeJS.ProcessEnv = {}): Promise<Record<string, unknown>> {
  const port = await freePort();
  const rx = startCli(['receive', '--bind', '127.0.0.1', '--port', String(port), '--idle-exit', '0.5', '--duration', '30', '--backend', backend, '--json'], env);
  await waitForUdpPort(port);
  await sendRaw(port, gappyStream([0x1234, 0x5678]));
  const r = await rx.done;
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).end;
}

describe('backends', () => {
  it('node:dgram counts a crafted stream exactly', async () => {
    const end = await receiveGappy('dgram');
    expect((end.socket as { backend: string }).backend).toBe('dgram');
    expect((end.streams as unknown[])[0]).toMatchObject(GAPPY_TRUTH);
  });

  describe.skipIf(native.addon === null)(`native addon (${native.reason})`, () => {
    it('the native backend counts the same crafted stream exactly (differential)', async () => {
      const [d, n] = [await receiveGappy('dgram'), await receiveGappy('native')];
      expect((n.socket as { backend: string }).backend).toBe('native');
      const pick = (e: Record<string, unknown>): unknown => {
        const s = (e.streams as Record<string, unknown>[])[0]!;
        return [s.packets, s.bytes, s.lostPackets, s.duplicatePackets, s.outOfOrderPackets, s.senderPackets, (e.total as Record<string, unknown>).foreignPackets];
      };
      expect(pick(n)).toEqual(pick(d));
      expect((n.streams as unknown[])[0]).toMatchObject(GAPPY_TRUTH);
    });

    it('the native backend reads only headers yet counts every byte of large datagrams', async () => {
      // The native receiver copies 64 bytes per datagram (MSG_TRUNC): lengths must still be real.
      for (const size of [1470, 8972, 65507]) {
        const r = await runCli(['loopback', '--count', '500', '--rate', '5000pps', '--size', String(size), '--backend', 'native', '--rcvbuf', '4M', '--json']);
        expect(r.code, r.stderr).toBe(0);
        const s = JSON.parse(r.stdout).end.streams[0];
        expect(s.packets + s.lostPackets, `size ${size}`).toBe(500);
        expect(s.bytes, `size ${size}`).toBe(s.packets * size);
      }
    });

    it('the native backend splits latency with kernel timestamps', async () => {
      const r = await runCli(['loopback', '--count', '1000', '--rate', '2000pps', '--backend', 'native', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const s = JSON.parse(r.stdout).end.streams[0];
      expect(s.sendToKernelUs.samples).toBe(s.packets);
      expect(s.kernelToAppUs.samples).toBe(s.packets);
      expect(s.interArrivalClock).toBe('kernel');
    });

    it('--gso sends every segment as a full datagram the receiver counts', async () => {
      const r = await runCli(['loopback', '--count', '6400', '--rate', 'max', '--size', '200', '--gso', '--backend', 'native', '--rcvbuf', '32M', ...(isRoot ? ['--rcvbuf-force'] : []), '--json']);
      expect(r.code, r.stderr).toBe(0);
      const end = JSON.parse(r.stdout).end;
      expect(end.sender.total.packets).toBe(6400);
      expect(end.streams[0].senderPackets).toBe(6400);
      expect(end.streams[0].packets + end.streams[0].lostPackets).toBe(6400);
      expect(end.streams[0].lostPackets).toBe(end.kernel.socketDrops);
      expect(end.streams[0].duplicatePackets).toBe(0);
    });
  });

  it('without the addon, auto falls back to node:dgram and says why', async () => {
    const r = await runCli(['loopback', '--count', '200', '--rate', '1000pps', '--json'], 60_000, { MCASTBENCH_NO_NATIVE: '1' });
    expect(r.code, r.stderr).toBe(0);
    const end = JSON.parse(r.stdout).end;
    expect(end.socket.backend).toBe('dgram');
    expect(end.socket.backendReason).toMatch(/native addon not loaded/);
    expect(end.sender.socket.backend).toBe('dgram');
  });

  it('without the addon, --backend native fails loudly: one line, exit 1', async () => {
    const r = await runCli(['loopback', '--count', '10', '--backend', 'native'], 60_000, { MCASTBENCH_NO_NATIVE: '1' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--backend native: native addon not loaded/);
  });

  it('--gso and --tos are refused with --backend dgram (bad usage, exit 2)', async () => {
    for (const extra of [['--gso'], ['--tos', '184'], ['--dscp', '46']]) {
      const r = await runCli(['loopback', '--count', '10', '--backend', 'dgram', ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(extra[0]);
    }
  });

  it.skipIf(!isRoot)('--rcvbuf-force without the addon goes through python3 and exceeds rmem_max', async () => {
    const r = await runCli(['loopback', '--count', '100', '--rate', '1000pps', '--rcvbuf', String(rmemMax * 4), '--rcvbuf-force', '--json'], 60_000, { MCASTBENCH_NO_NATIVE: '1' });
    expect(r.code, r.stderr).toBe(0);
    const sock = JSON.parse(r.stdout).end.socket;
    expect(sock.rcvbufForced).toBe(true);
    expect(sock.rcvbufGrantedBytes).toBe(rmemMax * 8);
    expect(sock.rcvbufMethod).toMatch(/python3/);
  });

  it.skipIf(!isRoot || native.addon === null)('--rcvbuf-force with the addon uses it', async () => {
    const r = await runCli(['loopback', '--count', '100', '--rate', '1000pps', '--rcvbuf', String(rmemMax * 4), '--rcvbuf-force', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const sock = JSON.parse(r.stdout).end.socket;
    expect(sock.rcvbufGrantedBytes).toBe(rmemMax * 8);
    expect(sock.rcvbufMethod).not.toMatch(/python3/);
  });

  it('a capped request says so in one line with the fix', async () => {
    const r = await runCli(['loopback', '--count', '100', '--rate', '1000pps', '--rcvbuf', String(rmemMax * 4), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const sock = JSON.parse(r.stdout).end.socket;
    expect(sock.rcvbufGrantedBytes).toBe(rmemMax * 2);
    expect(sock.rcvbufNote).toBe(`requested ${rmemMax * 4}, granted ${rmemMax * 2} = 2 x rmem_max ${rmemMax}: raise net.core.rmem_max, or run as root with --rcvbuf-force`);
  });
});

describe('compare', () => {
  it.skipIf(!isRoot)('a stalling receiver: default buffer loses exactly its socket drops, a forced 25 MiB buffer loses none', async () => {
    const r = await runCli(['compare', '--rcvbuf', 'default,26214400', '--rcvbuf-force', '--rate', '10kpps', '--size', '1000', '--count', '20000', '--receiver-pause', '1s', '--pause-every', '1500ms', '--json'], 90_000);
    expect([0, 3]).toContain(r.code);
    const end = JSON.parse(r.stdout).end;
    const [def, big] = end.settings;
    expect(def.sentPackets).toBe(20000);
    expect(def.lostPackets).toBeGreaterThan(0);
    expect(def.lostPackets).toBe(def.socketDrops);
    expect(def.packets + def.lostPackets).toBe(20000);
    expect(big.rcvbufGrantedBytes).toBe(52428800);
    expect(big.lostPackets).toBe(0);
    expect(big.packets).toBe(20000);
    expect(end.verdict.winner).toBe('26214400');
    expect(end.verdict.fix[0]).toBe('sysctl -w net.core.rmem_max=26214400');
    for (const k of ['rcvbufRequestedBytes', 'rcvbufGrantedBytes', 'packets', 'lostPackets', 'rcvbufErrors', 'socketDrops', 'peakQueueFraction']) expect(k in def).toBe(true);
  });
});
