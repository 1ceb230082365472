import type { SyntaxCode } from '../syntax/diagnostics.js';
import type { RuleMeta } from './rule.js';

type ParserRuleText = Pick<RuleMeta, 'defaultSeverity' | 'spec' | 'description' | 'help'>;

// F16: every code the syntax stage produces has its metadata here. The Record type makes a code
// added to SyntaxCode without metadata a compile error, so the catalogue cannot fall behind.
const PARSER_RULES: Record<SyntaxCode, ParserRuleText> = {
  'unreadable-file': {
    defaultSeverity: 'error',
    spec: '—',
    description:
      'The top-level file cannot be read (missing, no permission), or it or an included file is not a regular file (a folder, FIFO, device) or is larger than 256 MiB (F17).',
    help: 'Check the path; `imsmap lint` exits with status 2 for a file it cannot read.',
  },
  'line-too-long': {
    defaultSeverity: 'error',
    spec: 'F17',
    description: 'A logical line longer than 1,048,576 characters; it is skipped unparsed.',
    help: 'Split the data over several entries, or move it into the general database.',
  },
  'nesting-too-deep': {
    defaultSeverity: 'error',
    spec: 'F17',
    description: 'Bracketed lookups (`$|…|`, `$[…]`, `${…}`, `$]…[`, `$}…{`) nested deeper than 64 levels; the entry is skipped.',
    help: 'Flatten the lookups, e.g. by calling a table that does part of the work.',
  },
  'control-character': {
    defaultSeverity: 'error',
    spec: 'F17',
    description:
      'A NUL (an error: the entry on that line is skipped) or another control character other than TAB (a warning) in the file. Messages show it escaped.',
    help: 'Remove it: a mappings file holds text.',
  },
  'invalid-utf8': {
    defaultSeverity: 'error',
    spec: 'F1',
    description: 'A byte sequence that is not UTF-8; an entry on that line is skipped.',
    help: 'Save the file as UTF-8.',
  },
  'continuation-at-eof': {
    defaultSeverity: 'error',
    spec: 'F2',
    description: 'The last line of a file ends in a continuing backslash; the logical line it starts is dropped.',
    help: 'Remove the backslash or add the line it was meant to continue.',
  },
  'unindented-line': {
    defaultSeverity: 'error',
    spec: 'F3',
    description: 'A line starts in column 1 with something other than a letter, `!`, `<` or white space; it is skipped.',
    help: 'Indent entries by a space or tab; only table names, comments (`!`) and includes (`<`) start in column 1.',
  },
  'bad-table-name': {
    defaultSeverity: 'error',
    spec: 'F4',
    description: 'A table name holds a character other than letters, digits, `_`, `-` or `.`.',
    help: 'Rename the table; a name is a letter followed by letters, digits, `_`, `-` or `.`.',
  },
  'header-extra-text': {
    defaultSeverity: 'error',
    spec: 'F4',
    description: 'Text follows the table name on its line (typically a table flattened onto one line); the text is ignored.',
    help: 'Put each entry on its own line, indented by a space or tab.',
  },
  'entry-outside-table': {
    defaultSeverity: 'error',
    spec: 'F5',
    description: 'An entry line before the first table name; it is discarded.',
    help: 'Put a table name line (starting in column 1) above the entries.',
  },
  'include-empty': {
    defaultSeverity: 'error',
    spec: 'F7',
    description: 'An include line `<` that names no file.',
    help: 'Write the file to include right after `<`.',
  },
  'include-missing': {
    defaultSeverity: 'error',
    spec: 'F7',
    description: 'An included file cannot be read.',
    help: 'Fix the path; relative paths resolve against the folder of the including file.',
  },
  'include-cycle': {
    defaultSeverity: 'error',
    spec: 'F7',
    description: 'An included file is already being read: it includes itself, directly or not.',
    help: 'Remove the include line that closes the cycle.',
  },
  'include-depth': {
    defaultSeverity: 'error',
    spec: 'F7',
    description: 'Includes nested deeper than three levels; the file is not read.',
    help: 'Flatten the include chain to at most three levels below the top-level file.',
  },
  'dangling-dollar': {
    defaultSeverity: 'error',
    spec: 'F8, T1',
    description: 'A `$` with nothing after it, at the end of a line or of a bracketed argument; the entry is skipped.',
    help: 'Write `$$` for a literal dollar sign.',
  },
  'duplicate-table': {
    defaultSeverity: 'error',
    spec: 'F12',
    description: 'A second table with a name already defined; the entries under it are discarded.',
    help: 'Merge the two tables into the first one.',
  },
  'bad-glob': {
    defaultSeverity: 'error',
    spec: 'P3, P5',
    description: 'A glob letter without `%` or `*`, or a malformed character set (missing `]`, empty, reversed range).',
    help: 'Write the glob as `$D*`, `$A%`, `$[a-z]*` and so on.',
  },
  'undefined-pattern-escape': {
    defaultSeverity: 'error',
    spec: 'P7',
    description: '`$` followed by a character patterns do not define (`$N`, `$Y`, `$1%`, …).',
    help: 'Is the white space between pattern and template missing? Write `$$` for a literal dollar sign.',
  },
  'bad-backmatch': {
    defaultSeverity: 'error',
    spec: 'P8',
    description: '`$n*` names a saved item that does not occur earlier in the pattern.',
    help: 'Refer only to wildcards saved to the left of the back-match.',
  },
  'bad-ip': {
    defaultSeverity: 'error',
    spec: 'P9',
    description: 'A malformed address or bit count in `$(…)`, `$<…>` or `${…}` (octal or short forms, a prefix out of range).',
    help: 'Write the address in full (four decimal parts without leading zeros, or RFC 4291 IPv6) and a bit count from 0 to 32 or 128.',
  },
  'bad-construct-header': {
    defaultSeverity: 'error',
    spec: 'T8',
    description: 'A lookup whose fixed fields are incomplete: `$|table;argument|` without `;`, `$[image,routine,argument]` with fewer than two commas.',
    help: 'Complete the construct’s header fields.',
  },
  'unterminated-construct': {
    defaultSeverity: 'error',
    spec: 'T8, T6',
    description: 'A bracketed lookup or `$?x?` is never closed.',
    help: 'Add the closing character.',
  },
  'bad-number': {
    defaultSeverity: 'error',
    spec: 'T6, T11',
    description: 'The percentage of `$?x?`, or the radix, width or modulus of `$#…#`, is not a valid number.',
    help: 'Use a percentage from 0 to 100, a radix from 2 to 36 (or −2 to −36), a width of digits and a positive modulus.',
  },
  'indented-comment': {
    defaultSeverity: 'warning',
    spec: 'F6',
    description: 'An indented line starting with `!` is an entry whose pattern starts with `!`, not a comment.',
    help: 'Move the `!` to column 1 to make the line a comment.',
  },
  'empty-template': {
    defaultSeverity: 'warning',
    spec: 'F9',
    description: 'An entry with a pattern and no template: when it matches, the output is the empty string and no flag is set.',
    help: 'Add the template, or delete the entry if it was cut short.',
  },
  'dropped-whitespace': {
    defaultSeverity: 'warning',
    spec: 'F10',
    description: 'Unquoted white space inside a template was dropped and the pieces joined (a trailing `# comment` becomes output).',
    help: 'Quote white space that belongs to the output as `$ `; text after a template is not a comment.',
  },
  'long-pattern': {
    defaultSeverity: 'warning',
    spec: 'F11',
    description: 'A pattern longer than 256 characters, the Messaging Server 6.3 limit.',
    help: 'Shorten the pattern, or move the data into the general database.',
  },
  'long-template': {
    defaultSeverity: 'warning',
    spec: 'F11',
    description: 'A template longer than 1024 characters, the Messaging Server 6.3 limit.',
    help: 'Shorten the template.',
  },
  'caret-in-set': {
    defaultSeverity: 'warning',
    spec: 'P5',
    description: 'A leading `^` in `$[…]` is a member of the set: there is no negation.',
    help: 'List the characters the set should accept; move the `^` elsewhere if it is meant as a member.',
  },
  'lazy-without-effect': {
    defaultSeverity: 'warning',
    spec: 'P6',
    description: '`$_` before a fixed-width item or before nothing has no effect.',
    help: 'Put `$_` directly before a `*` or `…*` glob, or remove it.',
  },
  'host-bits-set': {
    defaultSeverity: 'warning',
    spec: 'P9',
    description: 'The address of an IP construct has bits set beyond its prefix; they are ignored.',
    help: 'Write the network address, e.g. `$(123.45.67.0/24)`.',
  },
  'ip-swallows-literal': {
    defaultSeverity: 'warning',
    spec: 'P9',
    description: 'An IP construct is followed directly by an address character, which its address run swallows.',
    help: 'Separate the construct from the following text, or match the text differently.',
  },
  'ipv4-in-ipv6-form': {
    defaultSeverity: 'info',
    spec: 'P9',
    description: 'An IPv4 address written in `${…}`.',
    help: 'Write `$(…)` for IPv4.',
  },
  'unreferenceable-capture': {
    defaultSeverity: 'info',
    spec: 'P4',
    description: 'A saved item numbered 10 or more: templates can only refer to `$0`–`$9`.',
    help: 'Save fewer items (`$@` … `$^`) or write fixed fields as literals.',
  },
  'missing-capture': {
    defaultSeverity: 'warning',
    spec: 'T3',
    description: '`$n` names a saved item the pattern does not have; it inserts the empty string.',
    help: 'Count the pattern’s saved wildcards from `$0`.',
  },
  'suspicious-flag': {
    defaultSeverity: 'warning',
    spec: 'T7',
    description: 'A non-letter flag other than `<`, `>` and `!` (such as `$*`), usually a quoting mistake.',
    help: 'Write `$$` before the character if a literal was meant.',
  },
  'flag-in-argument': {
    defaultSeverity: 'warning',
    spec: 'T8',
    description: 'A flag or control inside a lookup argument acts at that position, not as text.',
    help: 'Write `$$` to pass a literal `$` to the lookup.',
  },
  'unsupported-metachar': {
    defaultSeverity: 'warning',
    spec: 'T13',
    description: '`$nA`, `$nX` or `$+` (address metacharacters of localised editions) are not supported.',
    help: 'Rewrite the template without them.',
  },
};

/** Metadata of every code the syntax stage reports, in catalogue order. */
export const parserRules: readonly RuleMeta[] = Object.entries(PARSER_RULES).map(([code, text]) => ({
  code,
  stage: 'parser' as const,
  ...text,
}));
