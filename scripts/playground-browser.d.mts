import type { Server } from 'node:http';
import type { BrowserContext } from 'playwright-core';

/** The built playground folder. */
export const PLAYGROUND_DIST: string;
/** The operating system's Chromium. */
export const CHROMIUM: string;
/** Whether the operating system's Chromium is installed. */
export function hasChromium(): boolean;
/** Builds the playground as `npm run playground` does. */
export function buildPlayground(): void;
/** Serves the built folder on 127.0.0.1 and a free port. */
export function servePlayground(): Promise<{ server: Server; url: string }>;
/** Launches the system Chromium headless with a fresh profile. */
export function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }>;
/** A PORT_ACCESS table of `count` entries whose last one the keystroke probe matches. */
export function bigFile(count?: number): { mappings: string; probe: string; answer: string };

/** The playground's timings in milliseconds: medians, the runs behind them, and the parse baseline. */
export interface PlaygroundTimings {
  firstAnswer: number;
  firstAnswers: number[];
  keystroke: number;
  keystrokes: number[];
  newLine: number;
  newLines: number[];
  parse: number;
}
/** Measures page load to first answer, and keystroke (a character, a new line) to answer on a 2,000-entry file. */
export function playgroundTimings(context: BrowserContext, url: string, runs?: number): Promise<PlaygroundTimings>;
/** The timings as one line. */
export function describeTimings(timings: PlaygroundTimings, loadAverage: number): string;
