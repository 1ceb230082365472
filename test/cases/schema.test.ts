import { describe, expect, test } from 'vitest';
import { caseFileJsonSchema, CaseFileError, loadCaseFile, parseCaseFile } from '../../src/cases/schema.js';

describe('case files: validation (zod)', () => {
  test('a valid file with both kinds of case', () => {
    const parsed = parseCaseFile({
      options: { channels: { localDomains: ['Corp.Example'] } },
      cases: [
        { table: 'PORT_ACCESS', probe: 'TCP|1.2.3.4|25|5.6.7.8|9', inputFlags: 'A', expect: { flags: ['Y'] } },
        { decide: { stage: 'rcpt', from: 'a@x', to: 'b@y', srcChannel: 'l' }, expect: { action: 'reject', code: 550 } },
      ],
    });
    expect(parsed).not.toBeInstanceOf(CaseFileError);
    expect((parsed as Exclude<typeof parsed, CaseFileError>).options?.channels.localDomains).toEqual(['corp.example']);
  });

  test('each problem is named by its path; a case reports the problems of the kind it meant', () => {
    const error = parseCaseFile(
      {
        cases: [
          { table: 'PORT_ACCESS', probe: 'x', expect: { flags: 'Y', outptu: 'x' } },
          { decide: { stage: 'helo' }, expect: { code: '550' } },
        ],
        option: {},
      },
      'rules.json',
    ) as CaseFileError;
    expect(error).toBeInstanceOf(CaseFileError);
    expect(error.issues).toEqual([
      { path: 'cases[0].expect.flags', message: 'Invalid input: expected array, received string' },
      { path: 'cases[0].expect.outptu', message: 'is not a known field' },
      { path: 'cases[1].decide.stage', message: 'Invalid option: expected one of "connect"|"mail"|"rcpt"' },
      { path: 'cases[1].expect.code', message: 'Invalid input: expected number, received string' },
      { path: 'option', message: 'is not a known field' },
    ]);
    expect(error.message.split('\n')[0]).toBe('rules.json cases[0].expect.flags: Invalid input: expected array, received string');
  });

  test('an unreadable file and a file that is not JSON are errors, not exceptions', () => {
    expect(loadCaseFile('/nonexistent/cases.json')).toMatchObject({ issues: [{ path: '', message: 'cannot read the file (ENOENT)' }] });
    expect(parseCaseFile({ cases: [] })).toMatchObject({ issues: [{ path: 'cases', message: 'must hold at least one case' }] });
  });
});

describe('case files: the JSON Schema exported from the zod schema', () => {
  test('docs/case-file.schema.json is current (regenerate with `npx vitest run test/cases -u`)', async () => {
    await expect(JSON.stringify(caseFileJsonSchema(), null, 2) + '\n').toMatchFileSnapshot('../../docs/case-file.schema.json');
  });

  test('describes both kinds of case', () => {
    const schema = caseFileJsonSchema() as { properties: { cases: { items: { anyOf: Array<{ required: string[] }> } } } };
    expect(schema.properties.cases.items.anyOf.map((kind) => kind.required)).toEqual([
      ['table', 'probe', 'expect'],
      ['decide', 'expect'],
    ]);
  });
});
