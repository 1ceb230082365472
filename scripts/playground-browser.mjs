// The built playground in a real Chromium from the operating system (never a downloaded one), driven
// by playwright-core and served on a free loopback port: what test/playground and
// bench/playground.bench.mjs open, and the timings both print.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const PLAYGROUND_DIST = path.join(ROOT, 'playground/dist');
export const CHROMIUM = '/usr/bin/chromium';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css' };

/** Whether the operating system's Chromium is installed. */
export function hasChromium() {
  return existsSync(CHROMIUM);
}

/** Builds the playground as `npm run playground` does; throws with the build's output when it fails. */
export function buildPlayground() {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-playground.mjs')], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`playground build failed:\n${run.stdout}${run.stderr}`);
}

/**
 * Serves the built folder on 127.0.0.1 and a free port; only its own files, nothing above it. Like
 * any static web server it sends Last-Modified and answers If-Modified-Since, so that a browser
 * loading the page again may use the compiled code it cached for the script, as it does from a real
 * server; `no-cache` makes it ask each time, so a rebuilt page is never served stale.
 */
export async function servePlayground() {
  const server = createServer((request, response) => {
    const name = new URL(request.url ?? '/', 'http://127.0.0.1').pathname.replace(/^\/$/, '/index.html');
    const file = path.join(PLAYGROUND_DIST, path.normalize(name));
    if (!file.startsWith(PLAYGROUND_DIST + path.sep)) return void response.writeHead(403).end();
    try {
      const body = readFileSync(file);
      const modified = statSync(file).mtime.toUTCString();
      if (request.headers['if-modified-since'] === modified) return void response.writeHead(304).end();
      const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      response.writeHead(200, { 'content-type': type, 'last-modified': modified, 'cache-control': 'no-cache' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

/**
 * Launches the system Chromium headless with a fresh profile (its own --user-data-dir), no
 * background traffic, nothing downloaded; `close` ends it and removes the profile.
 */
export async function launchChromium() {
  const profile = mkdtempSync(path.join(tmpdir(), 'imsmap-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A PORT_ACCESS table of `count` entries whose last one the keystroke probe matches, and that probe. */
export function bigFile(count = 2000) {
  const entries = Array.from({ length: count }, (_, i) => `  TCP|*|25|10.${(i >> 8) & 255}.${i & 255}.*|*  $N$ blocked$ ${i}`);
  const last = count - 1;
  return {
    mappings: ['PORT_ACCESS', '', ...entries, '  *  $Y'].join('\n'),
    probe: `PORT_ACCESS TCP|192.0.2.1|25|10.${(last >> 8) & 255}.${last & 255}.9|4000`,
    answer: `blocked ${last}`,
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * The playground's timings, each the median of `runs`: a fresh page's load to its first answer (the
 * preloaded example), and a keystroke in a 2,000-entry file to the answer shown after it (the page
 * measures from the key's event to the first frame after the new answer) — a character typed and
 * deleted at the end of a line, and a new line made and removed in the middle of the file. The
 * baseline, measured in the same browser, is one parse of the 2,000-entry file by the page's own
 * library bundle.
 */
export async function playgroundTimings(context, url, runs = 5) {
  const firstAnswers = [];
  for (let run = 0; run < runs; run++) {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.firstAnswerMs !== undefined);
    firstAnswers.push(Number(await page.evaluate(() => document.body.dataset.firstAnswerMs)));
    await page.close();
  }
  const big = bigFile();
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.firstAnswerMs !== undefined);
  // Set at once, as a paste would: Playwright's fill inserts the text in steps, which takes minutes here.
  await page.evaluate(({ mappings, probe }) => {
    for (const [id, value] of [['probes', probe], ['mappings', mappings]]) {
      const input = document.getElementById(id);
      input.value = value;
      input.dispatchEvent(new Event('input'));
    }
  }, big);
  // By id: resolving a role walks the page's accessibility tree before each key, which would load the machine being measured.
  const editor = page.locator('#mappings');
  /** The page's timing of each of `count` keys, `first` and Backspace in turn. */
  const timeKeys = async (first, count) => {
    const times = [];
    for (let key = 0; key < count; key++) {
      const before = Number(await page.evaluate(() => document.body.dataset.keystrokes ?? 0));
      await editor.press(key % 2 === 0 ? first : 'Backspace');
      await page.waitForFunction((seen) => Number(document.body.dataset.keystrokes ?? 0) > seen, before);
      times.push(Number(await page.evaluate(() => document.body.dataset.keystrokeMs)));
    }
    return times;
  };
  await editor.press('End');
  const keystrokes = await timeKeys('x', runs * 2);
  // A new line in the middle of the file moves the thousand entries below it.
  await editor.evaluate((input) => {
    const middle = input.value.indexOf('\n', input.value.indexOf('blocked$ 1000'));
    input.setSelectionRange(middle, middle);
  });
  const newLines = await timeKeys('Enter', runs * 2);
  const answers = await page.locator('#answers').innerText();
  if (!answers.includes(big.answer)) throw new Error(`the 2,000-entry file was not answered: ${answers.slice(0, 200)}`);
  await page.addScriptTag({ type: 'module', content: "import * as imsmap from '/imsmap.mjs'; window.imsmap = imsmap;" });
  await page.waitForFunction(() => 'imsmap' in window);
  const parses = await page.evaluate(({ mappings, runs: count }) => {
    const times = [];
    // As many parses again first, so that the baseline is measured on warm code like the keystrokes were.
    for (let run = 0; run < count * 4; run++) {
      const started = performance.now();
      window.imsmap.parseMappings(mappings, { file: 'mappings' });
      times.push(performance.now() - started);
    }
    return times.slice(count * 2);
  }, { mappings: big.mappings, runs });
  await page.close();
  return { firstAnswer: median(firstAnswers), firstAnswers, keystroke: median(keystrokes), keystrokes, newLine: median(newLines), newLines, parse: median(parses) };
}

/** The timings as one line: both medians, their runs, the parse baseline and the machine's load. */
export function describeTimings(timings, loadAverage) {
  const list = (values, digits) => values.map((value) => value.toFixed(digits)).join(', ');
  return (
    `playground (headless Chromium, load average ${loadAverage.toFixed(1)}): ` +
    `page load to first answer ${timings.firstAnswer.toFixed(0)} ms (target ≤ 300 ms: ${timings.firstAnswer <= 300 ? 'met' : 'NOT met'}; runs ${list(timings.firstAnswers, 0)}); ` +
    `keystroke to answer, 2,000 entries ${timings.keystroke.toFixed(1)} ms (target ≤ 50 ms: ${timings.keystroke <= 50 ? 'met' : 'NOT met'}; runs ${list(timings.keystrokes, 1)}); ` +
    `a new line or its removal mid-file ${timings.newLine.toFixed(1)} ms (${timings.newLine <= 50 ? 'met' : 'NOT met'}; runs ${list(timings.newLines, 1)}); ` +
    `parse-only baseline ${timings.parse.toFixed(1)} ms, ratio ${(timings.keystroke / timings.parse).toFixed(1)}x`
  );
}
