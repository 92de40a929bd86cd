/** Reading an HTML report back in tests: its charts' embedded JSON and its external references. */
import type { EmbeddedChart } from '../../src/report/html/chart-spec.js';

/** Every <script type="application/json" id="..."> block, parsed, by id. */
export function embeddedCharts(html: string): Map<string, EmbeddedChart> {
  const out = new Map<string, EmbeddedChart>();
  for (const m of html.matchAll(/<script type="application\/json" id="([^"]+)-data">([\s\S]*?)<\/script>/g)) {
    out.set(m[1]!, JSON.parse(m[2]!) as EmbeddedChart);
  }
  return out;
}

/** Attributes that would make a browser fetch from the network (or from anywhere). */
export function externalReferences(html: string): string[] {
  return [...html.matchAll(/\b(?:src|href|action|poster|srcset)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|\/\/)[^"'\s>]*/gi)]
    .map((m) => m[0])
    .filter((ref) => !/=\s*["']?\s*data:/i.test(ref));
}

export function chartContainers(html: string): string[] {
  return [...html.matchAll(/<figure class="chart" id="([^"]+)" data-chart="[^"]+">/g)].map((m) => m[1]!);
}
