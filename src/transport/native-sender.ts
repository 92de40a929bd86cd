/**
 * The native backend's sending socket. send() is one non-blocking send(2); when the kernel
 * says EAGAIN / ENOBUFS the datagram is copied into a FIFO and retried from the event loop,
 * so, as with node:dgram, a false return means "queued" and pending() counts the queue. Other
 * refusals (ECONNREFUSED from an ICMP error, unreachable) are counted in sendErrors.
 * Native-only extras: sendBatch (sendmmsg of a slab), sendCopies (sendmmsg or UDP GSO of one
 * template with natively patched headers) and setTos.
 */
import { SocketError } from '../errors.js';
import { errnoCode, type NativeAddon } from './native-loader.js';
import { ifaceArg, step } from './native-common.js';
import type { SenderSocket, SenderSocketOptions } from './types.js';

const SOL_SOCKET = 1;
const SO_SNDBUF = 7;
const EAGAIN = 11;
const ENOBUFS = 105;
/** Datagrams held in user space before further sends are refused (counted in sendErrors). */
const MAX_QUEUE = 8192;

export async function openNativeSender(addon: NativeAddon, opts: SenderSocketOptions): Promise<SenderSocket> {
  const fd = step(addon, -1, 'ERR_SOCKET_SETUP', 'socket()', () => addon.openUdp(opts.family));
  const wildcard = opts.family === 6 ? '::' : '0.0.0.0';
  // Unicast with --interface given by IPv4 address: bind it, so it is the source address.
  const local = !opts.isMulticast && opts.family === 4 && opts.interface?.address ? opts.interface.address : wildcard;
  step(addon, fd, 'ERR_BIND', `cannot bind a sending socket to ${local}`, () => addon.bind(fd, local, 0));
  const where = `cannot set up the sending socket to ${opts.dest} port ${opts.port}`;
  step(addon, fd, 'ERR_SOCKET_SETUP', where, () => {
    if (opts.sndbufBytes !== null) addon.setsockoptInt(fd, SOL_SOCKET, SO_SNDBUF, opts.sndbufBytes);
    if (opts.isMulticast) {
      addon.setMulticastTtl(fd, opts.ttl ?? 1);
      addon.setMulticastLoop(fd, opts.loop);
      const iface = ifaceArg(opts.interface);
      if (iface !== null) addon.setMulticastIf(fd, iface);
    } else if (opts.ttl !== null) {
      addon.setTtl(fd, opts.ttl);
    }
    addon.connect(fd, opts.dest, opts.port);
  });
  const addr = addon.localAddress(fd);
  return new NativeSenderSocket(addon, fd, addr.address, addr.port, addon.getsockoptInt(fd, SOL_SOCKET, SO_SNDBUF));
}

class NativeSenderSocket implements SenderSocket {
  readonly backend = 'native' as const;
  sendErrors = 0;
  private readonly queue: Uint8Array[] = [];
  private flushing: NodeJS.Immediate | null = null;
  private closed = false;
  private gsoBroken = false;

  constructor(
    private readonly addon: NativeAddon,
    readonly fd: number,
    readonly localAddress: string,
    readonly localPort: number,
    readonly sndbufGrantedBytes: number,
  ) {}

  send(buf: Uint8Array, length: number): boolean {
    if (this.closed) throw new SocketError('ERR_SOCKET_CLOSED', 'sender socket is closed');
    if (this.queue.length > 0) return this.enqueue(buf, length);
    const r = this.addon.send(this.fd, buf, length);
    if (r >= 0) return true;
    if (r === -EAGAIN || r === -ENOBUFS) return this.enqueue(buf, length);
    this.sendErrors++;
    return true;
  }

  pending(): number {
    return this.queue.length;
  }

  /** sendmmsg of `count` datagrams at `stride` in `slab`; returns how many the kernel took
   *  (the rest are counted in sendErrors). Bypasses the queue: call it when pending() is 0. */
  sendBatch(slab: Uint8Array, stride: number, length: number, count: number): number {
    const r = this.addon.sendBatch(this.fd, slab, stride, length, count);
    const sent = r > 0 ? r : 0;
    this.sendErrors += count - sent;
    return sent;
  }

  /**
   * `count` copies of `template[0..length)`, its mcastbench header patched natively per copy
   * (seq = seqStart + k, CLOCK_REALTIME send time, burstIndex, check word). With gso, one
   * UDP_SEGMENT send (count <= 64, count*length <= 65507); falls back to sendmmsg for good
   * if the kernel or device refuses GSO. Returns how many the kernel took.
   */
  sendCopies(template: Uint8Array, length: number, count: number, seqStart: number, burstIndex: number, gso: boolean): number {
    let r: number;
    try {
      r = this.addon.sendTemplate(this.fd, template, length, count, seqStart, burstIndex, gso && !this.gsoBroken);
    } catch (e) {
      const code = errnoCode(e);
      if (!gso || this.gsoBroken || (code !== 'EIO' && code !== 'EINVAL' && code !== 'ENOPROTOOPT')) throw e;
      this.gsoBroken = true;
      r = this.addon.sendTemplate(this.fd, template, length, count, seqStart, burstIndex, false);
    }
    const sent = r > 0 ? r : 0;
    this.sendErrors += count - sent;
    return sent;
  }

  /** True until a GSO send was refused by the kernel. */
  get gsoAvailable(): boolean {
    return !this.gsoBroken;
  }

  setTos(tos: number): void {
    this.addon.setTos(this.fd, tos);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    if (this.flushing !== null) clearImmediate(this.flushing);
    // Queued datagrams were never handed to the kernel: they count as refused.
    this.sendErrors += this.queue.length;
    this.queue.length = 0;
    this.addon.close(this.fd);
    return Promise.resolve();
  }

  private enqueue(buf: Uint8Array, length: number): boolean {
    if (this.queue.length >= MAX_QUEUE) {
      this.sendErrors++;
      return true;
    }
    this.queue.push(buf.slice(0, length));
    this.flushing ??= setImmediate(() => this.flush());
    return false;
  }

  private flush(): void {
    this.flushing = null;
    while (this.queue.length > 0 && !this.closed) {
      const b = this.queue[0]!;
      const r = this.addon.send(this.fd, b, b.length);
      if (r === -EAGAIN || r === -ENOBUFS) break;
      if (r < 0) this.sendErrors++;
      this.queue.shift();
    }
    if (this.queue.length > 0 && !this.closed) this.flushing = setImmediate(() => this.flush());
  }
}
