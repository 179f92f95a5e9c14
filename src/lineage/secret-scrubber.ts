/** Environment variable names whose values are secrets (OPENAI_API_KEY, MLFLOW_TRACKING_TOKEN, AWS_SECRET_ACCESS_KEY...). */
const SECRET_ENV_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH)/i;
/** Config keys whose values are secrets wherever they appear (generator options, metadata). */
const SECRET_FIELD_NAME = /(api[_-]?key|apikey|token|secret|password|passwd|credential|authorization|^headers$|^auth$)/i;
/** Values shorter than this are not treated as secrets: replacing "1" or "true" everywhere would mangle data. */
const MIN_SECRET_LENGTH = 8;
export const REDACTED = '***';

/**
 * Removes secrets from anything bound for the outbox or MLflow: fields named like secrets are dropped,
 * and the values of secret-looking environment variables are replaced wherever they occur in text
 * (a key pasted into a generator option or a prompt must not reach a tracking server).
 */
export class SecretScrubber {
  private readonly secrets: string[];

  constructor(env: NodeJS.ProcessEnv = process.env) {
    const values = Object.entries(env)
      .filter(([name, value]) => SECRET_ENV_NAME.test(name) && typeof value === 'string' && value.length >= MIN_SECRET_LENGTH)
      .map(([, value]) => value as string);
    // Longest first, so a secret containing another is removed whole.
    this.secrets = [...new Set(values)].sort((a, b) => b.length - a.length);
  }

  /** True for a field name that holds a secret (`apiKey`, `api_key`, `token`, `headers`...). */
  static isSecretField(name: string): boolean {
    return SECRET_FIELD_NAME.test(name);
  }

  /** Text with every known secret value replaced by `***`, and URL credentials removed. */
  text(value: string): string {
    let out = value;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out.replace(/(\b[a-z][\w+.-]*:\/\/)[^\s/@:]+(:[^\s/@]*)?@/gi, '$1');
  }

  /** A deep copy of JSON-like data with secret fields dropped and secret values replaced. */
  value<T>(value: T): T {
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) if (!SecretScrubber.isSecretField(k)) out[this.text(k)] = this.walk(v);
      return out;
    }
    return value;
  }
}
