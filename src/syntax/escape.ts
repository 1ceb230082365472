/**
 * C0 controls except TAB, DEL and the C1 controls: what a terminal may act on instead of showing.
 * TAB is kept because source frames align carets with it (and it moves no cursor beyond the line).
 */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\u0000': '\\u0000' };

function escapeOne(character: string): string {
  return NAMED_ESCAPES[character] ?? `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/**
 * Untrusted text made safe to print (F17, A31): control characters become `\x1b`, `\r`, `\n`,
 * `\u0000`, so a mappings file or a probe cannot write terminal escapes to the reader's screen.
 */
export function escapeControls(text: string): string {
  CONTROL_CHARACTERS.lastIndex = 0;
  return CONTROL_CHARACTERS.test(text) ? text.replace(CONTROL_CHARACTERS, escapeOne) : text;
}
