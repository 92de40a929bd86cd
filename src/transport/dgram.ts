/**
 * The always-available backend: node:dgram. About 4 us of CPU per received datagram and no
 * kernel timestamps (docs/native.md); the native backend removes both limits.
 */
import dgram from 'node:dgram';
import { SocketError } from '../errors.js';
import { realtimeUs } from '../engine/clock.js';
import { socketFd, setReading } from './dgram-internals.js';
import { forceRcvbuf } from './rcvbuf-force.js';
import type {
  Backend, DatagramHandler, RcvbufResult, ReceiverSocket, ReceiverSocketOptions, SenderSocket, SenderSocketOptions,
} from './types.js';

function bindAsync(s: dgram.Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    s.once('error', onError);
    s.bind({ port, address, exclusive: true }, () => {
      s.off('error', onError);
      resolve();
    });
  });
}

function connectAsync(s: dgram.Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    s.connect(port, address, (err?: Error) => (err ? reject(err) : resolve()));
  });
}

function errnoOf(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? 'EUNKNOWN';
}

async function setRcvbuf(s: dgram.Socket, opts: ReceiverSocketOptions): Promise<RcvbufResult> {
  if (opts.rcvbufBytes === null) {
    return { requestedBytes: null, grantedBytes: s.getRecvBufferSize(), forced: false, method: 'kernel default (net.core.rmem_default)' };
  }
  if (opts.rcvbufForce) {
    const r = await forceRcvbuf(socketFd(s), opts.rcvbufBytes);
    if (!r.ok) throw new SocketError('ERR_RCVBUF_FORCE', `--rcvbuf-force: ${r.reason}`);
    return { requestedBytes: opts.rcvbufBytes, grantedBytes: s.getRecvBufferSize(), forced: true, method: r.method };
  }
  // The kernel silently caps the request at net.core.rmem_max and doubles it; we read back.
  s.setRecvBufferSize(opts.rcvbufBytes);
  return { requestedBytes: opts.rcvbufBytes, grantedBytes: s.getRecvBufferSize(), forced: false, method: 'SO_RCVBUF' };
}

async function openReceiver(opts: ReceiverSocketOptions): Promise<ReceiverSocket> {
  const s = dgram.createSocket({ type: opts.family === 6 ? 'udp6' : 'udp4', reuseAddr: opts.group !== null });
  // Binding the group address (not the wildcard) keeps other groups on the same port out, as
  // iperf 2 and mcjoin do; Linux otherwise delivers every joined group to every such socket.
  const bindAddr = opts.group ?? opts.bind;
  try {
    await bindAsync(s, opts.port, bindAddr);
  } catch (e) {
    s.close();
    throw new SocketError('ERR_BIND', `cannot bind ${bindAddr} port ${opts.port}: ${errnoOf(e)}`);
  }
  let rcvbuf: RcvbufResult;
  try {
    rcvbuf = await setRcvbuf(s, opts);
  } catch (e) {
    s.close();
    throw e;
  }
  let joinedAtUs = NaN;
  if (opts.group !== null) {
    const ifAddr = opts.interface?.address ?? undefined;
    try {
      if (opts.source !== null) s.addSourceSpecificMembership(opts.source, opts.group, ifAddr);
      else s.addMembership(opts.group, ifAddr);
    } catch (e) {
      s.close();
      const what = opts.source !== null ? `(${opts.source}, ${opts.group})` : `(*, ${opts.group})`;
      throw new SocketError('ERR_JOIN_FAILED', `cannot join ${what}${opts.interface ? ` on ${opts.interface.given}` : ''}: ${errnoOf(e)}`);
    }
    joinedAtUs = realtimeUs();
  }
  const addr = s.address();
  let paused = false;
  return {
    backend: 'dgram',
    fd: socketFd(s),
    localAddress: addr.address,
    localPort: addr.port,
    rcvbuf,
    joinedAtUs,
    start(onDatagram: DatagramHandler): void {
      s.on('message', (msg, rinfo) => {
        onDatagram(msg, 0, msg.length, NaN, realtimeUs(), rinfo.address, rinfo.port);
      });
      // A receive error (e.g. ICMP feedback) must not crash a receiver.
      s.on('error', () => undefined);
    },
    pause(): void {
      if (!paused) setReading(s, false);
      paused = true;
    },
    resume(): void {
      if (paused) setReading(s, true);
      paused = false;
    },
    close(): Promise<void> {
      return new Promise((resolve) => s.close(() => resolve()));
    },
  };
}

async function openSender(opts: SenderSocketOptions): Promise<SenderSocket> {
  const s = dgram.createSocket({ type: opts.family === 6 ? 'udp6' : 'udp4', reuseAddr: opts.isMulticast });
  const wildcard = opts.family === 6 ? '::' : '0.0.0.0';
  try {
    // Unicast with --interface given by IPv4 address: bind it, so it is the source address.
    const local = !opts.isMulticast && opts.family === 4 && opts.interface?.address ? opts.interface.address : wildcard;
    await bindAsync(s, 0, local);
  } catch (e) {
    s.close();
    throw new SocketError('ERR_BIND', `cannot bind a sending socket: ${errnoOf(e)}`);
  }
  try {
    if (opts.sndbufBytes !== null) s.setSendBufferSize(opts.sndbufBytes);
    if (opts.isMulticast) {
      s.setMulticastTTL(opts.ttl ?? 1);
      s.setMulticastLoopback(opts.loop);
      if (opts.interface?.address) s.setMulticastInterface(opts.interface.address);
    } else if (opts.ttl !== null) {
      s.setTTL(opts.ttl);
    }
    await connectAsync(s, opts.port, opts.dest);
  } catch (e) {
    s.close();
    throw new SocketError('ERR_SOCKET_SETUP', `cannot set up the sending socket to ${opts.dest} port ${opts.port}: ${errnoOf(e)}`);
  }
  let sendErrors = 0;
  // A connected UDP socket reports ICMP port-unreachable as ECONNREFUSED on a later send:
  // count it, never crash (nobody listening is a result, not a failure).
  s.on('error', () => {
    sendErrors++;
  });
  const addr = s.address();
  return {
    backend: 'dgram',
    fd: socketFd(s),
    localAddress: addr.address,
    localPort: addr.port,
    sndbufGrantedBytes: s.getSendBufferSize(),
    get sendErrors() {
      return sendErrors;
    },
    send(buf: Uint8Array, length: number): boolean {
      s.send(buf, 0, length);
      return s.getSendQueueCount() === 0;
    },
    pending(): number {
      return s.getSendQueueCount();
    },
    close(): Promise<void> {
      return new Promise((resolve) => s.close(() => resolve()));
    },
  };
}

export const dgramBackend: Backend = { name: 'dgram', openReceiver, openSender };
