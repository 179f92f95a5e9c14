import { existsSync } from 'node:fs';
import { promptFamily, promptFilePath } from '../rules/index.js';

/** `ecommerce_v1` → `ecommerce_v2` (the next id whose file does not exist yet); an id without `_vN` gets `_v2`. */
export function nextPromptId(promptsDir: string, id: string): { id: string; number: number } {
  const { family, number } = promptFamily(id);
  let n = number + 1;
  while (existsSync(promptFilePath(promptsDir, `${family}_v${n}`))) n++;
  return { id: `${family}_v${n}`, number: n };
}
