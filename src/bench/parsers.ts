/**
 * Pure parsers for the peers' text output (iperf 2.1.x, iperf3 -J, sockperf 3.x) and for the
 * /proc files the bench samples. Each returns null (or null fields) for what it cannot find,
 * never throws on odd text.
 */
import { histogramPercentile } from './stats.js';

// ---------------------------------------------------------------- iperf 2

export interface Iperf2Client {
  /** Datagrams written, from the whole-run interval line (`Write/Err`), or `Sent N datagrams`. */
  sentDatagrams: number | null;
  durationSec: number | null;
  sentPps: number | null;
  /** From the client's copy of the server report, if present. */
  serverLost: number | null;
  serverTotal: number | null;
}

const I2_INTERVAL = /\[\s*\d+\]\s+([\d.]+)-([\d.]+)\s+sec\s+.*?\s(\d+)\/(\d+)\s+(\d+)\s+pps/;
const I2_LOST = /\s(\d+)\/(\d+)\s+\(([\d.e+-]+)%\)/;

/** `iperf -c ... -u -e` output. Takes the interval line spanning the longest time (the total). */
export function parseIperf2Client(text: string): Iperf2Client {
  let best: { start: number; end: number; writes: number } | null = null;
  let serverLost: number | null = null;
  let serverTotal: number | null = null;
  let sent: number | null = null;
  let inServerReport = false;
  for (const line of text.split('\n')) {
    if (/Server Report:/.test(line)) inServerReport = true;
    const m = I2_INTERVAL.exec(line);
    if (m && !inServerReport) {
      const start = Number(m[1]);
      const end = Number(m[2]);
      const writes = Number(m[3]);
      if (!best || end - start > best.end - best.start) best = { start, end, writes };
    }
    const s = /Sent\s+(\d+)\s+datagrams/.exec(line);
    if (s) sent = Number(s[1]);
    if (inServerReport) {
      const l = I2_LOST.exec(line);
      if (l) {
        serverLost = Number(l[1]);
        serverTotal = Number(l[2]);
      }
    }
  }
  const durationSec = best ? best.end - best.start : null;
  const sentDatagrams = best ? best.writes : sent;
  const sentPps = durationSec && durationSec > 0 && sentDatagrams !== null ? sentDatagrams / durationSec : null;
  return { sentDatagrams, durationSec, sentPps, serverLost, serverTotal };
}

export interface Iperf2Server {
  lost: number | null;
  total: number | null;
  /** `Latency avg/min/max/stdev` of the total line, us (needs the client's --trip-times). */
  latencyAvgUs: number | null;
  latencyMinUs: number | null;
  latencyMaxUs: number | null;
  /** From the `T8(f)-PDF` histogram (`--histograms=1u,...`), us. */
  latencyP50Us: number | null;
  latencyP99Us: number | null;
  histogramSamples: number | null;
}

/** `iperf -s -u -e [--histograms=1u,N]` output; takes the last report line of connection 1. */
export function parseIperf2Server(text: string): Iperf2Server {
  const r: Iperf2Server = {
    lost: null,
    total: null,
    latencyAvgUs: null,
    latencyMinUs: null,
    latencyMaxUs: null,
    latencyP50Us: null,
    latencyP99Us: null,
    histogramSamples: null,
  };
  for (const line of text.split('\n')) {
    const l = I2_LOST.exec(line);
    if (l && /sec/.test(line)) {
      r.lost = Number(l[1]);
      r.total = Number(l[2]);
      const lat = /%\)\s+([\d.]+)\/([\d.]+)\/([\d.]+)\/([\d.]+)\s+ms/.exec(line);
      if (lat) {
        r.latencyAvgUs = Number(lat[1]) * 1000;
        r.latencyMinUs = Number(lat[2]) * 1000;
        r.latencyMaxUs = Number(lat[3]) * 1000;
      }
    }
    const h = /PDF:\s*bin\(w=([\d.]+)(us|ms)\):cnt\((\d+)\)=([\d:,]+)/.exec(line);
    if (h) {
      const widthUs = Number(h[1]) * (h[2] === 'ms' ? 1000 : 1);
      const bins: [number, number][] = [];
      for (const pair of h[4]!.split(',')) {
        const [b, c] = pair.split(':');
        if (b !== undefined && c !== undefined) bins.push([Number(b) * widthUs, Number(c)]);
      }
      r.histogramSamples = Number(h[3]);
      r.latencyP50Us = histogramPercentile(bins, 50);
      r.latencyP99Us = histogramPercentile(bins, 99);
    }
  }
  return r;
}

// ---------------------------------------------------------------- iperf3

export interface Iperf3Client {
  sentPackets: number | null;
  seconds: number | null;
  sentPps: number | null;
  lostPackets: number | null;
  lostPercent: number | null;
  error: string | null;
}

/** `iperf3 -c ... -u -J` document. */
export function parseIperf3Json(text: string): Iperf3Client {
  const r: Iperf3Client = { sentPackets: null, seconds: null, sentPps: null, lostPackets: null, lostPercent: null, error: null };
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    r.error = 'iperf3 output is not JSON';
    return r;
  }
  const doc = j as { error?: string; end?: { sum?: Record<string, unknown>; sum_sent?: Record<string, unknown> } };
  if (typeof doc.error === 'string') r.error = doc.error;
  const sum = doc.end?.sum_sent ?? doc.end?.sum;
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  if (sum) {
    r.sentPackets = num(sum['packets']);
    r.seconds = num(sum['seconds']);
  }
  const s = doc.end?.sum;
  if (s) {
    r.lostPackets = num(s['lost_packets']);
    r.lostPercent = num(s['lost_percent']);
    if (r.sentPackets === null) r.sentPackets = num(s['packets']);
    if (r.seconds === null) r.seconds = num(s['seconds']);
  }
  if (r.sentPackets !== null && r.seconds) r.sentPps = r.sentPackets / r.seconds;
  return r;
}

// ---------------------------------------------------------------- sockperf

// sockperf colours some lines with ANSI escapes.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const stripAnsi = (s: string): string => s.replace(ANSI, '');

export interface SockperfTp {
  sentMessages: number | null;
  seconds: number | null;
  /** `Summary: Message Rate is N [msg/sec]`. */
  messageRate: number | null;
}

/** `sockperf tp` (throughput) client output. */
export function parseSockperfTp(text: string): SockperfTp {
  const t = stripAnsi(text);
  const total = /Total of (\d+) messages sent in ([\d.]+) sec/.exec(t);
  const rate = /Message Rate is (\d+(?:\.\d+)?) \[msg\/sec\]/.exec(t);
  return {
    sentMessages: total ? Number(total[1]) : null,
    seconds: total ? Number(total[2]) : null,
    messageRate: rate ? Number(rate[1]) : null,
  };
}

export interface SockperfPp {
  /** Round trip (with --full-rtt) or half of it, us, as sockperf prints it. */
  avgUs: number | null;
  p50Us: number | null;
  p99Us: number | null;
  p999Us: number | null;
  maxUs: number | null;
  observations: number | null;
  dropped: number | null;
}

/** `sockperf pp` (ping-pong) client output. */
export function parseSockperfPp(text: string): SockperfPp {
  const t = stripAnsi(text);
  const pct = (p: string): number | null => {
    const m = new RegExp(`percentile ${p.replace('.', '\\.')} =\\s*([\\d.]+)`).exec(t);
    return m ? Number(m[1]) : null;
  };
  const avg = /avg-(?:rtt|latency)=([\d.]+)/.exec(t);
  const max = /<MAX> observation =\s*([\d.]+)/.exec(t);
  const obs = /Total (\d+) observations/.exec(t);
  const drop = /# dropped messages = (\d+)/.exec(t);
  return {
    avgUs: avg ? Number(avg[1]) : null,
    p50Us: pct('50.000'),
    p99Us: pct('99.000'),
    p999Us: pct('99.900'),
    maxUs: max ? Number(max[1]) : null,
    observations: obs ? Number(obs[1]) : null,
    dropped: drop ? Number(drop[1]) : null,
  };
}

// ---------------------------------------------------------------- /proc

/** utime + stime (clock ticks) from /proc/PID/stat; the comm field may contain spaces and parens. */
export function parseProcStatTicks(text: string): number | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  // After "pid (comm) " the fields start at field 3 (state); utime is field 14, stime 15.
  const f = text.slice(close + 2).trim().split(/\s+/);
  const utime = Number(f[11]);
  const stime = Number(f[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? utime + stime : null;
}

/** Parent PID from /proc/PID/stat (2 = a kernel thread's parent, kthreadd). */
export function parseProcStatPpid(text: string): number | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const ppid = Number(text.slice(close + 2).trim().split(/\s+/)[1]);
  return Number.isFinite(ppid) ? ppid : null;
}

/** VmRSS in KiB from /proc/PID/status. */
export function parseVmRssKb(text: string): number | null {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(text);
  return m ? Number(m[1]) : null;
}

/** The `Udp:` counters of /proc/net/snmp as a name -> value map. */
export function parseSnmpUdp(text: string): Record<string, number> {
  const lines = text.split('\n').filter((l) => l.startsWith('Udp: '));
  const out: Record<string, number> = {};
  if (lines.length < 2) return out;
  const names = lines[0]!.slice(5).trim().split(/\s+/);
  const values = lines[1]!.slice(5).trim().split(/\s+/);
  names.forEach((n, i) => (out[n] = Number(values[i])));
  return out;
}

/** Summed rx_queue bytes and drops of the sockets bound to local `port` in /proc/net/udp. */
export function parseProcNetUdpPort(text: string, port: number): { rxQueueBytes: number; drops: number; sockets: number } {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let rx = 0;
  let drops = 0;
  let sockets = 0;
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 13) continue;
    const local = f[1]!;
    if (!local.endsWith(`:${hexPort}`)) continue;
    const queues = f[4]!.split(':');
    rx += parseInt(queues[1] ?? '0', 16);
    drops += Number(f[f.length - 1]);
    sockets++;
  }
  return { rxQueueBytes: rx, drops, sockets };
}

/** Whether a TCP socket is listening on local `port` in /proc/net/tcp (state 0A). */
export function tcpListening(text: string, port: number): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return text.split('\n').some((line) => {
    const f = line.trim().split(/\s+/);
    return f.length > 4 && f[1]!.endsWith(`:${hexPort}`) && f[3] === '0A';
  });
}
