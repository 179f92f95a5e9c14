// Preloaded by bench/queue.bench.ts (NODE_OPTIONS=--import): writes the process's CPU time (user +
// system, ms) to $SYNTH_BENCH_CPU_FILE as it exits, however it exits.
import { writeFileSync } from 'node:fs';

const file = process.env.SYNTH_BENCH_CPU_FILE;
if (file) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    writeFileSync(file, JSON.stringify({ user_ms: user / 1000, system_ms: system / 1000 }));
  });
}
