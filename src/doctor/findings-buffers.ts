/**
 * Rules for socket buffers and UDP memory. Thresholds:
 * - rmem_max below --target-rcvbuf (default 26214400, the Corosync figure): warn. SO_RCVBUF is
 *   silently capped at rmem_max (the socket gets 2 x the capped value) and the overflow shows
 *   only as RcvbufErrors (netlab §3: 212992 lost 9912 of 20000 in a 1 s stall, 25 MiB lost 0).
 * - rmem_default / wmem_default below 212992 (the kernel's stock value): info; someone lowered
 *   them, and every socket that never sets a size gets that.
 * - wmem_max below 4 MiB: info. A full send buffer blocks or fails the send (SndbufErrors) rather
 *   than losing data silently; 4 MiB is ESnet's UDP figure (esnet/iperf#495).
 * - udp_mem max (pages x page size) below the target: warn, since one full buffer of the target
 *   size would hit the machine-wide UDP limit (drops counted as MemErrors).
 */
import { bytes, finding, globalNote, isReadable, sysctlFix, unavailable } from './fix.js';
import type { DoctorReport, Finding } from './model.js';

export const STOCK_RMEM_BYTES = 212992;
export const WMEM_MAX_ADVISED_BYTES = 4 * 1024 * 1024;

function rmemMax(r: DoctorReport): Finding {
  const reading = r.sysctls.rmemMaxBytes;
  if (!isReadable(reading)) return unavailable('rmem-max', reading, 'SO_RCVBUF requests are capped at this value; it could not be read.');
  const target = r.targetRcvbufBytes;
  const granted = 2 * Math.min(target, reading.value);
  if (reading.value >= target) {
    return finding('rmem-max', 'ok', `net.core.rmem_max is ${bytes(reading.value)}, at least the ${target} B target`, `A --rcvbuf of ${target} is granted in full (the kernel doubles it to ${2 * target} for bookkeeping).`);
  }
  return finding(
    'rmem-max',
    'warn',
    `net.core.rmem_max is ${bytes(reading.value)}, below the ${bytes(target)} target`,
    `A socket asking for ${target} B is silently capped: it gets ${granted} B (2 x ${reading.value}). Datagrams that arrive while the buffer is full ` +
      `are dropped and counted only in RcvbufErrors (the Corosync "FAILED TO RECEIVE" story). Node's dgram cannot exceed the cap; ` +
      `mcastbench receive --rcvbuf-force can (SO_RCVBUFFORCE, needs CAP_NET_ADMIN).${globalNote(r)}`,
    sysctlFix('net.core.rmem_max', target),
  );
}

function defaultSize(id: string, reading: DoctorReport['sysctls']['rmemDefaultBytes'], what: string, r: DoctorReport): Finding {
  if (!isReadable(reading)) return unavailable(id, reading, `The ${what} buffer of sockets that never set one; it could not be read.`);
  if (reading.value >= STOCK_RMEM_BYTES) {
    return finding(id, 'ok', `${reading.key} is ${bytes(reading.value)}`, `The ${what} buffer of every socket that does not set its own.`);
  }
  return finding(
    id,
    'info',
    `${reading.key} is ${bytes(reading.value)}, below the kernel's stock ${STOCK_RMEM_BYTES}`,
    `Every socket that does not set its own ${what} buffer gets only this much.${globalNote(r)}`,
    sysctlFix(reading.key, STOCK_RMEM_BYTES),
  );
}

function wmemMax(r: DoctorReport): Finding {
  const reading = r.sysctls.wmemMaxBytes;
  if (!isReadable(reading)) return unavailable('wmem-max', reading, 'SO_SNDBUF requests are capped at this value; it could not be read.');
  if (reading.value >= WMEM_MAX_ADVISED_BYTES) {
    return finding('wmem-max', 'ok', `net.core.wmem_max is ${bytes(reading.value)}`, 'A --sndbuf up to this size is granted.');
  }
  return finding(
    'wmem-max',
    'info',
    `net.core.wmem_max is ${bytes(reading.value)}, below 4 MiB`,
    `A --sndbuf above it is capped. A full send buffer makes sends wait or fail (SndbufErrors) instead of losing data silently, ` +
      `but it limits bursts.${globalNote(r)}`,
    sysctlFix('net.core.wmem_max', WMEM_MAX_ADVISED_BYTES),
  );
}

function udpMem(r: DoctorReport): Finding {
  const reading = r.sysctls.udpMemPages;
  if (reading.pages === null) {
    return unavailable(
      'udp-mem',
      reading,
      'The machine-wide UDP memory limit (pages) exists only in the initial network namespace; run doctor there to see it.',
    );
  }
  const { min, pressure, max } = reading.pages;
  const maxBytes = max * r.pageSizeBytes;
  const text = `min ${min}, pressure ${pressure}, max ${max} pages of ${r.pageSizeBytes} B: all UDP sockets together may hold ${bytes(maxBytes)}`;
  if (maxBytes >= r.targetRcvbufBytes) return finding('udp-mem', 'ok', `net.ipv4.udp_mem allows ${bytes(maxBytes)}`, `${text}.`);
  const pages = Math.ceil((4 * r.targetRcvbufBytes) / r.pageSizeBytes);
  return finding(
    'udp-mem',
    'warn',
    `net.ipv4.udp_mem max is ${bytes(maxBytes)}, below one ${r.targetRcvbufBytes} B buffer`,
    `${text}. Above max, every UDP socket drops (MemErrors), whatever its own buffer. Suggested: room for four target-sized buffers.`,
    sysctlFix('net.ipv4.udp_mem', `${min} ${Math.max(pressure, Math.floor(pages / 2))} ${pages}`),
  );
}

export function bufferFindings(r: DoctorReport): Finding[] {
  return [
    rmemMax(r),
    defaultSize('rmem-default', r.sysctls.rmemDefaultBytes, 'receive', r),
    wmemMax(r),
    defaultSize('wmem-default', r.sysctls.wmemDefaultBytes, 'send', r),
    udpMem(r),
  ];
}
