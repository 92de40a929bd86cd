/**
 * Text form of a doctor run: pure, returns the string. Findings that need action come first
 * (warn, then info, then ok), each with its detail wrapped and its commands verbatim, so they can
 * be copied. JSON goes through doctorDocument() instead.
 */
import type { DoctorDocument, Finding, Severity } from './model.js';

const ORDER: Record<Severity, number> = { warn: 0, info: 1, ok: 2 };
const LABEL: Record<Severity, string> = { warn: 'WARN', info: 'info', ok: 'ok  ' };
const INDENT = '      ';

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function renderFinding(f: Finding, width: number): string {
  const out = [`${LABEL[f.severity]}  ${f.title}  [${f.id}]`];
  for (const l of wrap(f.detail, width - INDENT.length)) out.push(`${INDENT}${l}`);
  // Commands are never wrapped: they must stay copyable.
  for (const cmd of f.fix) out.push(`${INDENT}$ ${cmd}`);
  return out.join('\n');
}

export function renderDoctor(doc: DoctorDocument, width = 100): string {
  const r = doc.report;
  const where =
    r.initialNetns === true ? 'initial network namespace' : r.initialNetns === false ? 'child network namespace' : 'network namespace unknown';
  const counts = (['warn', 'info', 'ok'] as const).map((s) => `${doc.findings.filter((f) => f.severity === s).length} ${s}`).join(', ');
  const sorted = [...doc.findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  return [
    `mcastbench doctor: Linux ${r.kernelRelease}, ${where}, target receive buffer ${r.targetRcvbufBytes} B`,
    ...wrap('Nothing was changed. The commands below are suggestions to run as root; sysctl -w lasts until reboot, the echo line keeps it.', width),
    '',
    ...sorted.map((f) => renderFinding(f, width)),
    '',
    `${counts}`,
  ].join('\n') + '\n';
}
