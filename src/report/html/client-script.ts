/**
 * The page's own script (plain ES2017, runs in the browser): turns each embedded chart spec
 * (chart-spec.ts) into a Chart.js chart with animations off, and marks every chart Chart.js
 * has drawn, so a headless browser test can count them:
 *   <figure data-chart=...> gets data-rendered="true" after its first draw, and
 *   <body data-charts-rendered="N"> counts them (data-chart-errors lists what failed).
 * It must not contain a closing script tag; page.ts passes it through scriptSafe anyway.
 */
export const CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var body = document.body;
  var drawn = 0;
  var errors = [];
  function fail(where, e) {
    errors.push(where + ': ' + (e && e.message ? e.message : String(e)));
    body.setAttribute('data-chart-errors', errors.join(' | '));
  }
  window.addEventListener('error', function (ev) { fail('page', ev.error || ev.message); });
  if (typeof Chart === 'undefined') { fail('page', 'Chart.js did not load'); return; }

  function short(v) { return String(Number(v.toPrecision(3))); }
  function si(v) {
    var a = Math.abs(v);
    var steps = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
    for (var i = 0; i < steps.length; i++) if (a >= steps[i][0]) return short(v / steps[i][0]) + steps[i][1];
    return short(v);
  }
  var FORMATS = {
    int: function (v) { return Math.round(v).toLocaleString('en-US'); },
    si: si,
    percent: function (v) { return short(v) + ' %'; },
    log: function (v) { return is125(v) ? si(v) : ''; }
  };
  function mantissa(v) { return Math.round((v / Math.pow(10, Math.floor(Math.log10(v) + 1e-9))) * 1000) / 1000; }
  function is125(v) { var m = v > 0 ? mantissa(v) : 0; return m === 1 || m === 2 || m === 5; }

  Chart.defaults.font.family = getComputedStyle(body).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = '#334155';
  Chart.defaults.animation = false;

  function scale(a, position, grid) {
    var s = {
      type: a.type,
      position: position,
      stacked: !!a.stacked,
      title: { display: true, text: a.title, font: { size: 13, weight: 'bold' } },
      grid: { display: grid, color: '#e2e8f0' },
      ticks: {}
    };
    if (a.min !== undefined) s.min = a.min;
    if (a.max !== undefined) s.max = a.max;
    if (a.format) s.ticks.callback = FORMATS[a.format];
    // Counts have no fractional ticks (an all-zero series would otherwise get 0, 0.2, 0.4 ...).
    if (a.integer) s.ticks.precision = 0;
    if (a.format === 'log') {
      s.ticks.autoSkip = false;
      // Chart.js puts a tick (and grid line) at every 1..9 x 10^n: keep 1-2-5, or only the
      // powers of ten over a wide range, so the axis stays readable.
      s.afterBuildTicks = function (axis) {
        var wide = axis.max / axis.min > 1e4;
        axis.ticks = axis.ticks.filter(function (t) { return t.value > 0 && (wide ? mantissa(t.value) === 1 : is125(t.value)); });
      };
    }
    return s;
  }

  function dataset(s) {
    var d = { type: s.kind, label: s.label, data: s.data, yAxisID: s.axis, borderColor: s.color, backgroundColor: s.color };
    if (s.kind === 'bar') {
      d.backgroundColor = s.color + 'd9';
      d.borderWidth = 0;
      if (s.overlap) d.grouped = false;
      return d;
    }
    var point = s.point || 'circle';
    d.borderWidth = 2;
    d.tension = 0;
    // 'line' keeps a legend swatch for a line drawn without markers.
    d.pointStyle = point === 'none' ? 'line' : point;
    d.pointRadius = point === 'none' ? 0 : point === 'crossRot' ? 6 : 3.5;
    d.pointHoverRadius = 6;
    d.pointBorderWidth = point === 'crossRot' ? 2.5 : 1;
    if (s.dashed) d.borderDash = [6, 4];
    if (s.fill) { d.fill = 'origin'; d.backgroundColor = s.color + '2e'; d.pointBackgroundColor = s.color; }
    if (s.showLine === false) d.showLine = false;
    return d;
  }

  var marker = {
    id: 'mcbRendered',
    afterRender: function (chart) {
      var box = chart.canvas.closest('[data-chart]');
      var area = chart.chartArea;
      if (!box || box.getAttribute('data-rendered') === 'true' || !area || area.width <= 0 || area.height <= 0) return;
      box.setAttribute('data-rendered', 'true');
      drawn += 1;
      body.setAttribute('data-charts-rendered', String(drawn));
    }
  };

  var boxes = document.querySelectorAll('[data-chart]');
  for (var i = 0; i < boxes.length; i++) {
    var box = boxes[i];
    try {
      var spec = JSON.parse(document.getElementById(box.getAttribute('data-chart')).textContent);
      var hasBar = spec.series.some(function (s) { return s.kind === 'bar'; });
      var scales = { x: scale(spec.x, 'bottom', spec.x.type !== 'category'), y: scale(spec.y, 'left', true) };
      if (spec.y2) scales.y2 = scale(spec.y2, 'right', false);
      new Chart(box.querySelector('canvas'), {
        type: hasBar ? 'bar' : 'line',
        data: { labels: spec.x.labels, datasets: spec.series.map(dataset) },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          interaction: { mode: spec.x.type === 'category' ? 'index' : 'nearest', intersect: false },
          plugins: {
            legend: { position: 'top', labels: { usePointStyle: true, padding: 14, font: { size: 12 } } },
            tooltip: { enabled: true }
          },
          scales: scales
        },
        plugins: [marker]
      });
    } catch (e) {
      fail(box.id, e);
    }
  }
})();
`;
