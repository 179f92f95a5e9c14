import type { RowSchema } from '../../engine/index.js';
import type { CompiledRule } from '../../rules/index.js';
import { attemptPositions, planAttempt, planBatches, type AttemptOutcome } from './batch-plan.js';
import { batchLabel } from './batch-prompt.js';
import type { BatchPosition } from './batch-prompt.js';
import type { BatchRequest } from './batch-request.js';
import { ResponseFailure, type BatchResponse } from './batch-response.js';
import { checkRows, type CheckedRow, type RowLedger } from './row-ledger.js';

/** Consecutive attempts of a chain in which no response was `{rows: [...]}` JSON (and none ever was) before we call the server schema-blind. */
export const SHAPELESS_ATTEMPTS_LIMIT = 2;

/** A request's answer, or (in estimates) a stand-in for one that would be sent. */
export type Answer = { response: BatchResponse; cached: boolean } | { assumed: true };

/** One answered request with its rows checked, kept in (batch, round, part) order. */
export interface AnsweredRequest {
  request: BatchRequest;
  answer: Answer;
  checked: CheckedRow[];
}

/** What a run of chains needs from its caller. */
export interface ChainRunOptions {
  rows: number;
  batchSize: number;
  maxRounds: number;
  schema: RowSchema;
  rules: CompiledRule[];
  build: (position: BatchPosition) => BatchRequest;
  /**
   * The answers already known for a phase's first requests, read before any is sent (the
   * cache's: they cost nothing, and the spending check must count them first).
   */
  known: (requests: BatchRequest[]) => Promise<Map<string, Answer>>;
  /** Answers one request: from the cache, the server or (estimates) a stand-in. Rejects on a fatal failure. */
  fetch: (request: BatchRequest) => Promise<Answer>;
  /** Stop starting requests: the run is failing. */
  stop: () => void;
  /** Valid rows so far (checked per chain, before the final de-duplication). */
  onProgress?: (validRows: number) => void;
}

/** How a run of chains ended. */
export interface ChainRunOutcome {
  /** Every answered request, in (batch, round, part) order. */
  answered: AnsweredRequest[];
  /** Rows of stand-in answers (estimates): counted as delivered. */
  assumedRows: number;
  rounds: number;
  requested: number;
  /** Failures of requests (fatal ones and those of requests stopped because of them). */
  failures: unknown[];
  /** No response was ever `{rows: [...]}` JSON, for `SHAPELESS_ATTEMPTS_LIMIT` attempts in a row. */
  schemaBlind: boolean;
}

/**
 * Fills a dataset with chains of requests, one chain per batch: a batch's request is sent, its
 * rows are checked as soon as its answer arrives, and the replacement of its rejected rows is
 * sent at once (planned from that chain's answers only, see `planAttempt`), while the other
 * chains keep the limiter's slots full. No chain waits for a round to end, yet what each chain
 * asks depends only on its own answers, never on timing, so a seed gives the same requests and,
 * fed to the ledger in (batch, round, part) order, the same rows.
 *
 * Rows valid in their chain may still repeat rows of another chain: the ledger drops those, and
 * the few rows they leave missing are asked for by new chains in a further phase.
 */
export async function runChains(options: ChainRunOptions, ledger: RowLedger): Promise<ChainRunOutcome> {
  const { rows, batchSize, maxRounds } = options;
  const outcome: ChainRunOutcome = { answered: [], assumedRows: 0, rounds: 0, requested: 0, failures: [], schemaBlind: false };
  /** Answers of all chains so far: later phases start from what the server has shown. */
  const history: AttemptOutcome[] = [];
  let sawRows = false;
  let halted = false;
  let nextBatch = 0;
  for (let phase = 0; phase <= maxRounds; phase++) {
    const missing = rows - ledger.accepted.length - outcome.assumedRows;
    if (missing <= 0 || halted) break;
    const firsts = planBatches(missing, batchSize, nextBatch).map(options.build);
    nextBatch += firsts.length;
    const known = await options.known(firsts);
    const baseline = ledger.accepted.length + outcome.assumedRows;
    const progress = new Array<number>(firsts.length).fill(0);
    let progressTotal = 0;
    const inherited = [...history];

    const runChain = async (first: BatchRequest, index: number): Promise<AnsweredRequest[]> => {
      const target = first.position.rows;
      const answered: AnsweredRequest[] = [];
      const own: AttemptOutcome[] = [...inherited];
      const seen = new Set<string>();
      let valid = 0;
      let shapeless = 0;
      for (let round = 0; round <= maxRounds && !halted; round++) {
        const requests = round === 0 ? [first] : attemptPositions(first.position.batch, round, planAttempt(target - valid, batchSize, own)).map(options.build);
        // Every part settles before the chain goes on, so no request is left in flight behind a failure.
        const settled = await Promise.allSettled(requests.map((r) => known.get(r.key) ?? options.fetch(r)));
        const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
        if (failed) throw failed.reason;
        let attemptShapeless = true;
        settled.forEach((s, i) => {
          const request = requests[i];
          const answer = (s as PromiseFulfilledResult<Answer>).value;
          const asked = request.position.rows;
          if ('assumed' in answer) {
            valid += asked;
            attemptShapeless = false;
            answered.push({ request, answer, checked: [] });
            return;
          }
          const { response } = answer;
          if (response.failure) {
            if (!isShapeless(response.failure)) attemptShapeless = false;
            own.push({ asked, received: 0, valid: 0 });
            answered.push({ request, answer, checked: [] });
            return;
          }
          attemptShapeless = false;
          sawRows = true;
          const checked = checkRows(options.schema, options.rules, response.rows);
          let fresh = 0;
          for (const c of checked) {
            if (c.ok && !seen.has(c.identity)) {
              seen.add(c.identity);
              fresh++;
            }
          }
          valid += fresh;
          own.push({ asked, received: checked.length, valid: fresh });
          answered.push({ request, answer, checked });
        });
        const counted = Math.min(valid, target);
        progressTotal += counted - progress[index];
        progress[index] = counted;
        options.onProgress?.(baseline + progressTotal);
        if (valid >= target) break;
        shapeless = attemptShapeless ? shapeless + 1 : 0;
        if (shapeless >= SHAPELESS_ATTEMPTS_LIMIT && !sawRows) {
          outcome.schemaBlind = true;
          halted = true;
          options.stop();
        }
      }
      return answered;
    };

    const settled = await Promise.allSettled(firsts.map(runChain));
    for (const s of settled) {
      if (s.status === 'rejected') {
        outcome.failures.push(s.reason);
        halted = true;
        continue;
      }
      // (batch, round, part) order: chains in batch order, each chain's answers in its own order.
      for (const a of s.value) {
        outcome.answered.push(a);
        const { position } = a.request;
        outcome.requested += position.rows;
        outcome.rounds = Math.max(outcome.rounds, position.round + 1);
        if ('assumed' in a.answer) {
          outcome.assumedRows += position.rows;
        } else if (a.answer.response.failure) {
          ledger.addBadResponse(batchLabel(position), a.answer.response.failure, a.answer.response.detail ?? '');
        } else {
          ledger.addChecked(batchLabel(position), a.checked);
          history.push({ asked: position.rows, received: a.checked.length, valid: a.checked.filter((c) => c.ok).length });
        }
      }
    }
    if (outcome.failures.length > 0 || outcome.schemaBlind) break;
    // A phase that gave no valid row at all will not do better by trying again.
    if (ledger.accepted.length + outcome.assumedRows === baseline) break;
  }
  return outcome;
}

function isShapeless(failure: ResponseFailure): boolean {
  return failure === ResponseFailure.malformedJson || failure === ResponseFailure.notRowsObject || failure === ResponseFailure.empty;
}
