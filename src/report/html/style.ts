/** The report's stylesheet: one light theme, readable printed and in a 1200-px screenshot. */
export const PAGE_STYLE = `
:root { --ink: #0f172a; --muted: #475569; --line: #e2e8f0; --panel: #f8fafc; --good: #15803d; --bad: #b91c1c; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 40px; color: var(--ink); background: #fff;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
header { border-bottom: 2px solid var(--ink); padding-bottom: 12px; margin-bottom: 20px; }
h1 { font-size: 24px; margin: 0 0 10px; }
h2 { font-size: 18px; margin: 24px 0 12px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
dl.facts { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 0; }
dl.facts div { min-width: 0; }
dl.facts dt { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
dl.facts dd { margin: 0; font-weight: 600; }
p.command { margin: 10px 0 0; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
p.command code { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: 3px 6px; overflow-wrap: anywhere; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; }
.tile { border: 1px solid var(--line); border-left: 4px solid #94a3b8; border-radius: 6px; padding: 8px 12px; background: var(--panel); }
.tile.good { border-left-color: var(--good); }
.tile.bad { border-left-color: var(--bad); }
.tile .value { display: block; font-size: 18px; font-weight: 700; white-space: nowrap; }
.tile.bad .value { color: var(--bad); }
.tile .label { display: block; font-size: 12px; color: var(--muted); }
ul.notes { margin: 12px 0 0; padding-left: 20px; }
ul.notes li { margin: 2px 0; }
pre.commands { background: #0f172a; color: #e2e8f0; padding: 10px 14px; border-radius: 6px; overflow-x: auto; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 12.5px; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 10px; text-align: right; white-space: nowrap; }
thead th { background: var(--panel); font-weight: 600; border-bottom: 1px solid #cbd5e1; }
tbody th { text-align: left; font-weight: 600; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 20px; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; min-width: 0; }
figure.chart.wide { grid-column: 1 / -1; }
figure.chart h3 { margin: 0 0 2px; }
figure.chart figcaption p { margin: 0 0 8px; color: var(--muted); font-size: 13px; }
.canvas-box { position: relative; height: 320px; }
details { margin-top: 8px; }
details summary { cursor: pointer; color: var(--muted); font-size: 12.5px; }
details table { margin-top: 6px; }
.noscript { background: #fef3c7; padding: 8px 12px; border-radius: 6px; }
footer { margin-top: 28px; color: var(--muted); font-size: 12px; }
@media print { .canvas-box { height: 260px; } figure.chart { break-inside: avoid; } }
`;
