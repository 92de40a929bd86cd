/**
 * Self-test of the namespace lab (test/helpers/lab.ts), independent of mcastbench itself:
 * hosts reach each other across the bridge (unicast and multicast, with plain node:dgram),
 * nft counters read back exactly, and destroy() leaves nothing behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createLab, labAvailable, sleep, waitForLine, type Lab } from '../helpers/lab.js';

const avail = labAvailable();
if (!avail.ok) console.warn(`[lab-selftest] skipped: ${avail.reason}`);

/** Counts datagrams on a port (optionally joining a group); prints one JSON line when idle. */
const RECV_JS = `
const dgram = require('node:dgram');
const [port, group, ifaddr, maxSec] = process.argv.slice(1);
const s = dgram.createSocket({ type: 'udp4', reuseAddr: true });
let n = 0, bytes = 0, last = 0;
s.on('message', (m) => { n++; bytes += m.length; last = Date.now(); });
s.bind(Number(port), () => {
  if (group !== '-') s.addMembership(group, ifaddr);
  console.error('ready');
});
const t0 = Date.now();
const tick = setInterval(() => {
  const now = Date.now();
  if ((last && now - last > 500) || now - t0 > Number(maxSec) * 1000) {
    clearInterval(tick);
    console.log(JSON.stringify({ received: n, bytes }));
    s.close();
  }
}, 50);
`;

/** Sends count datagrams of size bytes at ~rate pps; bounded by count. */
const SEND_JS = `
const dgram = require('node:dgram');
const [dest, port, count, size, rate, ifaddr] = process.argv.slice(1);
const s = dgram.createSocket('udp4');
s.bind(0, () => {
  if (ifaddr !== '-') { s.setMulticastInterface(ifaddr); s.setMulticastTTL(1); }
  let i = 0;
  const buf = Buffer.alloc(Number(size), 0x61);
  const per = Math.max(1, Math.round(Number(rate) / 100));
  const tick = setInterval(() => {
    for (let k = 0; k < per && i < Number(count); k++, i++) s.send(buf, Number(port), dest);
    if (i >= Number(count)) { clearInterval(tick); setTimeout(() => s.close(), 100); }
  }, 10);
});
`;

describe.skipIf(!avail.ok)('namespace lab self-test', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await createLab({ hosts: 4 });
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  async function receive(
    host: string,
    port: number,
    group: string | null,
    maxSec = 8,
  ): Promise<() => Promise<{ received: number; bytes: number }>> {
    const child = lab.spawn(host, process.execPath, ['-e', RECV_JS, String(port), group ?? '-', lab.addr(host), String(maxSec)], {
      maxMs: 15_000,
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((r) => child.once('close', () => r()));
    await lab.waitForUdpPort(host, port);
    if (group) await lab.waitForGroup(host, group);
    return async () => {
      await exited;
      return JSON.parse(out) as { received: number; bytes: number };
    };
  }

  async function send(host: string, dest: string, port: number, count: number, size: number, multicast: boolean): Promise<void> {
    await lab.exec(host, process.execPath, ['-e', SEND_JS, dest, String(port), String(count), String(size), '2000', multicast ? lab.addr(host) : '-'], {
      timeoutMs: 20_000,
    });
  }

  it('names namespaces mcb-<id>-<role> and addresses hosts 10.77.<n>.i', async () => {
    expect(lab.ns('sw')).toMatch(/^mcb-[a-z0-9]{5}-sw$/);
    expect(lab.ns('h3')).toBe(`mcb-${lab.id}-h3`);
    expect(lab.addr('h3')).toBe(`10.77.${lab.labIndex}.3`);
    const listed = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    for (const ns of [lab.ns('sw'), ...lab.hosts.map((h) => lab.ns(h))]) expect(listed).toContain(ns);
    const addrs = (await lab.exec('h2', 'ip', ['-4', '-o', 'addr', 'show', 'dev', 'eth0'])).stdout;
    expect(addrs).toContain(`${lab.addr('h2')}/24`);
    const routes = (await lab.exec('h2', 'ip', ['route', 'show'])).stdout;
    expect(routes).toMatch(/224\.0\.0\.0\/4 dev eth0/);
    const bridge = (await lab.exec('sw', 'cat', ['/sys/class/net/br0/bridge/stp_state', '/sys/class/net/br0/bridge/multicast_snooping'])).stdout;
    expect(bridge.split('\n').slice(0, 2)).toEqual(['0', '1']);
    const v6 = (await lab.exec('h1', 'cat', ['/proc/sys/net/ipv6/conf/all/disable_ipv6'])).stdout.trim();
    expect(v6).toBe('1');
  });

  it('carries unicast UDP from h1 to h2 across the bridge, exactly', async () => {
    const result = await receive('h2', 5100, null);
    await send('h1', lab.addr('h2'), 5100, 500, 100, false);
    expect(await result()).toEqual({ received: 500, bytes: 500 * 100 });
  });

  it('carries multicast from h1 to the members h2 and h3; h4 (bound, not joined) gets nothing', async () => {
    const group = '239.77.0.1';
    const r2 = await receive('h2', 5101, group);
    const r3 = await receive('h3', 5101, group);
    const r4 = await receive('h4', 5101, null, 3);
    await send('h1', group, 5101, 1000, 200, true);
    expect(await r2()).toEqual({ received: 1000, bytes: 1000 * 200 });
    expect(await r3()).toEqual({ received: 1000, bytes: 1000 * 200 });
    expect((await r4()).received).toBe(0);
  }, 30_000);

  it('reads nft counters back exactly (deterministic drop every 10th on h1 egress)', async () => {
    await lab.nft(
      'h1',
      `table netdev mcbself {
  chain egress {
    type filter hook egress device "eth0" priority 0; policy accept;
    udp dport 5102 counter comment "seen"
    udp dport 5102 numgen inc mod 10 == 3 counter drop comment "drop"
  }
}
`,
    );
    const result = await receive('h2', 5102, null);
    await send('h1', lab.addr('h2'), 5102, 1000, 100, false);
    const got = await result();
    expect(await lab.nftCounter('h1', 'seen')).toBe(1000);
    expect(await lab.nftCounter('h1', 'drop')).toBe(100);
    expect(got.received).toBe(900);
    const all = await lab.nftCounters('h1', 'netdev mcbself');
    expect(all.map((c) => [c.name, c.packets])).toEqual([
      ['seen', 1000],
      ['drop', 100],
    ]);
    await lab.exec('h1', 'nft', ['delete', 'table', 'netdev', 'mcbself']);
  });

  it('finds the receiver socket in /proc/net/udp and its group in /proc/net/igmp', async () => {
    const child = lab.spawn('h3', process.execPath, ['-e', RECV_JS, '5103', '239.77.0.9', lab.addr('h3'), '3'], { maxMs: 10_000 });
    await waitForLine(child, /^ready$/, 10_000);
    const row = await lab.waitForUdpPort('h3', 5103);
    expect(row.localAddress).toBe('0.0.0.0');
    await lab.waitForGroup('h3', '239.77.0.9');
    expect((await lab.igmpGroups('h2')).get('eth0') ?? []).not.toContain('239.77.0.9');
    const snmp = await lab.udpSnmp('h3');
    expect(snmp).toHaveProperty('RcvbufErrors');
  });

  it('with ipv6: true, gives hosts fd77:<n>::i/64 and carries UDP over IPv6', async () => {
    const v6 = await createLab({ hosts: 2, ipv6: true });
    try {
      expect(v6.addr6('h2')).toBe(`fd77:${v6.labIndex.toString(16)}::2`);
      const js =
        "const d=require('node:dgram');const [m,a,p]=process.argv.slice(1);const s=d.createSocket('udp6');" +
        "if(m==='r'){let n=0;s.on('message',()=>{if(++n===100){console.log(n);s.close()}});s.bind(Number(p),a);setTimeout(()=>{console.log(n);process.exit(0)},5000).unref()}" +
        "else{let i=0;const t=setInterval(()=>{s.send(Buffer.alloc(64),Number(p),a);if(++i===100){clearInterval(t);setTimeout(()=>s.close(),50)}},2)}";
      const recv = v6.spawn('h2', process.execPath, ['-e', js, 'r', v6.addr6('h2'), '5110'], { maxMs: 10_000 });
      let out = '';
      recv.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      const closed = new Promise<void>((r) => recv.once('close', () => r()));
      const deadline = Date.now() + 5000;
      while (!(await v6.exec('h2', 'cat', ['/proc/net/udp6'])).stdout.includes(':13F6 ') && Date.now() < deadline) await sleep(25);
      await v6.exec('h1', process.execPath, ['-e', js, 's', v6.addr6('h2'), '5110']);
      await closed;
      expect(out.trim()).toBe('100');
    } finally {
      await v6.destroy();
    }
  }, 20_000);

  it('destroy() kills spawned processes, leaves no namespace and is idempotent', async () => {
    const other = await createLab({ hosts: 2, querier: true });
    const names = [other.ns('sw'), other.ns('h1'), other.ns('h2')];
    const querier = (await other.exec('sw', 'cat', ['/sys/class/net/br0/bridge/multicast_querier'])).stdout.trim();
    expect(querier).toBe('1');
    const resp = (await other.exec('sw', 'cat', ['/sys/class/net/br0/bridge/multicast_query_response_interval'])).stdout.trim();
    expect(resp).toBe('100');
    const sleeper = other.spawn('h1', 'sleep', ['30']);
    const pid = sleeper.pid!;
    expect(pid).toBeGreaterThan(0);
    // ip netns exec execs: the PID is sleep's own
    await sleep(100);
    expect(execFileSync('cat', [`/proc/${pid}/comm`], { encoding: 'utf8' }).trim()).toBe('sleep');
    await other.destroy();
    await other.destroy();
    const listed = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    for (const ns of names) expect(listed).not.toContain(ns);
    let alive = true;
    try {
      alive = !/^State:\s*Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
    } catch {
      alive = false;
    }
    expect(alive).toBe(false);
    expect(() => other.exec('h1', 'true')).toThrow(/destroyed/);
  }, 20_000);
});
