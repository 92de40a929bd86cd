import { describe, expect, it } from 'vitest';
import {
  parseIperf2Client,
  parseIperf2Server,
  parseIperf3Json,
  parseProcNetUdpPort,
  parseProcStatTicks,
  parseSnmpUdp,
  parseSockperfPp,
  parseSockperfTp,
  parseVmRssKb,
  tcpListening,
} from '../../src/bench/parsers.js';

// Captured from iperf 2.1.8, iperf3 3.12 and sockperf 3.7 on Debian 12.
const IPERF2_CLIENT = `------------------------------------------------------------
Client connecting to 127.0.0.1, UDP port 5301 with pid 14640 (1 flows)
TOS set to 0x0 (Nagle on)
Sending 1470 byte datagrams, IPG target: 0.12 us (kalman adjust)
UDP buffer size:  208 KByte (default)
------------------------------------------------------------
[  1] local 127.0.0.1%lo port 59827 connected with 127.0.0.1 port 5301 (sock=3) on 2026-11-22 01:50:47 (UTC)
[ ID] Interval            Transfer     Bandwidth      Write/Err  PPS
[  1] 0.0000-1.0000 sec   359 MBytes  3.01 Gbits/sec  255920/0   255920 pps
[  1] Sent 255922 datagrams
[  1] Server Report:
[ ID] Interval            Transfer     Bandwidth        Jitter   Lost/Total  Latency avg/min/max/stdev PPS  Rx/inP  NetPwr
[  1] 0.0000-0.9998 sec  83.0 MBytes   696 Mbits/sec   0.000 ms 196749/255921 (77%) 0.001/0.000/0.454/0.013 ms 255965 pps 255965/0(3) pkts 68297417
`;

const IPERF2_CLIENT_INTERVALS = `[ ID] Interval            Transfer     Bandwidth      Write/Err  PPS
[  1] 0.0000-1.0000 sec   120 MBytes  1.01 Gbits/sec  85000/0   85000 pps
[  1] 1.0000-2.0000 sec   120 MBytes  1.01 Gbits/sec  86000/0   86000 pps
[  1] 0.0000-2.0000 sec   240 MBytes  2.02 Gbits/sec  171000/0   85500 pps
[  1] Sent 171002 datagrams
`;

const IPERF2_SERVER_HIST = `------------------------------------------------------------
Server listening on UDP port 5311 with pid 14963
Enabled receive histograms bin-width=0.001 ms, bins=100000 (clients should use --trip-times)
------------------------------------------------------------
[  1] local 127.0.0.1%lo port 5311 connected with 127.0.0.1 port 35852 (trip-times) (sock=3) (peer 2.1.8) on 2026-11-22 01:50:58 (UTC)
[ ID] Interval            Transfer     Bandwidth        Jitter   Lost/Total  Latency avg/min/max/stdev PPS  Rx/inP  NetPwr
[  1] 0.0000-1.0011 sec  1.41 MBytes  11.8 Mbits/sec   0.001 ms 0/1003 (0%) 0.003/0.000/0.055/0.003 ms 1002 pps 1003/0(0) pkts 490272
[  1] 0.0000-1.0011 sec T8(f)-PDF: bin(w=1us):cnt(1003)=1:3,2:352,3:272,4:98,5:53,6:45,7:56,8:63,9:36,10:9,11:5,12:1,13:5,14:1,15:1,18:1,21:1,56:1 (5.00/95.00/99.7%=2/9/15,Outliers=1,obl/obu=0/0)
`;

const IPERF3_JSON = JSON.stringify({
  start: {},
  intervals: [],
  end: {
    streams: [],
    sum: { start: 0, end: 1.002494, seconds: 1.002494, bytes: 341863200, bits_per_second: 2732929691.8, jitter_ms: 0.133, lost_packets: 159779, packets: 232560, lost_percent: 68.7, sender: true },
    cpu_utilization_percent: { host_total: 30.5 },
  },
});

const SOCKPERF_TP = `sockperf: \x1b[2;35m== version #3.7-no.git == \x1b[0m
sockperf[CLIENT] send on:
[ 0] IP = 127.0.0.1       PORT =  5303 # UDP
sockperf: Warmup stage (sending a few dummy messages)...
sockperf: Starting test...
sockperf: Test end (interrupted by timer)
sockperf: Test ended
sockperf: Total of 227708 messages sent in 1.001 sec

sockperf: \x1b[2;35mNOTE: test was performed, using msg-size=1470. For getting maximum throughput consider using --msg-size=1472\x1b[0m
sockperf: Summary: Message Rate is 227518 [msg/sec]
sockperf: Summary: BandWidth is 318.958 MBps (2551.662 Mbps)
`;

const SOCKPERF_PP = `sockperf: [Total Run] RunTime=1.000 sec; Warm up time=400 msec; SentMessages=1001; ReceivedMessages=1001
sockperf: ========= Printing statistics for Server No: 0
sockperf: [Valid Duration] RunTime=0.546 sec; SentMessages=554; ReceivedMessages=554
sockperf: \x1b[2;35m====> avg-rtt=279.790 (std-dev=3197.295)\x1b[0m
sockperf: # dropped messages = 0; # duplicated messages = 0; # out-of-order messages = 0
sockperf: Summary: Round trip is 279.790 usec
sockperf: \x1b[2;35mTotal 554 observations\x1b[0m; each percentile contains 5.54 observations
sockperf: ---> <MAX> observation = 73725.793
sockperf: ---> percentile 99.999 = 73725.793
sockperf: ---> percentile 99.990 = 73725.793
sockperf: ---> percentile 99.900 = 10004.156
sockperf: ---> percentile 99.000 = 3447.287
sockperf: ---> percentile 90.000 =  238.747
sockperf: ---> percentile 75.000 =   20.106
sockperf: ---> percentile 50.000 =   16.413
sockperf: ---> percentile 25.000 =   14.957
sockperf: ---> <MIN> observation =   11.518
`;

describe('iperf 2 parsers', () => {
  it('client: writes and pps from the whole-run line, ignoring the server report', () => {
    const c = parseIperf2Client(IPERF2_CLIENT);
    expect(c.sentDatagrams).toBe(255920);
    expect(c.durationSec).toBe(1);
    expect(c.sentPps).toBe(255920);
    expect(c.serverLost).toBe(196749);
    expect(c.serverTotal).toBe(255921);
  });

  it('client: with interval lines, takes the longest span (the total)', () => {
    const c = parseIperf2Client(IPERF2_CLIENT_INTERVALS);
    expect(c.sentDatagrams).toBe(171000);
    expect(c.sentPps).toBe(85500);
    expect(c.serverLost).toBeNull();
  });

  it('client: garbage gives nulls', () => {
    expect(parseIperf2Client('connect failed: Connection refused')).toEqual({ sentDatagrams: null, durationSec: null, sentPps: null, serverLost: null, serverTotal: null });
  });

  it('server: loss, latency and histogram percentiles in us', () => {
    const s = parseIperf2Server(IPERF2_SERVER_HIST);
    expect(s.lost).toBe(0);
    expect(s.total).toBe(1003);
    expect(s.latencyAvgUs).toBeCloseTo(3, 6);
    expect(s.latencyMaxUs).toBeCloseTo(55, 6);
    expect(s.histogramSamples).toBe(1003);
    expect(s.latencyP50Us).toBe(3); // 3 + 352 = 355 < 502 <= 627
    expect(s.latencyP99Us).toBe(12); // rank ceil(0.99 x 1003) = 993 falls in bin 12
  });
});

describe('iperf3 and sockperf parsers', () => {
  it('iperf3 -J: sent packets and pps, loss', () => {
    const j = parseIperf3Json(IPERF3_JSON);
    expect(j.sentPackets).toBe(232560);
    expect(j.sentPps).toBeCloseTo(232560 / 1.002494, 3);
    expect(j.lostPackets).toBe(159779);
    expect(j.error).toBeNull();
    expect(parseIperf3Json('{"error": "unable to connect"}').error).toBe('unable to connect');
    expect(parseIperf3Json('not json').error).toMatch(/not JSON/);
  });

  it('sockperf tp: message rate and totals, through ANSI colours', () => {
    expect(parseSockperfTp(SOCKPERF_TP)).toEqual({ sentMessages: 227708, seconds: 1.001, messageRate: 227518 });
    expect(parseSockperfTp('')).toEqual({ sentMessages: null, seconds: null, messageRate: null });
  });

  it('sockperf pp: percentiles of the round trip', () => {
    const p = parseSockperfPp(SOCKPERF_PP);
    expect(p.p50Us).toBeCloseTo(16.413, 6);
    expect(p.p99Us).toBeCloseTo(3447.287, 6);
    expect(p.p999Us).toBeCloseTo(10004.156, 6);
    expect(p.avgUs).toBeCloseTo(279.79, 6);
    expect(p.maxUs).toBeCloseTo(73725.793, 6);
    expect(p.observations).toBe(554);
    expect(p.dropped).toBe(0);
  });
});

describe('/proc parsers', () => {
  it('stat: utime + stime, with a comm containing spaces and parens', () => {
    expect(parseProcStatTicks('17985 (cat) R 17981 17981 10132 0 -1 4194304 100 0 0 0 7 3 0 0 20 0 1 0 117844 3133440 380')).toBe(10);
    expect(parseProcStatTicks('42 (a b) c)) S 1 1 1 0 -1 0 0 0 0 0 120 30 0 0 20 0 4 0 1 2 3')).toBe(150);
    expect(parseProcStatTicks('nonsense')).toBeNull();
  });

  it('status: VmRSS', () => {
    expect(parseVmRssKb('Name:\tnode\nVmPeak:\t  999 kB\nVmRSS:\t   51234 kB\n')).toBe(51234);
    expect(parseVmRssKb('Name:\tzombie\n')).toBeNull();
  });

  it('snmp: the Udp line pair', () => {
    const t = 'Ip: Forwarding DefaultTTL\nIp: 1 64\nUdp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors\nUdp: 10 1 5 20 5 0\nUdpLite: InDatagrams\nUdpLite: 0\n';
    expect(parseSnmpUdp(t)).toEqual({ InDatagrams: 10, NoPorts: 1, InErrors: 5, OutDatagrams: 20, RcvbufErrors: 5, SndbufErrors: 0 });
  });

  it('net/udp: rx_queue (hex) and drops of one port; net/tcp listening', () => {
    const udp = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  100: 0100007F:4E21 00000000:0000 07 00000000:00001A00 00:00000000 00000000     0        0 1234 2 0000000000000000 7
  101: 00000000:4E22 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1235 2 0000000000000000 0
`;
    expect(parseProcNetUdpPort(udp, 20001)).toEqual({ rxQueueBytes: 0x1a00, drops: 7, sockets: 1 });
    expect(parseProcNetUdpPort(udp, 20003)).toEqual({ rxQueueBytes: 0, drops: 0, sockets: 0 });
    const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:1451 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0
   1: 0100007F:1452 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0
`;
    expect(tcpListening(tcp, 5201)).toBe(true);
    expect(tcpListening(tcp, 5202)).toBe(false);
  });
});
