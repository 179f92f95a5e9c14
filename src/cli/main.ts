import { Command, CommanderError } from 'commander';
import { registerDaemon } from './commands/daemon.js';
import { registerExport } from './commands/export.js';
import { registerGraph } from './commands/graph.js';
import { registerHistory } from './commands/history.js';
import { registerLineage } from './commands/lineage.js';
import { registerLineagePush } from './commands/lineage-push.js';
import { registerMaterialize } from './commands/materialize.js';
import { registerReport } from './commands/report.js';
import { registerShow } from './commands/show.js';
import { registerStatus } from './commands/status.js';
import { registerUi } from './commands/ui.js';
import { makeOutput } from './output.js';
import { renderError } from './render-error.js';

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
  registerMaterialize(program, setExit);
  registerStatus(program, setExit);
  registerGraph(program, setExit);
  registerHistory(program, setExit);
  registerShow(program, setExit);
  registerReport(program, setExit);
  registerExport(program, setExit);
  registerDaemon(program, setExit);
  registerLineage(program, setExit);
  registerLineagePush(program, setExit);
  registerUi(program, setExit);
  try {
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

