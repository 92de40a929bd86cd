/**
 * The socket layer as an interface, so the native backend (recvmmsg/sendmmsg, kernel
 * timestamps) slots in without touching the measurement code.
 */
import type { Family, InterfaceSpec } from '../config/types.js';

export type BackendName = 'dgram' | 'native';

/**
 * Called once per datagram. `data[offset .. offset+length)` is valid only during the call.
 * `kernelRxUs` is the kernel's receive timestamp (epoch us) or NaN when the backend has none;
 * `appRxUs` is when the application saw it (epoch us).
 */
export type DatagramHandler = (
  data: Uint8Array,
  offset: number,
  length: number,
  kernelRxUs: number,
  appRxUs: number,
  sourceAddress: string,
  sourcePort: number,
) => void;

export interface ReceiverSocketOptions {
  family: Family;
  bind: string;
  port: number;
  group: string | null;
  source: string | null;
  interface: InterfaceSpec | null;
  rcvbufBytes: number | null;
  rcvbufForce: boolean;
}

export interface RcvbufResult {
  requestedBytes: number | null;
  grantedBytes: number;
  forced: boolean;
  /** How the size was set: 'default', 'SO_RCVBUF', 'SO_RCVBUFFORCE via <mechanism>'. */
  method: string;
}

export interface ReceiverSocket {
  readonly backend: BackendName;
  readonly fd: number;
  readonly localAddress: string;
  readonly localPort: number;
  readonly rcvbuf: RcvbufResult;
  /** epoch us at which the multicast join completed, or NaN for unicast. */
  readonly joinedAtUs: number;
  start(onDatagram: DatagramHandler): void;
  /** Stop reading (the kernel keeps queueing and then dropping): the slow-receiver switch. */
  pause(): void;
  resume(): void;
  /**
   * Optional (native backend): cumulative datagrams the kernel dropped on this socket
   * (SO_MEMINFO sk_drops, the same count SO_RXQ_OVFL reports), or null when unavailable.
   */
  kernelDrops?(): number | null;
  /** Optional (native backend): bytes queued for reading now (SO_MEMINFO rmem_alloc), cheaply. */
  rxQueueBytes?(): number;
  close(): Promise<void>;
}

export interface SenderSocketOptions {
  family: Family;
  dest: string;
  port: number;
  isMulticast: boolean;
  ttl: number | null;
  loop: boolean;
  interface: InterfaceSpec | null;
  sndbufBytes: number | null;
}

export interface SenderSocket {
  readonly backend: BackendName;
  readonly fd: number;
  readonly localAddress: string;
  readonly localPort: number;
  readonly sndbufGrantedBytes: number;
  /**
   * Sends `buf[0..length)`. Returns true when the kernel took the datagram synchronously (the
   * buffer may be reused at once), false when it was queued (the buffer is in flight until
   * pending() reaches 0).
   */
  send(buf: Uint8Array, length: number): boolean;
  /** Datagrams queued in user space and not yet handed to the kernel. */
  pending(): number;
  /** Datagrams the kernel refused (ENOBUFS, EAGAIN with no queueing, ...). */
  readonly sendErrors: number;
  /**
   * Optional (native backend): one sendmmsg of `count` datagrams, datagram k being
   * `slab[k*stride .. k*stride+length)`. Returns how many the kernel took; the rest are added to
   * sendErrors. Call only when pending() is 0.
   */
  sendBatch?(slab: Uint8Array, stride: number, length: number, count: number): number;
  /**
   * Optional (native backend): `count` copies of `template[0..length)` whose wire header
   * (src/wire/header.ts) is patched natively per copy: seq = seqStart + k, CLOCK_REALTIME send
   * time, burstIndex and the check word, byte-identical to encodeHeader(). `gso` sends them as
   * one UDP_SEGMENT super-datagram (count <= 64, count*length <= 65507), falling back to
   * sendmmsg when the kernel refuses. Returns how many the kernel took (rest -> sendErrors).
   */
  sendCopies?(template: Uint8Array, length: number, count: number, seqStart: number, burstIndex: number, gso: boolean): number;
  /** Optional (native backend): IP_TOS / IPV6_TCLASS. */
  setTos?(tos: number): void;
  close(): Promise<void>;
}

export interface Backend {
  readonly name: BackendName;
  openReceiver(opts: ReceiverSocketOptions): Promise<ReceiverSocket>;
  openSender(opts: SenderSocketOptions): Promise<SenderSocket>;
}
