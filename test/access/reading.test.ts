import { describe, expect, test } from 'vitest';
import {
  addressReply,
  formatReply,
  portAccessReply,
  readAccessResult,
  tableVerdict,
} from '../../src/access/index.js';
import type { MappingResult } from '../../src/engine/types.js';

const addressOptions = { tempFailCode: 450, accessErrors: 0 as const };
const portOptions = { portAccessTildeLines: true, portAccessDefaultText: 'Connection refused' };

describe('A16 argument reading', () => {
  test('E80: every argument flag at once, read U J K I < > D T A S X, then the N text', () => {
    const reading = readAccessResult(
      'ORIG_SEND_ACCESS',
      '5|jdoe|staff|probe hit|-200|5.7.9|Blocked|for now',
      ['<', 'D', 'I', 'N', 'U', 'X'],
    );
    expect(reading.args).toEqual({ U: ['5'], I: ['jdoe', 'staff'], '<': ['probe hit'], D: ['-200'], X: ['5.7.9'] });
    expect(reading.text).toBe('Blocked|for now');
    expect(reading.debugLevel).toBe(5);
    expect(reading.delay).toEqual({ centiseconds: 200, scope: 'reply' });
    expect(reading.enhancedFromX).toBe('5.7.9');
    expect(reading.warnings).toEqual([]);
  });

  test('A15: the order is fixed, never alphabetical: X is read after D, S and T', () => {
    const reading = readAccessResult('SEND_ACCESS', 'tag|X-Hdr: 1|1,2,3|4.2.1|rest', ['A', 'S', 'T', 'X', 'N']);
    expect(reading.args).toEqual({ T: ['tag'], A: ['X-Hdr: 1'], S: ['1,2,3'], X: ['4.2.1'] });
    expect(reading.limits).toBe('1,2,3');
    expect(reading.text).toBe('rest');
  });

  test('A15: J and K consume their fields in every address table', () => {
    const reading = readAccessResult('SEND_ACCESS', 'new@x|sender@x|text', ['J', 'K', 'N']);
    expect(reading.args).toEqual({ J: ['new@x'], K: ['sender@x'] });
    expect(reading.text).toBe('text');
  });

  test('A16: the last field needs no terminator; missing fields read as empty', () => {
    expect(readAccessResult('SEND_ACCESS', '30', ['D', 'N']).args).toEqual({ D: ['30'] });
    expect(readAccessResult('SEND_ACCESS', '30', ['D', 'N']).text).toBe('');
    expect(readAccessResult('SEND_ACCESS', 'jdoe', ['I']).args).toEqual({ I: ['jdoe', ''] });
  });

  test('A16: malformed arguments are ignored with a warning', () => {
    const reading = readAccessResult('SEND_ACCESS', 'x|soon|1,2|6.1.1|No', ['U', 'D', 'S', 'X', 'N']);
    expect(reading.args).toEqual({ U: ['x'], D: ['soon'], S: ['1,2'], X: ['6.1.1'] });
    expect(reading.debugLevel).toBeUndefined();
    expect(reading.delay).toBeUndefined();
    expect(reading.limits).toBeUndefined();
    expect(reading.enhancedFromX).toBeUndefined();
    expect(reading.warnings).toEqual([
      '$U argument "x" is not an integer; ignored',
      '$D argument "soon" is not an integer; ignored',
      '$S argument "1,2" is not three integers x,y,z; ignored',
      '$X argument "6.1.1" is not an enhanced status code 4.x.x or 5.x.x; ignored',
    ]);
  });

  test('A20: $D0 is no delay; positive lasts for the transaction', () => {
    expect(readAccessResult('SEND_ACCESS', '0|', ['D']).delay).toBeUndefined();
    expect(readAccessResult('SEND_ACCESS', '30|', ['D']).delay).toEqual({ centiseconds: 30, scope: 'transaction' });
  });

  test('A15: PORT_ACCESS reads only < and >, then the text and the || log comment', () => {
    const reading = readAccessResult('PORT_ACCESS', 'seen|refused|421 Busy||abuse host', ['<', '>', 'D', 'N', 'T']);
    expect(reading.args).toEqual({ '<': ['seen'], '>': ['refused'] });
    expect(reading.text).toBe('421 Busy');
    expect(reading.logComment).toBe('abuse host');
  });
});

function mapping(fields: Partial<MappingResult>): MappingResult {
  return { table: 'T', input: 'in', inputFlags: '', matched: true, output: '', flags: [], trace: [], ...fields };
}

describe('A17 outcomes', () => {
  test('absent, nomatch, neutral, permit, reject, error', () => {
    expect(tableVerdict(undefined)).toBe('absent');
    expect(tableVerdict(mapping({ matched: false }))).toBe('nomatch');
    expect(tableVerdict(mapping({ flags: ['H'] }))).toBe('neutral');
    expect(tableVerdict(mapping({ flags: ['Y'] }))).toBe('permit');
    expect(tableVerdict(mapping({ flags: ['N'] }))).toBe('reject');
    expect(tableVerdict(mapping({ flags: ['F'] }))).toBe('reject');
    expect(tableVerdict(mapping({ flags: ['N', 'Y'] }))).toBe('reject');
    expect(tableVerdict(mapping({ error: { code: 'StepLimitExceeded', message: 'too many steps' } }))).toBe('error');
  });
});

describe('A18 address-table replies', () => {
  test('the documented shape 550 5.7.1 <text>: <address>', () => {
    expect(addressReply('Relaying not permitted', 'alan@very.bogus.com', undefined, addressOptions)).toEqual({
      code: 550,
      enhanced: '5.7.1',
      lines: ['Relaying not permitted: alan@very.bogus.com'],
    });
  });

  test('codes at the start of the text win; the enhanced code follows the basic class', () => {
    expect(addressReply('553 5.7.1 Sender not allowed', 'a@x', undefined, addressOptions)).toEqual({
      code: 553,
      enhanced: '5.7.1',
      lines: ['Sender not allowed: a@x'],
    });
    expect(addressReply('421 Closing', 'b@x', undefined, addressOptions)).toEqual({
      code: 421,
      enhanced: '4.7.1',
      lines: ['Closing: b@x'],
    });
    // A code written in the text beats $X.
    expect(addressReply('550 5.1.1 No such user', 'c@x', '4.2.1', addressOptions).enhanced).toBe('5.1.1');
    // "5501" is no code: the text stays whole.
    expect(addressReply('5501 things', 'c@x', undefined, addressOptions).lines).toEqual(['5501 things: c@x']);
  });

  test('a class-4 $X makes the reply temporary with tempFailCode', () => {
    expect(addressReply('Mailbox busy', 'busy@x', '4.2.1', addressOptions)).toEqual({
      code: 450,
      enhanced: '4.2.1',
      lines: ['Mailbox busy: busy@x'],
    });
    expect(addressReply('Mailbox busy', 'busy@x', '4.2.1', { ...addressOptions, tempFailCode: 451 }).code).toBe(451);
  });

  test('E74: default texts by access_errors; an empty address omits the suffix', () => {
    expect(addressReply('', 'x@blocked.example', undefined, addressOptions).lines).toEqual([
      'unknown host or domain: x@blocked.example',
    ]);
    expect(addressReply('', 'x@blocked.example', undefined, { ...addressOptions, accessErrors: 1 }).lines).toEqual([
      'you are not allowed to use this address: x@blocked.example',
    ]);
    expect(addressReply('Go away', '', undefined, addressOptions).lines).toEqual(['Go away']);
  });
});

describe('A19 PORT_ACCESS replies', () => {
  test('raw is the text plus CRLF; the code comes from the text', () => {
    expect(portAccessReply('421 Too many connections', portOptions)).toEqual({
      raw: '421 Too many connections\r\n',
      reply: { code: 421, lines: ['Too many connections'] },
    });
  });

  test('no code in the text gives 554; an enhanced code after the basic one is kept and removed from the lines', () => {
    expect(portAccessReply('Go away', portOptions).reply).toEqual({ code: 554, lines: ['Go away'] });
    expect(portAccessReply('421 4.7.0 Try later', portOptions).reply).toEqual({
      code: 421,
      enhanced: '4.7.0',
      lines: ['Try later'],
    });
  });

  test('E84: ~ separates lines (off: kept literally)', () => {
    expect(portAccessReply('421-Busy~421 Try later', portOptions)).toEqual({
      raw: '421-Busy\r\n421 Try later\r\n',
      reply: { code: 421, lines: ['Busy', 'Try later'] },
    });
    expect(portAccessReply('421-Busy~421 Try later', { ...portOptions, portAccessTildeLines: false })).toEqual({
      raw: '421-Busy~421 Try later\r\n',
      reply: { code: 421, lines: ['Busy~421 Try later'] },
    });
  });

  test('an empty text sends nothing and reads as 554 with the default text', () => {
    expect(portAccessReply('', portOptions)).toEqual({ raw: '', reply: { code: 554, lines: ['Connection refused'] } });
    expect(portAccessReply('', { ...portOptions, portAccessDefaultText: 'Go away' }).reply.lines).toEqual(['Go away']);
  });

  test('formatReply writes continuation lines with "-"', () => {
    expect(formatReply({ code: 421, lines: ['Busy', 'Try later'] })).toEqual(['421-Busy', '421 Try later']);
    expect(formatReply({ code: 550, enhanced: '5.7.1', lines: ['No'] })).toEqual(['550 5.7.1 No']);
  });
});
