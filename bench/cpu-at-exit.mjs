// Preloaded by benchmarks into a real `synth` process (`node --import ./cpu-at-exit.mjs`): at exit
// it writes the process's CPU time (user + system, ms) to $SYNTH_BENCH_CPU_FILE, the one figure of
// a whole process that a busy machine does not inflate much.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const used = process.cpuUsage();
  if (process.env.SYNTH_BENCH_CPU_FILE) writeFileSync(process.env.SYNTH_BENCH_CPU_FILE, String((used.user + used.system) / 1000));
});
