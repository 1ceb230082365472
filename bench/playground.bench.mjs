// The playground in the operating system's headless Chromium: page load to the first answer of the
// preloaded example (target ≤ 300 ms) and a keystroke to its answer in a 2,000-entry file (target
// ≤ 50 ms; a character, and a new line mid-file), medians of several runs, with one parse of that
// file in the same page as the baseline. The browser is fresh, so the first page load compiles the
// script cold; the later ones may reuse its compiled code, as repeat visits to a web server do.
// Skipped when Chromium is not installed.
import { loadavg } from 'node:os';
import { buildPlayground, describeTimings, hasChromium, launchChromium, playgroundTimings, servePlayground } from '../scripts/playground-browser.mjs';

if (!hasChromium()) {
  console.log('playground: skipped, /usr/bin/chromium is not installed');
} else {
  buildPlayground();
  const { server, url } = await servePlayground();
  const { context, close } = await launchChromium();
  try {
    const timings = await playgroundTimings(context, url, 7);
    console.log(describeTimings(timings, loadavg()[0]));
  } finally {
    await close();
    server.close();
  }
}
