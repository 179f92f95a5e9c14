import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { packageRoot } from '../engine/index.js';

/** A file the page needs, read once and served from memory. */
export interface StaticFile {
  type: string;
  body: Buffer;
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
 * (`@dagrejs/dagre`'s self-contained ES module build) and the chart libraries (vega, vega-lite,
 * vega-embed browser builds), so the page works offline with no CDN. The page carries its mode
 * and, with actions, the per-launch token in meta tags (the CSP allows no inline script).
 */
export function loadStaticFiles(page: PageMode = { mode: 'read-only' }): Map<string, StaticFile> {
  const publicDir = path.join(packageRoot(), 'src', 'ui', 'public');
  const files = new Map<string, StaticFile>();
  for (const name of ['index.html', 'app.js', 'app.css', 'charts.js']) {
    files.set(`/${name}`, { type: TYPES[path.extname(name)], body: readFileSync(path.join(publicDir, name)) });
  }
  const meta =
    page.mode === 'actions' ? `<meta name="synth-mode" content="actions" />\n    <meta name="synth-token" content="${page.token}" />` : '<meta name="synth-mode" content="read-only" />';
  const html = files.get('/index.html')!;
  html.body = Buffer.from(html.body.toString('utf8').replace('<!-- synth-meta -->', meta));
  files.set('/', html);
  const require = createRequire(import.meta.url);
  const dagreMain = require.resolve('@dagrejs/dagre');
  files.set('/vendor/dagre.js', { type: TYPES['.js'], body: readFileSync(path.join(path.dirname(dagreMain), 'dagre.esm.js')) });
  const vendor = (url: string, pkg: string, file: string) => {
    // These packages export no package.json: their folder is the ancestor of the entry named after them.
    let dir = path.dirname(require.resolve(pkg));
    while (path.basename(dir) !== pkg && path.dirname(dir) !== dir) dir = path.dirname(dir);
    files.set(url, { type: TYPES['.js'], body: readFileSync(path.join(dir, file)) });
  };
  vendor('/vendor/vega.js', 'vega', 'build/vega.min.js');
  vendor('/vendor/vega-lite.js', 'vega-lite', 'build/vega-lite.min.js');
  vendor('/vendor/vega-embed.js', 'vega-embed', 'build/vega-embed.min.js');
  return files;
}
