/** Small helpers the rules share: the fix commands and how numbers read in a detail line. */
import type { DoctorReport, Finding, Severity, SysctlReading } from './model.js';

/** Where the persistent lines go: read by systemd-sysctl and procps at boot. */
export const SYSCTL_CONF = '/etc/sysctl.d/90-mcastbench.conf';

/** Set now, and keep it across reboots. */
export function sysctlFix(key: string, value: number | string): string[] {
  const arg = String(value).includes(' ') ? `"${value}"` : String(value);
  return [`sysctl -w ${key}=${arg}`, `echo '${key} = ${value}' >> ${SYSCTL_CONF}`];
}

/** "4194304 B (4 MiB)". */
export function bytes(n: number): string {
  const units: Array<[number, string]> = [
    [1024 ** 3, 'GiB'],
    [1024 ** 2, 'MiB'],
    [1024, 'KiB'],
  ];
  for (const [size, unit] of units) {
    if (n >= size) {
      const v = n / size;
      return `${n} B (${Number.isInteger(v) ? v : v.toFixed(1)} ${unit})`;
    }
  }
  return `${n} B`;
}

export function finding(id: string, severity: Severity, title: string, detail: string, fix: string[] = []): Finding {
  return { id, severity, title, detail, fix };
}

/** For a global value seen from a child namespace: where the fix has to run. */
export function globalNote(r: DoctorReport): string {
  return r.initialNetns === false
    ? ' The value is machine-global and read-only in this network namespace: run the commands in the initial namespace.'
    : '';
}

/** The finding for a reading that is not there (e.g. net.ipv4.udp_mem in a child namespace). */
export function unavailable(id: string, reading: { key: string; unavailable?: string }, why: string): Finding {
  return finding(id, 'info', `${reading.key}: ${reading.unavailable ?? 'not available'}`, why);
}

export function isReadable(reading: SysctlReading): reading is SysctlReading & { value: number } {
  return reading.value !== null;
}
