// A real Chromium from the operating system (never a downloaded one), driven by playwright-core, and
// the built playground served on a free loopback port.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const PLAYGROUND_DIST = path.join(ROOT, 'playground/dist');
export const CHROMIUM = '/usr/bin/chromium';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css' };

/** Builds the playground as `npm run playground` does; throws with the build's output when it fails. */
export function buildPlayground(): void {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-playground.mjs')], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`playground build failed:\n${run.stdout}${run.stderr}`);
}

/** Serves the built folder on 127.0.0.1 and a free port; only its own files, nothing above it. */
export async function servePlayground(): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const name = new URL(request.url ?? '/', 'http://127.0.0.1').pathname.replace(/^\/$/, '/index.html');
    const file = path.join(PLAYGROUND_DIST, path.normalize(name));
    if (!file.startsWith(PLAYGROUND_DIST + path.sep)) return void response.writeHead(403).end();
    try {
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/**
 * Launches the system Chromium headless with a fresh profile (its own --user-data-dir), no
 * background traffic, nothing downloaded; `close` ends it and removes the profile.
 */
export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
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
