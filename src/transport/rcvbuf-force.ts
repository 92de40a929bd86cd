/**
 * SO_RCVBUFFORCE on a socket we already own: lets root (CAP_NET_ADMIN) exceed
 * net.core.rmem_max without touching that global sysctl. node:dgram cannot do it, so:
 * 1. the native addon's setsockopt, when it is built;
 * 2. otherwise python3, handed the very same socket as its fd 3 (a child inherits the open
 *    file description, so setsockopt there changes our socket). Honest and dependency-free.
 * Either way the granted size is read back by the caller and reported with the method used.
 */
import { spawnSync } from 'node:child_process';
import { forceRcvbuf as forceViaAddon, loadNative } from './native-loader.js';

export type ForceResult = { ok: true; method: string } | { ok: false; reason: string };

const SOL_SOCKET = 1;
const SO_RCVBUFFORCE = 33;

function viaPython(fd: number, bytes: number): ForceResult {
  const code =
    'import socket,sys\n' +
    's=socket.socket(fileno=3)\n' +
    `try:\n s.setsockopt(${SOL_SOCKET},${SO_RCVBUFFORCE},${bytes})\n` +
    'except OSError as e:\n print(e.strerror or e, file=sys.stderr); s.detach(); sys.exit(1)\n' +
    's.detach()\n';
  const r = spawnSync('python3', ['-c', code], { stdio: ['ignore', 'ignore', 'pipe', fd], encoding: 'utf8', timeout: 10_000 });
  if (r.error) return { ok: false, reason: `python3 unavailable (${r.error.message}) and the native addon is not built` };
  if (r.status !== 0) return { ok: false, reason: `setsockopt(SO_RCVBUFFORCE) failed: ${r.stderr.trim() || `exit ${r.status}`} (needs root or CAP_NET_ADMIN)` };
  return { ok: true, method: 'SO_RCVBUFFORCE via python3 on the inherited socket (native addon not built)' };
}

export async function forceRcvbuf(fd: number, bytes: number): Promise<ForceResult> {
  if (fd < 0) return { ok: false, reason: 'the socket has no file descriptor' };
  return loadNative().addon !== null ? forceViaAddon(fd, bytes) : viaPython(fd, bytes);
}
