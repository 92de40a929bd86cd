/**
 * --profile totem results, pure: the corosync.conf(5) rule for the configured window, and the
 * window against a receive buffer. The kernel charges each queued datagram its skb truesize
 * (payload plus the buffer it was allocated in and the sk_buff itself), not its payload, so the
 * prediction uses the truesize measured on this host (profile/truesize.ts), never a constant.
 */
import { COROSYNC_WINDOW_RULE_BYTES, maxWindowSizeForNetmtu } from '../config/profile.js';
import type { TotemProfileConfig } from '../config/types.js';
import type { ReceiverEnd, SenderEnd, TotemBufferCheck, TotemProfileResult } from '../report/model.js';
import type { TruesizeProbe } from './truesize.js';

/** The rule and the offered load, from the configuration alone (what `send` can say). */
export function totemRule(p: TotemProfileConfig): TotemProfileResult {
  const maxWindow = maxWindowSizeForNetmtu(p.netmtuBytes);
  const packetsPerSecond = p.windowSize / (p.tokenRotationMs / 1000);
  return {
    name: 'totem',
    windowSize: p.windowSize,
    netmtuBytes: p.netmtuBytes,
    ipUdpHeaderBytes: p.ipUdpHeaderBytes,
    datagramBytes: p.datagramBytes,
    tokenRotationMs: p.tokenRotationMs,
    windowBytes: p.windowSize * p.datagramBytes,
    packetsPerSecond,
    bitsPerSecond: packetsPerSecond * p.datagramBytes * 8,
    corosyncRuleBytes: COROSYNC_WINDOW_RULE_BYTES,
    maxWindowSizeForNetmtu: maxWindow,
    withinCorosyncRule: p.windowSize <= maxWindow,
    buffer: null,
  };
}

/** The window against the receive buffer of a run whose both ends are here (loopback, compare). */
export function totemBufferCheck(p: TotemProfileConfig, end: ReceiverEnd & { sender: SenderEnd }, probe: TruesizeProbe | null): TotemBufferCheck {
  const rcvbuf = end.socket.rcvbufGrantedBytes;
  const truesize = probe?.truesizeBytes ?? null;
  // The kernel queues a datagram while the charged total stays within the buffer (Linux 6.x
  // __udp_enqueue_schedule_skb; older kernels let one more in).
  const holds = truesize === null || truesize <= 0 ? null : Math.floor(rcvbuf / truesize);
  const lost = end.total.lostPackets;
  return {
    rcvbufGrantedBytes: rcvbuf,
    truesizeBytes: truesize,
    truesizeProbe: probe === null ? null : { datagrams: probe.datagrams, queuedBytes: probe.queuedBytes },
    windowTruesizeBytes: truesize === null ? null : p.windowSize * truesize,
    bufferHoldsDatagrams: holds,
    windowFitsBuffer: holds === null ? null : p.windowSize <= holds,
    sentPackets: end.sender.total.packets,
    lostPackets: lost,
    droppedBySocketPackets: end.reconciliation.droppedBySocket,
    lostBeforeSocketPackets: end.reconciliation.lostBeforeSocket,
    socketDrops: end.kernel.socketDrops,
    peakRxQueueBytes: end.kernel.peakRxQueueBytes,
    peakQueueFraction: end.kernel.peakQueueFraction,
    peakQueuedDatagrams: truesize === null || truesize <= 0 ? null : Math.round(end.kernel.peakRxQueueBytes / truesize),
    survived: lost === 0 && end.kernel.socketDrops === 0,
  };
}

export function totemResult(p: TotemProfileConfig, end: ReceiverEnd & { sender: SenderEnd }, probe: TruesizeProbe | null): TotemProfileResult {
  return { ...totemRule(p), buffer: totemBufferCheck(p, end, probe) };
}
