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

/**
 * The page's files by URL path: `src/ui/public/*` and the graph layout library (`@dagrejs/dagre`'s
 * self-contained ES module build) from node_modules, so the page works offline with no CDN.
 */
export function loadStaticFiles(): Map<string, StaticFile> {
  const publicDir = path.join(packageRoot(), 'src', 'ui', 'public');
  const files = new Map<string, StaticFile>();
  for (const name of ['index.html', 'app.js', 'app.css']) {
    files.set(`/${name}`, { type: TYPES[path.extname(name)], body: readFileSync(path.join(publicDir, name)) });
  }
  files.set('/', files.get('/index.html')!);
  const dagreMain = createRequire(import.meta.url).resolve('@dagrejs/dagre');
  files.set('/vendor/dagre.js', { type: TYPES['.js'], body: readFileSync(path.join(path.dirname(dagreMain), 'dagre.esm.js')) });
  return files;
}
