import type { Command } from 'commander';
import { collectGarbage, projectPaths } from '../../engine/index.js';
import { type CommonOptions, withCommonOptions } from '../common.js';
import { makeOutput } from '../output.js';

export function registerGc(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    program
      .command('gc')
      .description('remove stored objects no materialization refers to (left by killed runs) and temporary files')
      .option('--dry-run', 'list what would be removed, remove nothing'),
  ).action(async (flags: CommonOptions & { dryRun?: boolean }) => {
    const output = makeOutput(flags);
    // Reads only the store and the catalog: works even while the definitions are broken.
    const report = await collectGarbage(projectPaths({ root: flags.root, defs: flags.defs }), { dryRun: flags.dryRun });
    if (output.json) output.out(JSON.stringify({ dry_run: report.dryRun, orphans: report.orphans.length, temporary: report.temporary.length, bytes: report.bytes }));
    else {
      const verb = report.dryRun ? 'would remove' : 'removed';
      output.out(`${verb} ${report.orphans.length} unreferenced object(s) and ${report.temporary.length} temporary file(s), ${(report.bytes / 1024 / 1024).toFixed(2)} MB`);
      if (report.keptForLiveRuns)
        output.out(`kept ${report.keptForLiveRuns} unreferenced object(s) written since an unfinished run started (it may still record them); run gc again once it is done`);
    }
    setExit(0);
  });
}
