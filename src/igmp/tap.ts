/**
 * The capture side of snoop-check's member and probe: one AF_PACKET socket on the interface for
 * the group's family feeds IGMP / MLD to a Watcher (the querier verdict) and hands over the
 * frames of the group's MAC and UDP port (flooding, leave latency). Only the socket is impure.
 */
import { openCapture, type Capture } from './capture.js';
import { groupMac } from './group-mac.js';
import { localAddresses } from './local.js';
import { IPPROTO_IGMP, IPPROTO_UDP, parseIgmp, parseIpv4, parseUdp } from './packet.js';
import { formatIpv6, mldFromIpv6, parseIpv6, parseIpv6Text } from './packet6.js';
import type { SnoopConfig, SnoopHooks } from './snoop.js';
import { Watcher, type Observation } from './watch.js';

export interface Tap {
  capture: Capture | null;
  reason: string | null;
  watcher: Watcher;
}

type FrameSink = (dst: string, payload: Uint8Array, at: number) => void;
type MessageSink = (o: Observation[]) => void;

/** One IPv4 packet: IGMP into the watcher, UDP to a group sharing the group's MAC to onFrame. */
function tapIpv4(cfg: SnoopConfig, mac: string, bytes: Uint8Array, at: number, w: Watcher, onMessage: MessageSink, onFrame: FrameSink): void {
  const ip = parseIpv4(bytes);
  if (ip === null || ip.fragment) return;
  if (ip.protocol === IPPROTO_IGMP) {
    const msg = parseIgmp(ip.payload);
    if (msg !== null) onMessage(w.feedMessage('igmp', ip.src, msg, at));
    return;
  }
  if (ip.protocol !== IPPROTO_UDP || groupMac(ip.dst) !== mac) return;
  const udp = parseUdp(ip.payload);
  if (udp !== null && udp.dstPort === cfg.port) onFrame(ip.dst, udp.payload, at);
}

/**
 * One IPv6 packet: MLD into the watcher, UDP to a group whose low 32 bits (its MAC, RFC 2464 §7)
 * are the group's to onFrame. Bytes are compared before any address is formatted: a flooded
 * probe port can carry a lot of traffic.
 */
function tapIpv6(cfg: SnoopConfig, low32: Uint8Array, bytes: Uint8Array, at: number, w: Watcher, onMessage: MessageSink, onFrame: FrameSink): void {
  const ip = parseIpv6(bytes);
  if (ip === null || ip.fragment) return;
  const d = ip.dstBytes;
  if (ip.protocol === IPPROTO_UDP) {
    if (d[0] !== 0xff || d[12] !== low32[0] || d[13] !== low32[1] || d[14] !== low32[2] || d[15] !== low32[3]) return;
    const udp = parseUdp(ip.payload);
    if (udp !== null && udp.dstPort === cfg.port) onFrame(formatIpv6(d), udp.payload, at);
    return;
  }
  const msg = mldFromIpv6(ip);
  if (msg !== null) onMessage(w.feedMessage('mld', ip.src, msg, at));
}

/**
 * AF_PACKET on the interface for the group's family: IGMP / MLD into a Watcher (times relative
 * to t0, observations to hooks), the frames of the group's MAC and UDP port to onFrame.
 */
export function tap(cfg: SnoopConfig, t0: number, hooks: SnoopHooks, onFrame: FrameSink): Tap {
  const watcher = new Watcher(localAddresses());
  const mac = groupMac(cfg.group) ?? '';
  const low32 = (parseIpv6Text(cfg.group) ?? new Uint8Array(16)).subarray(12, 16);
  const onMessage: MessageSink = (obs) => {
    for (const o of obs) hooks.onObservation?.({ ...o, atSec: Math.round(o.atSec * 1000) / 1000 });
  };
  const { capture, reason } = openCapture(cfg.interface, { promisc: true, mode: 'packet', family: cfg.family }, (bytes, at) => {
    if (cfg.family === 6) tapIpv6(cfg, low32, bytes, at - t0, watcher, onMessage, (dst, p) => onFrame(dst, p, at));
    else tapIpv4(cfg, mac, bytes, at - t0, watcher, onMessage, (dst, p) => onFrame(dst, p, at));
  });
  return { capture, reason, watcher };
}

