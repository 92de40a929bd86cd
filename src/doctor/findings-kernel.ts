/**
 * Rules for the receive path below the socket and for counters since boot. Thresholds:
 * - netdev_max_backlog below 1000 (the kernel default): info.
 * - any softnet_stat "dropped" (backlog full): warn, suggest doubling netdev_max_backlog.
 * - any time_squeeze: info (NAPI ran out of budget; a sign of a busy CPU, not loss by itself).
 * - Udp RcvbufErrors, SndbufErrors or InCsumErrors since boot: warn. They may be old or from
 *   another program: what matters is whether they grow during a run (nstat shows deltas).
 * - rp_filter drops (TcpExt IPReversePathFilter) since boot: warn.
 * - igmp_max_memberships below 20 (the kernel default): warn; the next join fails with ENOBUFS.
 */
import type { UdpSnmp } from '../kernel/proc-net.js';
import { finding, globalNote, isReadable, sysctlFix, unavailable } from './fix.js';
import type { DoctorReport, Finding } from './model.js';

export const BACKLOG_DEFAULT_PACKETS = 1000;
export const IGMP_MAX_MEMBERSHIPS_DEFAULT = 20;

function backlog(r: DoctorReport): Finding {
  const reading = r.sysctls.netdevMaxBacklogPackets;
  if (!isReadable(reading)) {
    return unavailable('netdev-max-backlog', reading, 'The per-CPU input queue limit is global; run doctor in the initial network namespace to see it.');
  }
  if (reading.value >= BACKLOG_DEFAULT_PACKETS) {
    return finding('netdev-max-backlog', 'ok', `net.core.netdev_max_backlog is ${reading.value} packets`, 'Per-CPU input queue before the protocol layers.');
  }
  return finding(
    'netdev-max-backlog',
    'info',
    `net.core.netdev_max_backlog is ${reading.value}, below the default ${BACKLOG_DEFAULT_PACKETS}`,
    `Packets beyond it per CPU are dropped before any socket sees them (softnet_stat "dropped").${globalNote(r)}`,
    sysctlFix('net.core.netdev_max_backlog', BACKLOG_DEFAULT_PACKETS),
  );
}

function softnet(r: DoctorReport): Finding[] {
  if (r.softnet === null) return [finding('softnet', 'info', '/proc/net/softnet_stat is missing', 'Per-CPU backlog drops cannot be checked.')];
  const dropped = r.softnet.filter((c) => c.droppedPackets > 0);
  const squeezed = r.softnet.filter((c) => c.timeSqueezeCount > 0);
  const list = (cs: typeof dropped, f: (c: (typeof dropped)[number]) => number): string => cs.map((c) => `cpu${c.cpu} ${f(c)}`).join(', ');
  const out: Finding[] = [];
  const current = r.sysctls.netdevMaxBacklogPackets.value;
  if (dropped.length > 0) {
    out.push(
      finding(
        'softnet-drops',
        'warn',
        `softnet_stat: ${dropped.reduce((a, c) => a + c.droppedPackets, 0)} packets dropped at the per-CPU backlog since boot`,
        `${list(dropped, (c) => c.droppedPackets)}. The backlog (net.core.netdev_max_backlog) was full; these never reach a socket or /proc/net/snmp. Machine-wide counters.`,
        sysctlFix('net.core.netdev_max_backlog', Math.max(2 * (current ?? BACKLOG_DEFAULT_PACKETS), 2 * BACKLOG_DEFAULT_PACKETS)),
      ),
    );
  } else {
    out.push(finding('softnet-drops', 'ok', `softnet_stat: no backlog drops on ${r.softnet.length} CPUs`, 'Machine-wide counters since boot.'));
  }
  if (squeezed.length > 0) {
    out.push(
      finding(
        'softnet-squeeze',
        'info',
        `softnet_stat: the receive softirq ran out of budget ${plural(squeezed.reduce((a, c) => a + c.timeSqueezeCount, 0), 'time')}`,
        `${list(squeezed, (c) => c.timeSqueezeCount)}. Not loss by itself; if it grows with softnet drops, give NAPI more budget.`,
        sysctlFix('net.core.netdev_budget', 600),
      ),
    );
  }
  return out;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function udpCounters(label: string, c: UdpSnmp): string {
  return `${label}: InDatagrams ${c.inDatagrams}, InErrors ${c.inErrors}, RcvbufErrors ${c.rcvbufErrors}, SndbufErrors ${c.sndbufErrors}, InCsumErrors ${c.inCsumErrors}, NoPorts ${c.noPorts}`;
}

function udpErrors(r: DoctorReport): Finding {
  const { v4, v6 } = r.udpSinceBoot;
  if (v4 === null && v6 === null) return finding('udp-errors', 'info', '/proc/net/snmp is missing', 'UDP error counters cannot be checked.');
  const rows = [v4 && udpCounters('Udp', v4), v6 && udpCounters('Udp6', v6)].filter((x): x is string => Boolean(x));
  const bad = [v4, v6].some((c) => c !== null && c.rcvbufErrors + c.sndbufErrors + c.inCsumErrors > 0);
  if (!bad) return finding('udp-errors', 'ok', 'No UDP buffer or checksum errors since boot in this namespace', rows.join('. '));
  return finding(
    'udp-errors',
    'warn',
    'UDP buffer or checksum errors since boot in this namespace',
    `${rows.join('. ')}. RcvbufErrors: a socket's receive buffer was full; SndbufErrors: a send buffer was; InCsumErrors: corrupted datagrams. ` +
      'These count every socket since boot: watch whether they grow while your application runs.',
    ['nstat -az UdpInErrors UdpRcvbufErrors UdpSndbufErrors UdpInCsumErrors Udp6RcvbufErrors', 'ss -uamn'],
  );
}

function rpFilterDrops(r: DoctorReport): Finding[] {
  const n = r.rpFilterDropsSinceBoot;
  if (n === null || n === 0) return [];
  return [
    finding(
      'rp-filter-drops',
      'warn',
      `Reverse-path filtering dropped ${n} packets since boot in this namespace`,
      'TcpExt IPReversePathFilter counts packets rp_filter rejected because the route back to their source leaves by another interface; multicast from off-subnet sources is a common case. See the rp-filter findings per interface.',
      ['nstat -az TcpExtIPReversePathFilter'],
    ),
  ];
}

function igmpMax(r: DoctorReport): Finding {
  const m = r.sysctls.igmpMaxMemberships;
  const msf = r.sysctls.igmpMaxMsf.value;
  if (!isReadable(m)) return unavailable('igmp-max-memberships', m, 'The per-socket group limit could not be read.');
  const detail = `Per socket and per network namespace: a socket's join number ${m.value + 1} fails with ENOBUFS ("No buffer space available").` +
    (msf !== null ? ` net.ipv4.igmp_max_msf is ${msf} (source filters per socket, for SSM).` : '');
  if (m.value >= IGMP_MAX_MEMBERSHIPS_DEFAULT) return finding('igmp-max-memberships', 'ok', `net.ipv4.igmp_max_memberships is ${m.value}`, detail);
  return finding(
    'igmp-max-memberships',
    'warn',
    `net.ipv4.igmp_max_memberships is ${m.value}, below the default ${IGMP_MAX_MEMBERSHIPS_DEFAULT}`,
    detail,
    sysctlFix('net.ipv4.igmp_max_memberships', IGMP_MAX_MEMBERSHIPS_DEFAULT),
  );
}

export function kernelFindings(r: DoctorReport): Finding[] {
  return [backlog(r), ...softnet(r), udpErrors(r), ...rpFilterDrops(r), igmpMax(r)];
}
