// Preloaded by benchmarks into a real `synth` process (`node --import`, see CPU_HOOK in
// fresh-process.ts): at exit it writes the process's CPU time (user + system, ms) to
// $SYNTH_BENCH_CPU_FILE, the one figure of a whole process that a busy machine does not inflate much.
import { writeFileSync } from 'node:fs';

const file = process.env.SYNTH_BENCH_CPU_FILE;
if (file) {
  process.on('exit', () => {
    const used = process.cpuUsage();
    writeFileSync(file, String((used.user + used.system) / 1000));
  });
}
