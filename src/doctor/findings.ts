/**
 * Turns a DoctorReport into findings: pure rules, no host access. Each rule file states its
 * thresholds at the top. The order here is the reading order of the report: buffers, the
 * receive path, interfaces, multicast membership.
 */
import { bufferFindings } from './findings-buffers.js';
import { igmpFindings } from './findings-igmp.js';
import { kernelFindings } from './findings-kernel.js';
import { interfaceFindings } from './findings-net.js';
import { DOCTOR_SCHEMA_VERSION, type DoctorDocument, type DoctorReport, type Finding } from './model.js';

export function diagnose(report: DoctorReport): Finding[] {
  return [...bufferFindings(report), ...kernelFindings(report), ...interfaceFindings(report), ...igmpFindings(report)];
}

/** What --json prints: the readings and the findings, as they are. */
export function doctorDocument(report: DoctorReport): DoctorDocument {
  return { schemaVersion: DOCTOR_SCHEMA_VERSION, report, findings: diagnose(report) };
}
