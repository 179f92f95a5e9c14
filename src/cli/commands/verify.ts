import path from 'node:path';
import type { Command } from 'commander';
import { projectPaths, verifyStore } from '../../engine/index.js';

import { type CommonOptions, withCommonOptions } from '../common.js';
import { makeOutput, table } from '../output.js';

export function registerVerify(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    program.command('verify').description('check every stored object against its hash and every catalog reference against the store; says what to do (exit 1 if anything is wrong)'),
  ).action(async (flags: CommonOptions) => {
    const output = makeOutput(flags);
    // Reads only the store and the catalog: works even while the definitions are broken.
    const paths = projectPaths({ root: flags.root, defs: flags.defs });
    const report = await verifyStore(paths);
    setExit(report.problems.length ? 1 : 0);
    if (output.json) {
      output.out(JSON.stringify({ ok: report.problems.length === 0, ...report }));
      return;
    }
    const c = output.color;
    const head = `${report.objects} object(s), ${(report.bytes / 1024 / 1024).toFixed(2)} MB, ${report.references} catalog reference(s) checked`;
    if (!report.problems.length) {
      output.out(`${c.green('ok')}: ${head}; nothing wrong`);
      return;
    }
    output.out(
      table(
        ['problem', 'file', 'used by', 'what to do'],
        report.problems.map((p) => [c.red(p.kind), path.relative(paths.root, p.file), [...p.current, ...p.history.map((a) => `${a} (older version)`)].join(', ') || '-', p.fix]),
        c,
      ),
    );
    output.out(`${c.red('problems')}: ${report.problems.length} found; ${head}`);
  });
}
