// The nightshift report: everything comes from the JSON in #data; nothing is fetched. User text is only
// ever set with textContent, never parsed as HTML.
(function () {
  'use strict';
  var startedAt = performance.now();
  var data = JSON.parse(document.getElementById('data').textContent);
  document.getElementById('subtitle').textContent = 'Database ' + data.database + ', made ' + data.generated_at;
  var C = {};
  data.columns.forEach(function (name, i) { C[name] = i; });
  var READ = { SUCCESS: 1, PARTIAL: 1, CONTAINER: 1, IMAGE: 1 };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  // Totals
  var s = data.status;
  var totals = document.getElementById('totals');
  var shown = [['files', s.files], ['found inside', s.entries], ['documents', s.documents], ['extracted', s.extracted],
   ['images', s.images], ['outputs', s.outputs], ['skipped (last run)', s.skipped], ['failed', s.failed]];
  // Files translated in their own format: their segments, and how many the check flagged (failures --segments).
  if (s.segments > 0) shown.push(['segments translated', s.segments], ['segments flagged', s.segments_flagged]);
  shown.forEach(function (t) {
    var d = el('div', null, 'total' + ((t[0] === 'failed' || t[0] === 'segments flagged') && t[1] > 0 ? ' bad' : ''));
    d.appendChild(el('b', t[1]));
    d.appendChild(el('span', t[0]));
    d.setAttribute('data-total', t[0]);
    totals.appendChild(d);
  });
  var runs = document.getElementById('runs');
  data.runs.forEach(function (r) {
    var line = '#' + r.id + ' ' + r.command + ', ' + r.status + ', ' + r.started_at + (r.ended_at ? ' to ' + r.ended_at : '');
    runs.appendChild(el('div', line));
  });

  // Charts (SVG renderer: the charts are part of the page's DOM, and print sharply)
  function chart(id, option) {
    var c = echarts.init(document.getElementById(id), null, { renderer: 'svg' });
    c.setOption(option);
    return c;
  }
  var minutes = data.throughput.map(function (p) { return new Date(p[0] * 60000).toISOString().substring(11, 16); });
  chart('chart-throughput', {
    title: { text: 'Documents finished per minute (run #' + data.run + ')', textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis' }, xAxis: { type: 'category', data: minutes }, yAxis: { type: 'value' },
    series: [{ type: 'line', areaStyle: {}, data: data.throughput.map(function (p) { return p[1]; }) }]
  });
  var failed = data.rows.filter(function (r) { return !READ[r[C.status]]; });
  function countBy(rows, f) {
    var m = {};
    rows.forEach(function (r) { var k = f(r) || 'unknown'; m[k] = (m[k] || 0) + 1; });
    return Object.keys(m).map(function (k) { return { name: k, value: m[k] }; }).sort(function (a, b) { return b.value - a.value; });
  }
  var byReason = countBy(failed, function (r) { return r[C.status]; });
  chart('chart-reasons', {
    title: { text: 'Failures by reason', textStyle: { fontSize: 13 } }, tooltip: {},
    series: [{ type: 'pie', radius: ['35%', '65%'], data: byReason }]
  });
  var byType = countBy(failed, function (r) { return r[C.type]; }).slice(0, 12);
  chart('chart-types', {
    title: { text: 'Failures by media type', textStyle: { fontSize: 13 } }, tooltip: {}, grid: { left: 200 },
    xAxis: { type: 'value' }, yAxis: { type: 'category', data: byType.map(function (d) { return d.name; }).reverse() },
    series: [{ type: 'bar', data: byType.map(function (d) { return d.value; }).reverse() }]
  });

  // The failure list
  var list = document.getElementById('failures');
  failed.slice(0, 1000).forEach(function (r) {
    var d = el('div');
    d.appendChild(el('div', r[C.path]));
    d.appendChild(el('div', r[C.status] + ': ' + (r[C.detail] || ''), 'reason'));
    list.appendChild(d);
  });
  if (failed.length > 1000) list.appendChild(el('div', (failed.length - 1000) + ' more: nightshift failures lists them all', 'muted'));
  if (failed.length === 0) list.appendChild(el('div', 'No failures.', 'muted'));

  // Fields read by extract: a table per schema, a value the text does not write marked (not in source).
  var fieldsBox = document.getElementById('fields');
  (data.fields || []).forEach(function (f) {
    document.getElementById('fields-section').hidden = false;
    fieldsBox.appendChild(el('h3', f.task.replace(/^extract:/, 'schema ') + ' (' + f.documents + ' documents'
      + (f.documents > f.rows.length ? ', ' + f.rows.length + ' shown: export --fields has them all' : '') + ')'));
    var t = el('table', null, 'fields');
    var head = el('tr');
    ['path'].concat(f.columns).forEach(function (c) { head.appendChild(el('th', c)); });
    t.appendChild(head);
    f.rows.forEach(function (r, i) {
      var tr = el('tr');
      r.forEach(function (v, k) {
        var flagged = k > 0 && f.flagged[i].indexOf(f.columns[k - 1]) >= 0;
        var td = el('td', v, flagged ? 'flag' : null);
        if (flagged) td.title = 'not in source: the text does not write this value';
        tr.appendChild(td);
      });
      t.appendChild(tr);
    });
    fieldsBox.appendChild(t);
  });

  // The document table: only the rows in view exist in the DOM, so 50,000 documents scroll smoothly.
  var ROW = 28;
  var table = document.getElementById('table');
  var spacer = document.getElementById('spacer');
  var filterBox = document.getElementById('filter');
  var shown = document.getElementById('shown');
  var order = data.rows.map(function (r, i) { return i; });
  var visible = order;
  var haystack = [];
  var sortColumn = null, sortDir = 1;

  function text(r) {
    return r[C.task] ? r[C.text] || '' : (r[C.detail] || '');
  }
  // What the checks found: cut at the token limit, sentences the source does not support.
  function checks(r) {
    var out = [];
    if (r[C.cut]) out.push('cut short');
    if (r[C.unsupported]) out.push(r[C.unsupported] + ' unsupported');
    return out.join(', ');
  }
  function hay(i) {
    if (haystack[i] === undefined) {
      var r = data.rows[i];
      haystack[i] = [r[C.path], r[C.type], r[C.lang], r[C.status], text(r), checks(r)].join(' ').toLowerCase();
    }
    return haystack[i];
  }
  function applyFilter() {
    var filterStarted = performance.now();
    var needle = filterBox.value.trim().toLowerCase();
    var words = needle ? needle.split(/\s+/) : [];
    visible = order.filter(function (i) {
      var h = hay(i);
      return words.every(function (w) { return h.indexOf(w) >= 0; });
    });
    shown.textContent = visible.length + ' of ' + data.rows.length + ' documents';
    spacer.style.height = (visible.length * ROW + 30) + 'px';
    table.scrollTop = 0;
    render();
    shown.setAttribute('data-ms', String(Math.round(performance.now() - filterStarted)));
  }
  function render() {
    Array.prototype.slice.call(table.querySelectorAll('.row')).forEach(function (n) { n.remove(); });
    var first = Math.max(0, Math.floor(table.scrollTop / ROW) - 5);
    var last = Math.min(visible.length, first + Math.ceil(table.clientHeight / ROW) + 10);
    for (var k = first; k < last; k++) {
      var i = visible[k], r = data.rows[i];
      var row = el('div', null, 'row');
      row.style.top = (30 + k * ROW) + 'px';
      row.setAttribute('data-index', i);
      row.appendChild(el('span', r[C.path]));
      row.appendChild(el('span', r[C.type]));
      row.appendChild(el('span', r[C.lang] || '-'));
      row.appendChild(el('span', r[C.status], READ[r[C.status]] ? '' : 'status-failed'));
      row.appendChild(el('span', text(r)));
      row.appendChild(el('span', checks(r), r[C.unsupported] ? 'status-failed' : ''));
      row.addEventListener('click', details.bind(null, i));
      table.appendChild(row);
    }
  }
  function details(i) {
    var r = data.rows[i];
    var lines = ['source      ' + r[C.path],
      'document    #' + r[C.id] + ', ' + (r[C.type] || '-') + ', language ' + (r[C.lang] || '-'),
      'extraction  ' + r[C.status] + (r[C.detail] ? ': ' + r[C.detail] : '') + ', ' + r[C.chunks] + ' chunks, run ' + r[C.run]];
    if (r[C.task]) {
      lines.push('output      ' + r[C.task] + ' by ' + (r[C.model] || 'an extractive method') + (r[C.prompt] ? ', prompt ' + r[C.prompt] : '')
        + ', finish ' + r[C.finish] + (r[C.cut] ? ' (cut short at its token limit)' : ''));
      lines.push('');
      lines.push(r[C.text]);
      if (r[C.unsupported] !== null) {
        lines.push('', 'Checked against the source: ' + (r[C.unsupported] ? r[C.unsupported] + ' sentence(s) not supported' : 'every sentence supported'));
        (r[C.claims] || []).forEach(function (c) { lines.push('  \u2717 ' + c[0], '      not found: ' + c[1]); });
      }
    }
    lines.push('', 'The whole tree: nightshift show ' + r[C.id]);
    document.getElementById('details').textContent = lines.join('\n');
    document.getElementById('details-section').hidden = false;
  }
  document.getElementById('head').addEventListener('click', function (ev) {
    var column = ev.target.getAttribute('data-column');
    if (!column) return;
    sortDir = sortColumn === column ? -sortDir : 1;
    sortColumn = column;
    var c = C[column];
    order.sort(function (a, b) {
      var x = data.rows[a][c], y = data.rows[b][c];
      x = x === null ? '' : x; y = y === null ? '' : y;
      return (x < y ? -1 : x > y ? 1 : 0) * sortDir;
    });
    applyFilter();
  });
  table.addEventListener('scroll', render);
  filterBox.addEventListener('input', applyFilter);
  var hash = /[#&]filter=([^&]*)/.exec(location.hash);
  if (hash) filterBox.value = decodeURIComponent(hash[1]);
  applyFilter();
  // A document's lineage from the address too (report.html#open=<document id>), as a click opens it.
  var open = /[#&]open=(\d+)/.exec(location.hash);
  if (open) {
    for (var k = 0; k < data.rows.length; k++) if (String(data.rows[k][C.id]) === open[1]) { details(k); break; }
  }
  // What the page loaded besides itself (scripts, images, fonts, fetches): nothing, ever. Tests read it.
  document.body.setAttribute('data-requests', String(performance.getEntriesByType('resource').length));
  document.body.setAttribute('data-ms', String(Math.round(performance.now() - startedAt)));
  document.body.setAttribute('data-ready', 'true');
})();
