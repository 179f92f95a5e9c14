// Apart from common.ts so that a command can take the common options without loading the engine
// (`synth status` answered from its snapshot).
import type { Command } from 'commander';

/** Options every command takes. */
export interface CommonOptions {
  /** Project folder (`--root`). Default: the current directory. */
  root?: string;
  /** Definitions file relative to the root (`--defs`). Default: `src/assets/index.ts`. */
  defs?: string;
  /** Print JSON (`--json`). Default: false. */
  json?: boolean;
  /** Print stack traces of errors (`--verbose`). Default: false. */
  verbose?: boolean;
  /** Colours (`--no-color` sets false). Default: on a terminal, unless NO_COLOR. */
  color?: boolean;
}

/** Adds the options every command takes. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .option('--root <dir>', 'project folder (default: the current directory)')
    .option('--defs <file>', 'asset definitions file, relative to the root (default: src/assets/index.ts)')
    .option('--json', 'print JSON (stable field names, see the contract)')
    .option('--verbose', 'print stack traces of errors')
    .option('--no-color', 'no colours (also: NO_COLOR, or when not a terminal)');
}
