import { Command, CommanderError } from 'commander';
import '../builtin-plugins.js';
import { UsageError, packageVersion } from '../engine/index.js';
import { makeOutput } from './output.js';
import { renderError } from './render-error.js';

type Register = (program: Command, setExit: (code: number) => void) => void;

/**
 * Each command's module, loaded on demand: a command pays only for what it imports (the MLflow
 * client, node-cron, the UI server...), which keeps `synth status` start-up small.
 * Keys are the command names a module registers.
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
  tune: async () => (await import('./commands/tune.js')).registerTune,
};

/** Runs the `synth` command line; resolves to the exit code (0 ok, 1 run failure, 2 usage/definition error). */
export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const verbose = argv.includes('--verbose');
  const program = new Command('synth')
    .description('synthgraph: typed, cached, validated synthetic-data pipelines')
    .version(packageVersion())
    .showSuggestionAfterError(true)
    .exitOverride();
  // With --json, commander's own parse errors (unknown option, missing argument) become the
  // JSON error too, instead of text on stderr.
  if (json) program.configureOutput({ outputError: () => {} });
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = Math.max(exitCode, code);
  };
  if (argv.length === 0) argv = ['--help'];
  try {
    // The command named on the line, or all of them (for help and "did you mean" suggestions).
    const named = argv.find((a) => !a.startsWith('-'));
    const loaders = named && Object.hasOwn(COMMANDS, named) ? [COMMANDS[named]] : Object.values(COMMANDS);
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
      const what = err.message.replace(/^error: /, '');
      return renderError(new UsageError({ what: what.charAt(0).toUpperCase() + what.slice(1), fix: 'Run `synth help` (or `synth COMMAND --help`) for the commands and options.' }), makeOutput({ verbose, json }));
    }
    return renderError(err, makeOutput({ verbose, json }));
  }
}
