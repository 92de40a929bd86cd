/**
 * Every default in one place, shared by validation (which applies them) and the CLI help
 * (which shows them). Flags are left without yargs defaults so validation can tell "given"
 * from "defaulted" (needed for the --rate / --burst-interval conflict).
 */
export const DEFAULTS = {
  /** iperf 2's port, so a mixed setup needs no extra flag. */
  port: 5001,
  rate: '10m',
  /** iperf 2's UDP lengths: payload + IP + UDP = 1498 bytes, inside a 1500-byte Ethernet MTU. */
  sizeV4Bytes: 1470,
  sizeV6Bytes: 1450,
  durationSec: 10,
  burst: 1,
  multicastTtl: 1,
  streams: 1,
  intervalSec: 1,
  endCopies: 3,
  countFrom: 'zero',
  backend: 'auto',
  loopback: {
    rate: '100m',
    durationSec: 5,
    /** 0 = ephemeral: the engine binds the receiver first and gives the sender its port. */
    port: 0,
    destV4: '127.0.0.1',
    destV6: '::1',
  },
  /** send --repeat: silence between runs, enough for a compare receiver to reopen (~0.5 s). */
  repeatGapSec: 2,
  /** --profile totem: corosync.conf(5) totem defaults (window_size 50, netmtu 1500); the rotation is ours (see config/profile.ts). */
  totem: { windowSize: 50, netmtuBytes: 1500, tokenRotationSec: 0.01 },
} as const;

/** Ranges, shown in help and in errors. */
export const LIMITS = {
  port: { min: 1, max: 65535 },
  burst: { min: 1, max: 100_000 },
  count: { min: 1, max: 1e12 },
  durationSec: { min: 0.001, max: 86_400 },
  burstIntervalSec: { min: 0.000_001, max: 3600 },
  ttl: { min: 0, max: 255 },
  tos: { min: 0, max: 255 },
  dscp: { min: 0, max: 63 },
  bufBytes: { min: 1024, max: 2_147_483_647 },
  streams: { min: 1, max: 64 },
  intervalSec: { min: 0.1, max: 3600 },
  idleExitSec: { min: 0.1, max: 86_400 },
  maxLossPercent: { min: 0, max: 100 },
  pauseSec: { min: 0.001, max: 3600 },
  workUs: { min: 0, max: 100_000 },
  repeat: { min: 1, max: 1000 },
  gapSec: { min: 0, max: 3600 },
  /** receive/compare --rcvbuf lists: settings per run. */
  rcvbufSettings: { min: 1, max: 16 },
  /** Bursts further apart than this are a typo, not a test (e.g. --rate 1 with 1470-byte datagrams). */
  maxBurstIntervalSec: 3600,
  /** UDP payload limits: 65535 - IP header (20, v4 only: IPv6's 40 is outside the length field) - UDP 8. */
  maxSizeV4Bytes: 65_507,
  maxSizeV6Bytes: 65_527,
  /** --window-size: up to what overflows even a forced 25 MiB buffer (about 11,000 datagrams at a 2,304-byte truesize). */
  windowSize: { min: 1, max: 100_000 },
  /** --netmtu: 576 (RFC 791's minimum datagram) or 1280 (RFC 8200's IPv6 minimum MTU) up to 9000 (jumbo frames, corosync.conf(5)). */
  netmtuBytes: { min: 576, max: 9000 },
  netmtuV6Bytes: { min: 1280, max: 9000 },
  /** --token-rotation: 0.1 ms (a two-node ring on one switch) to 1 s (corosync's default token timeout: slower is a lost token). */
  tokenRotationSec: { min: 0.000_1, max: 1 },
} as const;

/** IP + UDP header bytes added to each payload on the wire. */
export const IP_UDP_OVERHEAD_BYTES = { 4: 28, 6: 48 } as const;
