/**
 * The 'native' backend on the optional addon: recvmmsg batches driven by uv_poll with kernel
 * receive timestamps (SO_TIMESTAMPNS) and SO_RXQ_OVFL, one JS callback per batch, and
 * sendmmsg / UDP GSO on the send side (docs/native.md §2.2: 3.5-4.5x dgram's receive
 * capacity at about a quarter of the CPU per datagram).
 *
 * Sockets are created, bound and joined in the calling thread and must stay there: the
 * addon's env cleanup hook closes them when that worker exits.
 */
import { SocketError } from '../errors.js';
import { realtimeUs } from '../engine/clock.js';
import {
  ADDR_BYTES, AF_INET, AF_INET6, META_FAMILY, META_FIELDS, META_LEN, META_PORT, META_TS_NSEC, META_TS_SEC,
  type NativeAddon, type NativeIface, type NativeReceiver,
} from './native-loader.js';
import { ifaceArg, requireAddon, step } from './native-common.js';
import { openNativeSender } from './native-sender.js';
import type {
  Backend, DatagramHandler, RcvbufResult, ReceiverSocket, ReceiverSocketOptions, SenderSocket, SenderSocketOptions,
} from './types.js';

const SOL_SOCKET = 1;
const SO_REUSEADDR = 2;
const SO_RCVBUF = 8;
/**
 * recvmmsg batch: 64 was the knee in the prototype. The receive loop reads only the 40-byte
 * header, so each slot holds one cache line and the kernel copies no more (MSG_TRUNC still
 * reports the datagram's full length, and the checksum is still verified over all of it).
 */
const SLOTS = 64;
const SLOT_BYTES = 64;

function setRcvbuf(addon: NativeAddon, fd: number, opts: ReceiverSocketOptions): RcvbufResult {
  const granted = (): number => addon.getsockoptInt(fd, SOL_SOCKET, SO_RCVBUF);
  if (opts.rcvbufBytes === null) {
    return { requestedBytes: null, grantedBytes: granted(), forced: false, method: 'kernel default (net.core.rmem_default)' };
  }
  const bytes = opts.rcvbufBytes;
  if (opts.rcvbufForce) {
    step(addon, fd, 'ERR_RCVBUF_FORCE', '--rcvbuf-force: setsockopt(SO_RCVBUFFORCE) failed (needs root or CAP_NET_ADMIN)', () =>
      addon.setRcvbufForce(fd, bytes));
    return { requestedBytes: bytes, grantedBytes: granted(), forced: true, method: 'SO_RCVBUFFORCE via native addon' };
  }
  // The kernel silently caps at net.core.rmem_max and doubles: the granted size is read back.
  step(addon, fd, 'ERR_SOCKET_SETUP', 'setsockopt(SO_RCVBUF)', () => addon.setsockoptInt(fd, SOL_SOCKET, SO_RCVBUF, bytes));
  return { requestedBytes: bytes, grantedBytes: granted(), forced: false, method: 'SO_RCVBUF' };
}

/** Formats source addresses with a one-entry cache: a stream has one source. */
class SourceCache {
  private lastV4 = -1;
  private lastV4Text = '';
  private lastKey = '';
  private lastText = '';
  text(addrs: Uint8Array, off: number, family: number, scope: number): string {
    if (family === AF_INET) {
      const a = addrs[off]!, b = addrs[off + 1]!, c = addrs[off + 2]!, d = addrs[off + 3]!;
      const v4 = a * 16777216 + ((b << 16) | (c << 8) | d);
      if (v4 !== this.lastV4) {
        this.lastV4 = v4;
        this.lastV4Text = `${a}.${b}.${c}.${d}`;
      }
      return this.lastV4Text;
    }
    if (family !== AF_INET6) return '';
    let key = '';
    for (let i = 0; i < 16; i++) key += String.fromCharCode(addrs[off + i]!);
    if (key === this.lastKey) return this.lastText;
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((addrs[off + i]! << 8) | addrs[off + i + 1]!).toString(16));
    // Compress the longest run of zero groups (RFC 5952 §4.2).
    let best = -1;
    let bestLen = 1;
    for (let i = 0; i < 8; ) {
      let j = i;
      while (j < 8 && groups[j] === '0') j++;
      if (j - i > bestLen) [best, bestLen] = [i, j - i];
      i = j === i ? i + 1 : j;
    }
    let text = best < 0 ? groups.join(':') : `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
    if (scope > 0) text += `%${scope}`;
    this.lastKey = key;
    this.lastText = text;
    return text;
  }
}

async function openReceiver(opts: ReceiverSocketOptions): Promise<ReceiverSocket> {
  const addon = requireAddon();
  const fd = step(addon, -1, 'ERR_SOCKET_SETUP', 'socket()', () => addon.openUdp(opts.family));
  step(addon, fd, 'ERR_SOCKET_SETUP', 'setsockopt(SO_REUSEADDR)', () => addon.setsockoptInt(fd, SOL_SOCKET, SO_REUSEADDR, opts.group !== null ? 1 : 0));
  const rcvbuf = setRcvbuf(addon, fd, opts);
  step(addon, fd, 'ERR_SOCKET_SETUP', 'setsockopt(SO_TIMESTAMPNS)', () => addon.enableTimestampNs(fd));
  step(addon, fd, 'ERR_SOCKET_SETUP', 'setsockopt(SO_RXQ_OVFL)', () => addon.enableRxqOvfl(fd));
  // Bind the group (as the dgram backend does) so other groups on the same port stay out.
  const bindAddr = opts.group ?? opts.bind;
  step(addon, fd, 'ERR_BIND', `cannot bind ${bindAddr} port ${opts.port}`, () => addon.bind(fd, bindAddr, opts.port));
  const iface = ifaceArg(opts.interface);
  let joinedAtUs = NaN;
  if (opts.group !== null) {
    const group = opts.group;
    const what = opts.source !== null ? `(${opts.source}, ${group})` : `(*, ${group})`;
    const on = opts.interface ? ` on ${opts.interface.given}` : '';
    step(addon, fd, 'ERR_JOIN_FAILED', `cannot join ${what}${on}`, () =>
      opts.source !== null ? addon.joinSsm(fd, group, opts.source, iface) : addon.joinAsm(fd, group, iface));
    joinedAtUs = realtimeUs();
  }
  const local = addon.localAddress(fd);
  return new NativeReceiverSocket(addon, fd, local.address, local.port, rcvbuf, joinedAtUs, opts, iface);
}

class NativeReceiverSocket implements ReceiverSocket {
  readonly backend = 'native' as const;
  private rx: NativeReceiver | null = null;
  private closed = false;
  private paused = false;

  constructor(
    private readonly addon: NativeAddon,
    readonly fd: number,
    readonly localAddress: string,
    readonly localPort: number,
    readonly rcvbuf: RcvbufResult,
    readonly joinedAtUs: number,
    private readonly opts: ReceiverSocketOptions,
    private readonly iface: NativeIface,
  ) {}

  start(onDatagram: DatagramHandler): void {
    if (this.closed) throw new SocketError('ERR_SOCKET_CLOSED', 'receiver socket is closed');
    if (this.rx !== null) throw new SocketError('ERR_ALREADY_STARTED', 'receiver socket already started');
    const slab = new Uint8Array(SLOTS * SLOT_BYTES);
    const meta = new Float64Array(SLOTS * META_FIELDS);
    const addrs = new Uint8Array(SLOTS * ADDR_BYTES);
    const sources = new SourceCache();
    const onBatch = (count: number): void => {
      const appRxUs = realtimeUs();
      for (let i = 0; i < count; i++) {
        const m = i * META_FIELDS;
        const sec = meta[m + META_TS_SEC]!;
        const kernelRxUs = sec === sec ? sec * 1e6 + meta[m + META_TS_NSEC]! / 1000 : NaN;
        const source = sources.text(addrs, i * ADDR_BYTES, meta[m + META_FAMILY]!, meta[m + 7]!);
        onDatagram(slab, i * SLOT_BYTES, meta[m + META_LEN]!, kernelRxUs, appRxUs, source, meta[m + META_PORT]!);
      }
    };
    this.rx = new this.addon.Receiver(this.fd, slab, SLOT_BYTES, meta, addrs, onBatch, true);
    if (!this.paused) this.rx.start();
  }

  pause(): void {
    this.paused = true;
    this.rx?.pause();
  }

  resume(): void {
    this.paused = false;
    if (!this.closed) this.rx?.start();
  }

  /** Cumulative datagrams the kernel dropped on this socket (SO_MEMINFO sk_drops). */
  rxQueueBytes(): number {
    return this.addon.meminfo(this.fd).rmemAlloc;
  }

  kernelDrops(): number | null {
    if (this.closed) return null;
    try {
      return this.addon.meminfo(this.fd).drops;
    } catch {
      return null;
    }
  }

  /** recvmmsg batches, datagrams and syscalls so far (diagnostics). */
  nativeStats(): ReturnType<NativeReceiver['stats']> | null {
    return this.rx?.stats() ?? null;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.rx?.close();
    if (this.opts.group !== null) {
      try {
        this.addon.leave(this.fd, this.opts.group, this.opts.source, this.iface);
      } catch {
        // closing the socket drops the membership anyway
      }
    }
    this.addon.close(this.fd);
    return Promise.resolve();
  }
}

async function openSender(opts: SenderSocketOptions): Promise<SenderSocket> {
  return openNativeSender(requireAddon(), opts);
}

export const nativeBackend: Backend = { name: 'native', openReceiver, openSender };
