import type { Command } from 'commander';
import { UsageError, resolveSelection, computeStatus } from '../../engine/index.js';
import { type CommonOptions, openSession, withCommonOptions } from '../common.js';
import { GraphFormat, type GraphView, graphDot, graphJson, graphMermaid, graphText } from '../graph-format.js';

export function registerGraph(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    program
      .command('graph')
      .description('draw the asset graph (text, mermaid, dot or json), coloured by state')
      .argument('[selection...]', 'assets to draw (default: all)')
      .option('--format <format>', 'text | mermaid | dot | json', 'text'),
  ).action(async (selection: string[], flags: CommonOptions & { format: string }) => {
    const format = (flags.json ? 'json' : flags.format) as GraphFormat;
    if (!Object.values(GraphFormat).includes(format)) {
      throw new UsageError({ what: `Unknown graph format "${flags.format}".`, fix: 'Use --format text, mermaid, dot or json.' });
    }
    const { project, catalog, output } = await openSession(flags);
    const names = resolveSelection(project, selection);
    const status = computeStatus(project, catalog.lookup);
    const keep = new Set(names);
    const view: GraphView = {
      nodes: names.map((n) => ({ asset: n, kind: status.get(n)!.kind, state: status.get(n)!.state, group: status.get(n)!.group })),
      edges: project.graph.edges().filter((e) => keep.has(e.from) && keep.has(e.to)),
    };
    const text = format === 'json' ? graphJson(view) : format === 'mermaid' ? graphMermaid(view) : format === 'dot' ? graphDot(view) : graphText(view, output.color);
    process.stdout.write(text.endsWith('\n') ? text : text + '\n');
    setExit(0);
  });
}
