/**
 * Rules per interface (up, non-loopback ones; every interface is listed in one summary).
 * Thresholds:
 * - MTU below 1500: info; a datagram above MTU - 28 B (IPv4) is fragmented, and losing one
 *   fragment loses the datagram (corosync#34 needed netmtu 1480).
 * - up without IFF_MULTICAST: warn; the interface cannot join groups.
 * - effective rp_filter 1 (strict): info; multicast from a source whose route back leaves by
 *   another interface (off-subnet sources, asymmetric routes) is dropped before any socket.
 * - RX ring below the driver's maximum: info, with `ethtool -G IF rx MAX`.
 * - rx_missed_errors or rx_fifo_errors: info (the NIC ran out of ring slots).
 * - a bridge with snooping on and its querier off: info (netlab §2: it floods with no querier).
 */
import { finding, sysctlFix } from './fix.js';
import type { DoctorReport, Finding, InterfaceInfo } from './model.js';

const ETHERNET_MTU_BYTES = 1500;
/** IPv4 (20) + UDP (8) headers. */
const IPV4_UDP_HEADERS_BYTES = 28;

function summary(r: DoctorReport): Finding {
  const rows = r.interfaces.map((i) => {
    const flags = [i.up ? 'up' : 'down', i.multicast ? 'multicast' : 'no-multicast', i.loopback ? 'loopback' : i.virtual ? 'virtual' : 'nic'];
    return `${i.name} (mtu ${i.mtuBytes ?? '?'}, ${flags.join(', ')}, rp_filter ${i.rpFilterEffective ?? '?'}, force_igmp_version ${i.forceIgmpVersion.value ?? '?'})`;
  });
  return finding('interfaces', 'ok', `${r.interfaces.length} interfaces`, rows.join('; ') || 'none found');
}

function mtu(i: InterfaceInfo): Finding[] {
  if (i.mtuBytes === null || i.mtuBytes >= ETHERNET_MTU_BYTES) return [];
  const payload = i.mtuBytes - IPV4_UDP_HEADERS_BYTES;
  return [
    finding(
      `mtu:${i.name}`,
      'info',
      `${i.name} has MTU ${i.mtuBytes}, below ${ETHERNET_MTU_BYTES}`,
      `UDP payloads above ${payload} B (IPv4; ${i.mtuBytes - 48} B for IPv6) are fragmented there, and one lost fragment loses the datagram. ` +
        'Raise the MTU only if the whole path carries it; otherwise keep datagrams under it.',
      [`ip link set dev ${i.name} mtu ${ETHERNET_MTU_BYTES}`, `mcastbench send --size ${payload} ...`],
    ),
  ];
}

function multicastFlag(i: InterfaceInfo): Finding[] {
  if (i.multicast) return [];
  return [finding(`multicast-flag:${i.name}`, 'warn', `${i.name} is up without the MULTICAST flag`, 'It cannot join groups or send multicast.', [`ip link set dev ${i.name} multicast on`])];
}

function rpFilter(i: InterfaceInfo, r: DoctorReport): Finding[] {
  if (i.rpFilterEffective !== 1) return [];
  const all = r.sysctls.rpFilterAll.value;
  return [
    finding(
      `rp-filter:${i.name}`,
      'info',
      `${i.name} uses strict reverse-path filtering (rp_filter ${i.rpFilter.value ?? '?'}, all ${all ?? '?'})`,
      `Multicast whose source is not routed back through ${i.name} (senders off this subnet, asymmetric routes, a second NIC on the same network) ` +
        'is dropped before any socket sees it, and only TcpExt IPReversePathFilter counts it. Loose mode (2) keeps the check ' +
        'against spoofed sources. The kernel applies max(all, interface), so setting the interface to 2 is enough.',
      sysctlFix(`net.ipv4.conf.${i.name.replace(/\./g, '/')}.rp_filter`, 2),
    ),
  ];
}

function ring(i: InterfaceInfo): Finding[] {
  const out: Finding[] = [];
  if (i.rings.status === 'ok' && i.rings.rxPending < i.rings.rxMax) {
    out.push(
      finding(
        `ring:${i.name}`,
        'info',
        `${i.name} RX ring is ${i.rings.rxPending} of a possible ${i.rings.rxMax}`,
        'A longer ring absorbs bursts while the CPU is busy (drops show as rx_missed_errors / rx_fifo_errors).',
        [`ethtool -G ${i.name} rx ${i.rings.rxMax}`],
      ),
    );
  }
  const nicDrops = (i.rxMissedErrors ?? 0) + (i.rxFifoErrors ?? 0);
  if (nicDrops > 0) {
    out.push(
      finding(
        `nic-drops:${i.name}`,
        'info',
        `${i.name} NIC dropped ${nicDrops} frames since boot (rx_missed_errors ${i.rxMissedErrors ?? 0}, rx_fifo_errors ${i.rxFifoErrors ?? 0})`,
        'The NIC had no free ring slot. These never reach the kernel counters.',
        [`ethtool -S ${i.name}`, `ethtool -g ${i.name}`],
      ),
    );
  }
  return out;
}

function ringsUnavailable(r: DoctorReport, nics: InterfaceInfo[]): Finding[] {
  const missing = nics.filter((i) => i.rings.status === 'unavailable');
  if (missing.length === 0) return [];
  const reasons = missing.map((i) => `${i.name}: ${i.rings.status === 'unavailable' ? i.rings.reason : ''}`).join('; ');
  const noTool = missing.some((i) => i.rings.status === 'unavailable' && i.rings.reason === 'ethtool is not installed');
  return [finding('rings', 'info', 'NIC ring sizes not known', reasons, noTool ? ['apt-get install ethtool', ...missing.map((i) => `ethtool -g ${i.name}`)] : [])];
}

function bridge(i: InterfaceInfo): Finding[] {
  if (i.bridge === null || i.bridge.multicastSnooping !== 1 || i.bridge.multicastQuerier !== 0) return [];
  return [
    finding(
      `bridge-querier:${i.name}`,
      'info',
      `Bridge ${i.name} snoops IGMP but has no querier of its own`,
      'A Linux bridge with snooping and no querier heard floods multicast to every port; with a querier it forwards by membership. ' +
        'Hardware switches in the same state often drop instead. Enable a querier here only if no router or switch on the segment is one.',
      [`ip link set dev ${i.name} type bridge mcast_querier 1`],
    ),
  ];
}

export function interfaceFindings(r: DoctorReport): Finding[] {
  const active = r.interfaces.filter((i) => i.up && !i.loopback);
  const nics = active.filter((i) => !i.virtual);
  return [
    summary(r),
    ...active.flatMap((i) => [...mtu(i), ...multicastFlag(i), ...rpFilter(i, r), ...ring(i), ...bridge(i)]),
    ...ringsUnavailable(r, nics),
  ];
}
