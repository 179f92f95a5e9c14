import { Command, CommanderError } from 'commander';
// Start-up imports only what every command line needs (commander, the package version); the
// engine, the plug-ins and each command's module load when a command runs (see `main`).
// package-info.ts directly: engine/index.js would load every engine module (zod, graphology...).
import { packageVersion } from '../engine/package-info.js';
import { addCommandStandIn, type CommandSpec, describeCommand } from './command-spec.js';

type Register = (program: Command, setExit: (code: number) => void) => void;

/**
 * Each command's module, loaded only when that command runs: a command pays only for what it
 * imports (the MLflow client, node-cron, the UI server...). Keys are the command names a module
 * registers. A new command: add its module here and nothing else; `npm run build` records its
 * spec (name, arguments, options, descriptions) for `synth --help` and the parser, so a command
 * module may import whatever it needs at top level (see src/cli/command-spec.ts).
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  init: async () => (await import('./commands/init.js')).registerInit,
  materialize: async () => (await import('./commands/materialize.js')).registerMaterialize,
  status: async () => (await import('./commands/status.js')).registerStatus,
  graph: async () => (await import('./commands/graph.js')).registerGraph,
  history: async () => (await import('./commands/history.js')).registerHistory,
  show: async () => (await import('./commands/show.js')).registerShow,
  report: async () => (await import('./commands/report.js')).registerReport,
  export: async () => (await import('./commands/export.js')).registerExport,
  lineage: async () => (await import('./commands/lineage.js')).registerLineage,
  'lineage-push': async () => (await import('./commands/lineage-push.js')).registerLineagePush,
  daemon: async () => (await import('./commands/daemon.js')).registerDaemon,
  schedules: async () => (await import('./commands/daemon.js')).registerDaemon,
  ui: async () => (await import('./commands/ui.js')).registerUi,
  gc: async () => (await import('./commands/gc.js')).registerGc,
  verify: async () => (await import('./commands/verify.js')).registerVerify,
  worker: async () => (await import('./commands/worker.js')).registerWorker,
  tune: async () => (await import('./commands/tune.js')).registerTune,
};

/** The `synth` program before any command is added: the same for the stand-ins and the real commands. */
function newProgram(json: boolean): Command {
  const program = new Command('synth')
    .description('synthgraph: typed, cached, validated synthetic-data pipelines')
    .version(packageVersion())
    .showSuggestionAfterError(true)
    .exitOverride();
  // With --json, commander's own parse errors (unknown option, missing argument) become the
  // JSON error too, instead of text on stderr.
  if (json) program.configureOutput({ outputError: () => {} });
  return program;
}

/** A program with every real command registered (all modules loaded): what the specs are read from. */
export async function programWithAllCommands(): Promise<{ program: Command; modules: Map<Command, string> }> {
  const program = newProgram(false);
  const modules = new Map<Command, string>();
  const registered = new Set<Register>();
  for (const [key, load] of Object.entries(COMMANDS)) {
    const register = await load();
    if (registered.has(register)) continue;
    registered.add(register);
    const before = program.commands.length;
    register(program, () => {});
    for (const cmd of program.commands.slice(before)) modules.set(cmd, key);
  }
  return { program, modules };
}

/**
 * Every command's spec, read from the real modules. `scripts/build.mjs` calls it and writes the
 * result to `dist/cli/command-specs.js`, which `main` reads at start-up.
 */
export async function commandSpecs(): Promise<CommandSpec[]> {
  const { program, modules } = await programWithAllCommands();
  return program.commands.map((cmd) => describeCommand(cmd, modules.get(cmd)!));
}

/** The program `main` parses with first: stand-ins built from `specs`; `onRun` gets the module key of the command that runs. */
export function standInProgram(specs: readonly CommandSpec[], json: boolean, onRun: (module: string) => void): Command {
  const program = newProgram(json);
  for (const spec of specs) addCommandStandIn(program, spec, () => onRun(spec.module));
  return program;
}

/** The specs recorded by the build, or undefined when running from src/ (tsx) or a build without them. */
async function recordedSpecs(): Promise<CommandSpec[] | undefined> {
  try {
    // A computed URL: esbuild leaves this import alone (the file is written after bundling).
    return ((await import(new URL('./command-specs.js', import.meta.url).href)) as { default: CommandSpec[] }).default;
  } catch {
    return undefined;
  }
}

/** Commands that may answer without loading the project (from the status snapshot): their project loads the built-in plug-ins (see openProject). */
const LOADS_PLUGINS_WITH_PROJECT: ReadonlySet<string> = new Set(['status', 'materialize']);

/** Runs the `synth` command line; resolves to the exit code (0 ok, 1 run failure, 2 usage/definition error). */
export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const verbose = argv.includes('--verbose');
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = Math.max(exitCode, code);
  };
  if (argv.length === 0) argv = ['--help'];
  try {
    // Pass 1, on stand-ins built from the recorded specs: help, --version, usage errors and "did
    // you mean" come out exactly as the real commands would print them, with no command loaded.
    // Skipped when a command is named and no help asked for: its real module loads anyway, and
    // parses the same. Either way the outcome is the same; only what is loaded differs.
    const named = argv.find((a) => !a.startsWith('-'));
    let chosen = named !== undefined && Object.hasOwn(COMMANDS, named) && !argv.some((a) => a === '--help' || a === '-h') ? named : undefined;
    const specs = chosen === undefined ? await recordedSpecs() : undefined;
    if (specs) {
      const program = standInProgram(specs, json, (module) => (chosen = module));
      await program.parseAsync(argv, { from: 'user' });
      if (chosen === undefined) return exitCode;
    }
    // Pass 2: the command that runs, from its own module (all of them only without specs). The
    // built-in kinds and generators load first, except for commands that load them with the project.
    const run = chosen ?? named;
    if (!run || !LOADS_PLUGINS_WITH_PROJECT.has(run)) await import('../builtin-plugins.js');
    const loaders = run && Object.hasOwn(COMMANDS, run) ? [COMMANDS[run]] : Object.values(COMMANDS);
    const program = newProgram(json);
    const registered = new Set<Register>();
    for (const register of await Promise.all(loaders.map((load) => load()))) {
      if (registered.has(register)) continue;
      registered.add(register);
      register(program, setExit);
    }
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; every other parsing problem is a usage error (2). Commander printed it, unless --json.
      if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      if (!json) return 2;
    }
    // Loaded only to report an error: they bring the engine's error classes (and the engine) with them.
    const [{ makeOutput }, { renderError }, { UsageError }] = await Promise.all([import('./output.js'), import('./render-error.js'), import('../engine/index.js')]);
    if (err instanceof CommanderError) {
      const what = err.message.replace(/^error: /, '');
      return renderError(
        new UsageError({ what: what.charAt(0).toUpperCase() + what.slice(1), fix: 'Run `synth help` (or `synth COMMAND --help`) for the commands and options.' }),
        makeOutput({ verbose, json }),
      );
    }
    return renderError(err, makeOutput({ verbose, json }));
  }
}
