/**
 * The Chart.js 4 UMD build, read from the installed package so the report embeds it and opens
 * with no network. Located through module resolution (the package's "exports" do not expose the
 * UMD file, so the main entry is resolved and the UMD file sits next to it in dist/).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { HarnessError } from '../../errors.js';
import { scriptSafe } from './escape.js';

let cached: string | null = null;

export function chartJsSource(): string {
  if (cached !== null) return cached;
  let file = '';
  try {
    file = path.join(path.dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');
    const text = readFileSync(file, 'utf8');
    // The source-map comment would make a browser's dev tools fetch a file the report does not carry.
    cached = scriptSafe(text.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n'));
    return cached;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new HarnessError('ERR_REPORT_ASSET', `--report: cannot read the Chart.js build ${file || '(package chart.js not found)'}: ${why}`);
  }
}
