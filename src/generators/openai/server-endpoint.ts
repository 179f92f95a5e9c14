import { UsageError } from '../../engine/index.js';
import type { OpenAIGeneratorConfig } from './config.js';

/** OpenAI's own API, used when neither the config nor OPENAI_BASE_URL names a server. */
export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** Placeholder for local servers that need no key: kept in memory only, never a real secret. */
export const NO_KEY_PLACEHOLDER = 'sk-no-key';

/** Where requests go and with which key. `apiKey` lives in memory only. */
export interface ServerEndpoint {
  /** Base URL without credentials, query or trailing slash: what messages, cache keys and metadata show. */
  baseURL: string;
  /** True for localhost / 127.0.0.0/8 / ::1. */
  local: boolean;
  /** The key sent in the Authorization header. Never stored. */
  apiKey: string;
  /** Name of the environment variable the key came from (for messages). */
  apiKeyEnv: string;
}

/**
 * Resolves the server and key. The key only comes from the environment; a local server may run
 * without one (most of Ollama, vLLM and llama.cpp deployments have no auth).
 */
export function resolveEndpoint(config: OpenAIGeneratorConfig, asset: string, env: NodeJS.ProcessEnv = process.env): ServerEndpoint {
  const rawBase = config.baseURL ?? env.OPENAI_BASE_URL ?? DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(rawBase);
  } catch {
    throw new UsageError({
      what: `Dataset '${asset}' has an invalid server URL '${rawBase}'`,
      why: 'baseURL (or OPENAI_BASE_URL) must be an absolute http(s) URL.',
      fix: "Use e.g. 'http://localhost:11434/v1' for Ollama or leave it unset for OpenAI.",
      asset,
    });
  }
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  const baseURL = url.toString().replace(/\/+$/, '');
  const local = isLocalHost(url.hostname);
  const apiKeyEnv = config.apiKeyEnv ?? 'OPENAI_API_KEY';
  const key = env[apiKeyEnv]?.trim();
  if (!key && !local) {
    throw new UsageError({
      what: `Dataset '${asset}' needs an API key for ${baseURL}`,
      why: `The environment variable ${apiKeyEnv} is not set (keys are only read from the environment, never from config).`,
      fix: `export ${apiKeyEnv}=<your key> and re-run${config.apiKeyEnv ? '' : ", or set apiKeyEnv: 'OTHER_VAR' in the generator config"}.`,
      asset,
    });
  }
  return { baseURL, local, apiKey: key || NO_KEY_PLACEHOLDER, apiKeyEnv };
}

function isLocalHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Removes every occurrence of the key from a text that may travel to logs or errors. */
export function redactKey(text: string, endpoint: Pick<ServerEndpoint, 'apiKey'>): string {
  if (!endpoint.apiKey || endpoint.apiKey === NO_KEY_PLACEHOLDER || endpoint.apiKey.length < 6) return text;
  return text.split(endpoint.apiKey).join('***');
}
