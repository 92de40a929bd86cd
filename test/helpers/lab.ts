/**
 * A multi-host lab made of network namespaces, for tests that move real multicast/UDP traffic.
 *
 *   netns mcb-<id>-h1  eth0 10.77.<n>.1/24 ─veth─ h1 ┐
 *   netns mcb-<id>-h2  eth0 10.77.<n>.2/24 ─veth─ h2 ┤  netns mcb-<id>-sw: bridge br0 (no IP),
 *   ...                                               ┘  IGMP snooping / querier live here
 *
 * Nothing is created in the root namespace: each veth pair is created directly between the switch
 * namespace and a host namespace. Every namespace is named `mcb-<id>-<role>`, so leftovers are easy
 * to spot, and destroy() touches only the names and PIDs this lab created. Recipes and the facts
 * behind them (snooping needs a querier, the querier starts late, nft counters are exact) are in
 * the team's netlab notes; this file carries its own implementation.
 *
 * Needs root (CAP_NET_ADMIN + CAP_SYS_ADMIN), iproute2 and nftables: call labAvailable() first and
 * skip with its reason when it says no.
 */
import { execFile, spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The built CLI, resolved relative to this file (test/helpers -> repo root). */
export const CLI_PATH = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** Where live labs record their owner PID, so a later run can remove labs whose owner was killed. */
const STATE_DIR = '/run/mcastbench-lab';
const NAME_PREFIX = 'mcb-';
const EXEC_TIMEOUT_MS = 30_000;
/** Every spawned process is killed after this long unless the caller gives its own bound. */
const DEFAULT_SPAWN_MAX_MS = 120_000;

export type LabAvailability = { ok: true } | { ok: false; reason: string };

export interface LabOptions {
  /** Number of hosts h1..hN (1..250). Default 4. */
  hosts?: number;
  /** Bridge IGMP/MLD snooping. Default true (the kernel default). */
  snooping?: boolean;
  /** The bridge's own querier. Default false. With true, createLab returns once it is in force. */
  querier?: boolean;
  /** Bridge mcast_igmp_version. Default 2. */
  igmpVersion?: 2 | 3;
  /**
   * Keep IPv6 and give each host fd77:<n>::i/64 (plus its automatic link-local), and br0 the one
   * link-local address bridgeLinkLocal() (addrgenmode none: the bridge's MLD querier needs an
   * IPv6 address to query from, and a single one makes its source predictable). All without DAD.
   * Default false (no MLD/ND chatter).
   */
  ipv6?: boolean;
  /** Bridge mcast_mld_version (1 or 2; the kernel's default is 1). Needs ipv6. */
  mldVersion?: 1 | 2;
  /** Third octet of the lab subnet 10.77.<n>.0/24. Default: random 1..250. */
  labIndex?: number;
  /** Bridge mcast_query_response_interval, seconds. Default 1 (the kernel's 10 delays the querier). */
  responseIntervalSec?: number;
  /** Bridge mcast_membership_interval, seconds (kernel default 260). */
  membershipIntervalSec?: number;
  /** Bridge mcast_query_interval, seconds (kernel default 125); startup interval is a quarter. */
  queryIntervalSec?: number;
  /** Bridge mcast_startup_query_interval, seconds (default: a quarter of queryIntervalSec). */
  startupQueryIntervalSec?: number;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Throw on a non-zero exit (default true). */
  check?: boolean;
  timeoutMs?: number;
  input?: string;
}

export interface LabSpawnOptions {
  /** Kill the process (TERM, then KILL) after this long. Default 120 s. */
  maxMs?: number;
  env?: NodeJS.ProcessEnv;
  stdio?: SpawnOptions['stdio'];
}

export interface NftCounter {
  family: string;
  table: string;
  /** Chain name for a rule counter; null for a named counter object. */
  chain: string | null;
  /** Rule handle, or the named counter's handle. */
  handle: number;
  /** Rule comment, or the named counter's name. */
  name: string | null;
  packets: number;
  bytes: number;
}

export interface UdpSocketRow {
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  rxQueueBytes: number;
  inode: number;
  drops: number;
}

/** The `Udp:` row of a namespace's /proc/net/snmp, by column name. */
export type UdpSnmp = Record<string, number>;

export interface CliRun {
  child: ChildProcess;
  /** PID of node running the CLI (ip netns exec execs it). */
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Settles when the process exits; never rejects. */
  done: Promise<ExecResult & { signal: NodeJS.Signals | null }>;
  /** Waits for exit and parses stdout as one JSON document; throws with stderr on failure. */
  json<T = unknown>(): Promise<T>;
}

// ------------------------------------------------------------------ small utilities

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function randomId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(5);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

function run(cmd: string, args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const check = opts.check ?? true;
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      { timeout: opts.timeoutMs ?? EXEC_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        const result = { code, stdout, stderr };
        if (err && check) {
          const why = err.killed ? `killed after ${opts.timeoutMs ?? EXEC_TIMEOUT_MS} ms` : `exit ${String(err.code)}`;
          reject(new Error(`${cmd} ${args.join(' ')}: ${why}: ${stderr.trim() || stdout.trim()}`));
        } else {
          resolve(result);
        }
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** Alive and not a zombie (an exited orphan can stay Z until PID 1 reaps it). */
function pidAlive(pid: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return !/^State:\s*Z/m.test(status);
  } catch {
    return false;
  }
}

function signalPid(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

async function killPid(pid: number): Promise<void> {
  if (!pidAlive(pid)) return;
  signalPid(pid, 'SIGTERM');
  signalPid(pid, 'SIGCONT'); // a SIGSTOPped process acts on TERM only once continued
  for (let i = 0; i < 40 && pidAlive(pid); i++) await sleep(50);
  if (!pidAlive(pid)) return;
  signalPid(pid, 'SIGKILL');
  for (let i = 0; i < 40 && pidAlive(pid); i++) await sleep(50);
}

function killPidSync(pid: number): void {
  if (!pidAlive(pid)) return;
  signalPid(pid, 'SIGKILL');
}

function listNamespacesSync(): string[] {
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8', timeout: EXEC_TIMEOUT_MS });
  return (r.stdout ?? '')
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n.length > 0);
}

async function listNamespaces(): Promise<string[]> {
  const r = await run('ip', ['netns', 'list'], { check: false });
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n.length > 0);
}

/** Converts an IPv4 dotted quad to the %08X form the kernel prints in /proc/net/{udp,igmp}. */
export function procHexIPv4(addr: string): string {
  const parts = addr.split('.').map((p) => Number(p));
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not an IPv4 address: ${addr}`);
  }
  const ordered = endianness() === 'LE' ? parts.reverse() : parts;
  return ordered.map((p) => p.toString(16).padStart(2, '0')).join('').toUpperCase();
}

function fromProcHexIPv4(hex: string): string {
  const bytes = [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return (endianness() === 'LE' ? bytes.reverse() : bytes).join('.');
}

/** Parses /proc/net/udp (IPv4) text. */
export function parseProcNetUdp(text: string): UdpSocketRow[] {
  const rows: UdpSocketRow[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 13) continue;
    const [local, remote, , queues, , , , , inode, , , drops] = f.slice(1);
    if (!local || !remote || !queues || inode === undefined || drops === undefined) continue;
    const [lAddr = '', lPort = '0'] = local.split(':');
    const [rAddr = '', rPort = '0'] = remote.split(':');
    rows.push({
      localAddress: lAddr.length === 8 ? fromProcHexIPv4(lAddr) : lAddr,
      localPort: parseInt(lPort, 16),
      remoteAddress: rAddr.length === 8 ? fromProcHexIPv4(rAddr) : rAddr,
      remotePort: parseInt(rPort, 16),
      rxQueueBytes: parseInt(queues.split(':')[1] ?? '0', 16),
      inode: Number(inode),
      drops: Number(drops),
    });
  }
  return rows;
}

/** Parses /proc/net/igmp: device name -> joined groups (dotted quads). */
export function parseProcNetIgmp(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string | null = null;
  for (const line of text.split('\n').slice(1)) {
    const dev = /^\d+\s+(\S+)\s*:/.exec(line);
    if (dev?.[1]) {
      current = dev[1];
      out.set(current, []);
      continue;
    }
    const grp = /^\s+([0-9A-Fa-f]{8})\s/.exec(line);
    if (grp?.[1] && current) out.get(current)?.push(fromProcHexIPv4(grp[1]));
  }
  return out;
}

/** Parses the Udp rows of /proc/net/snmp into name -> value. */
export function parseSnmpUdp(text: string): UdpSnmp {
  const lines = text.split('\n').filter((l) => l.startsWith('Udp:'));
  const names = (lines[0] ?? '').split(/\s+/).slice(1);
  const values = (lines[1] ?? '').split(/\s+/).slice(1);
  const out: UdpSnmp = {};
  names.forEach((n, i) => (out[n] = Number(values[i])));
  return out;
}

/** Extracts every counter (rule counters and named counters) from `nft -j list ...` output. */
export function parseNftCounters(json: string): NftCounter[] {
  const doc = JSON.parse(json) as { nftables?: Array<Record<string, unknown>> };
  const out: NftCounter[] = [];
  for (const item of doc.nftables ?? []) {
    const rule = item.rule as
      | { family: string; table: string; chain: string; handle: number; comment?: string; expr?: unknown[] }
      | undefined;
    if (rule) {
      for (const e of rule.expr ?? []) {
        const c = (e as { counter?: { packets?: number; bytes?: number } | null }).counter;
        if (c && typeof c === 'object' && typeof c.packets === 'number') {
          out.push({
            family: rule.family,
            table: rule.table,
            chain: rule.chain,
            handle: rule.handle,
            name: rule.comment ?? null,
            packets: c.packets,
            bytes: c.bytes ?? 0,
          });
        }
      }
      continue;
    }
    const named = item.counter as
      | { family: string; table: string; name: string; handle: number; packets: number; bytes: number }
      | undefined;
    if (named && typeof named.packets === 'number') {
      out.push({
        family: named.family,
        table: named.table,
        chain: null,
        handle: named.handle,
        name: named.name,
        packets: named.packets,
        bytes: named.bytes,
      });
    }
  }
  return out;
}

// ------------------------------------------------------------------ availability

let availabilityCache: LabAvailability | null = null;

/**
 * Whether this process can build labs: root-equivalent capabilities, iproute2 and nft, and a real
 * probe (create and delete a namespace `mcb-<rand>-probe` holding a bridge and a veth pair).
 */
export function labAvailable(): LabAvailability {
  if (availabilityCache) return availabilityCache;
  availabilityCache = probeAvailability();
  return availabilityCache;
}

function probeAvailability(): LabAvailability {
  if (process.platform !== 'linux') return { ok: false, reason: `network namespaces need Linux (this is ${process.platform})` };
  for (const [tool, pkg] of [
    ['ip', 'iproute2'],
    ['bridge', 'iproute2'],
    ['nft', 'nftables'],
  ] as const) {
    const r = spawnSync(tool, ['-V'], { encoding: 'utf8', timeout: 5000 });
    const r2 = r.error ? spawnSync(tool, ['--version'], { encoding: 'utf8', timeout: 5000 }) : r;
    if (r2.error) return { ok: false, reason: `'${tool}' not found (Debian package ${pkg})` };
  }
  let capEff = 0n;
  try {
    const m = /^CapEff:\s*([0-9a-f]+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
    capEff = BigInt('0x' + (m?.[1] ?? '0'));
  } catch {
    /* leave 0 */
  }
  const NET_ADMIN = 1n << 12n;
  const SYS_ADMIN = 1n << 21n;
  const uid = process.getuid?.() ?? -1;
  if ((capEff & NET_ADMIN) === 0n || (capEff & SYS_ADMIN) === 0n) {
    return {
      ok: false,
      reason: `needs root (CAP_NET_ADMIN + CAP_SYS_ADMIN); uid=${uid} CapEff=${capEff.toString(16).padStart(16, '0')}`,
    };
  }
  const probe = `${NAME_PREFIX}${randomId()}-probe`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8', timeout: 10_000 });
  if (add.status !== 0) return { ok: false, reason: `'ip netns add' failed: ${(add.stderr ?? '').trim()}` };
  let reason: string | null = null;
  try {
    const br = spawnSync('ip', ['-n', probe, 'link', 'add', 'br0', 'type', 'bridge'], { encoding: 'utf8', timeout: 10_000 });
    if (br.status !== 0) reason = `cannot create a bridge in a namespace: ${(br.stderr ?? '').trim()}`;
    if (!reason) {
      const veth = spawnSync('ip', ['-n', probe, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], {
        encoding: 'utf8',
        timeout: 10_000,
      });
      if (veth.status !== 0) reason = `cannot create a veth pair in a namespace: ${(veth.stderr ?? '').trim()}`;
    }
    if (!reason) {
      const nft = spawnSync('ip', ['netns', 'exec', probe, 'nft', 'list', 'ruleset'], { encoding: 'utf8', timeout: 10_000 });
      if (nft.status !== 0) reason = `nft does not work in a namespace: ${(nft.stderr ?? '').trim()}`;
    }
  } finally {
    spawnSync('ip', ['netns', 'del', probe], { timeout: 10_000 });
  }
  if (listNamespacesSync().includes(probe)) return { ok: false, reason: `could not delete probe namespace ${probe}` };
  return reason ? { ok: false, reason } : { ok: true };
}

// ------------------------------------------------------------------ stale labs

interface LabState {
  ownerPid: number;
  namespaces: string[];
}

/** Removes labs (ours: listed in STATE_DIR, `mcb-` names only) whose owning process is gone. */
async function reapStaleLabs(): Promise<void> {
  if (!existsSync(STATE_DIR)) return;
  const existing = await listNamespaces();
  for (const file of readdirSync(STATE_DIR)) {
    if (!file.endsWith('.json')) continue;
    const path = `${STATE_DIR}/${file}`;
    let state: LabState;
    try {
      state = JSON.parse(readFileSync(path, 'utf8')) as LabState;
    } catch {
      continue;
    }
    if (pidAlive(state.ownerPid)) continue;
    for (const ns of state.namespaces) {
      if (!ns.startsWith(NAME_PREFIX) || !existing.includes(ns)) continue;
      const pids = await run('ip', ['netns', 'pids', ns], { check: false });
      for (const p of pids.stdout.split(/\s+/).filter(Boolean)) await killPid(Number(p));
      await run('ip', ['netns', 'del', ns], { check: false });
    }
    rmSync(path, { force: true });
  }
}

// ------------------------------------------------------------------ the lab

const liveLabs = new Set<Lab>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const lab of liveLabs) lab.destroySync();
  });
}

let labCounter = 0;

export class Lab {
  readonly id: string;
  readonly labIndex: number;
  readonly hosts: string[];
  readonly switchNs: string;
  readonly options: Required<Pick<LabOptions, 'hosts' | 'snooping' | 'querier' | 'igmpVersion' | 'ipv6'>> & Pick<LabOptions, 'mldVersion'>;
  private readonly created: string[] = [];
  private readonly children = new Set<ChildProcess>();
  private readonly nftTables = new Map<string, Set<string>>();
  private destroyed = false;
  private readonly statePath: string;

  /** Use createLab(). */
  constructor(id: string, labIndex: number, options: Lab['options']) {
    this.id = id;
    this.labIndex = labIndex;
    this.options = options;
    this.hosts = Array.from({ length: options.hosts }, (_, i) => `h${i + 1}`);
    this.switchNs = `${NAME_PREFIX}${id}-sw`;
    this.statePath = `${STATE_DIR}/${id}.json`;
  }

  /** Every namespace this lab has created so far. */
  get namespaces(): readonly string[] {
    return this.created;
  }

  /** Namespace name of a host ("h2", "sw"). */
  ns(host: string): string {
    if (host === 'sw') return this.switchNs;
    if (!this.hosts.includes(host)) throw new Error(`unknown host '${host}' (lab has ${this.hosts.join(', ')}, sw)`);
    return `${NAME_PREFIX}${this.id}-${host}`;
  }

  private hostNumber(host: string): number {
    this.ns(host);
    return Number(host.slice(1));
  }

  /** IPv4 address of a host on the lab subnet. */
  addr(host: string): string {
    return `10.77.${this.labIndex}.${this.hostNumber(host)}`;
  }

  /** IPv6 address of a host (only with ipv6: true). */
  addr6(host: string): string {
    if (!this.options.ipv6) throw new Error('lab was created without ipv6');
    return `fd77:${this.labIndex.toString(16)}::${this.hostNumber(host).toString(16)}`;
  }

  /** br0's only IPv6 address, link-local (only with ipv6: true): the MLD querier's source. */
  bridgeLinkLocal(): string {
    if (!this.options.ipv6) throw new Error('lab was created without ipv6');
    return `fe80::77:${this.labIndex.toString(16)}`;
  }

  /** Runs a command inside a host's namespace and waits for it (bounded by timeoutMs, 30 s default). */
  exec(host: string, cmd: string, args: string[] = [], opts: ExecOptions = {}): Promise<ExecResult> {
    this.assertLive();
    return run('ip', ['netns', 'exec', this.ns(host), cmd, ...args], opts);
  }

  /**
   * Starts a command inside a host's namespace. `ip netns exec` execs the command, so child.pid is
   * the command's own PID (usable for kill -STOP). The process is killed after maxMs and by destroy().
   */
  spawn(host: string, cmd: string, args: string[] = [], opts: LabSpawnOptions = {}): ChildProcess {
    this.assertLive();
    const child = spawn('ip', ['netns', 'exec', this.ns(host), cmd, ...args], {
      stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'],
      env: opts.env ?? process.env,
    });
    this.children.add(child);
    const maxMs = opts.maxMs ?? DEFAULT_SPAWN_MAX_MS;
    const timer = setTimeout(() => {
      if (child.pid !== undefined) void killPid(child.pid);
    }, maxMs);
    timer.unref();
    child.once('exit', () => {
      clearTimeout(timer);
      this.children.delete(child);
    });
    child.once('error', () => {
      clearTimeout(timer);
      this.children.delete(child);
    });
    return child;
  }

  /** Loads an nft ruleset (nft -f syntax) into a host's namespace. Tables are removed by destroy(). */
  async nft(host: string, ruleset: string): Promise<void> {
    await this.exec(host, 'nft', ['-f', '-'], { input: ruleset });
    const tables = this.nftTables.get(host) ?? new Set<string>();
    for (const m of ruleset.matchAll(/^\s*(?:add\s+)?table\s+(\w+)\s+([\w-]+)/gm)) tables.add(`${m[1]} ${m[2]}`);
    this.nftTables.set(host, tables);
  }

  /** Every counter in a host's nft ruleset (or one table: "netdev t1"), read with `nft -j`. */
  async nftCounters(host: string, table?: string): Promise<NftCounter[]> {
    const args = table ? ['-j', 'list', 'table', ...table.split(/\s+/)] : ['-j', 'list', 'ruleset'];
    const r = await this.exec(host, 'nft', args);
    return parseNftCounters(r.stdout);
  }

  /** Packets of the one counter whose rule comment (or counter name) is `name`. */
  async nftCounter(host: string, name: string): Promise<number> {
    const found = (await this.nftCounters(host)).filter((c) => c.name === name);
    if (found.length !== 1) throw new Error(`expected one nft counter '${name}' in ${host}, found ${found.length}`);
    return found[0]!.packets;
  }

  /** Sockets in a host's /proc/net/udp. */
  async udpSockets(host: string): Promise<UdpSocketRow[]> {
    return parseProcNetUdp((await this.exec(host, 'cat', ['/proc/net/udp'])).stdout);
  }

  /** Groups joined per device in a host's /proc/net/igmp. */
  async igmpGroups(host: string): Promise<Map<string, string[]>> {
    return parseProcNetIgmp((await this.exec(host, 'cat', ['/proc/net/igmp'])).stdout);
  }

  /** A host's namespace-wide Udp counters (/proc/net/snmp). */
  async udpSnmp(host: string): Promise<UdpSnmp> {
    return parseSnmpUdp((await this.exec(host, 'cat', ['/proc/net/snmp'])).stdout);
  }

  /** Waits (bounded) until a UDP socket bound to `port` exists in the host's namespace. */
  async waitForUdpPort(host: string, port: number, timeoutMs = 10_000): Promise<UdpSocketRow> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = (await this.udpSockets(host)).find((r) => r.localPort === port);
      if (row) return row;
      if (Date.now() > deadline) throw new Error(`no UDP socket on port ${port} in ${host} after ${timeoutMs} ms`);
      await sleep(25);
    }
  }

  /** Waits (bounded) until `group` is joined on `dev` (default eth0) in the host's namespace. */
  async waitForGroup(host: string, group: string, timeoutMs = 10_000, dev = 'eth0'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await this.igmpGroups(host)).get(dev)?.includes(group)) return;
      if (Date.now() > deadline) throw new Error(`group ${group} not joined on ${host}:${dev} after ${timeoutMs} ms`);
      await sleep(25);
    }
  }

  /**
   * Waits (bounded) until the UDP socket on `port` in the host's namespace has a receive buffer of
   * at least `minBytes` (the `rb` of `ss -m`): proof that a requested buffer is in place before
   * traffic starts. Returns the buffer size.
   */
  async waitForRcvbuf(host: string, port: number, minBytes: number, timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let last = -1;
    for (;;) {
      const r = await this.exec(host, 'ss', ['-uamnH', `sport = :${port}`]);
      const m = /\brb(\d+)/.exec(r.stdout);
      last = m ? Number(m[1]) : -1;
      if (last >= minBytes) return last;
      if (Date.now() > deadline) throw new Error(`socket on ${host}:${port} has rcvbuf ${last} < ${minBytes} after ${timeoutMs} ms`);
      await sleep(25);
    }
  }

  /**
   * Runs the mcastbench CLI (`node <repo>/dist/cli/main.js ...args`) inside a host's namespace.
   * Output is collected from the start, so nothing is missed.
   */
  cli(host: string, args: string[], opts: LabSpawnOptions = {}): CliRun {
    const child = this.spawn(host, process.execPath, [CLI_PATH, ...args], opts);
    let out = '';
    let err = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
    const done = new Promise<ExecResult & { signal: NodeJS.Signals | null }>((resolve) => {
      child.once('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout: out, stderr: err }));
      child.once('error', (e) => resolve({ code: -1, signal: null, stdout: out, stderr: err + String(e) }));
    });
    const label = `mcastbench ${args.join(' ')} (in ${host})`;
    return {
      child,
      pid: child.pid ?? -1,
      stdout: () => out,
      stderr: () => err,
      done,
      async json<T>(): Promise<T> {
        const r = await done;
        try {
          return JSON.parse(r.stdout) as T;
        } catch {
          throw new Error(
            `${label}: exit ${r.code}${r.signal ? ` signal ${r.signal}` : ''}, stdout is not one JSON document.\n` +
              `stdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(0, 2000)}`,
          );
        }
      },
    };
  }

  /** Builds the topology. Use createLab(). */
  async build(opts: LabOptions): Promise<void> {
    const sw = this.switchNs;
    const ipv6Off = this.options.ipv6 ? '0' : '1';
    const sysctls = (ns: string): Promise<ExecResult> =>
      run('ip', [
        'netns',
        'exec',
        ns,
        'sh',
        '-c',
        `echo ${ipv6Off} > /proc/sys/net/ipv6/conf/all/disable_ipv6 && ` +
          `echo ${ipv6Off} > /proc/sys/net/ipv6/conf/default/disable_ipv6` +
          (this.options.ipv6 ? ' && echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad' : ''),
      ]);
    const addNs = async (ns: string): Promise<void> => {
      await run('ip', ['netns', 'add', ns]);
      this.created.push(ns);
      this.writeState();
      await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      await sysctls(ns);
    };

    await addNs(sw);
    // Timers are in centiseconds (USER_HZ). The querier is switched on last: netlink applies
    // mcast_querier before the intervals, and the querier only takes effect after the response
    // interval in force at that moment.
    const cs = (sec: number): string => String(Math.round(sec * 100));
    const bridgeArgs = [
      'stp_state', '0',
      'mcast_snooping', this.options.snooping ? '1' : '0',
      'mcast_querier', '0',
      'mcast_igmp_version', String(this.options.igmpVersion),
      'mcast_query_response_interval', cs(opts.responseIntervalSec ?? 1),
    ];
    if (opts.membershipIntervalSec !== undefined) bridgeArgs.push('mcast_membership_interval', cs(opts.membershipIntervalSec));
    if (opts.queryIntervalSec !== undefined) {
      bridgeArgs.push('mcast_query_interval', cs(opts.queryIntervalSec));
      bridgeArgs.push('mcast_startup_query_interval', cs(opts.startupQueryIntervalSec ?? opts.queryIntervalSec / 4));
    } else if (opts.startupQueryIntervalSec !== undefined) {
      bridgeArgs.push('mcast_startup_query_interval', cs(opts.startupQueryIntervalSec));
    }
    if (this.options.mldVersion !== undefined) bridgeArgs.push('mcast_mld_version', String(this.options.mldVersion));
    await run('ip', ['-n', sw, 'link', 'add', 'br0', 'type', 'bridge', ...bridgeArgs]);
    if (this.options.ipv6) {
      await run('ip', ['-n', sw, 'link', 'set', 'br0', 'addrgenmode', 'none']);
      await run('ip', ['-n', sw, '-6', 'addr', 'add', `${this.bridgeLinkLocal()}/64`, 'dev', 'br0', 'nodad']);
    }

    for (const host of this.hosts) {
      const ns = this.ns(host);
      await addNs(ns);
      // veth created directly between the two namespaces: nothing ever exists in the root ns
      await run('ip', ['-n', sw, 'link', 'add', host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      await run('ip', ['-n', sw, 'link', 'set', host, 'master', 'br0']);
      await run('ip', ['-n', sw, 'link', 'set', host, 'up']);
      await run('ip', ['-n', ns, 'addr', 'add', `${this.addr(host)}/24`, 'dev', 'eth0']);
      if (this.options.ipv6) await run('ip', ['-n', ns, '-6', 'addr', 'add', `${this.addr6(host)}/64`, 'dev', 'eth0', 'nodad']);
      await run('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
      // no default route in a host: multicast needs its own
      await run('ip', ['-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', 'eth0']);
    }
    await run('ip', ['-n', sw, 'link', 'set', 'br0', 'up']);
    if (this.options.querier) await run('ip', ['-n', sw, 'link', 'set', 'br0', 'type', 'bridge', 'mcast_querier', '1']);

    // bounded wait until every port forwards
    const deadline = Date.now() + 10_000;
    for (;;) {
      const r = await run('bridge', ['-n', sw, '-j', 'link', 'show']);
      const ports = JSON.parse(r.stdout || '[]') as Array<{ ifname: string; state?: string }>;
      const forwarding = ports.filter((p) => p.state === 'forwarding').length;
      if (forwarding >= this.hosts.length) break;
      if (Date.now() > deadline) throw new Error(`bridge ports not forwarding after 10 s: ${r.stdout}`);
      await sleep(25);
    }
    if (this.options.querier && this.options.snooping) await sleep((opts.responseIntervalSec ?? 1) * 1000 + 300);
  }

  private writeState(): void {
    try {
      mkdirSync(STATE_DIR, { recursive: true });
      const state: LabState = { ownerPid: process.pid, namespaces: [...this.created] };
      writeFileSync(this.statePath, JSON.stringify(state));
    } catch {
      /* best effort: only used to reap labs of killed runs */
    }
  }

  private assertLive(): void {
    if (this.destroyed) throw new Error(`lab ${this.id} is destroyed`);
  }

  /**
   * Kills what this lab spawned (by PID: TERM, then KILL), then any process left in its
   * namespaces, removes its nft tables and deletes its namespaces. Idempotent.
   */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    liveLabs.delete(this);
    for (const child of [...this.children]) {
      if (child.pid !== undefined) await killPid(child.pid);
    }
    this.children.clear();
    const existing = await listNamespaces();
    const mine = this.created.filter((ns) => existing.includes(ns));
    for (const ns of mine) {
      const r = await run('ip', ['netns', 'pids', ns], { check: false });
      for (const p of r.stdout.split(/\s+/).filter(Boolean)) await killPid(Number(p));
    }
    for (const [host, tables] of this.nftTables) {
      if (!mine.includes(this.ns(host))) continue;
      for (const t of tables) await run('ip', ['netns', 'exec', this.ns(host), 'nft', 'delete', 'table', ...t.split(' ')], { check: false });
    }
    this.nftTables.clear();
    const failed: string[] = [];
    // hosts first, the switch last
    for (const ns of [...mine].reverse()) {
      const r = await run('ip', ['netns', 'del', ns], { check: false });
      if (r.code !== 0) failed.push(`${ns}: ${r.stderr.trim()}`);
    }
    if (failed.length === 0) rmSync(this.statePath, { force: true });
    else throw new Error(`lab ${this.id}: could not delete namespaces: ${failed.join('; ')}`);
  }

  /** Synchronous last-resort cleanup for process exit. */
  destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    liveLabs.delete(this);
    for (const child of this.children) if (child.pid !== undefined) killPidSync(child.pid);
    const existing = listNamespacesSync();
    for (const ns of this.created.filter((n) => existing.includes(n))) {
      const r = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8', timeout: 5000 });
      for (const p of (r.stdout ?? '').split(/\s+/).filter(Boolean)) killPidSync(Number(p));
    }
    for (const ns of [...this.created].reverse()) {
      if (existing.includes(ns)) spawnSync('ip', ['netns', 'del', ns], { timeout: 5000 });
    }
    rmSync(this.statePath, { force: true });
  }
}

/** Builds a lab (bounded: ~0.2 s for 4 hosts, +1.3 s with the querier). Call lab.destroy() after. */
export async function createLab(opts: LabOptions = {}): Promise<Lab> {
  const avail = labAvailable();
  if (!avail.ok) throw new Error(`lab unavailable: ${avail.reason}`);
  const hosts = opts.hosts ?? 4;
  if (!Number.isInteger(hosts) || hosts < 1 || hosts > 250) throw new Error(`hosts must be 1..250, got ${hosts}`);
  const igmpVersion = opts.igmpVersion ?? 2;
  if (opts.mldVersion !== undefined && opts.ipv6 !== true) throw new Error('mldVersion needs ipv6: true');
  const labIndex = opts.labIndex ?? ((Math.floor(Math.random() * 250) + labCounter++) % 250) + 1;
  if (!Number.isInteger(labIndex) || labIndex < 1 || labIndex > 254) throw new Error(`labIndex must be 1..254, got ${labIndex}`);
  await reapStaleLabs();
  let id = randomId();
  const existing = await listNamespaces();
  while (existing.some((n) => n.startsWith(`${NAME_PREFIX}${id}-`))) id = randomId();
  const lab = new Lab(id, labIndex, {
    hosts,
    snooping: opts.snooping ?? true,
    querier: opts.querier ?? false,
    igmpVersion,
    ipv6: opts.ipv6 ?? false,
    ...(opts.mldVersion !== undefined ? { mldVersion: opts.mldVersion } : {}),
  });
  installExitHook();
  liveLabs.add(lab);
  try {
    await lab.build(opts);
  } catch (e) {
    await lab.destroy().catch(() => undefined);
    throw e;
  }
  return lab;
}

/**
 * Resolves with the first line (stdout or stderr) matching `regex`; rejects on timeout or when
 * the process exits first. Attach it before the process can print what you wait for.
 */
export function waitForLine(child: ChildProcess, regex: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const buffers = new Map<unknown, string>();
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onOut);
      child.stderr?.off('data', onErr);
      child.off('exit', onExit);
    };
    const feed = (key: unknown, chunk: Buffer | string): void => {
      let buf = (buffers.get(key) ?? '') + chunk.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = regex.exec(line);
        if (m) {
          cleanup();
          resolve(m);
          return;
        }
      }
      buffers.set(key, buf);
    };
    const onOut = (c: Buffer | string): void => feed('out', c);
    const onErr = (c: Buffer | string): void => feed('err', c);
    const onExit = (code: number | null, signal: string | null): void => {
      for (const rest of buffers.values()) {
        const m = regex.exec(rest);
        if (m) {
          cleanup();
          resolve(m);
          return;
        }
      }
      cleanup();
      reject(new Error(`process exited (code ${code}, signal ${signal}) before printing a line matching ${regex}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no line matching ${regex} within ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout?.on('data', onOut);
    child.stderr?.on('data', onErr);
    child.once('exit', onExit);
  });
}

// ------------------------------------------------------------------ mcastbench scenarios

export interface ReceiverSpec {
  port: number;
  group?: string;
  source?: string;
  /** Seconds; the safety cap for the run. Default 30. */
  durationSec?: number;
  /** Seconds after the last end-of-stream. Default 1; null leaves --idle-exit out. */
  idleExitSec?: number | null;
  /** Wait until the socket's receive buffer is at least this big before returning. */
  minRcvbufBytes?: number;
  /** Extra CLI arguments (e.g. --rcvbuf 8M --rcvbuf-force, --interface eth0). */
  args?: string[];
}

export interface StartedReceiver<T> {
  run: CliRun;
  /** The receiver's JSON document once it exits. */
  report(): Promise<T>;
}

/**
 * Starts `mcastbench receive ... --json` in a host and returns once it is ready: its socket is in
 * the namespace's /proc/net/udp and, for multicast, its group is in /proc/net/igmp (and its
 * receive buffer is at least minRcvbufBytes). That needs nothing from the CLI's own output.
 */
export async function startReceiver<T = unknown>(lab: Lab, host: string, spec: ReceiverSpec): Promise<StartedReceiver<T>> {
  const duration = spec.durationSec ?? 30;
  const args = ['receive', '--port', String(spec.port), '--duration', String(duration), '--json'];
  if (spec.idleExitSec !== null) args.push('--idle-exit', String(spec.idleExitSec ?? 1));
  if (spec.group) args.push('--group', spec.group);
  if (spec.source) args.push('--source', spec.source);
  args.push(...(spec.args ?? []));
  const run = lab.cli(host, args, { maxMs: (duration + 15) * 1000 });
  const ready = (async (): Promise<void> => {
    await lab.waitForUdpPort(host, spec.port, 15_000);
    if (spec.group) await lab.waitForGroup(host, spec.group, 15_000);
    if (spec.minRcvbufBytes !== undefined) await lab.waitForRcvbuf(host, spec.port, spec.minRcvbufBytes, 15_000);
  })();
  // fail fast (with the CLI's own words) if the receiver exits before it is ready
  const early = run.done.then((r) => {
    throw new Error(`receiver exited before it was ready: exit ${r.code}\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(0, 2000)}`);
  });
  await Promise.race([ready, early]);
  early.catch(() => undefined);
  return { run, report: () => run.json<T>() };
}

export interface SenderSpec {
  dest: string;
  port: number;
  count: number;
  sizeBytes: number;
  /** e.g. "2000pps", "10m". */
  rate: string;
  args?: string[];
  maxMs?: number;
}

/** Starts `mcastbench send ... --json` in a host; json() resolves with its document. */
export function startSender(lab: Lab, host: string, spec: SenderSpec): CliRun {
  const args = [
    'send',
    '--dest', spec.dest,
    '--port', String(spec.port),
    '--rate', spec.rate,
    '--size', String(spec.sizeBytes),
    '--count', String(spec.count),
    '--json',
    ...(spec.args ?? []),
  ];
  return lab.cli(host, args, { maxMs: spec.maxMs ?? 60_000 });
}

/** Why CLI scenarios cannot run here (lab unavailable, CLI not built), or null. */
export function cliScenarioSkipReason(): string | null {
  const avail = labAvailable();
  if (!avail.ok) return avail.reason;
  if (!existsSync(CLI_PATH)) return `${CLI_PATH} is not built (run: npx tsc -p tsconfig.json)`;
  return null;
}
