// synth ui: draws the asset graph (layout by dagre, drawn as SVG) and shows one asset's details
// with its charts (vega-embed). Live: server-sent events (/api/events) say when the catalog or the
// run lock changed. Unless the page is read-only, Materialize POSTs a selection with the launch
// token the server wrote into this page.
import { drawChart, drawCharts, loadChartsRuntime } from '/charts.js';
import { layoutOffThread, NODE_H } from '/graph-layout.js';

const TOKEN = document.querySelector('meta[name="synth-token"]')?.content ?? null;

const svg = document.getElementById('graph');
const details = document.getElementById('details');
const message = document.getElementById('message');

/** @type {{ nodes: any[], edges: {from: string, to: string}[] } | null} */
let graph = null;
let view = { x: 0, y: 0, w: 1000, h: 600 };
let bounds = { w: 1000, h: 600 };
let selected = null;

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const short = (h) => (h ? String(h).slice(0, 12) : '-');
const when = (iso) => (iso ? iso.replace('T', ' ').slice(0, 19) : '-');

function shape(kind, w, h) {
  const x = -w / 2;
  const y = -h / 2;
  switch (kind) {
    case 'source':
      return `<rect class="shape" x="${x}" y="${y}" width="${w}" height="${h}" rx="${h / 2}"/>`;
    case 'validation': {
      const k = 12;
      return `<polygon class="shape" points="${x + k},${y} ${-x - k},${y} ${-x},0 ${-x - k},${-y} ${x + k},${-y} ${x},0"/>`;
    }
    case 'model':
      return `<rect class="shape" x="${x}" y="${y}" width="${w}" height="${h}" rx="5"/><rect class="inner" x="${x + 4}" y="${y + 4}" width="${w - 8}" height="${h - 8}" rx="3"/>`;
    case 'dataset':
      return `<rect class="shape" x="${x}" y="${y}" width="${w}" height="${h}" rx="5"/>`;
    default:
      return `<rect class="shape" x="${x}" y="${y}" width="${w}" height="${h}" rx="1" stroke-dasharray="5 3"/>`;
  }
}

/** A smooth path through dagre's edge points. */
function edgePath(pts) {
  let d = `M${pts[0].x},${pts[0].y}`;
  if (pts.length === 2) return d + `L${pts[1].x},${pts[1].y}`;
  for (let i = 1; i < pts.length - 1; i++) {
    const mx = (pts[i].x + pts[i + 1].x) / 2;
    const my = (pts[i].y + pts[i + 1].y) / 2;
    d += `Q${pts[i].x},${pts[i].y} ${i === pts.length - 2 ? `${pts[i + 1].x},${pts[i + 1].y}` : `${mx},${my}`}`;
  }
  return d;
}

function draw(lay) {
  const edges = [];
  const nodes = [];
  const labels = [];
  for (const p of lay.parts) {
    if (p.group) labels.push(`<text class="group-label" x="${p.ox}" y="${p.oy - 8}">${esc(p.group)}</text>`);
    for (const { e, points } of p.edges) {
      const pts = points.map((q) => ({ x: +(q.x + p.ox).toFixed(1), y: +(q.y + p.oy).toFixed(1) }));
      edges.push(`<path class="edge" data-from="${esc(e.from)}" data-to="${esc(e.to)}" d="${edgePath(pts)}" marker-end="url(#arrow)"/>`);
    }
    for (const { n, x, y, w } of p.nodes) {
      const name = n.asset.length > 40 ? n.asset.slice(0, 39) + '…' : n.asset;
      nodes.push(
        `<g class="node ${esc(n.state)}" data-asset="${esc(n.asset)}" transform="translate(${(x + p.ox).toFixed(1)},${(y + p.oy).toFixed(1)})">` +
          `<title>${esc(n.asset)}: ${esc(n.state)}${n.reason_text.length ? ' — ' + esc(n.reason_text.join('; ')) : ''}</title>` +
          shape(n.kind, w, NODE_H) +
          `<text class="name" text-anchor="middle" y="-3">${esc(name)}</text>` +
          `<text class="sub" text-anchor="middle" y="13">${esc(n.kind)} · <tspan class="st">${esc(n.state)}</tspan></text></g>`,
      );
    }
  }
  svg.innerHTML =
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#9aa3b2"/></marker></defs>` +
    `<g id="scene">${labels.join('')}${edges.join('')}${nodes.join('')}</g>`;
  bounds = { w: Math.max(lay.w, 10), h: Math.max(lay.h, 10) };
}

function applyView() {
  svg.setAttribute('viewBox', `${view.x} ${view.y} ${view.w} ${view.h}`);
}

/** Fits the whole graph in view. `r`: the graph's box, if measured already (measuring after a redraw costs a layout of every node). */
function fit(r = svg.getBoundingClientRect()) {
  const pad = 40;
  const scale = Math.min((r.width - 2 * pad) / bounds.w, (r.height - 2 * pad) / bounds.h, 1.4);
  view.w = r.width / scale;
  view.h = r.height / scale;
  view.x = bounds.w / 2 - view.w / 2;
  view.y = bounds.h / 2 - view.h / 2;
  applyView();
}

function zoom(factor, cx, cy) {
  const r = svg.getBoundingClientRect();
  const px = cx === undefined ? 0.5 : (cx - r.left) / r.width;
  const py = cy === undefined ? 0.5 : (cy - r.top) / r.height;
  const nw = Math.min(Math.max(view.w * factor, 80), bounds.w * 20 + 2000);
  const nh = (nw / view.w) * view.h;
  view.x += (view.w - nw) * px;
  view.y += (view.h - nh) * py;
  view.w = nw;
  view.h = nh;
  applyView();
}

function centerOn(name, r) {
  const g = svg.querySelector(`g.node[data-asset="${CSS.escape(name)}"]`);
  if (!g) return;
  const m = /translate\(([-\d.]+),([-\d.]+)\)/.exec(g.getAttribute('transform'));
  if (!m) return;
  r ??= svg.getBoundingClientRect();
  if (view.w > r.width * 1.5) {
    view.w = r.width;
    view.h = r.height;
  }
  view.x = +m[1] - view.w / 2;
  view.y = +m[2] - view.h / 2;
  applyView();
}

function renderCounts(data) {
  document.getElementById('counts').innerHTML = ['fresh', 'stale', 'missing'].map((s) => `<span class="badge ${s}" data-count="${s}">${data.counts[s] ?? 0} ${s}</span>`).join('');
  document.getElementById('project').textContent = `${data.project} · ${data.nodes.length} assets`;
}

function showError(body) {
  const e = body?.error ?? { what: String(body) };
  message.textContent = [e.what, e.file ? `at ${e.file}${e.line ? ':' + e.line : ''}` : '', e.why ? `why: ${e.why}` : '', e.fix ? `fix: ${e.fix}` : ''].filter(Boolean).join('\n');
  message.hidden = false;
}

async function loadGraph(first) {
  const res = await fetch('/api/graph');
  const body = await res.json();
  if (!res.ok) return showError(body);
  message.hidden = true;
  graph = body;
  renderCounts(body);
  // The graph's box, measured before the nodes are in the DOM: measured after, it would cost a layout of all of them.
  const lay = await layoutOffThread(body);
  const box = first ? svg.getBoundingClientRect() : undefined;
  draw(lay);
  if (first) fit(box);
  else applyView();
  if (selected && !body.nodes.some((n) => n.asset === selected)) closeDetails();
  // On the first load the panel is already on its way (fetched beside the graph): only mark the node.
  else if (selected && first) highlight(selected, true, box);
  else if (selected) select(selected, false);
  // Marks the first paint for tests and the benchmark: the graph is in the DOM and laid out.
  requestAnimationFrame(() => {
    document.body.dataset.ready = 'true';
    window.__synthPaintMs ??= performance.now();
  });
}

// ---- details panel ----

const assetLink = (name) => `<a class="asset" data-goto="${esc(name)}">${esc(name)}</a>`;

function kv(pairs) {
  return `<dl>${pairs
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`)
    .join('')}</dl>`;
}

function tableHtml(headers, rows) {
  return `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function fmt(v) {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(4);
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function renderDetails(a) {
  const m = a.latest;
  const parts = [];
  parts.push(
    `<h2><span data-field="name">${esc(a.asset)}</span> <span class="kind">${esc(a.kind)}</span> <span class="badge ${esc(a.state)}" data-field="state">${esc(a.state)}</span><button class="close" title="close" aria-label="close">×</button></h2>`,
  );
  if (a.description) parts.push(`<div class="muted">${esc(a.description)}</div>`);
  parts.push(`<h3>Status</h3>`);
  parts.push(
    a.reason_text.length
      ? `<ul class="reasons" data-field="reasons">${a.reason_text.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>`
      : `<div class="pass" data-field="reasons">up to date</div>`,
  );
  if (a.last_error)
    parts.push(`<div class="error-box">last run failed: ${esc(a.last_error.what)}${a.last_error.fix ? `<br><span class="muted">fix: ${esc(a.last_error.fix)}</span>` : ''}</div>`);
  parts.push(
    kv([
      ['upstream', a.upstream.map(assetLink).join(', ') || '<span class="muted">none</span>'],
      ['downstream', a.downstream.map(assetLink).join(', ') || '<span class="muted">none</span>'],
      ['group', esc(a.group)],
      [
        'tags',
        Object.entries(a.tags)
          .map(([k, v]) => esc(`${k}=${v}`))
          .join(', '),
      ],
      ['cache key now', a.cache_key ? `<code>${short(a.cache_key)}</code>` : '<span class="muted">known once upstream runs</span>'],
    ]),
  );
  if (m) {
    parts.push(`<h3>Latest materialization</h3>`);
    const gen = m.generator ? [m.generator.provider, m.generator.model].filter(Boolean).join(':') : null;
    parts.push(
      kv([
        ['id', `<code>${esc(m.id)}</code>`],
        ['when', `${esc(when(m.finished_at))} (${(m.duration_ms / 1000).toFixed(2)} s, ${esc(m.outcome)})`],
        ['rows', m.rows ?? null],
        ['data hash', `<code title="${esc(m.data_hash)}">${short(m.data_hash)}</code>`],
        ['cache key', `<code title="${esc(m.cache_key)}">${short(m.cache_key)}</code>`],
        ['prompt', m.prompt_id ? `${esc(m.prompt_id)} <code>${short(m.prompt_hash)}</code>` : null],
        ['seed', m.seed ?? null],
        ['generator', gen ? esc(gen) : null],
        ...Object.entries(m.upstream).map(([up, u]) => [`from ${up}`, `${assetLink(up)} <code>${short(u.data_hash)}</code> <span class="muted">${esc(u.materialization_id)}</span>`]),
      ]),
    );
  } else {
    parts.push(`<h3>Latest materialization</h3><div class="muted">never materialized: run <code>synth materialize +${esc(a.asset)}</code></div>`);
  }
  if (a.report) {
    const r = a.report;
    if (r.checks.length) {
      parts.push(`<h3>Report: checks</h3>`);
      parts.push(
        tableHtml(
          ['check', 'score', 'min', 'result', 'blocking', 'summary'],
          r.checks.map((c) => [
            esc(c.name),
            c.score.toFixed(3),
            esc(c.threshold),
            c.passed ? '<span class="pass">pass</span>' : '<span class="fail">FAIL</span>',
            c.blocking ? 'yes' : 'no',
            esc(c.summary),
          ]),
        ),
      );
    }
    for (const w of r.warnings) parts.push(`<div class="error-box">warning: ${esc(w)}</div>`);
  }
  // The charts come before the long metric table: they are what a person looks at first.
  if (a.charts?.length || a.history_metrics?.length) {
    parts.push(`<h3>Charts</h3>`);
    if (a.history_metrics?.length) {
      const first = a.charts.find((c) => c.id === 'history') ? a.history_metrics[0] : null;
      parts.push(
        `<label class="muted">history of <select data-field="history-metric">${a.history_metrics
          .map((m) => `<option${m === first ? ' selected' : ''}>${esc(m)}</option>`)
          .join('')}</select></label>`,
      );
    }
    if (!a.charts.some((c) => c.id === 'history'))
      parts.push(`<div class="chart" data-chart="history"><div class="plot muted">history: pick a metric (shown from two materializations on)</div></div>`);
    parts.push(
      `<div class="charts" data-field="charts">${a.charts.map((c) => `<div class="chart" data-chart="${esc(c.id)}" title="${esc(c.title)}"><div class="plot"></div></div>`).join('')}</div>`,
    );
  }
  const metrics = a.report ? Object.entries(a.report.metadata).filter(([, v]) => v !== null && typeof v !== 'object') : [];
  if (metrics.length) {
    parts.push(`<h3>Report: metrics</h3>`);
    parts.push(
      tableHtml(
        ['name', 'value'],
        metrics.map(([k, v]) => [esc(k), esc(fmt(v))]),
      ),
    );
  }
  if (a.images?.length) {
    parts.push(`<h3>First ${a.images.length} images</h3>`);
    parts.push(
      `<div class="thumbs">${a.images.map((im) => `<figure><img src="${esc(im.url)}" alt="${esc(im.prompt)}" title="${esc(im.prompt)}" loading="lazy" width="96" height="96"><figcaption>${esc(im.row_key ?? im.id)}</figcaption></figure>`).join('')}</div>`,
    );
  }
  if (a.preview?.length) {
    parts.push(`<h3>First ${a.preview.length} rows <span class="muted">(click a column to sort)</span></h3>`);
    parts.push(`<div class="preview" data-field="preview"></div>`);
  }
  parts.push(`<h3>History (${a.history.length}${a.history.length === 50 ? '+' : ''})</h3>`);
  parts.push(
    a.history.length
      ? `<div data-field="history">${tableHtml(
          ['when', 'outcome', 'why', 'rows', 'data', 'time', 'metrics / error'],
          a.history.map((h) => [
            esc(when(h.finished_at)),
            h.status === 'failed' ? '<span class="fail">failed</span>' : esc(h.outcome),
            esc(h.reasons.join(', ')),
            esc(h.rows ?? ''),
            `<code>${short(h.data_hash)}</code>`,
            `${(h.duration_ms / 1000).toFixed(2)}s`,
            h.error ? `<span class="fail">${esc(h.error)}</span>` : esc(h.metrics),
          ]),
        )}</div>`
      : `<div class="muted" data-field="history">no materializations yet</div>`,
  );
  if (a.lineage.upstream.length) {
    parts.push(`<h3>Lineage: what fed the latest</h3>`);
    parts.push(
      tableHtml(
        ['asset', 'data', 'seed', 'prompt', 'materialization'],
        a.lineage.upstream.map((s) => [
          assetLink(s.asset),
          `<code>${short(s.data_hash)}</code>`,
          esc(s.seed ?? ''),
          s.prompt_id ? `${esc(s.prompt_id)} <code>${short(s.prompt_hash)}</code>` : '',
          `<span class="muted">${esc(s.materialization_id)}</span>`,
        ]),
      ),
    );
  }
  details.innerHTML = parts.join('');
  details.hidden = false;
  if (a.preview?.length) {
    preview = { rows: a.preview, cols: Object.keys(a.preview[0]), key: null, dir: 1 };
    renderPreview();
  }
  // Marks the charts in view drawn, for tests and the benchmark (the others draw as they scroll in).
  if (a.charts?.length)
    drawCharts(details, a.charts).then(() => {
      details.dataset.charts = String(a.charts.length);
      window.__synthChartsMs ??= performance.now();
    });
  else details.dataset.charts = '0';
}

// ---- data preview, sortable ----

let preview = null;

function renderPreview() {
  const el = details.querySelector('[data-field="preview"]');
  if (!el || !preview) return;
  const { cols, key, dir } = preview;
  const rows = key === null ? preview.rows : [...preview.rows].sort((x, y) => dir * compare(x[key], y[key]));
  const head = cols.map((c) => `<th data-sort="${esc(c)}" class="sortable">${esc(c)}${c === key ? (dir > 0 ? ' ▲' : ' ▼') : ''}</th>`).join('');
  el.innerHTML = `<table><thead><tr>${head}</tr></thead><tbody>${rows.map((r) => `<tr>${cols.map((c) => `<td>${esc(fmt(r[c]).slice(0, 60))}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** Numbers by value, missing values last, everything else as text. */
function compare(a, b) {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

function closeDetails() {
  selected = null;
  details.hidden = true;
  svg.querySelectorAll('.node.selected').forEach((g) => g.classList.remove('selected'));
  svg.querySelectorAll('.edge.hl').forEach((e) => e.classList.remove('hl'));
  history.replaceState(null, '', location.pathname);
}

/** Marks `name` selected in the graph (and its edges), optionally centred (`box`: the graph's box, if measured). */
function highlight(name, center, box) {
  svg.querySelectorAll('.node.selected').forEach((g) => g.classList.remove('selected'));
  svg.querySelectorAll('.edge.hl').forEach((e) => e.classList.remove('hl'));
  svg.querySelector(`g.node[data-asset="${CSS.escape(name)}"]`)?.classList.add('selected');
  svg.querySelectorAll(`.edge[data-from="${CSS.escape(name)}"], .edge[data-to="${CSS.escape(name)}"]`).forEach((e) => e.classList.add('hl'));
  if (center) centerOn(name, box);
}

async function select(name, center) {
  selected = name;
  highlight(name, center);
  runsOpen = false;
  const input = document.getElementById('selection');
  if (input && document.activeElement !== input) input.value = name;
  history.replaceState(null, '', `#asset=${encodeURIComponent(name)}`);
  const res = await fetch(`/api/asset/${encodeURIComponent(name)}`);
  const body = await res.json();
  if (selected !== name) return; // another click won the race
  if (!res.ok) return showError(body);
  renderDetails(body);
  // The graph's width changed with the panel: keep what was visible.
  applyView();
}

// ---- interaction ----

let drag = null;
svg.addEventListener('pointerdown', (ev) => {
  drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y, moved: false };
});
window.addEventListener('pointermove', (ev) => {
  if (!drag) return;
  const r = svg.getBoundingClientRect();
  const dx = ((ev.clientX - drag.x) * view.w) / r.width;
  const dy = ((ev.clientY - drag.y) * view.h) / r.height;
  if (Math.abs(ev.clientX - drag.x) + Math.abs(ev.clientY - drag.y) > 3) {
    drag.moved = true;
    svg.classList.add('dragging');
  }
  view.x = drag.vx - dx;
  view.y = drag.vy - dy;
  applyView();
});
window.addEventListener('pointerup', () => {
  svg.classList.remove('dragging');
  setTimeout(() => (drag = null), 0);
});
svg.addEventListener('click', (ev) => {
  if (drag?.moved) return;
  const g = ev.target.closest('g.node');
  if (g) select(g.dataset.asset, false);
});
svg.addEventListener(
  'wheel',
  (ev) => {
    ev.preventDefault();
    zoom(Math.exp(ev.deltaY * 0.0015), ev.clientX, ev.clientY);
  },
  { passive: false },
);
details.addEventListener('click', (ev) => {
  const link = ev.target.closest('[data-goto]');
  if (link) select(link.dataset.goto, true);
  if (ev.target.closest('.close')) closeDetails();
  const th = ev.target.closest('th[data-sort]');
  if (th && preview) {
    preview.dir = preview.key === th.dataset.sort ? -preview.dir : 1;
    preview.key = th.dataset.sort;
    renderPreview();
  }
});
details.addEventListener('change', async (ev) => {
  const pick = ev.target.closest('[data-field="history-metric"]');
  if (!pick || !selected) return;
  const res = await fetch(`/api/asset/${encodeURIComponent(selected)}/history?metric=${encodeURIComponent(pick.value)}`);
  const body = await res.json();
  const el = details.querySelector('[data-chart="history"] .plot');
  if (!el) return;
  if (body.chart) await drawChart(el, body.chart);
  else el.textContent = `${pick.value}: fewer than two values so far`;
});
document.getElementById('zoom-in').addEventListener('click', () => zoom(1 / 1.3));
document.getElementById('zoom-out').addEventListener('click', () => zoom(1.3));
document.getElementById('fit').addEventListener('click', fit);
document.getElementById('refresh').addEventListener('click', () => loadGraph(false));
const search = document.getElementById('search');
search.addEventListener('input', () => {
  const q = search.value.trim().toLowerCase();
  svg.querySelectorAll('g.node').forEach((g) => g.classList.toggle('dim', q !== '' && !g.dataset.asset.toLowerCase().includes(q)));
});
search.addEventListener('keydown', (ev) => {
  if (ev.key !== 'Enter' || !graph) return;
  const q = search.value.trim().toLowerCase();
  const hit = graph.nodes.find((n) => n.asset.toLowerCase() === q) ?? graph.nodes.find((n) => n.asset.toLowerCase().includes(q));
  if (hit) select(hit.asset, true);
});
window.addEventListener('resize', applyView);

// ---- run timeline ----

async function showRuns() {
  const res = await fetch('/api/runs');
  const body = await res.json();
  if (!res.ok) return showError(body);
  closeDetails();
  runsOpen = true;
  details.innerHTML =
    `<h2>Runs <button class="close" title="close" aria-label="close">×</button></h2>` +
    (body.lock
      ? `<div class="error-box" data-field="lock">the run lock is held by ${esc(body.lock.purpose)} (pid ${esc(body.lock.pid)}, since ${esc(when(body.lock.since))})</div>`
      : '') +
    (body.chart ? `<div class="chart" data-chart="runs"><div class="plot"></div></div>` : '<div class="muted">no run yet</div>') +
    `<div data-field="runs">${tableHtml(
      ['started', 'trigger', 'result', 'assets', 'selection'],
      [...body.runs].reverse().map((r) => [
        esc(when(r.started_at)),
        esc(r.trigger),
        r.result === 'failed' ? '<span class="fail">failed</span>' : esc(r.result),
        esc(
          Object.entries(r.counts)
            .filter(([, n]) => n)
            .map(([k, n]) => `${n} ${k}`)
            .join(', '),
        ),
        esc(r.selection.join(' ')),
      ]),
    )}</div>`;
  details.hidden = false;
  if (body.chart) drawCharts(details, [{ id: 'runs', spec: body.chart }]);
}
let runsOpen = false;
document.getElementById('runs').addEventListener('click', showRuns);
details.addEventListener('click', (ev) => {
  if (ev.target.closest('.close')) runsOpen = false;
});

// ---- live updates ----

let refreshTimer = null;
/** Catalog changes come in bursts (one write per batch of assets): refresh once they settle. */
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(async () => {
    await loadGraph(false);
    if (runsOpen) showRuns();
    document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed ?? 0) + 1);
  }, 150);
}

const runStatus = document.getElementById('run-status');
const running = new Map();
let lockHolder = null;

function renderRunStatus(line) {
  const rows = [...running.values()].map(
    (p) =>
      `<div class="progress-row" data-asset="${esc(p.asset)}"><span class="name">${esc(p.asset)}</span><progress max="${p.total || 1}" value="${p.done}"></progress>` +
      `<span>${p.done}/${p.total}${p.rate ? ` · ${p.rate >= 10 ? Math.round(p.rate) : p.rate.toFixed(1)}/s` : ''}${p.eta_s !== null && p.eta_s !== undefined && p.done < p.total ? ` · ETA ${p.eta_s}s` : ''}${p.requests_in_flight ? ` · ${p.requests_in_flight} in flight` : ''}${p.retries ? ` · ${p.retries} retries` : ''}${p.cost_usd ? ` · $${p.cost_usd.toFixed(4)}` : ''}</span></div>`,
  );
  const lock = lockHolder ? `<span class="muted" data-field="lock">lock: ${esc(lockHolder.purpose)} (pid ${esc(lockHolder.pid)})</span>` : '';
  runStatus.innerHTML = `<div class="run-line" data-field="run-line">${line ?? runStatus.querySelector('[data-field="run-line"]')?.innerHTML ?? ''} ${lock}</div>${rows.join('')}`;
  runStatus.hidden = !line && !rows.length && !lockHolder && !runStatus.querySelector('[data-field="run-line"]')?.textContent.trim();
}

function onRunEvent(e) {
  switch (e.event) {
    case 'run-started':
      runStatus.dataset.state = 'running';
      return renderRunStatus(`run <code>${esc(e.run_id)}</code>: ${esc(e.assets.length)} asset(s)…`);
    case 'asset-started':
      running.set(e.asset, { asset: e.asset, done: 0, total: 0 });
      return renderRunStatus();
    case 'progress':
      running.set(e.asset, e);
      return renderRunStatus();
    case 'asset-finished':
      running.delete(e.asset);
      return renderRunStatus();
    case 'lock-wait':
      return renderRunStatus(`waiting for the lock: ${esc(e.message)}`);
    case 'result': {
      const counts = {};
      for (const a of e.result.assets ?? []) counts[a.outcome] = (counts[a.outcome] ?? 0) + 1;
      runStatus.dataset.state = e.result.ok ? 'done' : 'failed';
      return renderRunStatus(
        `${e.result.ok ? '<span class="pass">ok</span>' : '<span class="fail">failed</span>'}: ${esc(
          Object.entries(counts)
            .map(([k, n]) => `${n} ${k}`)
            .join(', ') || 'nothing to do',
        )} (run <code>${esc(e.result.run_id)}</code>)`,
      );
    }
    default:
  }
}

function connectEvents() {
  const es = new EventSource('/api/events');
  const live = document.getElementById('live');
  es.addEventListener('open', () => live.classList.add('on'));
  es.addEventListener('error', () => live.classList.remove('on'));
  es.addEventListener('hello', (m) => {
    lockHolder = JSON.parse(m.data).lock;
    renderRunStatus();
    document.body.dataset.live = 'true';
  });
  es.addEventListener('catalog', scheduleRefresh);
  es.addEventListener('lock', (m) => {
    lockHolder = JSON.parse(m.data).holder;
    renderRunStatus();
  });
  es.addEventListener('run-launched', (m) => {
    running.clear();
    runStatus.dataset.state = 'launched';
    renderRunStatus(`starting <code>synth materialize ${esc(JSON.parse(m.data).selection.join(' '))}</code>…`);
  });
  es.addEventListener('run', (m) => onRunEvent(JSON.parse(m.data)));
  es.addEventListener('run-exit', (m) => {
    const d = JSON.parse(m.data);
    running.clear();
    if (d.code !== 0) {
      runStatus.dataset.state = 'failed';
      renderRunStatus(`<span class="fail">the run failed</span> (exit ${esc(d.code)}): ${esc(d.error ?? '')}`);
    } else renderRunStatus();
    scheduleRefresh();
  });
}

// ---- Materialize (absent when the page is read-only) ----

if (TOKEN) {
  document.getElementById('actions').hidden = false;
  const input = document.getElementById('selection');
  document.getElementById('materialize').addEventListener('click', async () => {
    const selection = input.value.trim() ? input.value.trim().split(/\s+/) : selected ? [selected] : [];
    const res = await fetch('/api/materialize', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-synth-token': TOKEN },
      body: JSON.stringify({ selection }),
    });
    const body = await res.json();
    if (res.status === 202) return;
    const e = body.error ?? {};
    runStatus.dataset.state = res.status === 409 ? 'refused' : 'failed';
    renderRunStatus(`<span class="fail">${esc(e.what)}</span> ${esc(e.why ?? '')} <span class="muted">${esc(e.fix ?? '')}</span>`);
  });
}

connectEvents();
// An asset named in the address: its panel (and charts) is fetched beside the graph, not after it.
const linked = /^#asset=(.+)$/.exec(location.hash);
if (linked) {
  select(decodeURIComponent(linked[1]), false);
  // Likely to draw charts: their libraries download while the graph is laid out.
  loadChartsRuntime().catch(() => {});
}
loadGraph(true).catch((err) => showError({ error: { what: `The page could not load the graph: ${err.message}` } }));
