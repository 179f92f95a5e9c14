import path from 'node:path';

// Apart from project.ts (which loads definitions): commands find the project's folders without loading it.

/** Name of the optional project settings file, at the project root. */
export const PROJECT_CONFIG_FILE = 'synth.config.json';

/** Where a project keeps its things. */
export interface ProjectPaths {
  /** Project root. */
  root: string;
  /** Definitions file (default `src/assets/index.ts`). */
  defsFile: string;
  /** Prompt files folder (`prompts/`). */
  promptsDir: string;
  /** Local state (`.synth/`). */
  stateDir: string;
}

/** Options of `loadProject`. */
export interface LoadProjectOptions {
  /** Project root. Default: the current directory. */
  root?: string;
  /** Definitions file, relative to the root. Default: `src/assets/index.ts`. */
  defs?: string;
}

export function projectPaths(options: LoadProjectOptions = {}): ProjectPaths {
  const root = path.resolve(options.root ?? process.cwd());
  return {
    root,
    defsFile: path.resolve(root, options.defs ?? 'src/assets/index.ts'),
    promptsDir: path.join(root, 'prompts'),
    stateDir: path.join(root, '.synth'),
  };
}
