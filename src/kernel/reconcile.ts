/**
 * Explains sequence-accounting loss with the kernel's own counters. The socket's `drops` is
 * exact for this socket: every datagram that reached it and found the receive buffer full.
 * What the sequence numbers say was lost beyond that never reached this socket: it was lost on
 * the path (sender, network, switch, NIC, or this host's stack before the socket).
 */
import type { Reconciliation } from '../report/model.js';

const fmt = (n: number): string => n.toLocaleString('en-US');

export function reconcile(lostPackets: number, socketDrops: number, rcvbufErrors: number, unreadQueueBytes = 0): Reconciliation {
  const droppedBySocket = Math.min(lostPackets, socketDrops);
  const lostBeforeSocket = lostPackets - droppedBySocket;
  const unexplainedSocketDrops = socketDrops - droppedBySocket;
  let words: string;
  if (lostPackets === 0) {
    words = 'lost 0';
  } else {
    words =
      `lost ${fmt(lostPackets)}: ${fmt(droppedBySocket)} dropped by this socket's full receive buffer, ` +
      `${fmt(lostBeforeSocket)} lost before reaching this host's socket`;
  }
  if (unexplainedSocketDrops > 0) {
    words += `; the socket also dropped ${fmt(unexplainedSocketDrops)} datagrams that were not part of a counted stream (foreign traffic, or datagrams whose loss was not yet known)`;
  }
  if (unreadQueueBytes > 0) {
    // Only when the stop could not drain the queue (a paused receiver, or still behind after 1 s).
    words += `; ${fmt(unreadQueueBytes)} bytes were still queued unread when the receiver stopped: those datagrams, and any drops behind them, are in no count above`;
  }
  if (rcvbufErrors > socketDrops) {
    words += `; RcvbufErrors for this namespace rose by ${fmt(rcvbufErrors)}, more than this socket's drops: other sockets here are overflowing too`;
  }
  return { lostPackets, droppedBySocket, lostBeforeSocket, unexplainedSocketDrops, words };
}
