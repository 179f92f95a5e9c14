/**
 * Run by engine.bench.ts in fresh processes: the first materialize of a project's trivial assets in
 * this process (cold: nothing materialized yet, the executor's code not yet optimised), through the
 * engine API. Prints `{ ms, cpu_ms }` (wall and this process's CPU time of the materialize alone).
 */
// The engine knows no asset kind: the built-in ones register here, as in the CLI.
import '../src/builtin-plugins.js';
import { materialize } from '../src/engine/executor.js';
import { loadProject } from '../src/engine/project.js';

const project = await loadProject({ root: process.argv[2] });
const cpu = process.cpuUsage();
const t = process.hrtime.bigint();
const result = await materialize(project, { concurrency: 4 });
const ms = Number(process.hrtime.bigint() - t) / 1e6;
const used = process.cpuUsage(cpu);
if (!result.ok) throw new Error('materialize failed');
process.stdout.write(JSON.stringify({ ms, cpu_ms: (used.user + used.system) / 1000 }));
