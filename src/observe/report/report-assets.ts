/**
 * The report's inline stylesheet and script. Both are constant text: the page must not load
 * anything (no CDN, no fonts), so it works offline, from a CI artifact, or attached to a ticket.
 * The script is optional comfort (a hover read-out on the charts); the charts are complete SVG
 * without it.
 */
export const REPORT_CSS = `
:root { --fg: #1f2328; --muted: #656d76; --line: #d0d7de; --bg: #ffffff; --panel: #f6f8fa;
  --s0: #2563eb; --s1: #dc2626; --s2: #16a34a; --good: #1a7f37; --bad: #cf222e; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg);
  margin: 0 auto; padding: 24px; max-width: 1180px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.subtitle { color: var(--muted); margin: 0 0 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .detail { color: var(--muted); font-size: 12px; }
.card.good .value, li.good { color: var(--good); }
.card.bad .value, li.bad { color: var(--bad); }
figure.chart { margin: 0 0 18px; position: relative; }
figcaption { font-weight: 600; margin-bottom: 4px; display: flex; justify-content: space-between; }
.legend { font-weight: 400; color: var(--muted); }
.legend .key { margin-left: 14px; white-space: nowrap; }
.legend i { display: inline-block; width: 14px; height: 3px; vertical-align: middle; margin-right: 5px; }
.legend .s0 i { background: var(--s0); } .legend .s1 i { background: var(--s1); } .legend .s2 i { background: var(--s2); }
svg { width: 100%; height: auto; display: block; }
svg .grid { stroke: var(--line); stroke-width: 1; shape-rendering: crispEdges; }
svg .frame { fill: none; stroke: var(--line); }
svg .tick, svg .axis-label, svg .no-data { fill: var(--muted); font-size: 11px; }
svg .series { fill: none; stroke-width: 1.6; stroke-linejoin: round; }
svg .series.s0 { stroke: var(--s0); } svg .series.s1 { stroke: var(--s1); } svg .series.s2 { stroke: var(--s2); }
svg .cursor { stroke: var(--muted); stroke-dasharray: 3 3; }
.tooltip { position: absolute; pointer-events: none; background: rgba(255,255,255,.95); border: 1px solid var(--line);
  border-radius: 4px; padding: 4px 8px; font-size: 12px; white-space: nowrap; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; margin-bottom: 8px; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: var(--panel); font-weight: 600; }
tfoot th { font-weight: 600; border-top: 2px solid var(--line); }
.num { text-align: right; }
td { word-break: break-word; }
.empty { color: var(--muted); font-style: italic; }
ul.verdict { padding-left: 18px; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print { .tooltip { display: none; } body { padding: 0; } }
`;

/**
 * Hover read-out: maps the pointer to the nearest x of the chart (geometry from the SVG's data-
 * attributes, data from the embedded JSON) and shows every series' value there.
 */
export const REPORT_SCRIPT = `
(function () {
  var node = document.getElementById('smbench-report-data');
  if (!node) return;
  var data = JSON.parse(node.textContent || '{}');
  function fmt(v, unit) {
    if (v === null || v === undefined) return '-';
    if (unit === 'ms') return v < 1 ? Math.round(v * 1000) + 'µs' : v < 1000 ? v.toFixed(v < 10 ? 2 : 1) + 'ms' : (v / 1000).toFixed(2) + 's';
    return (v < 100 ? v.toFixed(1) : Math.round(v)) + ' ' + unit;
  }
  document.querySelectorAll('svg[data-chart]').forEach(function (svg) {
    var chart = data.charts && data.charts[svg.getAttribute('data-chart')];
    if (!chart || chart.x.length === 0) return;
    var plot = svg.getAttribute('data-plot').split(' ').map(Number);
    var xMin = Number(svg.getAttribute('data-x-min')), xMax = Number(svg.getAttribute('data-x-max'));
    var ns = 'http://www.w3.org/2000/svg';
    var cursor = document.createElementNS(ns, 'line');
    cursor.setAttribute('class', 'cursor');
    cursor.setAttribute('y1', plot[1]); cursor.setAttribute('y2', plot[1] + plot[3]);
    cursor.style.display = 'none';
    svg.appendChild(cursor);
    var tip = document.createElement('div');
    tip.className = 'tooltip'; tip.style.display = 'none';
    svg.parentNode.appendChild(tip);
    svg.addEventListener('pointermove', function (e) {
      var m = svg.getScreenCTM(); if (!m) return;
      var pt = svg.createSVGPoint(); pt.x = e.clientX; pt.y = e.clientY;
      var p = pt.matrixTransform(m.inverse());
      var xv = xMin + ((p.x - plot[0]) / plot[2]) * (xMax - xMin);
      var lo = 0, hi = chart.x.length - 1;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (chart.x[mid] < xv) lo = mid + 1; else hi = mid; }
      if (lo > 0 && Math.abs(chart.x[lo - 1] - xv) < Math.abs(chart.x[lo] - xv)) lo--;
      var sx = plot[0] + ((chart.x[lo] - xMin) / (xMax - xMin || 1)) * plot[2];
      cursor.setAttribute('x1', sx); cursor.setAttribute('x2', sx); cursor.style.display = '';
      var lines = [chart.labels[lo]];
      chart.series.forEach(function (s) { lines.push(s.name + ': ' + fmt(s.values[lo], chart.unit)); });
      tip.textContent = '';
      lines.forEach(function (t, i) { if (i) tip.appendChild(document.createElement('br')); tip.appendChild(document.createTextNode(t)); });
      var box = svg.getBoundingClientRect();
      var left = e.clientX - box.left + 12;
      tip.style.left = Math.min(left, box.width - 160) + 'px';
      tip.style.top = (e.clientY - box.top + 24) + 'px';
      tip.style.display = '';
    });
    svg.addEventListener('pointerleave', function () { cursor.style.display = 'none'; tip.style.display = 'none'; });
    svg.setAttribute('data-interactive', 'true');
  });
  document.documentElement.setAttribute('data-report-ready', 'true');
})();
`;
