/** Helpers to drive `synth ui` from tests and benchmarks. */
import { synthAsync } from '../support/project.js';

/** Debian's Chromium, headless, with nothing that reaches the network. */
export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

/** Starts `synth ui --port 0` in a project and resolves to its URL once it listens. */
export async function startUi(dir: string, extra: string[] = []) {
  const ui = synthAsync(dir, ['ui', '--port', '0', '--open=false', ...extra]);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`synth ui did not start: ${JSON.stringify(ui.output())}`)), 60_000);
    const poll = setInterval(() => {
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(ui.output().stdout);
      if (m) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(m[0]);
      }
    }, 50);
    ui.child.on('exit', () => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`synth ui exited: ${JSON.stringify(ui.output())}`));
    });
  });
  return { url, ui };
}
