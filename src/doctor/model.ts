/**
 * What `mcastbench doctor` reads from the host (DoctorReport) and what it concludes (Finding).
 * The report is plain data with units in the names; inspect.ts fills it, findings.ts judges it,
 * render.ts prints it. `--json` prints both as they are.
 *
 * Everything is read from the network namespace the process runs in. Some values are global
 * (net.core.*, softnet_stat) and some exist only in the initial namespace (net.ipv4.udp_mem,
 * net.core.netdev_max_backlog): a reading that is absent says so instead of failing.
 */
import type { UdpSnmp } from '../kernel/proc-net.js';

export const DOCTOR_SCHEMA_VERSION = 1;

/** The reason given for a /proc/sys file that does not exist in this namespace. */
export const NOT_IN_NAMESPACE = 'not available in this namespace';

/** One integer sysctl. `key` is the dotted name `sysctl` takes (net.core.rmem_max). */
export interface SysctlReading {
  key: string;
  value: number | null;
  /** Why value is null: NOT_IN_NAMESPACE, or "unreadable". */
  unavailable?: string;
}

export interface UdpMemReading {
  key: 'net.ipv4.udp_mem';
  /** min / pressure / max, in pages, for all UDP sockets of the machine together. */
  pages: { min: number; pressure: number; max: number } | null;
  unavailable?: string;
}

/** One row of /proc/net/softnet_stat (one CPU). The counters are machine-wide, since boot. */
export interface SoftnetCpu {
  cpu: number;
  processedPackets: number;
  /** Packets dropped because this CPU's backlog held netdev_max_backlog already. */
  droppedPackets: number;
  /** Times the NAPI poll ran out of budget (netdev_budget / netdev_budget_usecs) with work left. */
  timeSqueezeCount: number;
}

export type RingReading =
  | { status: 'ok'; rxPending: number; rxMax: number; txPending: number | null; txMax: number | null }
  | { status: 'unavailable'; reason: string };

export interface BridgeInfo {
  /** /sys/class/net/BR/bridge/multicast_snooping */
  multicastSnooping: number | null;
  /** /sys/class/net/BR/bridge/multicast_querier: the bridge's own querier */
  multicastQuerier: number | null;
}

export interface InterfaceInfo {
  name: string;
  ifindex: number | null;
  mtuBytes: number | null;
  operState: string | null;
  /** IFF_UP, IFF_MULTICAST and IFF_LOOPBACK from /sys/class/net/IF/flags. */
  up: boolean;
  multicast: boolean;
  loopback: boolean;
  /** No /sys/class/net/IF/device: veth, bridge, tunnel... (no NIC ring to size). */
  virtual: boolean;
  rpFilter: SysctlReading;
  /** What the kernel applies: max(conf.all.rp_filter, conf.IF.rp_filter). 0 off, 1 strict, 2 loose. */
  rpFilterEffective: number | null;
  forceIgmpVersion: SysctlReading;
  /**
   * 1 or 2 when conf.all or conf.IF forces that version (the kernel checks both), else 0.
   * 3 counts as 0: it does not stop an older querier from downgrading the host.
   */
  forceIgmpVersionEffective: 0 | 1 | 2 | null;
  forceMldVersion: SysctlReading;
  rxDroppedPackets: number | null;
  rxMissedErrors: number | null;
  rxFifoErrors: number | null;
  rings: RingReading;
  bridge: BridgeInfo | null;
}

/** An interface block of /proc/net/igmp. */
export interface IgmpInterface {
  ifindex: number;
  device: string;
  groupCount: number;
  /**
   * The "Querier" column: the host's IGMP compatibility mode (V1/V2 when forced or when an
   * older querier was heard recently, else V3). Not proof that any querier exists.
   */
  compatMode: string;
  groups: IgmpGroup[];
}

export interface IgmpGroup {
  group: string;
  users: number;
  /** A report is pending (after a join or a received query). */
  timerRunning: boolean;
  /** Time until that report, in ms (the file prints clock ticks, USER_HZ = 100). */
  timerMs: number;
  /** 1 if this host sent the last report for the group. */
  reporter: number;
}

/** A line of /proc/net/igmp6. */
export interface Igmp6Group {
  ifindex: number;
  device: string;
  group: string;
  users: number;
  flags: number;
  timerMs: number;
}

/** A source filter from /proc/net/mcfilter or mcfilter6 (SSM joins, or exclude lists). */
export interface McFilter {
  ifindex: number;
  /** The kernel prints at most 6 characters of the device name here. */
  device: string;
  group: string;
  source: string;
  includeCount: number;
  excludeCount: number;
}

export interface DoctorReport {
  schemaVersion: typeof DOCTOR_SCHEMA_VERSION;
  kernelRelease: string;
  /**
   * true in the initial network namespace, false in a child one (there net.core.* is read-only:
   * mode 0444), null if that could not be told.
   */
  initialNetns: boolean | null;
  targetRcvbufBytes: number;
  pageSizeBytes: number;
  sysctls: {
    rmemDefaultBytes: SysctlReading;
    rmemMaxBytes: SysctlReading;
    wmemDefaultBytes: SysctlReading;
    wmemMaxBytes: SysctlReading;
    udpMemPages: UdpMemReading;
    udpRmemMinBytes: SysctlReading;
    netdevMaxBacklogPackets: SysctlReading;
    netdevBudgetPackets: SysctlReading;
    igmpMaxMemberships: SysctlReading;
    igmpMaxMsf: SysctlReading;
    rpFilterAll: SysctlReading;
    forceIgmpVersionAll: SysctlReading;
    forceMldVersionAll: SysctlReading;
  };
  /** null when /proc/net/softnet_stat is missing. */
  softnet: SoftnetCpu[] | null;
  /** Namespace-wide counters since boot (or since the namespace was made). null: file missing. */
  udpSinceBoot: { v4: UdpSnmp | null; v6: UdpSnmp | null };
  /** TcpExt IPReversePathFilter of /proc/net/netstat: packets rp_filter dropped, since boot. */
  rpFilterDropsSinceBoot: number | null;
  interfaces: InterfaceInfo[];
  /** null when the file does not exist (e.g. IPv6 disabled for igmp6). */
  igmp: IgmpInterface[] | null;
  igmp6: Igmp6Group[] | null;
  mcfilter: McFilter[] | null;
  mcfilter6: McFilter[] | null;
}

export type Severity = 'ok' | 'info' | 'warn';

export interface Finding {
  /** Stable identifier, e.g. "rmem-max" or "rp-filter:eth0". */
  id: string;
  severity: Severity;
  title: string;
  detail: string;
  /** Exact commands to run (doctor never runs them). Empty when there is nothing to do. */
  fix: string[];
}

export interface DoctorDocument {
  schemaVersion: typeof DOCTOR_SCHEMA_VERSION;
  report: DoctorReport;
  findings: Finding[];
}
