// Issue 13: a compiled file is input like any other. A truncated, altered, foreign or crafted one is
// refused with a CompiledFileError before anything is viewed or allocated beyond the file's own size;
// a stale one (a source changed since the build) is refused naming that source. Nothing half-loads.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompiledFileError, COMPILED_FORMAT_VERSION } from '../../src/engine/snapshot/file.js';
import { buildCompiledFile, loadCompiledFile } from '../../src/engine/snapshot/node.js';
import { runImsmap } from '../cli/harness.js';
import { hostileFolder } from './helpers.js';

const HEADER = 48;
const MAPPINGS = [
  'INTERNAL_IP',
  '  $(10.0.0.0/8)  $Y',
  '  $(192.168.1.7)  $Y',
  '  *  $N',
  'PORT_ACCESS',
  '  TCP|*|25|*|*  $C$|INTERNAL_IP;$3|$Y$E',
  '  *  $N',
  '<more.inc',
  '',
].join('\n');

/** A folder with mappings (including more.inc) and their compiled file, `compiled.imc`. */
function builtFolder(): { folder: string; compiled: string; bytes: Uint8Array } {
  const folder = hostileFolder({ mappings: MAPPINGS, 'more.inc': 'EXTRA\n  a  b\n' });
  const compiled = path.join(folder, 'compiled.imc');
  expect(buildCompiledFile(path.join(folder, 'mappings'), compiled).written).toBe(true);
  return { folder, compiled, bytes: readFileSync(compiled) };
}

/** The refusal loading `bytes` as a compiled file gives; fails when it loads or throws anything else. */
function refusal(folder: string, bytes: Uint8Array): CompiledFileError {
  const file = path.join(folder, 'hostile.imc');
  writeFileSync(file, bytes);
  try {
    loadCompiledFile(file);
  } catch (error) {
    expect(error).toBeInstanceOf(CompiledFileError);
    return error as CompiledFileError;
  }
  throw new Error('a hostile compiled file loaded');
}

/** The file with its metadata changed and its digest made right again: what a crafted file looks like. */
function crafted(bytes: Uint8Array, change: (metadata: Record<string, any>) => void): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(12, true);
  const oldBody = HEADER + Math.ceil(length / 8) * 8;
  const metadata = JSON.parse(Buffer.from(bytes.subarray(HEADER, HEADER + length)).toString('utf8'));
  // Room for the change: the sections move 4 KiB further on, the metadata padded with spaces.
  const shift = 4096;
  for (const section of metadata.sections) section.offset += shift;
  change(metadata);
  const text = Buffer.from(JSON.stringify(metadata));
  const room = oldBody + shift - HEADER;
  expect(text.length).toBeLessThanOrEqual(room);
  const out = new Uint8Array(bytes.length + shift);
  out.set(bytes.subarray(0, HEADER));
  out.set(text, HEADER);
  out.fill(0x20, HEADER + text.length, HEADER + room);
  out.set(bytes.subarray(oldBody), oldBody + shift);
  new DataView(out.buffer).setUint32(12, room, true);
  out.set(createHash('sha256').update(out.subarray(HEADER)).digest(), 16);
  return out;
}

describe('hostile compiled files', () => {
  it('loads the file as built (the baseline the other cases break)', () => {
    const { compiled } = builtFolder();
    expect(loadCompiledFile(compiled).tables.map((table) => table.name)).toEqual(['INTERNAL_IP', 'PORT_ACCESS', 'EXTRA']);
  });

  it('refuses the file truncated at any length', () => {
    const { folder, bytes } = builtFolder();
    const cuts = [0, 1, 7, 8, 20, 47, 48, 60, bytes.length / 2, bytes.length - 8, bytes.length - 1].map(Math.floor);
    for (const cut of cuts) {
      const error = refusal(folder, bytes.subarray(0, cut));
      expect(error.problem === 'corrupt' || error.problem === 'foreign').toBe(true);
    }
  });

  it('refuses any altered byte after the header', () => {
    const { folder, bytes } = builtFolder();
    for (const at of [HEADER, HEADER + 10, bytes.length - 100, bytes.length - 1]) {
      const altered = Uint8Array.from(bytes);
      altered[at]! ^= 0x41;
      expect(refusal(folder, altered).message).toMatch(/SHA-256/);
    }
  });

  it('refuses another format version and another imsmap version as foreign', () => {
    const { folder, bytes } = builtFolder();
    const format = Uint8Array.from(bytes);
    new DataView(format.buffer).setUint32(8, COMPILED_FORMAT_VERSION + 1, true);
    expect(refusal(folder, format).problem).toBe('foreign');
    const version = crafted(bytes, (metadata) => (metadata.imsmap = '0.0.0-other'));
    const error = refusal(folder, version);
    expect(error.problem).toBe('foreign');
    expect(error.message).toMatch(/imsmap 0\.0\.0-other/);
  });

  it('refuses crafted lengths, offsets and references without allocating them', () => {
    const { folder, bytes } = builtFolder();
    const cases: Array<(metadata: Record<string, any>) => void> = [
      (metadata) => (metadata.sections[0].length = 2 ** 31),
      (metadata) => (metadata.sections[0].offset = 8),
      (metadata) => (metadata.sections[0].offset += 4),
      (metadata) => (metadata.sections[0].type = 'BigInt64Array'),
      (metadata) => (metadata.tables[0].fields = metadata.tables[0].segments + 1000),
      (metadata) => (metadata.tables[0].fields = metadata.strings.units),
      (metadata) => (metadata.templates = []),
      (metadata) => (metadata.files = []),
      (metadata) => (metadata.templates[0].nodes = [{ kind: 'mapping', offset: 0, length: 1, table: 'X', argument: 'no' }]),
      (metadata) => (metadata.tables[0].index = { postings: { json: 1 } }),
      (metadata) => {
        const [name] = Object.keys(metadata.tables[0].index);
        metadata.tables[0].index[name!] = { json: 'not an array' };
      },
      (metadata) => (metadata.diagnostics = [{ file: 1 }]),
      (metadata) => delete metadata.strings,
    ];
    for (const change of cases) expect(refusal(folder, crafted(bytes, change)).problem).toBe('corrupt');
  });

  it('refuses entries that point outside their arrays', () => {
    const { folder, bytes } = builtFolder();
    // The first table's entry fields: pattern string id of the first entry made huge.
    const metadata = JSON.parse(Buffer.from(bytes.subarray(HEADER, HEADER + new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true))).toString('utf8'));
    const fields = metadata.sections[metadata.tables[0].fields];
    for (const value of [0x7fffffff, -1]) {
      const altered = Uint8Array.from(bytes);
      new DataView(altered.buffer).setInt32(fields.offset, value, true);
      altered.set(createHash('sha256').update(altered.subarray(HEADER)).digest(), 16);
      expect(refusal(folder, altered).message).toMatch(/entry 1 points outside/);
    }
  });

  it('refuses a stale file, naming the changed source, the include too', () => {
    const { folder, compiled } = builtFolder();
    writeFileSync(path.join(folder, 'more.inc'), 'EXTRA\n  a  c\n');
    const error = refusal(folder, readFileSync(compiled));
    expect(error.problem).toBe('stale');
    expect(error.source).toBe(path.join(folder, 'more.inc'));
    rmSync(path.join(folder, 'more.inc'));
    expect(refusal(folder, readFileSync(compiled)).message).toMatch(/more\.inc, which cannot be read/);
  });

  it('makes every command refuse a bad compiled file with one line and exit 2', async () => {
    const { folder, bytes } = builtFolder();
    writeFileSync(path.join(folder, 'cut.imc'), bytes.subarray(0, 100));
    writeFileSync(path.join(folder, 'cases.json'), JSON.stringify({ cases: [] }));
    for (const argv of [
      ['test', 'cut.imc', '--table', 'INTERNAL_IP', '10.1.2.3'],
      ['decide', 'cut.imc', '{"stage":"connect","serverIp":"192.0.2.1","serverPort":25,"clientIp":"10.1.2.3","clientPort":1}'],
      ['audit', 'cut.imc'],
      ['diff', 'cut.imc', 'mappings'],
      ['check', 'cut.imc', 'cases.json'],
    ]) {
      const run = await runImsmap(argv, { cwd: folder });
      expect(run.status, argv.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/^cut\.imc: error: corrupt compiled file: .* \[compiled-corrupt\]$/m);
      expect(run.stderr).not.toMatch(/internal error|at .*\.ts/);
    }
  });
});
