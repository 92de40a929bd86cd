/**
 * Writes an HTML report (--report) when a run ends, partial results after Ctrl-C included.
 * The renderers return the page; this is the one place that puts it on disk. For a command:
 *   const reportPath = readReportPath(argv);            // with the other validation
 *   writeHtmlReport(ctx, reportPath, (c) => renderXxxHtml(report, c));
 * The renderers are imported only when a report is asked for (see the commands), so --help and
 * plain runs do not load them.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { HarnessError } from '../errors.js';
import type { ReportContext } from '../report/html/index.js';
import type { CommandContext } from './context.js';
import { oneLine } from './output.js';

export function reportContext(ctx: CommandContext): ReportContext {
  return { host: os.hostname(), args: ctx.args ?? null, generatedAtMs: Date.now() };
}

/** Renders and writes the report if a path was given; says where on stderr. */
export function writeHtmlReport(ctx: CommandContext, reportPath: string | null, render: (c: ReportContext) => string): void {
  if (reportPath === null) return;
  const html = render(reportContext(ctx));
  try {
    writeFileSync(reportPath, html);
  } catch (e) {
    throw new HarnessError('ERR_REPORT_WRITE', `--report: cannot write ${reportPath}: ${oneLine(e instanceof Error ? e.message : String(e))}`);
  }
  ctx.io.stderr.write(`report written: ${reportPath}\n`);
}
