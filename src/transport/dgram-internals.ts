/**
 * The two things node:dgram hides that we need: the socket's file descriptor (for the kernel's
 * per-socket counters and SO_RCVBUFFORCE) and recvStop/recvStart (the slow-receiver switch).
 * Reached through dgram's internal state symbol, because `socket._handle` is deprecated
 * (DEP0112) and prints a warning. Both fail soft: fd -1 and a thrown SocketError.
 */
import type { Socket } from 'node:dgram';
import { SocketError } from '../errors.js';

interface UdpHandle {
  fd?: number;
  recvStop?: () => number;
  recvStart?: () => number;
}

function handleOf(socket: Socket): UdpHandle | null {
  const sym = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'state symbol');
  if (!sym) return null;
  const state = (socket as unknown as Record<symbol, { handle?: UdpHandle } | undefined>)[sym];
  return state?.handle ?? null;
}

export function socketFd(socket: Socket): number {
  const fd = handleOf(socket)?.fd;
  return typeof fd === 'number' ? fd : -1;
}

export function setReading(socket: Socket, reading: boolean): void {
  const h = handleOf(socket);
  const fn = reading ? h?.recvStart : h?.recvStop;
  if (!h || typeof fn !== 'function') {
    throw new SocketError('ERR_PAUSE_UNSUPPORTED', 'this Node.js version does not let mcastbench pause a dgram socket');
  }
  fn.call(h);
}
