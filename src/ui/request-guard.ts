import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Why a state-changing request was refused, or null when it may proceed. */
export function refuseAction(req: IncomingMessage, origins: readonly string[], token: string): string | null {
  // A page of another site can send a POST here (no CORS preflight for simple requests) but it
  // cannot make the browser send our Origin, nor read the token out of our page.
  const origin = req.headers.origin;
  if (!origin || !origins.includes(origin)) return `Origin ${origin ?? '(none)'} is not this page (${origins[0]}).`;
  const given = req.headers['x-synth-token'];
  if (typeof given !== 'string' || given.length !== token.length || !timingSafeEqual(Buffer.from(given), Buffer.from(token)))
    return 'Missing or wrong launch token: reload the page served by this `synth ui`.';
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return 'Content-Type must be application/json.';
  return null;
}

/** Reads a small request body; rejects bodies over `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error(`request body over ${limit} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
