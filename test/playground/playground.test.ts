// The playground in a real headless Chromium (the operating system's): the browser bundle decides as
// Node does, the page shows diagnostics in place, answers and traces, and restores shared links.
import { mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AccessPolicy, TupleError } from '../../src/access/index.js';
import { compile } from '../../src/engine/compile.js';
import { loadMappings } from '../../src/syntax/node.js';
import { bigFile, buildPlayground, describeTimings, launchChromium, playgroundTimings, servePlayground } from '../../scripts/playground-browser.mjs';

const FIXTURE = 'fixtures/two-tier/mappings';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCREENSHOTS = path.join(ROOT, 'test-results/playground');
const PROBE_LINES = readFileSync(path.join(ROOT, 'fixtures/two-tier/probes'), 'utf8').split('\n').filter((line) => line !== '');
const OPTIONS = { channels: { localDomains: ['corp.example'] } };

let server: Server;
let url: string;
let context: BrowserContext;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  buildPlayground();
  ({ server, url } = await servePlayground());
  ({ context, close: closeBrowser } = await launchChromium());
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await closeBrowser?.();
  await new Promise((resolve) => server?.close(resolve));
});

/** A fresh page at `address`, failing the test on any script error in it. */
async function open(address: string, viewport = { width: 1400, height: 1000 }): Promise<Page> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('close', () => expect(errors).toEqual([]));
  await page.setViewportSize(viewport);
  await page.goto(address);
  await page.waitForSelector('#answers li.answer');
  return page;
}

/** Waits until the URL fragment holds the page's current state, and returns the URL. */
async function sharedUrl(page: Page): Promise<string> {
  await page.waitForFunction(() => document.body.dataset.fragment === 'current' && location.hash.startsWith('#v1.'));
  return page.url();
}

/** What a person sees of the page's state: the three inputs and the answers. Runs in the page. */
function pageState(): string[] {
  const value = (id: string) => (document.getElementById(id) as HTMLTextAreaElement | HTMLInputElement).value;
  return [value('mappings'), value('probes'), value('options'), document.getElementById('answers')!.innerText];
}

describe('the browser bundle', () => {
  test('decides the two-tier tuples and maps its probes exactly as the Node library does', async () => {
    const parsed = loadMappings(path.join(ROOT, FIXTURE));
    const policy = AccessPolicy.create(compile(parsed), { ...OPTIONS, explain: true });
    if (policy instanceof TupleError) throw policy;
    const set = compile(parsed);
    const inNode = PROBE_LINES.map((line) => {
      if (line.startsWith('{')) return policy.decide(JSON.parse(line));
      const [table, probe] = line.split(' ');
      return set.mapSync(table!, probe!, { explain: true });
    });

    const page = await open(url);
    await page.addScriptTag({ type: 'module', content: "import * as imsmap from '/imsmap.mjs'; window.imsmap = imsmap;" });
    await page.waitForFunction(() => 'imsmap' in window);
    const inBrowser = await page.evaluate(
      ({ text, file, lines, options }) => {
        const imsmap = (window as unknown as { imsmap: typeof import('../../src/browser.js') }).imsmap;
        const parsedInPage = imsmap.parseMappings(text, { file });
        const setInPage = imsmap.compile(parsedInPage);
        const policyInPage = imsmap.AccessPolicy.create(setInPage, { ...options, explain: true });
        return lines.map((line: string) => {
          if (line.startsWith('{')) return policyInPage.decide(JSON.parse(line));
          const [table, probe] = line.split(' ');
          return setInPage.mapSync(table, probe, { explain: true });
        });
      },
      { text: readFileSync(path.join(ROOT, FIXTURE), 'utf8'), file: path.join(ROOT, FIXTURE), lines: PROBE_LINES, options: OPTIONS },
    );
    await page.close();
    expect(inBrowser).toEqual(JSON.parse(JSON.stringify(inNode)));
    expect(inBrowser.filter((decision: { reply?: { code: number } }) => decision.reply?.code === 550)).toHaveLength(1);
  });
});

describe('the playground page', () => {
  test('a file with an error shows the diagnostic at its line and column, under the text and in the list', async () => {
    const page = await open(url);
    const editor = page.getByRole('textbox', { name: 'Mappings file' });
    await editor.fill('');
    await editor.pressSequentially('PORT_ACCESS\n\n  TCP|*|25|*|*  $Y\n  *  $N$');
    const item = page.locator('#diagnostics li[data-code="dangling-dollar"]');
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.getAttribute('data-line')).toBe('4');
    expect(await item.textContent()).toMatch(/^line 4, column 8 error dangling-dollar: /);
    const squiggle = page.locator('#marks .squiggle.error');
    expect(await squiggle.getAttribute('style')).toBe('top:4.5em;left:7ch;width:1ch');
    expect(await page.locator('#colours .t-invalid').allTextContents()).toEqual(['$']);
    expect(await page.locator('#colours .t-table').allTextContents()).toEqual(['PORT_ACCESS']);
    // The button puts the caret at the diagnostic.
    await item.getByRole('button').click();
    expect(await editor.evaluate((input: HTMLTextAreaElement) => input.selectionStart)).toBe('PORT_ACCESS\n\n  TCP|*|25|*|*  $Y\n  *  $N'.length);
    await page.close();
  });

  test('the preloaded two-tier example answers its tuples: the 550 reply, delay, channels and the trace', async () => {
    const page = await open(url);
    expect(await page.getByRole('combobox', { name: 'Example' }).inputValue()).toBe('two-tier');
    // A new file comes plain with its first answers and is coloured in the frame after them.
    await expect.poll(() => page.locator('#colours .t-table').allTextContents()).toEqual(['INTERNAL_IP', 'PORT_ACCESS', 'ORIG_SEND_ACCESS']);
    const relay = page.locator('#answers li.answer', { hasText: 'rcpt to <victim@elsewhere.example>: reject' });
    const facts = await relay.locator('dl.facts').innerText();
    expect(facts).toContain('550 5.7.1 Relaying not allowed: victim@elsewhere.example');
    expect(facts).toMatch(/channels\s+tcp_local → tcp_local/);
    expect(facts).toMatch(/delay\s+0\.30 s \(transaction\)/);
    // Chosen from the keyboard, the answer unfolds its trace and marks the entry it applied in the editor.
    await relay.getByRole('button', { name: /victim/ }).focus();
    await page.keyboard.press('Enter');
    expect(await relay.getByRole('button', { name: /victim/ }).getAttribute('aria-pressed')).toBe('true');
    const row = relay.locator('details.trace tr.applied');
    await expect.poll(() => row.isVisible()).toBe(true);
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[0]).toBe('ORIG_SEND_ACCESS #1, line 27');
    expect(cells[1]).toContain('tcp_local|*|tcp_local|* → $N$D30|Relaying$ not$ allowed');
    expect(cells[1]).toContain('$0="spam@spammer.example" $1="victim@elsewhere.example"');
    expect(cells[3]).toBe('$E: end');
    expect(await page.locator('#marks .band.applied').getAttribute('style')).toBe(`top:${26 * 1.5}em`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'two-tier.png'), fullPage: true });
    await page.close();
  });

  test('a shared URL opens the same file, probes and answers', async () => {
    const page = await open(url);
    await page.getByRole('combobox', { name: 'Example' }).selectOption('relay');
    await page.getByRole('textbox', { name: 'Probes and tuples' }).fill('ORIG_SEND_ACCESS tcp_local|a@ext.example|tcp_local|b@other.example');
    const link = await sharedUrl(page);
    const state = await page.evaluate(pageState);
    await page.close();

    const shared = await open(link);
    await shared.waitForFunction(() => (document.getElementById('probes') as HTMLTextAreaElement).value.startsWith('ORIG_SEND_ACCESS'));
    const restored = await shared.evaluate(pageState);
    expect(restored).toEqual(state);
    expect(restored[3]).toContain('output "30|Relaying not allowed", flags D N');
    await shared.close();
  });

  test('at 200 % zoom the panes stack in one column and every control keeps its label', async () => {
    const page = await open(url, { width: 700, height: 900 });
    const boxes = await Promise.all(['.editor-pane', '.probes-pane', '.answers-pane'].map((selector) => page.locator(selector).boundingBox()));
    expect(boxes.every((box) => box !== null && box.width > 600)).toBe(true);
    for (const [role, name] of [['combobox', 'Example'], ['textbox', 'Mappings file'], ['textbox', 'Probes and tuples'], ['textbox', 'Access options (JSON)']] as const) {
      expect(await page.getByRole(role, { name, exact: true }).count()).toBe(1);
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, 'zoom-200.png') });
    await page.close();
  });

  test('a long file: the colour layer holds the lines in view and follows scrolling, the trace folds a run of entries passed over', async () => {
    const big = bigFile();
    const page = await open(url);
    await page.evaluate(({ mappings, probe }) => {
      for (const [id, value] of [['probes', probe], ['mappings', mappings]] as const) {
        const input = document.getElementById(id) as HTMLTextAreaElement;
        input.value = value;
        input.dispatchEvent(new Event('input'));
      }
    }, big);
    await expect.poll(() => page.locator('#answers').innerText()).toContain(big.answer);
    const shownLines = () => page.locator('#colours > span').count();
    expect(await shownLines()).toBeLessThan(200);
    expect(await page.locator('#colours').innerText()).toContain('blocked$ 0');
    await page.locator('#mappings').evaluate((input: HTMLTextAreaElement) => {
      input.scrollTop = input.scrollHeight;
      input.dispatchEvent(new Event('scroll'));
    });
    await expect.poll(() => page.locator('#colours').innerText()).toContain('blocked$ 1999');
    expect(await shownLines()).toBeLessThan(200);
    // The probe matches the last entry but one: the 1,999 entries before it are one row and one band.
    const skipped = page.locator('#answers details.trace tr.skipped');
    expect(await skipped.count()).toBe(1);
    expect(await skipped.innerText()).toMatch(/^PORT_ACCESS #1, line 3 to #1999, line 2001\s+1999 entries passed over: pattern does not match$/);
    expect(await page.locator('#marks .band.skipped').getAttribute('style')).toBe(`top:${2 * 1.5}em;height:${1999 * 1.5}em`);

    // Typing replaces only the lines it changed in the colour layer, and a new line moves those below:
    // either way the layer shows exactly the text's lines in its range, and the gutter numbers them.
    const layerMatchesText = () =>
      page.evaluate(() => {
        const colours = document.getElementById('colours')!;
        const lines = (document.getElementById('mappings') as HTMLTextAreaElement).value.split('\n');
        const from = Math.round(parseFloat(colours.style.top) / 1.5);
        const count = colours.children.length;
        const numbers = Array.from({ length: count }, (_, position) => from + position + 1).join('\n');
        return colours.textContent === lines.slice(from, from + count).map((line) => `${line}\n`).join('') && document.getElementById('gutter')!.textContent === numbers;
      });
    const editor = page.locator('#mappings');
    await editor.evaluate((input: HTMLTextAreaElement) => {
      const end = input.value.indexOf('\n', input.value.indexOf('blocked$ 1990'));
      input.setSelectionRange(end, end);
    });
    await editor.press('x');
    await expect.poll(() => page.locator('#colours').innerText()).toContain('blocked$ 1990x');
    expect(await layerMatchesText()).toBe(true);
    await editor.press('Enter');
    await editor.pressSequentially('  TCP|*|25|192.0.2.*|*  $N$ added');
    await expect.poll(() => page.locator('#colours').innerText()).toContain('$N$ added');
    expect(await layerMatchesText()).toBe(true);
    await editor.press('Backspace');
    expect(await layerMatchesText()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'long-file.png') });
    await page.close();
  });

  test('timings: page load to the first answer, and an answer after a keystroke on a 2,000-entry file', async () => {
    const timings = await playgroundTimings(context, url, 3);
    console.log(describeTimings(timings, loadavg()[0]!));
  }, 600_000);
});
