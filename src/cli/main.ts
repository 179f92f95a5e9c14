import { Command, CommanderError } from 'commander';
import { makeOutput } from './output.js';
import { renderError } from './render-error.js';

type Register = (program: Command, setExit: (code: number) => void) => void;

/**
 * Each command's module, loaded on demand: a command pays only for what it imports (the MLflow
 * client, node-cron, the UI server...), which keeps `synth status` start-up small.
 * Keys are the command names a module registers.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
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
};

/** Runs the `synth` command line; resolves to the exit code (0 ok, 1 run failure, 2 usage/definition error). */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('synth')
    .description('synthgraph: typed, cached, validated synthetic-data pipelines')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showSuggestionAfterError(true)
    .exitOverride();
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
      // Help and version exit 0; every other parsing problem is a usage error (2). Commander printed it.
      return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
    }
    const verbose = argv.includes('--verbose');
    return renderError(err, makeOutput({ verbose, json: argv.includes('--json') }));
  }
}
