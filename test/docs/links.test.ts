import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { markdownFiles } from './markdown-examples.js';

// Every relative link in docs/ must lead somewhere: to an existing file and, for `file.md#anchor`,
// to a heading of that file.

const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown text's headings (fenced code skipped), numbered as GitHub numbers repeats. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1]!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Relative link targets outside code: `[text](target)`. */
function linksOf(markdown: string): string[] {
  const prose = markdown.replace(/^(```|~~~)[\s\S]*?^\1/gm, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!).filter((target) => !/^[a-z]+:/i.test(target));
}

describe('links in docs/', () => {
  for (const file of markdownFiles(DOCS)) {
    test(file, () => {
      const markdown = readFileSync(path.join(DOCS, file), 'utf8');
      const broken: string[] = [];
      for (const target of linksOf(markdown)) {
        const [pathPart, anchor] = target.split('#') as [string, string | undefined];
        const destination = pathPart === '' ? path.join(DOCS, file) : path.resolve(path.dirname(path.join(DOCS, file)), pathPart);
        if (!existsSync(destination)) {
          broken.push(`${target}: no such file`);
        } else if (anchor !== undefined && destination.endsWith('.md') && !anchorsOf(readFileSync(destination, 'utf8')).has(anchor)) {
          broken.push(`${target}: no such heading`);
        }
      }
      expect(broken).toEqual([]);
    });
  }
});
