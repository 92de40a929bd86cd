/**
 * Process plumbing for the bench: a private network namespace, pinned child processes inside
 * it, /proc sampling. Every child is tracked by PID and ended only by that PID; nothing here
 * signals processes the bench did not start.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseProcNetUdpPort, parseProcStatPpid, parseProcStatTicks, parseSnmpUdp, parseVmRssKb, tcpListening } from './parsers.js';

const CLK_TCK = 100;
const OUTPUT_CAP_BYTES = 32 * 1024 * 1024;

export function readProc(pid: number, rel: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/${rel}`, 'utf8');
  } catch {
    return null;
  }
}

export interface Proc {
  readonly pid: number;
  readonly name: string;
  readonly startedAtMs: number;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning(): boolean;
  signal(sig: NodeJS.Signals): void;
  /** Waits up to `ms` for exit; on timeout sends `then` (if given) and waits 3 s more, then SIGKILL. */
  waitExit(ms: number, then?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; timedOut: boolean }>;
}

export class Namespace {
  readonly name: string;
  private readonly live = new Set<ChildProcess>();
  /** Every PID this bench started (for the foreign-CPU guard). */
  readonly spawnedPids = new Set<number>();
  private deleted = false;
  private anchor: Proc | null = null;

  private constructor(name: string) {
    this.name = name;
  }

  static create(): Namespace {
    const name = `mcb-${randomBytes(4).toString('hex')}-bench`;
    const add = spawnSync('ip', ['netns', 'add', name], { encoding: 'utf8', timeout: 10_000 });
    if (add.status !== 0) throw new Error(`ip netns add ${name} failed: ${(add.stderr || add.error?.message || '').trim()}`);
    const ns = new Namespace(name);
    const up = spawnSync('ip', ['-n', name, 'link', 'set', 'lo', 'up'], { encoding: 'utf8', timeout: 10_000 });
    if (up.status !== 0) {
      ns.destroy();
      throw new Error(`ip -n ${name} link set lo up failed: ${up.stderr.trim()}`);
    }
    // A long-lived process inside the namespace: /proc/<its pid>/net/{snmp,udp} are the
    // namespace's counters, readable whichever tool has already exited.
    ns.anchor = ns.spawn(null, 'sleep', ['86400']);
    return ns;
  }

  /** PID of the namespace's anchor process (for /proc/PID/net/*). */
  get anchorPid(): number {
    return this.anchor?.pid ?? -1;
  }

  /** Starts `cmd args` inside the namespace, pinned to `cpu` (null: not pinned). */
  spawn(cpu: number | null, cmd: string, args: readonly string[]): Proc {
    const argv = ['netns', 'exec', this.name, ...(cpu === null ? [] : ['taskset', '-c', String(cpu)]), cmd, ...args];
    // `ip netns exec` and `taskset` exec in place, so child.pid is the tool's own PID.
    const child = spawn('ip', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.live.add(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    child.stdout!.on('data', (b: Buffer) => {
      if (outBytes < OUTPUT_CAP_BYTES) out.push(b);
      outBytes += b.length;
    });
    child.stderr!.on('data', (b: Buffer) => {
      if (errBytes < OUTPUT_CAP_BYTES) err.push(b);
      errBytes += b.length;
    });
    let running = true;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.on('error', () => {
        running = false;
        this.live.delete(child);
        resolve({ code: null, signal: null });
      });
      child.on('close', (code, signal) => {
        running = false;
        this.live.delete(child);
        resolve({ code, signal });
      });
    });
    const pid = child.pid ?? -1;
    if (pid > 0) this.spawnedPids.add(pid);
    const proc: Proc = {
      pid,
      name: cmd,
      startedAtMs: performance.now(),
      stdout: () => Buffer.concat(out).toString('utf8'),
      stderr: () => Buffer.concat(err).toString('utf8'),
      exited,
      isRunning: () => running,
      signal: (sig) => {
        if (running && pid > 0) {
          try {
            process.kill(pid, sig);
          } catch {
            /* already gone */
          }
        }
      },
      waitExit: async (ms, then) => {
        const t = (d: number) => sleep(d).then(() => 'timeout' as const);
        let r = await Promise.race([exited, t(ms)]);
        if (r !== 'timeout') return { ...r, timedOut: false };
        if (then) {
          proc.signal(then);
          r = await Promise.race([exited, t(3000)]);
          if (r !== 'timeout') return { ...r, timedOut: true };
        }
        proc.signal('SIGKILL');
        const k = await exited;
        return { ...k, timedOut: true };
      },
    };
    return proc;
  }

  /** SIGKILLs every child still running (by PID) and deletes the namespace. Idempotent, sync. */
  destroy(): void {
    for (const c of this.live) {
      if (c.pid && c.exitCode === null) {
        try {
          process.kill(c.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
    this.live.clear();
    if (this.deleted) return;
    this.deleted = true;
    spawnSync('ip', ['netns', 'del', this.name], { timeout: 10_000 });
  }
}

/** Polls `pred` every `stepMs` until true or `timeoutMs` elapses. */
export async function waitFor(pred: () => boolean, timeoutMs: number, stepMs = 20): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (pred()) return true;
    await sleep(stepMs);
  }
  return pred();
}

/** Waits until `proc` has a UDP (or listening TCP) socket on `port` in its namespace. */
export function waitForPort(proc: Proc, port: number, proto: 'udp' | 'tcp', timeoutMs = 8000): Promise<boolean> {
  return waitFor(() => {
    if (!proc.isRunning()) return true;
    const t = readProc(proc.pid, proto === 'udp' ? 'net/udp' : 'net/tcp');
    if (t === null) return false;
    return proto === 'udp' ? parseProcNetUdpPort(t, port).sockets > 0 : tcpListening(t, port);
  }, timeoutMs);
}

export function udpCounters(pid: number): Record<string, number> | null {
  const t = readProc(pid, 'net/snmp');
  return t === null ? null : parseSnmpUdp(t);
}

export function udpPortState(pid: number, port: number): { rxQueueBytes: number; drops: number; sockets: number } | null {
  const t = readProc(pid, 'net/udp');
  return t === null ? null : parseProcNetUdpPort(t, port);
}

export function rssKb(pid: number): number | null {
  const t = readProc(pid, 'status');
  return t === null ? null : parseVmRssKb(t);
}

/**
 * Samples a process's CPU (utime+stime) every 200 ms. `cpuPercent()` is the share of one core
 * over the steady window: from the first sample at least `skipSec` after start to the last
 * sample taken while it ran (start-up and exit excluded).
 */
export class CpuSampler {
  private readonly samples: { t: number; ticks: number }[] = [];
  private timer: NodeJS.Timeout;
  private readonly t0 = performance.now();

  constructor(
    private readonly pid: number,
    private readonly skipSec = 0.5,
  ) {
    this.take();
    this.timer = setInterval(() => this.take(), 200);
  }

  private take(): void {
    const s = readProc(this.pid, 'stat');
    const ticks = s === null ? null : parseProcStatTicks(s);
    if (ticks !== null && this.samples.length < 100_000) this.samples.push({ t: performance.now(), ticks });
  }

  stop(): void {
    clearInterval(this.timer);
  }

  cpuPercent(): number | null {
    const w = this.samples.filter((s) => s.t - this.t0 >= this.skipSec * 1000);
    if (w.length < 2) return null;
    const a = w[0]!;
    const b = w[w.length - 1]!;
    const dt = (b.t - a.t) / 1000;
    if (dt < 0.3) return null;
    return ((b.ticks - a.ticks) / CLK_TCK / dt) * 100;
  }
}

export function commandExists(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { timeout: 5000 }).status === 0;
}

export function versionOf(cmd: string, args: readonly string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 5000 });
  const text = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
  const line = text.split('\n').find((l) => /\d+\.\d+/.test(l));
  return line ? line.trim().slice(0, 120) : null;
}

/** utime+stime ticks of every user-space process (kernel threads excluded), by PID. */
export function cpuTicksByPid(): Map<number, number> {
  const out = new Map<number, number>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const n of names) {
    if (!/^\d+$/.test(n)) continue;
    const pid = Number(n);
    const s = readProc(pid, 'stat');
    if (s === null) continue;
    const ppid = parseProcStatPpid(s);
    if (pid === 2 || ppid === 2) continue; // kernel threads: ksoftirqd also carries our own traffic
    const t = parseProcStatTicks(s);
    if (t !== null) out.set(pid, t);
  }
  return out;
}

/**
 * CPU used by other processes between two snapshots, % of one core over `sec`: PIDs present in
 * both snapshots, minus this process and everything the bench started. A process that starts and
 * ends in between is missed (a lower bound).
 */
export function foreignCpuPercent(a: Map<number, number>, b: Map<number, number>, sec: number, exclude: ReadonlySet<number>): number {
  let ticks = 0;
  for (const [pid, t1] of b) {
    if (exclude.has(pid) || pid === process.pid) continue;
    const t0 = a.get(pid);
    if (t0 !== undefined && t1 >= t0) ticks += t1 - t0;
  }
  return sec > 0 ? (ticks / CLK_TCK / sec) * 100 : 0;
}

/** Waits (at most `maxMs`) for a 300 ms window in which other processes use < `maxPercent` of a core. */
export async function waitForQuiet(exclude: ReadonlySet<number>, maxPercent: number, maxMs: number): Promise<number> {
  const end = performance.now() + maxMs;
  let last = 0;
  do {
    const a = cpuTicksByPid();
    const t = performance.now();
    await sleep(300);
    last = foreignCpuPercent(a, cpuTicksByPid(), (performance.now() - t) / 1000, exclude);
    if (last < maxPercent) return last;
  } while (performance.now() < end);
  return last;
}
