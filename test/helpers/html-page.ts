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

/**
 * Attributes of real tags that would make a browser fetch something (a URL with a scheme other
 * than data:, or protocol-relative). Only tags count: in serialized HTML a "<" in text is
 * always &lt;, so text that merely mentions src="http://..." is not a reference.
 */
export function externalReferences(html: string): string[] {
  const refs: string[] = [];
  for (const tag of html.matchAll(/<[a-zA-Z][\w-]*(?:\s[^>]*)?>/g)) {
    for (const m of tag[0].matchAll(/\s(?:src|href|action|poster|srcset|data)\s*=\s*["']?\s*((?:[a-z][a-z0-9+.-]*:|\/\/)[^"'\s>]*)/gi)) {
      if (!/^data:/i.test(m[1]!)) refs.push(m[0].trim());
    }
  }
  return refs;
}

export function chartContainers(html: string): string[] {
  return [...html.matchAll(/<figure class="chart(?: wide)?" id="([^"]+)" data-chart="[^"]+">/g)].map((m) => m[1]!);
}
