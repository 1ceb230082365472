// F17: a file that cannot be read is the `unreadable-file` error, and its message says why (missing, a
// directory or another file that is not regular, no permission, too large), in the one wording every
// command prints. The language server reports a closed file the same way instead of checking it as empty.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnosticLine } from '../../src/lint/format/text.js';
import { MappingsWorkspace } from '../../src/lsp/workspace.js';
import { loadMappings } from '../../src/syntax/node.js';

const folder = mkdtempSync(path.join(tmpdir(), 'imsmap-unreadable-'));
mkdirSync(path.join(folder, 'folder.mappings'));
writeFileSync(path.join(folder, 'big.mappings'), 'T\n  a b\n');
writeFileSync(path.join(folder, 'includer.mappings'), 'T\n  a b\n<folder.mappings\n');
writeFileSync(path.join(folder, 'locked.mappings'), 'T\n  a b\n');
chmodSync(path.join(folder, 'locked.mappings'), 0o000);

/** The one-line form of each diagnostic of loading a file of the folder. */
function loaded(name: string, options: { maxFileBytes?: number } = {}): string[] {
  return loadMappings(path.join(folder, name), options).diagnostics.map((diagnostic) => formatDiagnosticLine(diagnostic).slice(folder.length + 1));
}

describe('unreadable-file says why (F17)', () => {
  it('a missing file', () => {
    expect(loaded('no-such.mappings')).toEqual(['no-such.mappings:1:1: error: cannot read the file: no such file [unreadable-file]']);
  });

  it('a directory', () => {
    expect(loaded('folder.mappings')).toEqual(['folder.mappings:1:1: error: cannot read the file: a directory, not a regular file [unreadable-file]']);
  });

  it('an included directory', () => {
    expect(loaded('includer.mappings')).toEqual([
      `includer.mappings:3:2: error: cannot read included file "${path.join(folder, 'folder.mappings')}": a directory, not a regular file [unreadable-file]`,
    ]);
  });

  it('a file larger than the cap', () => {
    expect(loaded('big.mappings', { maxFileBytes: 4 })).toEqual(['big.mappings:1:1: error: cannot read the file: larger than 4 bytes [unreadable-file]']);
  });

  // Root reads a file whatever its mode, so only an unprivileged run can meet "permission denied".
  it.skipIf(process.getuid?.() === 0)('a file without read permission', () => {
    expect(loaded('locked.mappings')).toEqual(['locked.mappings:1:1: error: cannot read the file: permission denied [unreadable-file]']);
  });
});

describe('the language server', () => {
  it('checks a closed file it cannot read as unreadable-file, not as an empty file', () => {
    const workspace = new MappingsWorkspace(folder);
    const checked = workspace.check('no-such.mappings');
    expect(checked.diagnostics.map((diagnostic) => `${diagnostic.code}: ${diagnostic.message}`)).toEqual([
      'unreadable-file: cannot read the file: no such file',
    ]);
  });

  it('checks an open document from its text even when the disk has no such file', () => {
    const workspace = new MappingsWorkspace(folder);
    workspace.setText('unsaved.mappings', 'T\n  a\n');
    expect(workspace.check('unsaved.mappings').diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['empty-template']);
  });
});
