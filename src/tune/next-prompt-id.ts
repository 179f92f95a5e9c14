import { existsSync } from 'node:fs';
import { promptFilePath } from '../rules/index.js';

/** `ecommerce_v1` → `ecommerce_v2` (the next id whose file does not exist yet); an id without `_vN` gets `_v2`. */
export function nextPromptId(promptsDir: string, id: string): { id: string; number: number } {
  const m = /^(.*)_v(\d+)$/.exec(id);
  const stem = m ? m[1] : id;
  let n = m ? Number(m[2]) + 1 : 2;
  while (existsSync(promptFilePath(promptsDir, `${stem}_v${n}`))) n++;
  return { id: `${stem}_v${n}`, number: n };
}
