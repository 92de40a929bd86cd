/**
 * Loads the optional native addon (native/build/Release/mcastbench_native.node) without ever
 * throwing: the result says what was loaded or why not, and the caller decides (style rule 8,
 * after bufferutil's index.js / bindings-cpp's load-bindings.ts).
 *
 * The path is resolved from this file: src/transport/ (vitest, tsx) and dist/transport/ (the
 * compiled package) are both two levels below the package root.
 * MCASTBENCH_NATIVE_PATH overrides the path; MCASTBENCH_NO_NATIVE=1 pretends it is absent.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Per-record layout of Receiver's meta Float64Array (see native/src/receiver.cc). */
export const META_FIELDS = 8;
export const META_LEN = 0;
export const META_FLAGS = 1;
export const META_FAMILY = 2;
export const META_PORT = 3;
export const META_TS_SEC = 4;
export const META_TS_NSEC = 5;
export const META_RXQ_OVFL = 6;
export const META_SCOPE = 7;
export const ADDR_BYTES = 16;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const MSG_TRUNC = 0x20;

export interface NativeReceiver {
  start(): void;
  pause(): void;
  close(): void;
  stats(): { batches: number; datagrams: number; syscalls: number; errors: number; lastError: string | null };
}

export interface SockMeminfo {
  rmemAlloc: number;
  rcvbuf: number;
  wmemAlloc: number;
  sndbuf: number;
  fwdAlloc: number;
  wmemQueued: number;
  optmem: number;
  backlog: number;
  drops: number;
}

/** An interface for joins / IP_MULTICAST_IF: IPv4 address, interface name, "::%name", or index. */
export type NativeIface = string | number | null;

/** The addon's exports. Every function type-checks its arguments (TypeError) and throws Error
 *  with `code` (errno name), `errno` (negative, as Node's system errors) and `syscall`. */
export interface NativeAddon {
  readonly platformSupported: boolean;
  readonly abiVersion: number;
  openUdp(family: 4 | 6): number;
  close(fd: number): void;
  bind(fd: number, address: string, port: number): void;
  connect(fd: number, address: string, port: number): void;
  localAddress(fd: number): { address: string; port: number; family: 0 | 4 | 6 };
  setsockoptInt(fd: number, level: number, name: number, value: number): void;
  getsockoptInt(fd: number, level: number, name: number): number;
  /** SO_RCVBUFFORCE; returns the kernel's SO_RCVBUF afterwards (2x the request). */
  setRcvbufForce(fd: number, bytes: number): number;
  setSndbufForce(fd: number, bytes: number): number;
  enableRxqOvfl(fd: number): void;
  enableTimestampNs(fd: number): void;
  setTos(fd: number, tos: number): void;
  /** SIOCINQ: size of the first queued datagram (UDP), not the queue total. */
  inq(fd: number): number;
  outq(fd: number): number;
  meminfo(fd: number): SockMeminfo;
  joinAsm(fd: number, group: string, iface: NativeIface): void;
  joinSsm(fd: number, group: string, source: string, iface: NativeIface): void;
  leave(fd: number, group: string, source: string | null, iface: NativeIface): void;
  setMulticastTtl(fd: number, ttl: number): void;
  setMulticastLoop(fd: number, on: boolean): void;
  setMulticastIf(fd: number, iface: string | number): void;
  setTtl(fd: number, ttl: number): void;
  Receiver: new (
    fd: number,
    slab: Uint8Array,
    slotBytes: number,
    meta: Float64Array,
    addrs: Uint8Array,
    onBatch: (count: number) => void,
    /** Copy only slotBytes of each datagram and report its full length (MSG_TRUNC). */
    truncate?: boolean,
  ) => NativeReceiver;
  /** Bytes sent, or -errno for a transient refusal (EAGAIN, ENOBUFS, ECONNREFUSED, ...). */
  send(fd: number, buf: Uint8Array, length: number): number;
  /** Datagrams sent (sendmmsg), or -errno when none was. */
  sendBatch(fd: number, slab: Uint8Array, stride: number, length: number, count: number): number;
  /** N copies of a template whose header seq/time/burst/check are patched natively. */
  sendTemplate(fd: number, template: Uint8Array, length: number, count: number, seqStart: number, burstIndex: number, gso: boolean): number;
  patchHeader(buf: Uint8Array, seq: number, timeNsHi: number, timeNsLo: number, burstIndex: number): void;
  monotonicNs(): number;
  realtimeNs(): [number, number];
  /** Blocks the calling thread (dedicated sender workers only). Returns lateness in ns. */
  sleepUntil(deadlineMonotonicNs: number, spinNs: number): number;
  /** prctl(PR_SET_TIMERSLACK) for the calling thread; returns the previous slack, ns. */
  setTimerSlackNs(ns: number): number;
  openRaw(protocol: 'igmp'): number;
  openPacket(ifname: string, promisc: boolean, protocol: 'ipv4' | 'ipv6'): number;
}

export type LoadResult = { addon: NativeAddon; reason: string } | { addon: null; reason: string };

const ADDON_FILE = join('native', 'build', 'Release', 'mcastbench_native.node');
let cached: LoadResult | null = null;

export function addonPath(): string {
  const override = process.env['MCASTBENCH_NATIVE_PATH'];
  if (override) return resolve(override);
  const here = dirname(fileURLToPath(import.meta.url));
  return join(here, '..', '..', ADDON_FILE);
}

function tryLoad(): LoadResult {
  if (process.env['MCASTBENCH_NO_NATIVE'] === '1') return { addon: null, reason: 'native addon not loaded (disabled by MCASTBENCH_NO_NATIVE=1)' };
  if (process.platform !== 'linux') return { addon: null, reason: `native addon not built: Linux only (this is ${process.platform})` };
  const path = addonPath();
  if (!existsSync(path)) {
    return { addon: null, reason: `native addon not built (${path} is missing; run "npm run build:native")` };
  }
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    if (!addon.platformSupported || addon.abiVersion !== 1) {
      return { addon: null, reason: `native addon not loaded: ${path} is for another platform or version; run "npm run build:native"` };
    }
    return { addon, reason: `native addon loaded from ${path}` };
  } catch (e) {
    return { addon: null, reason: `native addon not loaded: ${(e as Error).message.split('\n')[0]}; run "npm run build:native"` };
  }
}

/** Never throws. The first result is cached for the life of the thread. */
export function loadNative(): LoadResult {
  cached ??= tryLoad();
  return cached;
}

/** errno name of an addon error, or 'EUNKNOWN'. */
export function errnoCode(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' ? code : 'EUNKNOWN';
}

/**
 * SO_RCVBUFFORCE on any socket's fd (a node:dgram socket's too), for --rcvbuf-force. The
 * caller reads the granted size back. Fails soft with the reason (EPERM: needs CAP_NET_ADMIN).
 */
export function forceRcvbuf(fd: number, bytes: number): { ok: true; method: string } | { ok: false; reason: string } {
  const { addon, reason } = loadNative();
  if (addon === null) return { ok: false, reason };
  if (!Number.isInteger(fd) || fd < 0) return { ok: false, reason: `invalid file descriptor ${fd}` };
  if (!Number.isInteger(bytes) || bytes < 0 || bytes > 0x3fffffff) return { ok: false, reason: `invalid size ${bytes}` };
  try {
    addon.setRcvbufForce(fd, bytes);
    return { ok: true, method: 'SO_RCVBUFFORCE via native addon' };
  } catch (e) {
    const code = errnoCode(e);
    const hint = code === 'EPERM' ? ' (needs root or CAP_NET_ADMIN)' : '';
    return { ok: false, reason: `setsockopt(SO_RCVBUFFORCE) failed: ${code}${hint}` };
  }
}
