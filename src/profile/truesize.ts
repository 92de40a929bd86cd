/**
 * Measures what the kernel charges a receive buffer per datagram of a given size on this host:
 * a few datagrams are sent over loopback to a socket that is not reading, and the bytes its
 * receive queue holds (/proc/net/udp rx_queue, i.e. sk_rmem_alloc: the sum of the queued skbs'
 * truesize) are divided by the datagrams it holds. SO_RCVBUF limits that sum, not the payload
 * (socket(7): the kernel doubles the value "to allow space for bookkeeping overhead").
 *
 * Loopback's truesize is that of the sender's skb; a NIC driver allocates its own receive
 * buffers, so a datagram from the wire may be charged differently. Traffic goes only to
 * 127.0.0.1 or ::1, a handful of datagrams, bounded in time.
 */
import dgram from 'node:dgram';
import { setTimeout as sleep } from 'node:timers/promises';
import { readUdpSocket, socketInode } from '../kernel/proc-net.js';
import { setReading, socketFd } from '../transport/dgram-internals.js';
import type { Family } from '../config/types.js';

export interface TruesizeProbe {
  /** Bytes charged per datagram: queuedBytes / datagrams. */
  truesizeBytes: number;
  /** Datagrams queued (sent minus the socket's drops). */
  datagrams: number;
  /** The receive queue's charge for them, bytes. */
  queuedBytes: number;
}

const PROBE_DATAGRAMS = 8;
const POLL_MS = 5;
/** The queue must read the same this many times in a row (delivery may be deferred to ksoftirqd). */
const STABLE_READS = 3;
const TIMEOUT_MS = 1000;

function bind(s: dgram.Socket, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.bind(0, address, () => {
      s.off('error', reject);
      resolve();
    });
  });
}

function send(s: dgram.Socket, buf: Uint8Array, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => s.send(buf, port, address, (e) => (e ? reject(e) : resolve())));
}

/** Waits until the socket's queue stops changing; returns its last row, or null. */
async function settledRow(family: Family, inode: number): Promise<{ rxQueueBytes: number; drops: number } | null> {
  const deadline = Date.now() + TIMEOUT_MS;
  let last = -1;
  let same = 0;
  let row = readUdpSocket(family, inode);
  while (row !== null && Date.now() < deadline) {
    same = row.rxQueueBytes === last ? same + 1 : 0;
    last = row.rxQueueBytes;
    if (same + 1 >= STABLE_READS && last > 0) return row;
    await sleep(POLL_MS);
    row = readUdpSocket(family, inode);
  }
  return row;
}

/** The per-datagram charge for `datagramBytes` of UDP payload, or null when it cannot be measured here. */
export async function probeTruesize(family: Family, datagramBytes: number): Promise<TruesizeProbe | null> {
  const type = family === 6 ? 'udp6' : 'udp4';
  const address = family === 6 ? '::1' : '127.0.0.1';
  const receiver = dgram.createSocket(type);
  const sender = dgram.createSocket(type);
  try {
    await bind(receiver, address);
    // dgram starts reading once bound; stop before anything is sent, so everything queues.
    setReading(receiver, false);
    const inode = socketInode(socketFd(receiver));
    if (inode <= 0) return null;
    const port = receiver.address().port;
    const buf = new Uint8Array(datagramBytes);
    for (let i = 0; i < PROBE_DATAGRAMS; i++) await send(sender, buf, port, address);
    const row = await settledRow(family, inode);
    if (row === null) return null;
    const datagrams = PROBE_DATAGRAMS - row.drops;
    if (datagrams <= 0 || row.rxQueueBytes <= 0) return null;
    return { truesizeBytes: Math.round(row.rxQueueBytes / datagrams), datagrams, queuedBytes: row.rxQueueBytes };
  } catch {
    return null;
  } finally {
    receiver.close();
    sender.close();
  }
}
