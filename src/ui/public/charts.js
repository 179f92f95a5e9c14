// Draws the Vega-Lite specs the API sends (built by src/charts on the server) with vega-embed.
// vega, vega-lite and vega-embed come as one cacheable file (its URL, named by its content, is in
// a meta tag; no CDN), loaded only once a chart is to be drawn, so the graph's first paint never
// waits for it. Charts are drawn as they scroll into view, one at a time, those in view first.
// Expressions run through vega's interpreter (`ast: true`), so the page's Content-Security-Policy
// needs no 'unsafe-eval'.

let runtime = null;

/** Loads the chart libraries (once); resolves to vegaEmbed. Call early to overlap the download with other work. */
export function loadChartsRuntime() {
  runtime ??= new Promise((resolve, reject) => {
    if (window.vegaEmbed) return resolve(window.vegaEmbed);
    const src = document.querySelector('meta[name="synth-charts-runtime"]').content;
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve(window.vegaEmbed);
    script.onerror = () => {
      runtime = null;
      reject(new Error(`could not load the chart libraries (${src})`));
    };
    document.head.appendChild(script);
  });
  return runtime;
}

/** Draws one chart into `el` (replacing what was there); marks it `data-drawn` for tests and the benchmark. */
export async function drawChart(el, chart) {
  const embed = await loadChartsRuntime();
  el.dataset.drawn = 'false';
  el.previousView?.finalize();
  const result = await embed(el, chart.spec, { actions: false, ast: true, renderer: 'svg', tooltip: true });
  el.previousView = result.view;
  el.style.minHeight = '';
  el.dataset.drawn = 'true';
}

/** Each call of drawCharts starts a new generation: the queue of an older panel stops. */
let generation = 0;
let observer = null;

/**
 * Draws every chart into its `[data-chart=id] .plot` element under `root` as it comes within a
 * screen of the view; a failing chart says why in place. Resolves once the charts in view at
 * the start are drawn.
 */
export function drawCharts(root, charts) {
  const gen = ++generation;
  observer?.disconnect();
  const byPlot = new Map();
  for (const chart of charts) {
    const el = root.querySelector(`[data-chart="${CSS.escape(chart.id)}"] .plot`);
    if (el) byPlot.set(el, chart);
  }
  if (!byPlot.size) return Promise.resolve();
  loadChartsRuntime().catch(() => {});
  // An empty plot has no height: until drawn it holds about the chart's, so that what is in view
  // is known before anything is drawn.
  for (const [el, chart] of byPlot) if (el.dataset.drawn !== 'true') el.style.minHeight = `${estimatedHeight(chart.spec)}px`;
  const queue = [];
  let draining = false;
  let firstBatch = null;
  let done;
  const shown = new Promise((resolve) => (done = resolve));
  const drain = async () => {
    if (draining) return;
    draining = true;
    while (queue.length && gen === generation) {
      const el = queue.shift();
      try {
        await drawChart(el, byPlot.get(el));
      } catch (err) {
        el.textContent = `chart not drawn: ${err.message}`;
        el.dataset.drawn = 'error';
      }
      firstBatch?.delete(el);
      if (firstBatch?.size === 0) done();
    }
    draining = false;
  };
  // Visibility is within `root` (the scrolling details panel), looking one panel height ahead.
  // Geometry comes from the observer's entries only: measuring the page here would force a
  // layout of the whole graph.
  const io = new IntersectionObserver(
    (entries) => {
      if (gen !== generation) return;
      const near = entries.filter((e) => e.isIntersecting);
      if (!firstBatch) {
        // rootBounds is the panel grown by one height above and below: its middle third is in view.
        firstBatch = new Set(
          near
            .filter((e) => {
              const third = e.rootBounds.height / 3;
              return e.boundingClientRect.top < e.rootBounds.top + 2 * third && e.boundingClientRect.bottom > e.rootBounds.top + third;
            })
            .map((e) => e.target),
        );
        if (!firstBatch.size) done();
      }
      // Top to bottom: what the eye meets first is drawn first.
      near.sort((a, b) => a.boundingClientRect.top - b.boundingClientRect.top);
      for (const { target } of near) {
        io.unobserve(target);
        queue.push(target);
      }
      drain();
    },
    { root, rootMargin: '100% 0px' },
  );
  observer = io;
  for (const el of byPlot.keys()) io.observe(el);
  return shown;
}

/** About the drawn height of a spec in pixels: its (first panel's) height plus title, axis and legend. */
function estimatedHeight(spec) {
  const h = spec.height ?? spec.hconcat?.[0]?.height ?? spec.vconcat?.reduce((s, v) => s + (v.height ?? 150), 0) ?? 150;
  return (typeof h === 'number' ? h : 150) + 90;
}
