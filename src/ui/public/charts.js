// Draws the Vega-Lite specs the API sends (built by src/charts on the server) with vega-embed,
// loaded from /vendor (no CDN). Expressions run through vega's interpreter (`ast: true`), so the
// page's Content-Security-Policy needs no 'unsafe-eval'.

/** Resolves once the classic vendor scripts (deferred) have defined window.vegaEmbed. */
function vegaReady() {
  if (window.vegaEmbed) return Promise.resolve(window.vegaEmbed);
  return new Promise((resolve) => window.addEventListener('load', () => resolve(window.vegaEmbed), { once: true }));
}

/** Draws one chart into `el` (replacing what was there); marks it `data-drawn` for tests and the benchmark. */
export async function drawChart(el, chart) {
  const embed = await vegaReady();
  el.dataset.drawn = 'false';
  el.previousView?.finalize();
  const result = await embed(el, chart.spec, { actions: false, ast: true, renderer: 'svg', tooltip: true });
  el.previousView = result.view;
  el.dataset.drawn = 'true';
}

/** Draws every chart into its `[data-chart=id]` element under `root`; a failing chart says why in place. */
export async function drawCharts(root, charts) {
  await Promise.all(
    charts.map(async (chart) => {
      const el = root.querySelector(`[data-chart="${CSS.escape(chart.id)}"] .plot`);
      if (!el) return;
      try {
        await drawChart(el, chart);
      } catch (err) {
        el.textContent = `chart not drawn: ${err.message}`;
        el.dataset.drawn = 'error';
      }
    }),
  );
}
