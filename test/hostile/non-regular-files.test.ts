// F17: only regular files are read; a folder, FIFO or device is `unreadable-file` at once (issue 11, item 6).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fileSystemReader, loadMappings, readMappingsFile } from '../../src/index.js';
import { runImsmap } from '../cli/harness.js';
import { hostileFolder, placed } from './helpers.js';

function fifoIn(folder: string): string {
  execFileSync('mkfifo', [`${folder}/fifo`]);
  return `${folder}/fifo`;
}

describe('F17 non-regular files', () => {
  it('refuses /dev/zero, a folder and a FIFO without a writer as the main file', () => {
    const folder = hostileFolder({});
    mkdirSync(`${folder}/dir`);
    for (const file of ['/dev/zero', `${folder}/dir`, fifoIn(folder)]) {
      const parsed = loadMappings(file);
      expect(placed(parsed.diagnostics), file).toEqual(['unreadable-file@1:1']);
      expect(parsed.diagnostics[0]!.message).toContain('not a regular file');
    }
  });

  it('refuses them as includes, at the include line', () => {
    const folder = hostileFolder({ m: `T1\n  a  $Y\n</dev/zero\n<fifo\n  b  $Y\n` });
    fifoIn(folder);
    const parsed = loadMappings(`${folder}/m`);
    expect(placed(parsed.diagnostics)).toEqual(['unreadable-file@3:2', 'unreadable-file@4:2']);
    expect(parsed.tables[0]!.entries.map((entry) => entry.pattern)).toEqual(['a', 'b']);
  });

  it('refuses a file larger than the cap without reading it whole', () => {
    const folder = hostileFolder({ m: `T1\n  a  $Y\n` });
    const parsed = readMappingsFile(`${folder}/m`, fileSystemReader(folder, { maxBytes: 8 }));
    expect(placed(parsed.diagnostics)).toEqual(['unreadable-file@1:1']);
    expect(parsed.diagnostics[0]!.message).toContain('larger than 8 bytes');
  });

  it('lint and audit exit 2 on /dev/zero and on a FIFO', async () => {
    const folder = hostileFolder({});
    for (const file of ['/dev/zero', fifoIn(folder)]) {
      for (const command of ['lint', 'audit']) {
        const run = await runImsmap([command, file]);
        expect(run.status, `${command} ${file}`).toBe(2);
        expect(run.stdout + run.stderr).toContain('not a regular file');
      }
    }
  });
});
