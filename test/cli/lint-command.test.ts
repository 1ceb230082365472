// `imsmap lint FILE|GLOB…` through runCli: output formats, exit statuses, configuration files,
// ignores, globs and suppression comments.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderWith, runImsmap } from './harness.js';
import { jsonLines } from '../lint/helpers.js';

const F09 = 'fixtures/f09-missing-template.mappings';

describe('text format', () => {
  it('prints location, severity, code and message, the source with a caret, the hint, and a summary', async () => {
    const run = await runImsmap(['lint', 'fixtures/lint/unknown-table/triggers.mappings']);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').slice(4)).toEqual([
      'fixtures/lint/unknown-table/triggers.mappings:4:16: warning: no table INTERNL_IP is defined, so `$|INTERNL_IP;…|` always fails; did you mean INTERNAL_IP? [unknown-table]',
      '    *|*|*|*|*  $C$|INTERNL_IP;$3|$Y$E',
      '                 ^~~~~~~~~~~~~~~~',
      '  hint: write $|INTERNAL_IP;…|',
      '1 file checked: 0 errors, 1 warning, 1 info',
      '',
    ]);
  });

  it('colours only when standard output is a terminal', async () => {
    const plain = await runImsmap(['lint', F09]);
    const coloured = await runImsmap(['lint', F09], { stdoutTty: true });
    expect(plain.stdout).not.toContain('\x1b[');
    expect(coloured.stdout).toContain('\x1b[1mfixtures/f09-missing-template.mappings:4:3:\x1b[22m \x1b[33mwarning:\x1b[39m entry has no template');
    expect(coloured.stdout.replace(/\x1b\[\d+m/g, '')).toBe(plain.stdout);
  });
});

describe('github format', () => {
  it('prints one workflow command per finding, with the inclusive end column and escaped text', async () => {
    const run = await runImsmap(['lint', '--format', 'github', F09, 'fixtures/invalid/f08-entry-syntax.mappings', 'fixtures/lint/no-anti-relay/triggers.mappings']);
    expect(run.status).toBe(1);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      '::warning file=fixtures/f09-missing-template.mappings,line=4,col=3,endLine=4,endColumn=11,title=imsmap empty-template::entry has no template: when it matches, the output is the empty string',
      expect.stringMatching(/^::notice file=fixtures\/invalid\/f08-entry-syntax\.mappings,line=2,.*title=imsmap no-anti-relay::/),
      '::error file=fixtures/invalid/f08-entry-syntax.mappings,line=7,col=13,endLine=7,endColumn=13,title=imsmap dangling-dollar::dangling "$" at the end of the line%0Ahint: write "$$" for a literal dollar sign',
      expect.stringMatching(
        /^::notice file=fixtures\/lint\/no-anti-relay\/triggers\.mappings,line=2,col=1,endLine=2,endColumn=16,title=imsmap no-anti-relay::no recipient table refuses relaying: .*%0Ahint: add "tcp_local\|\*\|tcp_local\|\*  \$NRelaying\$ not\$ allowed" to ORIG_SEND_ACCESS$/,
      ),
    ]);
  });

  it('escapes commas and colons in property values', async () => {
    const folder = folderWith({ 'a,b:c.mappings': 'T\n  x\n' });
    const run = await runImsmap(['lint', '--format', 'github', 'a,b:c.mappings'], { cwd: folder });
    expect(run.stdout).toMatch(/^::warning file=a%2Cb%3Ac\.mappings,line=2,/);
  });
});

describe('json format', () => {
  it('prints one diagnostic object per line, lint findings included', async () => {
    const run = await runImsmap(['lint', '--format', 'json', 'fixtures/lint/duplicate-entry/triggers.mappings']);
    expect(jsonLines(run.stdout)).toEqual([
      {
        severity: 'info',
        code: 'duplicate-entry',
        message: 'this ORIG_SEND_ACCESS entry repeats the entry at fixtures/lint/duplicate-entry/triggers.mappings:3 (`tcp_local|*|tcp_local|*`) and is never used',
        file: 'fixtures/lint/duplicate-entry/triggers.mappings',
        line: 5,
        column: 3,
        endLine: 5,
        endColumn: 26,
        hint: 'delete it',
      },
    ]);
  });
});

describe('exit statuses', () => {
  it('0 with warnings only, 1 when they exceed --max-warnings, with a note on standard error', async () => {
    expect((await runImsmap(['lint', F09])).status).toBe(0);
    expect((await runImsmap(['lint', '--max-warnings', '1', F09])).status).toBe(0);
    const over = await runImsmap(['lint', '--max-warnings', '0', F09]);
    expect(over.status).toBe(1);
    expect(over.stderr).toBe('imsmap lint: 1 warning, more than --max-warnings 0\n');
  });

  it('1 for an error-level finding, also one raised to error by the configuration', async () => {
    expect((await runImsmap(['lint', 'fixtures/invalid/f03-unindented.mappings'])).status).toBe(1);
    const folder = folderWith({ 'imsmap.config.json': '{"rules":{"empty-template":"error"}}', 'a.mappings': 'T\n  x\n' });
    const raised = await runImsmap(['lint', '--format', 'json', 'a.mappings'], { cwd: folder });
    expect(raised.status).toBe(1);
    expect(jsonLines(raised.stdout).map((d) => `${d.severity} ${d.code}`)).toEqual(['error empty-template']);
  });

  it('2 for usage mistakes: a bad --max-warnings, an unknown format, no files, a glob that matches nothing', async () => {
    for (const argv of [
      ['lint', '--max-warnings', 'many', F09],
      ['lint', '--format', 'xml', F09],
      ['lint'],
      ['lint', 'fixtures/**/*.nothing'],
    ]) {
      const run = await runImsmap(argv);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('Usage: imsmap lint');
    }
    expect((await runImsmap(['lint', 'fixtures/**/*.nothing'])).stderr).toContain("no files match 'fixtures/**/*.nothing'");
  });

  it('2 for a file that cannot be read, still reporting the others', async () => {
    const run = await runImsmap(['lint', '--format', 'json', F09, 'fixtures/no-such.mappings']);
    expect(run.status).toBe(2);
    expect(jsonLines(run.stdout).map((d) => d.code)).toEqual(['empty-template', 'unreadable-file']);
  });
});

describe('files and globs', () => {
  it('expands globs with micromatch below their base folder, sorted, each file once', async () => {
    const run = await runImsmap(['lint', 'fixtures/lint/bad-glob/*.mappings', 'fixtures/lint/bad-glob/triggers.mappings']);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('2 files checked: 2 errors, 0 warnings, 0 infos');
  });

  it('follows ** into subfolders', async () => {
    const run = await runImsmap(['lint', '--format', 'json', 'fixtures/lint/**/triggers.mappings']);
    const files = new Set(jsonLines(run.stdout).map((d) => d.file));
    expect(files.has('fixtures/lint/bad-glob/triggers.mappings')).toBe(true);
    expect(files.has('fixtures/lint/unreachable-entry/triggers.mappings')).toBe(true);
  });
});

describe('configuration', () => {
  it('is found next to the linted file before the working folder', async () => {
    const folder = folderWith({ 'imsmap.config.json': '{"rules":{"empty-template":"error"}}' });
    mkdirSync(path.join(folder, 'site'));
    writeFileSync(path.join(folder, 'site', 'imsmap.config.json'), '{"rules":{"empty-template":"off"}}');
    writeFileSync(path.join(folder, 'site', 'mappings'), 'T\n  x\n');
    writeFileSync(path.join(folder, 'other.mappings'), 'T\n  x\n');
    const run = await runImsmap(['lint', '--format', 'json', 'site/mappings', 'other.mappings'], { cwd: folder });
    expect(jsonLines(run.stdout).map((d) => `${d.file} ${d.severity}`)).toEqual(['other.mappings error']);
  });

  it('--config names the file to use for every linted file', async () => {
    const folder = folderWith({ 'strict.json': '{"rules":{"empty-template":"info"}}' });
    const run = await runImsmap(['lint', '--format', 'json', '--config', path.join(folder, 'strict.json'), F09]);
    expect(jsonLines(run.stdout).map((d) => d.severity)).toEqual(['info']);
  });

  it('skips files its ignore globs name, relative to its folder', async () => {
    const folder = folderWith({ 'imsmap.config.json': '{"ignores":["legacy/**"]}', 'a.mappings': 'T\n  x\n' });
    mkdirSync(path.join(folder, 'legacy'));
    writeFileSync(path.join(folder, 'legacy', 'old.mappings'), 'T\n  x\n');
    const run = await runImsmap(['lint', '**/*.mappings'], { cwd: folder });
    expect(run.stdout).toContain('a.mappings:2:3: warning: entry has no template: when it matches, the output is the empty string [empty-template]');
    expect(run.stdout).not.toContain('old.mappings');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('1 file checked: 0 errors, 1 warning, 0 infos');
  });

  it('is validated: each problem named with its field, exit 2, nothing linted', async () => {
    const config = {
      rules: { 'unreachable-entrys': 'warning', 'empty-template': 'loud', 'dangling-dollar': 'off' },
      routines: ['a,b,c'],
      providers: ['ldap'],
      channels: { submitPorts: [70000] },
      extra: true,
    };
    const folder = folderWith({ 'imsmap.config.json': JSON.stringify(config) });
    const run = await runImsmap(['lint', path.resolve(F09)], { cwd: folder });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toEqual([
      `imsmap lint: ${path.join(folder, 'imsmap.config.json')}: `,
      '  rules.unreachable-entrys: is not a rule (did you mean "unreachable-entry"?)',
      '  rules.empty-template: must be one of "off", "info", "warning", "error"',
      '  rules.dangling-dollar: is a parse error (the entry is skipped) and cannot be lowered',
      '  routines[0]: must be a routine name or "image,routine"',
      '  providers[0]: must be one of "database", "url", "domain", "sequence"',
      '  channels.submitPorts[0]: must be an integer from 0 to 65535',
      '  extra: is not a known field',
      '',
    ]);
  });

  it('reports a file that is not JSON, or cannot be read', async () => {
    const folder = folderWith({ 'imsmap.config.json': '{"rules":' });
    const broken = await runImsmap(['lint', path.resolve(F09)], { cwd: folder });
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/^imsmap lint: .*imsmap\.config\.json: is not valid JSON: /);
    const missing = await runImsmap(['lint', '--config', 'no-such.json', path.resolve(F09)], { cwd: folder });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`imsmap lint: ${path.join(folder, 'no-such.json')}: cannot read the file\n`);
  });
});

describe('suppression comments', () => {
  const lines = [
    'INTERNAL_IP',
    '! imsmap-disable-next-line dropped-whitespace, unreachable-entry',
    '  $(192.0.2.10/32)   $Y # mail relay \\',
    '    added 2004',
    '  $(192.0.2.10/32)   $N',
    '  *  $N',
    '',
  ];
  const findings = async (text: string) => {
    const run = await runImsmap(['lint', '--format', 'json', 'a.mappings'], { cwd: folderWith({ 'a.mappings': text }) });
    return jsonLines(run.stdout).map((d) => `${d.code}@${d.line}`);
  };

  it('drop the named codes on the next line, continuation lines included, and nothing else', async () => {
    expect(await findings(lines.join('\n'))).toEqual(['no-anti-relay@1', 'unused-suppression@2', 'unreachable-entry@5']);
    const without = lines.map((line) => (line.startsWith('! imsmap') ? '!' : line));
    expect(await findings(without.join('\n'))).toEqual(['no-anti-relay@1', 'dropped-whitespace@3', 'unreachable-entry@5']);
  });

  it('never drop a parse error', async () => {
    expect(await findings('T\n! imsmap-disable-next-line dangling-dollar\n  a  $N$\n')).toEqual(['bad-suppression@2', 'dangling-dollar@3']);
  });
});
