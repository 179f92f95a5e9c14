import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MlflowClient, MlflowError, MlflowErrorCode, buildLogBatchChunks, sanitizeKey, artifactProxyPath } from '../../src/lineage/mlflow/index.js';
import { mlflowRetryPolicy, RetryOptionsSchema } from '../../src/lineage/mlflow/retry-policy.js';
import { parseRetryAfterMs, retryDelayMs } from '../../src/engine/retry.js';
import { startMlflowServer, type MlflowServer } from '../support/mlflow-server.js';
import { runMlflowPy } from '../support/mlflow-py.js';

const py = JSON.stringify;

describe('MlflowClient against a real MLflow server', () => {
  let server: MlflowServer | undefined;
  let uri: string;
  let mlflow: MlflowClient;
  let experimentId: string;

  beforeAll(async () => {
    // Reuse the server of the global setup when it provides one; otherwise start our own.
    const provided = (inject as unknown as (key: string) => unknown)('mlflowUri');
    if (typeof provided === 'string' && provided) {
      uri = provided;
    } else {
      server = await startMlflowServer();
      uri = server.uri;
    }
    mlflow = new MlflowClient({ trackingUri: uri, retry: { minDelayMs: 50 } });
    experimentId = (await mlflow.getOrCreateExperiment(`client-test-${randomUUID()}`)).experiment_id;
  });

  afterAll(async () => {
    await mlflow?.close();
    await server?.destroy();
  });

  it('getOrCreateExperiment returns the same experiment twice, and under a race', async () => {
    const name = `exp-${randomUUID()}`;
    const first = await mlflow.getOrCreateExperiment(name);
    const second = await mlflow.getOrCreateExperiment(name);
    expect(second.experiment_id).toBe(first.experiment_id);
    expect(first.lifecycle_stage).toBe('active');

    const raced = `race-${randomUUID()}`;
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => mlflow.getOrCreateExperiment(raced)));
    expect(new Set([a.experiment_id, b.experiment_id, c.experiment_id]).size).toBe(1);
  });

  it('creates runs with tags, and getOrCreateRun / findRunByTag find them again', async () => {
    const materializationId = randomUUID();
    const tag = { key: 'synthgraph.materialization_id', value: materializationId };
    const made = await mlflow.getOrCreateRun({ experimentId, idempotencyTag: tag, runName: 'products', tags: { 'synthgraph.asset': 'products' } });
    const again = await mlflow.getOrCreateRun({ experimentId, idempotencyTag: tag, runName: 'products' });
    expect(made.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.run.info.run_id).toBe(made.run.info.run_id);
    expect(made.run.info.artifact_uri).toMatch(/^mlflow-artifacts:\//);

    const found = await mlflow.findRunByTag(experimentId, tag.key, tag.value);
    expect(found?.info.run_id).toBe(made.run.info.run_id);
    expect(await mlflow.findRunByTag(experimentId, tag.key, 'no-such-id')).toBeUndefined();

    const seen = await runMlflowPy(
      uri,
      `runs = client.search_runs([${py(experimentId)}], filter_string=${py(`tags."synthgraph.materialization_id" = '${materializationId}'`)})
result = [{"id": r.info.run_id, "name": r.info.run_name, "tags": r.data.tags} for r in runs]`,
    );
    expect(seen).toHaveLength(1);
    expect(seen[0].id).toBe(made.run.info.run_id);
    expect(seen[0].name).toBe('products');
    expect(seen[0].tags['synthgraph.asset']).toBe('products');

    await mlflow.updateRun(made.run.info.run_id, { status: 'FINISHED', endTime: Date.now() });
    const status = await runMlflowPy(uri, `result = client.get_run(${py(made.run.info.run_id)}).info.status`);
    expect(status).toBe('FINISHED');
  });

  it('splits a batch of 250 params and 2,500 metrics, and MLflow keeps all of them', async () => {
    const run = await mlflow.createRun({ experimentId, runName: 'big-batch' });
    const runId = run.info.run_id;
    const params: Record<string, number> = {};
    for (let i = 0; i < 250; i++) params[`p${String(i).padStart(3, '0')}`] = i;
    const metrics = [];
    for (let k = 0; k < 25; k++) for (let step = 0; step < 100; step++) metrics.push({ key: `m${k}`, value: k + step / 100, step });
    const longKey = `long/${'x'.repeat(300)}`;
    const { requests } = await mlflow.logBatch(runId, {
      params,
      metrics,
      tags: { 'odd key@with#chars': 'kept', [longKey]: 'long' },
    });
    expect(requests).toBe(5);

    const seen = await runMlflowPy(
      uri,
      `run = client.get_run(${py(runId)})
result = {
  "params": run.data.params,
  "tags": run.data.tags,
  "latest": run.data.metrics,
  "points": sum(len(client.get_metric_history(${py(runId)}, k)) for k in run.data.metrics),
  "m7": [m.value for m in client.get_metric_history(${py(runId)}, "m7")],
}`,
    );
    expect(Object.keys(seen.params)).toHaveLength(250);
    expect(seen.params.p249).toBe('249');
    expect(Object.keys(seen.latest)).toHaveLength(25);
    expect(seen.points).toBe(2500);
    expect(seen.m7).toHaveLength(100);
    expect(seen.tags['odd key_with_chars']).toBe('kept');
    expect(seen.tags[sanitizeKey(longKey)]).toBe('long');
    expect(sanitizeKey(longKey)).toHaveLength(250);
  });

  it('refuses to change a logged param with a clear PARAM_VALUE_CHANGED error', async () => {
    const run = await mlflow.createRun({ experimentId });
    await mlflow.logBatch(run.info.run_id, { params: { rows: 500 } });
    // Same value again is fine (what a retried batch does).
    await mlflow.logBatch(run.info.run_id, { params: { rows: 500 } });
    const err = await mlflow.logBatch(run.info.run_id, { params: { rows: 600 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MlflowError);
    const e = err as MlflowError;
    expect(e.errorCode).toBe(MlflowErrorCode.PARAM_VALUE_CHANGED);
    expect(e.status).toBe(400);
    expect(e.retryable).toBe(false);
    expect(e.what).toContain(run.info.run_id);
    expect(e.why).toContain('rows');
    expect(e.fix).toMatch(/new run|tag/);
  });

  it('logs a dataset input with a full sha256 digest cut to 36 chars', async () => {
    const run = await mlflow.createRun({ experimentId });
    const digest = 'ab'.repeat(32);
    const schema = { mlflow_colspec: [{ name: 'price', type: 'double' }] };
    await mlflow.logInputs(run.info.run_id, [
      {
        name: 'products',
        digest,
        source: { uri: '/tmp/store/products.jsonl' },
        schema,
        profile: { num_rows: 500 },
        context: 'training',
      },
    ]);
    const seen = await runMlflowPy(
      uri,
      `run = client.get_run(${py(run.info.run_id)})
d = run.inputs.dataset_inputs[0]
result = {
  "count": len(run.inputs.dataset_inputs),
  "name": d.dataset.name, "digest": d.dataset.digest, "source_type": d.dataset.source_type,
  "source": d.dataset.source, "schema": d.dataset.schema, "profile": d.dataset.profile,
  "tags": {t.key: t.value for t in d.tags},
  "found": [r.info.run_id for r in client.search_runs([${py(experimentId)}], filter_string="dataset.digest = '${digest.slice(0, 36)}'")],
}`,
    );
    expect(seen.count).toBe(1);
    expect(seen.name).toBe('products');
    expect(seen.digest).toBe(digest.slice(0, 36));
    expect(seen.source_type).toBe('local');
    expect(JSON.parse(seen.source)).toEqual({ uri: '/tmp/store/products.jsonl' });
    expect(JSON.parse(seen.schema)).toEqual(schema);
    expect(JSON.parse(seen.profile)).toEqual({ num_rows: 500 });
    expect(seen.tags['mlflow.data.context']).toBe('training');
    expect(seen.found).toContain(run.info.run_id);
  });

  it('uploads an artifact through the proxy and lists it', async () => {
    const run = await mlflow.createRun({ experimentId });
    const body = '{"a":1}\n{"a":2}\n';
    await mlflow.uploadArtifact(run.info.artifact_uri!, 'data/rows.jsonl', body, 'application/x-ndjson');
    const listed = await mlflow.listArtifacts(run.info.run_id, 'data');
    expect(listed.files).toEqual([{ path: 'data/rows.jsonl', is_dir: false, file_size: Buffer.byteLength(body) }]);
    const seen = await runMlflowPy(
      uri,
      `result = {
  "root": [(f.path, f.is_dir) for f in client.list_artifacts(${py(run.info.run_id)})],
  "data": [(f.path, f.file_size) for f in client.list_artifacts(${py(run.info.run_id)}, "data")],
  "text": open(client.download_artifacts(${py(run.info.run_id)}, "data/rows.jsonl")).read(),
}`,
    );
    expect(seen.root).toEqual([['data', true]]);
    expect(seen.data).toEqual([['data/rows.jsonl', Buffer.byteLength(body)]]);
    expect(seen.text).toBe(body);
  });

  it('creates a logged model, finalizes it, links it to a run and registers a version', async () => {
    const run = await mlflow.createRun({ experimentId, runName: 'train' });
    const runId = run.info.run_id;
    const model = await mlflow.createLoggedModel({
      experimentId,
      name: 'category_model',
      modelType: 'classifier',
      sourceRunId: runId,
      params: { max_depth: 5 },
      tags: { 'synthgraph.asset': 'category_model' },
    });
    expect(model.info.status).toBe('LOGGED_MODEL_PENDING');
    await mlflow.uploadArtifact(model.info.artifact_uri, 'model.json', '{"tree":[]}', 'application/json');
    const ready = await mlflow.finalizeLoggedModel(model.info.model_id);
    expect(ready.info.status).toBe('LOGGED_MODEL_READY');
    await mlflow.logOutputs(runId, [{ modelId: model.info.model_id, step: 0 }]);

    const found = await mlflow.searchLoggedModels({ experimentIds: [experimentId], filter: "name = 'category_model'" });
    expect(found.items.map((m) => m.info.model_id)).toContain(model.info.model_id);
    expect((await mlflow.getLoggedModel(model.info.model_id)).data.params).toEqual([{ key: 'max_depth', value: '5' }]);

    const modelName = `category-model-${randomUUID().slice(0, 8)}`;
    const rm1 = await mlflow.getOrCreateRegisteredModel(modelName);
    const rm2 = await mlflow.getOrCreateRegisteredModel(modelName);
    expect(rm2.name).toBe(rm1.name);
    const v1 = await mlflow.getOrCreateModelVersion({ name: modelName, source: model.info.artifact_uri, runId, modelId: model.info.model_id });
    const v2 = await mlflow.getOrCreateModelVersion({ name: modelName, source: model.info.artifact_uri, runId, modelId: model.info.model_id });
    expect(v1.created).toBe(true);
    expect(v2.created).toBe(false);
    expect(v2.version.version).toBe(v1.version.version);

    const seen = await runMlflowPy(
      uri,
      `m = client.get_logged_model(${py(model.info.model_id)})
run = client.get_run(${py(runId)})
result = {
  "status": str(m.status), "name": m.name, "source_run_id": m.source_run_id, "params": m.params,
  "outputs": [o.model_id for o in run.outputs.model_outputs],
  "artifacts": [f.path for f in client.list_logged_model_artifacts(${py(model.info.model_id)})],
  "versions": [(v.version, v.run_id, v.source) for v in client.search_model_versions(${py(`name='${modelName}'`)})],
}`,
    );
    expect(seen.status).toContain('READY');
    expect(seen.name).toBe('category_model');
    expect(seen.source_run_id).toBe(runId);
    expect(seen.params).toEqual({ max_depth: '5' });
    expect(seen.outputs).toEqual([model.info.model_id]);
    expect(seen.artifacts).toEqual(['model.json']);
    expect(seen.versions).toEqual([['1', runId, model.info.artifact_uri]]);
  });

  it('maps a missing run to a non-retryable RESOURCE_DOES_NOT_EXIST', async () => {
    const err = await mlflow.getRun('0123456789abcdef0123456789abcdef').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MlflowError);
    const e = err as MlflowError;
    expect(e.errorCode).toBe(MlflowErrorCode.RESOURCE_DOES_NOT_EXIST);
    expect(e.status).toBe(404);
    expect(e.retryable).toBe(false);
    expect(e.endpoint).toBe('GET /api/2.0/mlflow/runs/get');
    expect(await mlflow.getExperimentByName(`missing-${randomUUID()}`)).toBeUndefined();
  });
});

describe('test MLflow server stop and restart on the same store', () => {
  it('keeps the data across a restart on the same port, and the client reconnects', async () => {
    const own = await startMlflowServer();
    const client = new MlflowClient({ trackingUri: own.uri, retry: { retries: 1, minDelayMs: 5 } });
    try {
      const exp = await client.getOrCreateExperiment('survives-restart');
      await own.stop();
      const down = (await client.getExperimentByName('survives-restart').catch((e: unknown) => e)) as MlflowError;
      expect(down).toBeInstanceOf(MlflowError);
      expect(down.errorCode).toBe(MlflowErrorCode.CONNECTION_ERROR);
      expect(down.retryable).toBe(true);

      await own.restart();
      expect(own.uri).toBe(`http://127.0.0.1:${own.port}`);
      const back = await client.getExperimentByName('survives-restart');
      expect(back?.experiment_id).toBe(exp.experiment_id);
    } finally {
      await client.close();
      await own.destroy();
    }
  });
});

/** A scripted HTTP server: each request gets the next answer (the last one repeats). */
async function scriptedServer(
  answers: { status: number; body: string; headers?: Record<string, string> }[],
): Promise<{ uri: string; requests: IncomingMessage[]; close: () => Promise<void> }> {
  const requests: IncomingMessage[] = [];
  const srv: Server = createServer((req, res) => {
    requests.push(req);
    req.resume();
    req.on('end', () => {
      const answer = answers[Math.min(requests.length - 1, answers.length - 1)];
      const body = answer.body.replace('$AUTH', String(req.headers.authorization));
      res.writeHead(answer.status, { 'content-type': body.startsWith('{') ? 'application/json' : 'text/plain', ...answer.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const addr = srv.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    uri: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => srv.close(() => resolve())),
  };
}

const RUN_JSON = JSON.stringify({ run: { info: { run_id: 'r1', experiment_id: '0' } } });
const UNAVAILABLE = JSON.stringify({ error_code: 'TEMPORARILY_UNAVAILABLE', message: 'database is locked' });

describe('MlflowClient retries and error mapping (local HTTP server)', () => {
  it('retries 503 twice then succeeds: 3 requests', async () => {
    const srv = await scriptedServer([
      { status: 503, body: UNAVAILABLE, headers: { 'retry-after': '0' } },
      { status: 503, body: UNAVAILABLE },
      { status: 200, body: RUN_JSON },
    ]);
    const client = new MlflowClient({ trackingUri: srv.uri, retry: { minDelayMs: 5 } });
    try {
      const run = await client.getRun('r1');
      expect(run.info.run_id).toBe('r1');
      expect(run.data.params).toEqual([]);
      expect(srv.requests).toHaveLength(3);
      expect(client.requestCount).toBe(3);
      expect(srv.requests[0].url).toBe('/api/2.0/mlflow/runs/get?run_id=r1');
    } finally {
      await client.close();
      await srv.close();
    }
  });

  it('gives up after the configured retries with a retryable TEMPORARILY_UNAVAILABLE', async () => {
    const srv = await scriptedServer([{ status: 503, body: UNAVAILABLE }]);
    const client = new MlflowClient({ trackingUri: srv.uri, retry: { retries: 2, minDelayMs: 5 } });
    try {
      const err = (await client.getRun('r1').catch((e: unknown) => e)) as MlflowError;
      expect(err).toBeInstanceOf(MlflowError);
      expect(err.errorCode).toBe('TEMPORARILY_UNAVAILABLE');
      expect(err.retryable).toBe(true);
      expect(srv.requests).toHaveLength(3);
    } finally {
      await client.close();
      await srv.close();
    }
  });

  it('does not resend a create after a 502 (it may have been applied), but does after a 503', async () => {
    const gateway = await scriptedServer([
      { status: 502, body: 'Bad Gateway' },
      { status: 200, body: RUN_JSON },
    ]);
    const client = new MlflowClient({ trackingUri: gateway.uri, retry: { minDelayMs: 5 } });
    try {
      const err = (await client.createRun({ experimentId: '0' }).catch((e: unknown) => e)) as MlflowError;
      expect(err).toBeInstanceOf(MlflowError);
      expect(err.status).toBe(502);
      expect(err.maybeApplied).toBe(true);
      expect(err.retryable).toBe(true);
      expect(gateway.requests).toHaveLength(1);
    } finally {
      await client.close();
      await gateway.close();
    }

    const busy = await scriptedServer([
      { status: 503, body: UNAVAILABLE },
      { status: 200, body: RUN_JSON },
    ]);
    const client2 = new MlflowClient({ trackingUri: busy.uri, retry: { minDelayMs: 5 } });
    try {
      const run = await client2.createRun({ experimentId: '0' });
      expect(run.info.run_id).toBe('r1');
      expect(busy.requests).toHaveLength(2);
    } finally {
      await client2.close();
      await busy.close();
    }
  });

  it('maps a plain-text 403 and never echoes the bearer token', async () => {
    const token = 'sekret-token-1234567890';
    const srv = await scriptedServer([
      { status: 403, body: 'Invalid Host header - possible DNS rebinding attack detected' },
      { status: 500, body: JSON.stringify({ error_code: 'INTERNAL_ERROR', message: 'bad header Authorization: $AUTH' }) },
    ]);
    const client = new MlflowClient({ trackingUri: srv.uri, token });
    try {
      const forbidden = (await client.getRun('r1').catch((e: unknown) => e)) as MlflowError;
      expect(forbidden).toBeInstanceOf(MlflowError);
      expect(forbidden.status).toBe(403);
      expect(forbidden.errorCode).toBe(MlflowErrorCode.PERMISSION_DENIED);
      expect(forbidden.retryable).toBe(false);
      expect(forbidden.mlflowMessage).toContain('DNS rebinding');
      expect(forbidden.fix).toContain('allowed-hosts');
      expect(srv.requests[0].headers.authorization).toBe(`Bearer ${token}`);

      const echoed = (await client.getRun('r1').catch((e: unknown) => e)) as MlflowError;
      expect(echoed.errorCode).toBe('INTERNAL_ERROR');
      const everything = JSON.stringify({ ...echoed, message: echoed.message, why: echoed.why });
      expect(everything).not.toContain(token);
      expect(echoed.mlflowMessage).toContain('***');
    } finally {
      await client.close();
      await srv.close();
    }
  });

  it('reports a refused connection as a retryable CONNECTION_ERROR', async () => {
    const srv = await scriptedServer([{ status: 200, body: '{}' }]);
    const deadUri = srv.uri;
    await srv.close();
    const client = new MlflowClient({ trackingUri: deadUri, retry: { retries: 1, minDelayMs: 5 } });
    try {
      const err = (await client.createRun({ experimentId: '0' }).catch((e: unknown) => e)) as MlflowError;
      expect(err).toBeInstanceOf(MlflowError);
      expect(err.errorCode).toBe(MlflowErrorCode.CONNECTION_ERROR);
      expect(err.retryable).toBe(true);
      expect(err.maybeApplied).toBe(false);
      expect(err.what).toContain(deadUri);
      expect(client.requestCount).toBe(2);
    } finally {
      await client.close();
    }
  });

  it('rejects a response of the wrong shape with INVALID_RESPONSE', async () => {
    const srv = await scriptedServer([{ status: 200, body: JSON.stringify({ run: { info: { experiment_id: 3 } } }) }]);
    const client = new MlflowClient({ trackingUri: srv.uri });
    try {
      const err = (await client.getRun('r1').catch((e: unknown) => e)) as MlflowError;
      expect(err.errorCode).toBe(MlflowErrorCode.INVALID_RESPONSE);
      expect(err.mlflowMessage).toContain('run_id');
    } finally {
      await client.close();
      await srv.close();
    }
  });
});

describe('log-batch splitting, keys and retry timing (pure functions)', () => {
  it('splits within MLflow limits and keeps every item once', () => {
    const params = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`p${i}`, 'v'.repeat(5_000)]));
    const tags = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`t${i}`, 'x']));
    const metrics = Array.from({ length: 2_500 }, (_, i) => ({ key: `m${i % 7}`, value: i % 13 === 0 ? Number.NaN : i, step: i }));
    const chunks = buildLogBatchChunks({ params, tags, metrics }, 1_000);
    for (const c of chunks) {
      expect(c.params.length).toBeLessThanOrEqual(100);
      expect(c.tags.length).toBeLessThanOrEqual(100);
      expect(c.metrics.length).toBeLessThanOrEqual(1_000);
      expect(c.params.length + c.tags.length + c.metrics.length).toBeLessThanOrEqual(1_000);
      expect(Buffer.byteLength(JSON.stringify({ run_id: 'x'.repeat(32), ...c }))).toBeLessThan(1_000_000);
    }
    expect(chunks.flatMap((c) => c.params)).toHaveLength(250);
    expect(chunks.flatMap((c) => c.tags)).toHaveLength(120);
    const allMetrics = chunks.flatMap((c) => c.metrics);
    expect(allMetrics).toHaveLength(2_500);
    expect(allMetrics[0]).toEqual({ key: 'm0', value: 'NaN', timestamp: 1_000, step: 0 });
  });

  it('rejects two params that sanitize to one key with different values', () => {
    expect(() => buildLogBatchChunks({ params: { 'a@b': 1, 'a#b': 2 } })).toThrow(/same key "a_b"/);
  });

  it('sanitizes keys the way MLflow validates them', () => {
    expect(sanitizeKey('accuracy')).toBe('accuracy');
    expect(sanitizeKey('f1/macro avg:val')).toBe('f1/macro avg:val');
    expect(sanitizeKey('acc@5')).toBe('acc_5');
    expect(sanitizeKey('/a//./b/../c/')).toBe('a/b/__/c');
    const a = sanitizeKey('k'.repeat(400) + 'a');
    const b = sanitizeKey('k'.repeat(400) + 'b');
    expect(a).toHaveLength(250);
    expect(a).not.toBe(b);
  });

  it('builds artifact proxy paths and refuses escapes', () => {
    expect(artifactProxyPath('mlflow-artifacts:/1/abc/artifacts', 'data/rows 1.jsonl')).toBe('/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/data/rows%201.jsonl');
    expect(() => artifactProxyPath('mlflow-artifacts:/1/abc/artifacts', '../x')).toThrow(MlflowError);
    const err = (() => {
      try {
        artifactProxyPath('/tmp/mlruns/1/abc/artifacts', 'x');
      } catch (e) {
        return e as MlflowError;
      }
    })();
    expect(err?.errorCode).toBe(MlflowErrorCode.INVALID_INPUT);
    expect(err?.fix).toContain('--artifacts-destination');
  });

  it('honours Retry-After over a shorter backoff, within its cap', () => {
    const opts = mlflowRetryPolicy(RetryOptionsSchema.parse({ minDelayMs: 100, maxRetryAfterMs: 5_000 }), true);
    expect(parseRetryAfterMs('3')).toBe(3_000);
    expect(parseRetryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfterMs('soon')).toBeUndefined();
    expect(retryDelayMs(1, opts, 3_000, () => 1)).toBe(3_000);
    expect(retryDelayMs(1, opts, 60_000, () => 1)).toBe(5_000);
    expect(retryDelayMs(3, opts, undefined, () => 0)).toBe(200);
    expect(retryDelayMs(3, opts, undefined, () => 1)).toBe(400);
  });
});
