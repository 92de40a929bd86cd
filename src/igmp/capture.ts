/**
 * Opens the capture sockets through the native addon (CAP_NET_RAW) and hands every packet,
 * starting at its IP header, to a callback with a monotonic time in seconds. The only impure
 * part of src/igmp besides local.ts and snoop.ts. AF_PACKET (bound to one interface and to IPv4
 * or IPv6, optionally promiscuous) sees every packet of that family including other hosts'
 * reports; for IPv4 the raw IGMP socket is the fallback and sees queries only (native.md §3.4).
 * IPv6 has no such fallback: a raw ICMPv6 socket strips the IPv6 header, and with it the source
 * address and the Router Alert the watcher reads.
 */
import { performance } from 'node:perf_hooks';
import { errnoCode, loadNative, type NativeReceiver } from '../transport/native-loader.js';

export interface Capture {
  readonly source: 'packet' | 'raw';
  close(): void;
}

export type OpenCaptureResult = { capture: Capture; reason: null } | { capture: null; reason: string };

const SLOTS = 64;
const SLOT_BYTES = 2048;

export function nowSec(): number {
  return performance.now() / 1000;
}

function hint(code: string): string {
  return code === 'EPERM' ? ' (needs root or CAP_NET_RAW)' : '';
}

/**
 * @param mode 'packet' only AF_PACKET; 'any' AF_PACKET, else (IPv4) the raw IGMP socket.
 * @param family 4: IPv4 packets (IGMP, IPv4 UDP); 6: IPv6 packets (MLD, IPv6 UDP).
 */
export function openCapture(
  ifname: string,
  opts: { promisc: boolean; mode: 'packet' | 'any'; family: 4 | 6 },
  onPacket: (bytes: Uint8Array, atSec: number) => void,
): OpenCaptureResult {
  const { addon, reason } = loadNative();
  if (addon === null) return { capture: null, reason };
  let fd: number;
  let source: Capture['source'] = 'packet';
  try {
    fd = addon.openPacket(ifname, opts.promisc, opts.family === 6 ? 'ipv6' : 'ipv4');
  } catch (e) {
    const why = `AF_PACKET socket on ${ifname}: ${errnoCode(e)}${hint(errnoCode(e))}`;
    if (opts.mode === 'packet' || opts.family === 6) return { capture: null, reason: why };
    try {
      fd = addon.openRaw('igmp');
      source = 'raw';
    } catch (e2) {
      return { capture: null, reason: `${why}; raw IGMP socket: ${errnoCode(e2)}${hint(errnoCode(e2))}` };
    }
  }
  const slab = new Uint8Array(SLOTS * SLOT_BYTES);
  const meta = new Float64Array(SLOTS * 8);
  const addrs = new Uint8Array(SLOTS * 16);
  let rx: NativeReceiver;
  try {
    rx = new addon.Receiver(fd, slab, SLOT_BYTES, meta, addrs, (count) => {
      const at = nowSec();
      for (let i = 0; i < count; i++) {
        const len = Math.min(meta[i * 8] ?? 0, SLOT_BYTES);
        onPacket(slab.subarray(i * SLOT_BYTES, i * SLOT_BYTES + len), at);
      }
    });
    rx.start();
  } catch (e) {
    addon.close(fd);
    return { capture: null, reason: `reading the capture socket: ${(e as Error).message}` };
  }
  let closed = false;
  return {
    capture: {
      source,
      close() {
        if (closed) return;
        closed = true;
        rx.close();
        try {
          addon.close(fd);
        } catch {
          /* the receiver may have closed it */
        }
      },
    },
    reason: null,
  };
}
