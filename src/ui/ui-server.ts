import { randomBytes } from 'node:crypto';
import { IMAGE_MEDIA_TYPES, manifestImages } from '../images/manifest-images.js';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { Catalog, type CatalogIndex, UsageError, isSynthError, type Project, loadProject, type AssetStatus, computeStatus, ObjectStore, resolveSelection } from '../engine/index.js';
import { runTimelineSpec } from '../charts/index.js';
import { runTimeline } from '../inspect/index.js';
import { LiveEvents } from './live-events.js';
import { readBody, refuseAction } from './request-guard.js';
import { RunLauncher } from './run-launcher.js';
import { loadStaticFiles } from './static-files.js';
import { assetData, graphData, historyChart } from './ui-data.js';

/** Options of `startUiServer`. */
export interface UiServerOptions {
  /** Project root. Default: the current directory. Example: `'./my-project'`. */
  root?: string;
  /** Definitions file, relative to the root. Default: `src/assets/index.ts`. */
  defs?: string;
  /** TCP port; 0 picks a free one. Default: 7878. */
  port?: number;
  /**
   * Serve the page without its Materialize action: every request but GET/HEAD is refused.
   * Default: false (the page served to 127.0.0.1 can launch runs). Example: `true`.
   */
  readOnly?: boolean;
}

/** The body of `POST /api/materialize`. */
const MaterializeRequestSchema = z.strictObject({
  /** Selection expressions, as `synth materialize` takes them. */
  selection: z.array(z.string().min(1).max(500)).max(200),
  force: z.boolean().default(false),
});

/** A running UI server. */
export interface UiServer {
  /** Where the page is, e.g. `http://127.0.0.1:7878/`. */
  url: string;
  port: number;
  /** Whether the page has its Materialize action. */
  readOnly: boolean;
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
    const stamp = catalog.changeStamp();
    if (stamp !== this.catalogStamp) {
      await catalog.load();
      this.catalogStamp = stamp;
      this.status = undefined;
    }
    this.status ??= computeStatus(this.project, catalog.lookup);
    return { project: this.project, index: catalog.lookup, status: this.status, store: ObjectStore.of(this.project.stateDir) };
  }
}

function sendError(res: ServerResponse, code: number, what: string, why: string | null, fix: string | null, extra: Record<string, unknown> = {}): void {
  sendJson(res, code, { error: { what, why, fix, file: null, line: null }, ...extra });
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

/**
 * Starts the UI server on 127.0.0.1. Definition errors are reported by the API, not thrown.
 * Unless `readOnly`, the page can launch runs: POST /api/materialize, accepted only with this
 * launch's token (written into the page it serves), our own Origin and Host.
 */
export async function startUiServer(options: UiServerOptions = {}): Promise<UiServer> {
  const readOnly = !!options.readOnly;
  const token = randomBytes(24).toString('hex');
  const files = loadStaticFiles(readOnly ? { mode: 'read-only' } : { mode: 'actions', token });
  const state = new ProjectState(options);
  // Fail early, before printing a URL, when the project does not load at all.
  const first = await state.snapshot(false);
  let port = options.port ?? DEFAULT_UI_PORT;
  const root = first.project.root;
  const live = new LiveEvents(first.project.stateDir, new Catalog(first.project.stateDir));
  const launcher = new RunLauncher(root, options.defs, (event, data) => live.broadcast(event, data));

  const materialize = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const refused = refuseAction(req, [`http://${HOST}:${port}`, `http://localhost:${port}`], token);
    if (refused)
      return sendError(res, 403, 'Refused: this action is only taken from the page this `synth ui` served.', refused, 'Open the URL `synth ui` printed and use its Materialize button.');
    let body: z.infer<typeof MaterializeRequestSchema>;
    try {
      const parsed = MaterializeRequestSchema.safeParse(JSON.parse(await readBody(req, 64 * 1024)));
      if (!parsed.success)
        return sendError(
          res,
          400,
          'Bad materialize request.',
          parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
          'Send {"selection": ["name", "+name", ...], "force": false}.',
        );
      body = parsed.data;
    } catch (err) {
      return sendError(res, 400, 'Bad materialize request.', (err as Error).message, 'Send a JSON body of at most 64 KiB.');
    }
    // The selection is checked here so a typo is answered at once, with the CLI's own message.
    const snap = await state.snapshot(true);
    resolveSelection(snap.project, body.selection);
    const ours = launcher.running();
    const holder = live.lockHolder();
    if (ours || holder) {
      const who = holder ? `${holder.purpose} (pid ${holder.pid} on ${holder.host}, since ${holder.since})` : `a run this page started (pid ${ours!.pid}, since ${ours!.started_at})`;
      return sendError(res, 409, 'Another run holds the project lock.', `${who} holds it.`, 'Wait for it to finish (the page shows when the lock is released), then try again.', {
        holder: holder ?? { pid: ours!.pid, host: null, since: ours!.started_at, purpose: 'materialize (ui)' },
      });
    }
    const run = launcher.start(body.selection, body.force);
    live.broadcast('run-launched', run);
    return sendJson(res, 202, { launched: run });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const action = req.method === 'POST' && !readOnly;
    if (req.method !== 'GET' && req.method !== 'HEAD' && !action)
      return send(res, 405, 'text/plain', readOnly ? 'read-only: GET only\n' : 'GET, HEAD or POST only\n', { allow: readOnly ? 'GET, HEAD' : 'GET, HEAD, POST' });
    // A page on another site could point a DNS name at 127.0.0.1 (DNS rebinding): only answer our own names.
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `${HOST}:${port}` && host !== `localhost:${port}`) return send(res, 421, 'text/plain', 'unexpected Host header\n');
    let url: URL;
    let name: string | undefined;
    let wantsHistory = false;
    let image: { asset: string; id: string } | undefined;
    try {
      url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
      const m = /^\/api\/asset\/([^/]+)(\/history)?$/.exec(url.pathname);
      if (m) {
        name = decodeURIComponent(m[1]);
        wantsHistory = !!m[2];
      }
      const img = /^\/api\/image\/([^/]+)\/([^/]+)$/.exec(url.pathname);
      if (img) image = { asset: decodeURIComponent(img[1]), id: decodeURIComponent(img[2]) };
    } catch {
      // Malformed percent-encoding (`%E0%A4%A`) or an unparsable target: the request is wrong, not the server.
      return sendJson(res, 400, { error: { what: 'Malformed URL.', why: 'The path has invalid percent-encoding.', fix: 'Encode asset names with encodeURIComponent.' } });
    }
    if (action) {
      if (url.pathname !== '/api/materialize') return send(res, 405, 'text/plain', 'POST only to /api/materialize\n', { allow: 'GET, HEAD' });
      try {
        return await materialize(req, res);
      } catch (err) {
        return sendJson(res, isSynthError(err) ? 400 : 500, errorBody(err));
      }
    }
    const file = files.get(url.pathname);
    if (file) return send(res, 200, file.type, file.body, { 'cache-control': file.cache ?? 'no-cache' });
    if (url.pathname === '/api/events') return live.attach(res);
    try {
      if (url.pathname === '/api/runs') {
        const snap = await state.snapshot(false);
        const runs = runTimeline(snap.index);
        return sendJson(res, 200, { runs, chart: runTimelineSpec(runs), lock: live.lockHolder(), launched: launcher.running() ?? null, read_only: readOnly });
      }
      if (name !== undefined && wantsHistory) {
        const snap = await state.snapshot(false);
        if (!snap.project.assets.has(name)) return sendJson(res, 404, { error: { what: `Unknown asset "${name}".`, why: null, fix: null } });
        return sendJson(res, 200, { chart: historyChart(snap.index, name, url.searchParams.get('metric') ?? 'rows') });
      }
      if (url.pathname === '/api/graph') {
        const snap = await state.snapshot(true);
        return sendJson(res, 200, graphData(snap.project, snap.status, snap.store));
      }
      if (image) {
        // Only an image the asset's latest manifest lists is served: never an arbitrary object of the store.
        const snap = await state.snapshot(false);
        const found = snap.project.assets.has(image.asset) ? manifestImages(snap.store, snap.status.get(image.asset)?.latest ?? null).find((m) => m.id === image.id) : undefined;
        if (!found) return sendJson(res, 404, { error: { what: `No image "${image.id}" in the latest materialization of "${image.asset}".`, why: null, fix: 'Reload the page.' } });
        return send(res, 200, IMAGE_MEDIA_TYPES[found.format!], snap.store.get(found.sha256!), {
          'cache-control': 'private, max-age=3600',
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'",
        });
      }
      if (name !== undefined) {
        const snap = await state.snapshot(false);
        if (!snap.project.assets.has(name))
          return sendJson(res, 404, { error: { what: `Unknown asset "${name}".`, why: null, fix: 'Reload the page: the definitions may have changed.' } });
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
        reject(
          new UsageError({
            what: `Port ${port} is already in use.`,
            why: 'Another program (or another `synth ui`) listens on it.',
            fix: 'Pick another with --port N, or --port 0 for any free port.',
          }),
        );
      } else reject(err);
    });
    server.listen(port, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  // The project and catalog load while the browser opens and fetches the page, not after its
  // first API request. A failure is not lost: that request loads again and shows it.
  state.snapshot(false).catch(() => undefined);
  return {
    url: `http://${HOST}:${port}/`,
    port,
    readOnly,
    close: () =>
      new Promise<void>((resolve) => {
        launcher.stop();
        live.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
