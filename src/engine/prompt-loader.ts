import type { RuleLike } from './check.js';
import type { DefinitionProblem } from './definition-problem.js';
import { UsageError } from './errors.js';

/**
 * A dataset's prompt as the engine sees it: what identifies it (cache keys, catalog, garbage
 * collection) and its rules (for validation checks). The prompt loader may return more (template,
 * column hints): generators get the whole object.
 */
export interface PromptResource {
  /** The prompt id the dataset names (`prompt: 'ecommerce_v1'`). */
  id: string;
  /** Absolute path of the file it was read from (for messages). */
  file: string;
  /** Raw text, stored in the object store with each materialization. */
  content: string;
  /** sha256 hex of `content`: part of the cache key. */
  hash: string;
  /** Rules rows must satisfy, for checks. */
  rules: RuleLike[];
}

/** How prompt ids become prompts: registered once by the prompt-file room (`registerPromptLoader`). */
export interface PromptLoader<P extends PromptResource = PromptResource> {
  /** Reads and checks the prompt `id` below `promptsDir`. @throws PromptFileError for a missing or malformed prompt. */
  load(promptsDir: string, id: string): P;
  /** What is wrong between a prompt and the dataset's schema fields (e.g. a rule naming an unknown column), or undefined. */
  fieldProblem?(prompt: P, fields: readonly string[], asset: string): DefinitionProblem | undefined;
}

let loader: PromptLoader | undefined;

/** Sets how prompt files are loaded (the last registration wins). */
export function registerPromptLoader<P extends PromptResource>(next: PromptLoader<P>): void {
  loader = next as unknown as PromptLoader;
}

/** The registered prompt loader. @throws UsageError when none is (a program that uses the engine without its plug-ins). */
export function promptLoader(): PromptLoader {
  if (!loader) {
    throw new UsageError({
      what: 'No prompt loader is registered, so datasets cannot read their prompt files.',
      why: "The engine knows no prompt-file format itself; the built-in one registers when synthgraph's entry point is imported.",
      fix: "Import 'synthgraph' (or its built-in plug-ins module) before loading a project.",
    });
  }
  return loader;
}
