import { IMAGE_MEDIA_TYPES, manifestImages } from '../images/manifest-images.js';
import { statSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Catalog, type CatalogIndex, UsageError, isSynthError, type Project, loadProject, type AssetStatus, computeStatus, ObjectStore } from '../engine/index.js';
import { loadStaticFiles } from './static-files.js';
import { assetData, graphData } from './ui-data.js';

/** Options of `startUiServer`. */
export interface UiServerOptions {
  /** Project root. Default: the current directory. Example: `'./my-project'`. */
  root?: string;
  /** Definitions file, relative to the root. Default: `src/assets/index.ts`. */
  defs?: string;
  /** TCP port; 0 picks a free one. Default: 7878. */
  port?: number;
}

/** A running UI server. */
export interface UiServer {
  /** Where the page is, e.g. `http://127.0.0.1:7878/`. */
  url: string;
  port: number;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** Default port of `synth ui`. */
export const DEFAULT_UI_PORT = 7878;

/**
 * Only the loopback interface: the page shows everything about the project's data and has no
 * authentication, so it must not be reachable from the network.
 */
const HOST = '127.0.0.1';

interface Snapshot {
  project: Project;
  index: CatalogIndex;
  status: ReadonlyMap<string, AssetStatus>;
  store: ObjectStore;
}

/**
 * What the API serves, reloaded only when needed: the definitions on each graph request (cheap:
 * the bundled definitions are cached by mtime), the catalog whenever its file changed (another
 * process materialized something), so the page stays current without restarting `synth ui`.
 */
class ProjectState {
  private project?: Project;
  private catalog?: Catalog;
  private catalogStamp = '';
  private status?: Map<string, AssetStatus>;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: UiServerOptions) {}

  /** Serialised, so two requests never load at the same time. */
  snapshot(reloadDefinitions: boolean): Promise<Snapshot> {
    const next = this.queue.then(() => this.load(reloadDefinitions));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async load(reloadDefinitions: boolean): Promise<Snapshot> {
    if (!this.project || reloadDefinitions) {
      this.project = await loadProject({ root: this.options.root, defs: this.options.defs });
      this.catalog ??= new Catalog(this.project.stateDir);
      this.status = undefined;
    }
    const catalog = this.catalog!;
    let stamp = 'none';
    try {
      const s = statSync(catalog.file);
      stamp = `${s.mtimeMs}:${s.size}`;
    } catch {
      // No catalog yet: nothing was ever materialized.
    }
    if (stamp !== this.catalogStamp) {
      await catalog.load();
      this.catalogStamp = stamp;
      this.status = undefined;
    }
    this.status ??= computeStatus(this.project, catalog.lookup);
    return { project: this.project, index: catalog.lookup, status: this.status, store: ObjectStore.of(this.project.stateDir) };
  }
}

function send(res: ServerResponse, code: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(code, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
    ...extra,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function sendJson(res: ServerResponse, code: number, value: unknown): void {
  send(res, code, 'application/json; charset=utf-8', JSON.stringify(value), { 'cache-control': 'no-store' });
}

function errorBody(err: unknown): { error: Record<string, unknown> } {
  if (isSynthError(err)) return { error: { what: err.what, why: err.why ?? null, fix: err.fix ?? null, file: err.file ?? null, line: err.line ?? null } };
  return { error: { what: err instanceof Error ? err.message : String(err), why: null, fix: null, file: null, line: null } };
}

/** Starts the read-only UI server on 127.0.0.1. Definition errors are reported by the API, not thrown. */
export async function startUiServer(options: UiServerOptions = {}): Promise<UiServer> {
  const files = loadStaticFiles();
  const state = new ProjectState(options);
  // Fail early, before printing a URL, when the project does not load at all.
  await state.snapshot(false);
  let port = options.port ?? DEFAULT_UI_PORT;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'read-only: GET only\n', { allow: 'GET, HEAD' });
    // A page on another site could point a DNS name at 127.0.0.1 (DNS rebinding): only answer our own names.
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `${HOST}:${port}` && host !== `localhost:${port}`) return send(res, 421, 'text/plain', 'unexpected Host header\n');
    let url: URL;
    let name: string | undefined;
    let image: { asset: string; id: string } | undefined;
    try {
      url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
      const m = /^\/api\/asset\/([^/]+)$/.exec(url.pathname);
      if (m) name = decodeURIComponent(m[1]);
      const img = /^\/api\/image\/([^/]+)\/([^/]+)$/.exec(url.pathname);
      if (img) image = { asset: decodeURIComponent(img[1]), id: decodeURIComponent(img[2]) };
    } catch {
      // Malformed percent-encoding (`%E0%A4%A`) or an unparsable target: the request is wrong, not the server.
      return sendJson(res, 400, { error: { what: 'Malformed URL.', why: 'The path has invalid percent-encoding.', fix: 'Encode asset names with encodeURIComponent.' } });
    }
    const file = files.get(url.pathname);
    if (file) return send(res, 200, file.type, file.body, { 'cache-control': 'no-cache' });
    try {
      if (url.pathname === '/api/graph') {
        const snap = await state.snapshot(true);
        return sendJson(res, 200, graphData(snap.project, snap.status, snap.store));
      }
      if (image) {
        // Only an image the asset's latest manifest lists is served: never an arbitrary object of the store.
        const snap = await state.snapshot(false);
        const found = snap.project.assets.has(image.asset) ? manifestImages(snap.store, snap.status.get(image.asset)?.latest ?? null).find((m) => m.id === image.id) : undefined;
        if (!found) return sendJson(res, 404, { error: { what: `No image "${image.id}" in the latest materialization of "${image.asset}".`, why: null, fix: 'Reload the page.' } });
        return send(res, 200, IMAGE_MEDIA_TYPES[found.format!], snap.store.get(found.sha256!), { 'cache-control': 'private, max-age=3600', 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'" });
      }
      if (name !== undefined) {
        const snap = await state.snapshot(false);
        if (!snap.project.assets.has(name)) return sendJson(res, 404, { error: { what: `Unknown asset "${name}".`, why: null, fix: 'Reload the page: the definitions may have changed.' } });
        return sendJson(res, 200, assetData(snap.project, snap.index, snap.status, snap.store, name));
      }
      return sendJson(res, 404, { error: { what: `No such page: ${url.pathname}`, why: null, fix: null } });
    } catch (err) {
      return sendJson(res, 500, errorBody(err));
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(err));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(new UsageError({ what: `Port ${port} is already in use.`, why: 'Another program (or another `synth ui`) listens on it.', fix: 'Pick another with --port N, or --port 0 for any free port.' }));
      } else reject(err);
    });
    server.listen(port, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${HOST}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
