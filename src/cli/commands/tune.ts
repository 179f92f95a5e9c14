import path from 'node:path';
import type { Command } from 'commander';
import { ObjectStore, writeUserFile } from '../../engine/index.js';
import { planTune, planPointing } from '../../tune/index.js';
import { type CommonOptions, openSession, withCommonOptions } from '../common.js';

interface TuneFlags extends CommonOptions {
  from: string[];
  dryRun?: boolean;
  apply?: boolean;
  minConfidence?: string;
  minFeedback?: string;
}

export function registerTune(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    program
      .command('tune')
      .description('write the next version of a prompt file from live data, drift/fidelity reports and feedback (a new file; the old one is never edited)')
      .argument('<prompt_id>', 'the prompt to tune, e.g. ecommerce_v1')
      .requiredOption('--from <assets...>', 'evidence: live sources, validations with drift or fidelity checks, feedback sources')
      .option('--dry-run', 'print the diff and the reasons; write nothing')
      .option('--apply', 'also point the datasets at the new version in the definitions')
      .option('--min-confidence <share>', 'share of live rows a mined rule must hold on (default 1: every row)')
      .option('--min-feedback <count>', 'fewest feedback records a pattern needs to become a rule (default 2)'),
  ).action(async (promptId: string, flags: TuneFlags) => {
    const { project, catalog, output } = await openSession(flags);
    const plan = planTune(project, catalog, ObjectStore.of(project.stateDir), promptId, flags.from, {
      minConfidence: flags.minConfidence === undefined ? undefined : Number(flags.minConfidence),
      minFeedback: flags.minFeedback === undefined ? undefined : Number(flags.minFeedback),
    });
    const changed = plan.changes.some((c) => c.kind !== 'note');
    let written: string | undefined;
    let applied: { file: string; replaced: number }[] = [];
    if (changed && !flags.dryRun) {
      // Every definitions edit is found first: one that cannot be made safely stops before anything is written.
      const pointing = flags.apply ? planPointing(project, plan.datasets, plan.derivedFrom, plan.promptId) : undefined;
      // A free name was chosen, so an existing file is never replaced.
      written = writeUserFile(plan.file, plan.text, { flag: 'the new prompt file' });
      if (pointing) applied = pointing.apply();
    }
    setExit(0);
    const rel = (f: string) => path.relative(project.root, f);
    if (output.json) {
      output.out(
        JSON.stringify({
          prompt_id: plan.promptId,
          derived_from: plan.derivedFrom,
          file: rel(plan.file),
          written: written !== undefined,
          applied: applied.map((a) => rel(a.file)),
          datasets: plan.datasets,
          changes: plan.changes,
          diff: changed ? plan.diff : '',
        }),
      );
      return;
    }
    const c = output.color;
    if (!changed) {
      for (const n of plan.changes) output.out(`${c.yellow('note')}: ${n.why}`);
      output.out(`nothing to change in ${plan.derivedFrom}: the evidence shows no drift, imperfection, rule or feedback pattern to carry over.`);
      return;
    }
    output.out(plan.diff.trimEnd());
    output.out('');
    output.out(c.bold('Why:'));
    for (const ch of plan.changes) output.out(`  ${ch.kind === 'note' ? c.yellow('note') : ch.path}: ${ch.why}`);
    output.out('');
    if (flags.dryRun) output.out(`dry run: nothing written (would write ${rel(plan.file)}).`);
    else {
      output.out(`${c.green('wrote')} ${rel(plan.file)} (derived_from: ${plan.derivedFrom}).`);
      if (applied.length) output.out(`${c.green('pointed')} ${plan.datasets.join(', ')} at ${plan.promptId} in ${applied.map((a) => rel(a.file)).join(', ')}.`);
      else output.out(`Point ${plan.datasets.join(', ')} at it with prompt: '${plan.promptId}' (or re-run with --apply).`);
    }
  });
}
