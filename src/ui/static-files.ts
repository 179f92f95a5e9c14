import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { packageRoot } from '../engine/index.js';

/** A file the page needs, read once and served from memory. */
export interface StaticFile {
  type: string;
  body: Buffer;
  /** Its Cache-Control header. Default `no-cache` (the browser asks again each time). */
  cache?: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** What the page may do: only look (`read-only`), or also launch runs with this launch's token. */
export type PageMode = { mode: 'read-only' } | { mode: 'actions'; token: string };

/**
 * The page's files by URL path: `src/ui/public/*`, and from node_modules the graph layout library
 * (`@dagrejs/dagre`'s self-contained ES module build) and the chart libraries, so the page works
 * offline with no CDN. The page carries its mode, with actions the per-launch token, and the
 * chart libraries' URL in meta tags (the CSP allows no inline script).
 */
export function loadStaticFiles(page: PageMode = { mode: 'read-only' }): Map<string, StaticFile> {
  const publicDir = path.join(packageRoot(), 'src', 'ui', 'public');
  const files = new Map<string, StaticFile>();
  for (const name of ['index.html', 'app.js', 'app.css', 'charts.js', 'graph-layout.js', 'layout-worker.js']) {
    files.set(`/${name}`, { type: TYPES[path.extname(name)], body: readFileSync(path.join(publicDir, name)) });
  }
  const require = createRequire(import.meta.url);
  const charts = chartsRuntime(require);
  files.set(charts.url, charts.file);
  const meta = [
    `<meta name="synth-mode" content="${page.mode}" />`,
    ...(page.mode === 'actions' ? [`<meta name="synth-token" content="${page.token}" />`] : []),
    `<meta name="synth-charts-runtime" content="${charts.url}" />`,
  ].join('\n    ');
  const html = files.get('/index.html')!;
  html.body = Buffer.from(html.body.toString('utf8').replace('<!-- synth-meta -->', meta));
  files.set('/', html);
  const dagreMain = require.resolve('@dagrejs/dagre');
  files.set('/vendor/dagre.js', { type: TYPES['.js'], body: readFileSync(path.join(path.dirname(dagreMain), 'dagre.esm.js')) });
  return files;
}

/**
 * vega, vega-lite and vega-embed (their minified browser builds, which define globals in this
 * order) as one file: one request instead of three, loaded by the page only when it draws a
 * chart. Its URL carries a hash of its content, so the browser may keep it for good.
 */
function chartsRuntime(require: NodeJS.Require): { url: string; file: StaticFile } {
  const build = (pkg: string, file: string) => {
    // These packages export no package.json: their folder is the ancestor of the entry named after them.
    let dir = path.dirname(require.resolve(pkg));
    while (path.basename(dir) !== pkg && path.dirname(dir) !== dir) dir = path.dirname(dir);
    // Their source maps are not served: the comment would only make a browser ask for them.
    return readFileSync(path.join(dir, file), 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  };
  const body = Buffer.from([build('vega', 'build/vega.min.js'), build('vega-lite', 'build/vega-lite.min.js'), build('vega-embed', 'build/vega-embed.min.js')].join(';\n'));
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  return { url: `/vendor/charts-${hash}.js`, file: { type: TYPES['.js'], body, cache: 'public, max-age=31536000, immutable' } };
}
