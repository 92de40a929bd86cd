/**
 * One function per (workload, tool): starts the receiver (CPU 1) and the sender (CPU 0) inside
 * the bench namespace, waits for both with bounded timeouts, and returns flat metrics. Traffic
 * goes only to 127.0.0.1 inside the namespace.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseIperf2Client, parseIperf2Server, parseIperf3Json, parseSockperfPp, parseSockperfTp } from './parsers.js';
import { parsePcap } from './pcap.js';
import { CpuSampler, rssKb, udpCounters, udpPortState, waitFor, waitForPort, type Namespace, type Proc } from './procs.js';
import { gapStats } from './stats.js';

export const SND_CPU = 0;
export const RCV_CPU = 1;
export const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

export type Metrics = Record<string, number | null>;
export interface RunResult {
  metrics: Metrics;
  /** Backend the tool reported (mcastbench) or the tool's own name. */
  backend: string;
  notes: string[];
}

export type McbBackend = 'native' | 'dgram';

let nextPort = 20000 + Math.floor(Math.random() * 20000);
export function freshPort(): number {
  nextPort = nextPort >= 60000 ? 20000 : nextPort + 3;
  return nextPort;
}

/** Parses the last JSON document on a stdout (the CLI prints one with --json). */
function parseJson<T>(text: string): T | null {
  const start = text.indexOf('{');
  if (start < 0) return null;
  try {
    return JSON.parse(text.slice(start)) as T;
  } catch {
    return null;
  }
}

// Only the fields the bench reads; the full model is src/report/model.ts.
interface McbReceiverDoc {
  end: {
    total: { packets: number; lostPackets: number; lossPercent: number; packetsPerSecond: number };
    kernel: { socketDrops: number; rcvbufErrors: number };
    socket: { backend: string; rcvbufGrantedBytes: number; rcvbufMethod: string };
    streams: {
      latencyUs: { p50: number; p99: number; samples: number };
      sendToKernelUs: { p50: number; p99: number } | null;
      interArrivalUs: { p50: number; p99: number };
      interArrivalClock: string;
      senderPackets: number | null;
    }[];
  };
}
interface McbSenderDoc {
  end: {
    total: { packets: number; packetsPerSecond: number; durationSec: number; rateErrorPercent: number | null; sendErrors: number };
    socket: { backend: string };
  };
}

function mcbReceiver(ns: Namespace, backend: McbBackend, port: number, maxSec: number, rcvbuf: string | null): Proc {
  const args = [CLI, 'receive', '--bind', '127.0.0.1', '--port', String(port), '--json', '--backend', backend, '--duration', String(maxSec)];
  if (rcvbuf) args.push('--rcvbuf', rcvbuf, '--rcvbuf-force');
  return ns.spawn(RCV_CPU, process.execPath, args);
}

function mcbSender(ns: Namespace, backend: McbBackend, port: number, rate: string, size: number, amount: { durationSec?: number; count?: number }, extra: string[] = []): Proc {
  const args = [CLI, 'send', '--dest', '127.0.0.1', '--port', String(port), '--rate', rate, '--size', String(size), '--json', '--backend', backend, ...extra];
  if (amount.durationSec !== undefined) args.push('--duration', String(amount.durationSec));
  if (amount.count !== undefined) args.push('--count', String(amount.count));
  return ns.spawn(SND_CPU, process.execPath, args);
}

async function startOrThrow(p: Proc, port: number, proto: 'udp' | 'tcp', what: string): Promise<void> {
  await waitForPort(p, port, proto);
  if (!p.isRunning()) {
    await p.exited;
    throw new Error(`${what} exited early: ${oneLine(p.stderr() || p.stdout())}`);
  }
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 300);
}

async function stopReceiver(p: Proc): Promise<void> {
  await sleep(200);
  p.signal('SIGINT');
  await p.waitExit(10_000, 'SIGTERM');
}

/** Runs a sender to completion with a CPU sampler; bounded by `limitSec`. */
async function runSender(p: Proc, limitSec: number): Promise<{ cpuPercent: number | null; timedOut: boolean }> {
  const cpu = new CpuSampler(p.pid);
  const r = await p.waitExit(limitSec * 1000, 'SIGINT');
  cpu.stop();
  return { cpuPercent: cpu.cpuPercent(), timedOut: r.timedOut };
}

/**
 * Namespace-wide loss: RcvbufErrors over datagrams sent. The denominator is the larger of the
 * kernel's OutDatagrams and the tool's own sent count, because a GSO super-datagram counts once
 * in OutDatagrams but arrives (and is dropped) as its segments.
 */
function kernelDelta(before: Record<string, number> | null, after: Record<string, number> | null, sentByTool: number | null): { out: number; drops: number; lossPercent: number | null } {
  if (!before || !after) return { out: 0, drops: 0, lossPercent: null };
  const out = Math.max((after['OutDatagrams'] ?? 0) - (before['OutDatagrams'] ?? 0), sentByTool ?? 0);
  const drops = (after['RcvbufErrors'] ?? 0) - (before['RcvbufErrors'] ?? 0);
  return { out, drops, lossPercent: out > 0 ? (drops / out) * 100 : null };
}

/**
 * Starts the receiving end for a tool and waits until it listens: every mcastbench sender goes
 * to the same native receiver with a forced 32 MiB buffer (64 MiB granted); the peers to their
 * own servers.
 */
async function startToolReceiver(ns: Namespace, tool: string, port: number, size: number, maxSec: number): Promise<Proc> {
  if (tool.startsWith('mcastbench')) {
    const p = mcbReceiver(ns, 'native', port, maxSec, '32M');
    await startOrThrow(p, port, 'udp', 'mcastbench receive');
    return p;
  }
  if (tool === 'iperf2') {
    const p = ns.spawn(RCV_CPU, 'iperf', ['-s', '-u', '-l', String(size), '-p', String(port)]);
    await startOrThrow(p, port, 'udp', 'iperf -s');
    return p;
  }
  if (tool === 'iperf3') {
    const p = ns.spawn(RCV_CPU, 'iperf3', ['-s', '-1', '-p', String(port)]);
    await startOrThrow(p, port, 'tcp', 'iperf3 -s');
    return p;
  }
  const p = ns.spawn(RCV_CPU, 'sockperf', ['sr', '-i', '127.0.0.1', '-p', String(port)]);
  await startOrThrow(p, port, 'udp', 'sockperf sr');
  return p;
}

// ------------------------------------------------------------------ maximum send rate

export type MaxTool = 'mcastbench-native' | 'mcastbench-dgram' | 'mcastbench-native-gso' | 'iperf2' | 'iperf3' | 'sockperf';

export async function maxRate(ns: Namespace, tool: MaxTool, size: number, durSec: number): Promise<RunResult> {
  const port = freshPort();
  const notes: string[] = [];
  const receiver = await startToolReceiver(ns, tool, port, size, durSec + 30);
  try {
    const before = udpCounters(ns.anchorPid);
    let sender: Proc;
    if (tool === 'mcastbench-native' || tool === 'mcastbench-dgram') {
      sender = mcbSender(ns, tool === 'mcastbench-native' ? 'native' : 'dgram', port, 'max', size, { durationSec: durSec });
    } else if (tool === 'mcastbench-native-gso') {
      sender = mcbSender(ns, 'native', port, 'max', size, { durationSec: durSec }, ['--gso']);
    } else if (tool === 'iperf2') {
      sender = ns.spawn(SND_CPU, 'iperf', ['-c', '127.0.0.1', '-p', String(port), '-u', '-e', '-b', '100g', '-l', String(size), '-t', String(durSec)]);
    } else if (tool === 'iperf3') {
      sender = ns.spawn(SND_CPU, 'iperf3', ['-c', '127.0.0.1', '-p', String(port), '-u', '-b', '0', '-l', String(size), '-t', String(durSec), '-J']);
    } else {
      sender = ns.spawn(SND_CPU, 'sockperf', ['tp', '-i', '127.0.0.1', '-p', String(port), '-m', String(size), '-t', String(durSec), '--mps=max']);
    }
    const s = await runSender(sender, durSec + 20);
    if (s.timedOut) notes.push('sender timed out');
    await sleep(300);
    const after = udpCounters(ns.anchorPid);
    let sentPps: number | null = null;
    let sent: number | null = null;
    let backend: string = tool;
    const out = sender.stdout();
    if (tool.startsWith('mcastbench')) {
      const doc = parseJson<McbSenderDoc>(out);
      if (!doc) throw new Error(`mcastbench send gave no JSON: ${oneLine(sender.stderr())}`);
      sentPps = doc.end.total.packetsPerSecond;
      sent = doc.end.total.packets;
      backend = doc.end.socket.backend;
    } else if (tool === 'iperf2') {
      const c = parseIperf2Client(out);
      sentPps = c.sentPps;
      sent = c.sentDatagrams;
    } else if (tool === 'iperf3') {
      const j = parseIperf3Json(out);
      if (j.error) notes.push(`iperf3: ${j.error}`);
      sentPps = j.sentPps;
      sent = j.sentPackets;
    } else {
      const t = parseSockperfTp(out);
      sentPps = t.messageRate;
      sent = t.sentMessages;
    }
    const k = kernelDelta(before, after, sent);
    if (sentPps === null) notes.push(`could not parse the sender's rate: ${oneLine(out + sender.stderr())}`);
    return {
      backend,
      notes,
      metrics: {
        sentPps,
        sentMbps: sentPps === null ? null : (sentPps * size * 8) / 1e6,
        kernelLossPercent: k.lossPercent,
        senderCpuPercent: s.cpuPercent,
      },
    };
  } finally {
    if (tool === 'iperf3') await receiver.waitExit(3000, 'SIGINT');
    else await stopReceiver(receiver);
  }
}

// ------------------------------------------------------------------ receive capacity (drain)

/**
 * Receive capacity: the receiver (forced 64 MiB request) is started, SIGSTOPped, and filled with
 * `count` datagrams by the native sender; then SIGCONTed. The drain time is from SIGCONT until
 * its socket's rx_queue (/proc/PID/net/udp of its namespace) reads 0, polled every 1 ms.
 */
export async function drain(ns: Namespace, backend: McbBackend, size: number, count: number): Promise<RunResult> {
  const port = freshPort();
  const notes: string[] = [];
  const receiver = mcbReceiver(ns, backend, port, 120, '64M');
  await startOrThrow(receiver, port, 'udp', 'mcastbench receive');
  let stopped = false;
  try {
    await sleep(300);
    receiver.signal('SIGSTOP');
    stopped = true;
    const sender = mcbSender(ns, 'native', port, 'max', size, { count });
    const s = await runSender(sender, 60);
    if (s.timedOut) notes.push('sender timed out');
    await sleep(200);
    const filled = udpPortState(receiver.pid, port);
    const queuedBytes = filled?.rxQueueBytes ?? 0;
    const t0 = performance.now();
    receiver.signal('SIGCONT');
    stopped = false;
    let t1 = NaN;
    await waitFor(
      () => {
        const st = udpPortState(receiver.pid, port);
        if (st && st.rxQueueBytes === 0) {
          t1 = performance.now();
          return true;
        }
        return false;
      },
      30_000,
      1,
    );
    await stopReceiver(receiver);
    const doc = parseJson<McbReceiverDoc>(receiver.stdout());
    if (!doc) throw new Error(`mcastbench receive gave no JSON: ${oneLine(receiver.stderr())}`);
    const packets = doc.end.total.packets;
    const drainSec = (t1 - t0) / 1000;
    if (!Number.isFinite(drainSec)) notes.push('queue never drained within 30 s');
    if (doc.end.kernel.socketDrops > 0) notes.push(`buffer overflowed while paused: ${doc.end.kernel.socketDrops} dropped`);
    return {
      backend: doc.end.socket.backend,
      notes,
      metrics: {
        drainPps: Number.isFinite(drainSec) && drainSec > 0 ? packets / drainSec : null,
        drainMs: Number.isFinite(drainSec) ? drainSec * 1000 : null,
        packets,
        queuedMiB: queuedBytes / 2 ** 20,
        socketDrops: doc.end.kernel.socketDrops,
      },
    };
  } finally {
    if (stopped) receiver.signal('SIGCONT');
    if (receiver.isRunning()) await stopReceiver(receiver);
  }
}

// ------------------------------------------------------------------ pacing

export type PaceTool = 'mcastbench-native' | 'mcastbench-dgram' | 'iperf2' | 'iperf3' | 'sockperf';
export const PACE_SIZE = 1470;
export const PACE_TARGET_PPS = 100e6 / (PACE_SIZE * 8); // 8503.4
const SOCKPERF_MPS = Math.round(PACE_TARGET_PPS); // sockperf takes whole msg/s

/**
 * 100 Mbit/s of 1470-byte datagrams. Gaps and rate from a tcpdump capture on the namespace's
 * lo (ns timestamps, taken as each datagram is sent), over a steady window (first 0.5 s and
 * last 0.2 s dropped: sockperf's warm-up datagrams, start-up, end markers). Sender CPU from
 * /proc/PID/stat over its own steady window.
 */
export async function pacing(ns: Namespace, tool: PaceTool, durSec: number): Promise<RunResult> {
  const port = freshPort();
  const notes: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'mcb-bench-'));
  const pcapFile = join(dir, 'cap.pcap');
  let receiver: Proc | null = null;
  let tcpdump: Proc | null = null;
  try {
    receiver = await startToolReceiver(ns, tool, port, PACE_SIZE, durSec + 30);
    // 'greater 1000' keeps the data datagrams (1470 B payload) and drops control/end markers.
    // Each datagram is captured once on lo (the packet socket skips the looped-back copy).
    tcpdump = ns.spawn(RCV_CPU, 'tcpdump', ['-i', 'lo', '-nn', '-s', '96', '-B', '16384', '--time-stamp-precision=nano', '-U', '-Z', 'root', '-w', pcapFile, `udp and dst port ${port} and greater 1000`]);
    const tp = tcpdump;
    await waitFor(() => !tp.isRunning() || /listening on/.test(tp.stderr()), 8000);
    if (!tcpdump.isRunning()) throw new Error(`tcpdump exited: ${oneLine(tcpdump.stderr())}`);
    let sender: Proc;
    let targetPps = PACE_TARGET_PPS;
    if (tool === 'mcastbench-native' || tool === 'mcastbench-dgram') {
      sender = mcbSender(ns, tool === 'mcastbench-native' ? 'native' : 'dgram', port, '100m', PACE_SIZE, { durationSec: durSec });
    } else if (tool === 'iperf2') {
      // lower-case m: iperf 2 reads M as binary (104.86 Mbit/s).
      sender = ns.spawn(SND_CPU, 'iperf', ['-c', '127.0.0.1', '-p', String(port), '-u', '-e', '-b', '100m', '-l', String(PACE_SIZE), '-t', String(durSec)]);
    } else if (tool === 'iperf3') {
      sender = ns.spawn(SND_CPU, 'iperf3', ['-c', '127.0.0.1', '-p', String(port), '-u', '-b', '100M', '-l', String(PACE_SIZE), '-t', String(durSec), '-J']);
    } else {
      targetPps = SOCKPERF_MPS;
      sender = ns.spawn(SND_CPU, 'sockperf', ['tp', '-i', '127.0.0.1', '-p', String(port), '-m', String(PACE_SIZE), '-t', String(durSec), `--mps=${SOCKPERF_MPS}`]);
    }
    const s = await runSender(sender, durSec + 20);
    if (s.timedOut) notes.push('sender timed out');
    await sleep(300);
    tcpdump.signal('SIGINT');
    await tcpdump.waitExit(5000, 'SIGTERM');
    const tcpdumpDropped = /(\d+) packets? dropped by kernel/.exec(tcpdump.stderr());
    if (tcpdumpDropped && Number(tcpdumpDropped[1]) > 0) notes.push(`tcpdump: ${tcpdumpDropped[1]} packets dropped by kernel`);
    const packets = parsePcap(readFileSync(pcapFile));
    const g = gapStats(
      packets.map((p) => p.tsNs),
      0.5,
      0.2,
      1e6 / targetPps,
    );
    if (!g) notes.push(`capture too short (${packets.length} datagrams)`);
    const metrics: Metrics = {
      ratePps: g?.ratePps ?? null,
      rateErrorPercent: g ? (g.ratePps / targetPps - 1) * 100 : null,
      gapP50Us: g?.gapP50Us ?? null,
      gapP99Us: g?.gapP99Us ?? null,
      gapMaxUs: g?.gapMaxUs ?? null,
      burstPercent: g?.burstPercent ?? null,
      senderCpuPercent: s.cpuPercent,
      capturedPackets: packets.length,
    };
    let backend: string = tool;
    if (tool.startsWith('mcastbench')) {
      const sd = parseJson<McbSenderDoc>(sender.stdout());
      if (sd) {
        backend = sd.end.socket.backend;
        metrics['selfRateErrorPercent'] = sd.end.total.rateErrorPercent;
      }
      await stopReceiver(receiver);
      const rd = parseJson<McbReceiverDoc>(receiver.stdout());
      const st = rd?.end.streams[0];
      if (st) {
        metrics['rxGapP50Us'] = st.interArrivalUs.p50;
        metrics['rxGapP99Us'] = st.interArrivalUs.p99;
        metrics['lostPackets'] = rd.end.total.lostPackets;
        notes.push(`receiver inter-arrival clock: ${st.interArrivalClock}`);
      }
    }
    return { backend, notes, metrics };
  } finally {
    if (tcpdump?.isRunning()) {
      tcpdump.signal('SIGINT');
      await tcpdump.waitExit(3000, 'SIGTERM');
    }
    if (receiver?.isRunning()) {
      if (tool === 'iperf3') await receiver.waitExit(3000, 'SIGINT');
      else await stopReceiver(receiver);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ latency at 1000 pps

export type LatTool = 'mcastbench-native' | 'mcastbench-dgram' | 'iperf2' | 'sockperf';
export const LAT_SIZE = 1470;

/**
 * 1000 datagrams/s of 1470 B. mcastbench: one-way, receiver app clock minus send time (and for
 * native the kernel stamp minus send time); iperf 2: one-way, kernel receive stamp
 * (--trip-times, 1 us histogram); sockperf: round trip (ping-pong, --full-rtt), user space.
 */
export async function latency(ns: Namespace, tool: LatTool, durSec: number): Promise<RunResult> {
  const port = freshPort();
  const notes: string[] = [];
  if (tool === 'mcastbench-native' || tool === 'mcastbench-dgram') {
    const backend: McbBackend = tool === 'mcastbench-native' ? 'native' : 'dgram';
    const receiver = mcbReceiver(ns, backend, port, durSec + 30, null);
    await startOrThrow(receiver, port, 'udp', 'mcastbench receive');
    try {
      const sender = mcbSender(ns, backend, port, '1000pps', LAT_SIZE, { durationSec: durSec });
      await runSender(sender, durSec + 20);
      await stopReceiver(receiver);
      const rd = parseJson<McbReceiverDoc>(receiver.stdout());
      const st = rd?.end.streams[0];
      if (!rd || !st) throw new Error(`mcastbench receive gave no stream: ${oneLine(receiver.stderr())}`);
      return {
        backend: rd.end.socket.backend,
        notes: [backend === 'native' ? 'one-way; app clock (kernel stamp in sendToKernel*)' : 'one-way; app clock'],
        metrics: {
          p50Us: st.latencyUs.p50,
          p99Us: st.latencyUs.p99,
          sendToKernelP50Us: st.sendToKernelUs?.p50 ?? null,
          sendToKernelP99Us: st.sendToKernelUs?.p99 ?? null,
          samples: st.latencyUs.samples,
        },
      };
    } finally {
      if (receiver.isRunning()) await stopReceiver(receiver);
    }
  }
  if (tool === 'iperf2') {
    const receiver = ns.spawn(RCV_CPU, 'iperf', ['-s', '-u', '-e', '--histograms=1u,100000', '-l', String(LAT_SIZE), '-p', String(port)]);
    await startOrThrow(receiver, port, 'udp', 'iperf -s');
    try {
      const sender = ns.spawn(SND_CPU, 'iperf', ['-c', '127.0.0.1', '-p', String(port), '-u', '-e', '--trip-times', '-b', '1000pps', '-l', String(LAT_SIZE), '-t', String(durSec)]);
      await runSender(sender, durSec + 20);
      await stopReceiver(receiver);
      const r = parseIperf2Server(receiver.stdout());
      if (r.latencyP50Us === null) notes.push(`no histogram in iperf -s output: ${oneLine(receiver.stdout()).slice(0, 200)}`);
      notes.push('one-way; kernel receive stamp');
      return { backend: 'iperf2', notes, metrics: { p50Us: r.latencyP50Us, p99Us: r.latencyP99Us, avgUs: r.latencyAvgUs, samples: r.histogramSamples } };
    } finally {
      if (receiver.isRunning()) await stopReceiver(receiver);
    }
  }
  const receiver = ns.spawn(RCV_CPU, 'sockperf', ['sr', '-i', '127.0.0.1', '-p', String(port)]);
  await startOrThrow(receiver, port, 'udp', 'sockperf sr');
  try {
    const sender = ns.spawn(SND_CPU, 'sockperf', ['pp', '-i', '127.0.0.1', '-p', String(port), '-m', String(LAT_SIZE), '-t', String(durSec), '--mps=1000', '--full-rtt']);
    await runSender(sender, durSec + 20);
    const r = parseSockperfPp(sender.stdout() + sender.stderr());
    notes.push('ROUND TRIP (ping-pong, --full-rtt); user space');
    return { backend: 'sockperf', notes, metrics: { p50Us: r.p50Us, p99Us: r.p99Us, avgUs: r.avgUs, samples: r.observations } };
  } finally {
    await stopReceiver(receiver);
  }
}

// ------------------------------------------------------------------ no loss at iperf 2's rate

export async function noLoss(ns: Namespace, targetPps: number, durSec: number): Promise<RunResult> {
  const port = freshPort();
  const receiver = mcbReceiver(ns, 'native', port, durSec + 30, '32M');
  await startOrThrow(receiver, port, 'udp', 'mcastbench receive');
  try {
    const pps = Math.max(1, Math.round(targetPps));
    const sender = mcbSender(ns, 'native', port, `${pps}pps`, PACE_SIZE, { durationSec: durSec });
    await runSender(sender, durSec + 20);
    await stopReceiver(receiver);
    const sd = parseJson<McbSenderDoc>(sender.stdout());
    const rd = parseJson<McbReceiverDoc>(receiver.stdout());
    if (!rd || !sd) throw new Error(`mcastbench gave no JSON: ${oneLine(receiver.stderr() + sender.stderr())}`);
    return {
      backend: rd.end.socket.backend,
      notes: [`asked ${pps} pps; receiver buffer ${rd.end.socket.rcvbufGrantedBytes} B (${rd.end.socket.rcvbufMethod})`],
      metrics: {
        targetPps: pps,
        achievedPps: sd.end.total.packetsPerSecond,
        achievedRatio: sd.end.total.packetsPerSecond / pps,
        lostPackets: rd.end.total.lostPackets,
        lossPercent: rd.end.total.lossPercent,
        socketDrops: rd.end.kernel.socketDrops,
      },
    };
  } finally {
    if (receiver.isRunning()) await stopReceiver(receiver);
  }
}

// ------------------------------------------------------------------ receiver memory

/** Native receiver's VmRSS each second while the native sender runs at maximum rate. */
export async function memory(ns: Namespace, durSec: number, size: number): Promise<RunResult & { rssSeriesKb: (number | null)[] }> {
  const port = freshPort();
  const receiver = mcbReceiver(ns, 'native', port, durSec + 30, '32M');
  await startOrThrow(receiver, port, 'udp', 'mcastbench receive');
  const series: (number | null)[] = [];
  try {
    const sender = mcbSender(ns, 'native', port, 'max', size, { durationSec: durSec });
    const timer = setInterval(() => {
      if (series.length < 10_000) series.push(rssKb(receiver.pid));
    }, 1000);
    await runSender(sender, durSec + 30);
    clearInterval(timer);
    await stopReceiver(receiver);
    const rd = parseJson<McbReceiverDoc>(receiver.stdout());
    const valid = series.filter((x): x is number => x !== null);
    const base = series[1] ?? null; // the 2 s sample: past start-up
    const last = valid[valid.length - 1] ?? null;
    return {
      backend: rd?.end.socket.backend ?? 'native',
      notes: ['VmRSS sampled each second; growth = last / 2 s sample - 1'],
      rssSeriesKb: series,
      metrics: {
        rss2sKb: base,
        rssEndKb: last,
        rssMaxKb: valid.length ? Math.max(...valid) : null,
        rssGrowthPercent: base && last ? (last / base - 1) * 100 : null,
        packets: rd?.end.total.packets ?? null,
        lossPercent: rd?.end.total.lossPercent ?? null,
      },
    };
  } finally {
    if (receiver.isRunning()) await stopReceiver(receiver);
  }
}
