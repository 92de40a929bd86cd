/**
 * Self-contained HTML reports (--report FILE.html): one renderer per report kind, each a pure
 * function from the result model (and where/when it was made) to the page's text. Writing the
 * file is the CLI's job.
 */
export { renderCompareHtml } from './compare-page.js';
export { renderFindRateHtml } from './findrate-page.js';
export type { ReportContext } from './page.js';
export { renderLoopbackHtml, renderReceiveHtml } from './run-page.js';
