import type { Diagnostic } from '../../src/browser.js';
import { highlightMappings, type HighlightToken } from '../../src/public/syntax.js';

/** How a line takes part in the chosen answer: the entry applied, matched but failed, or passed over. */
export type LineMark = 'applied' | 'failed' | 'skipped';

/** Tab stops of the editor, as `tab-size` in style.css. */
const TAB_SIZE = 8;

/** Line height in em, as `line-height` in style.css: marks are placed by line number alone. */
const LINE_HEIGHT_EM = 1.5;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (char) => ESCAPES[char]!);
}

/** The display column (0-based) of a UTF-16 offset in a line, tabs expanded. */
function displayColumn(line: string, offset: number): number {
  let column = 0;
  for (let i = 0; i < offset && i < line.length; i++) column = line[i] === '\t' ? column + TAB_SIZE - (column % TAB_SIZE) : column + 1;
  return column;
}

/**
 * The mappings editor: a plain textarea (so typing, selection, undo and screen readers work as
 * everywhere) over two layers it keeps in step: the text coloured by the project's lexers, and the
 * marks (entries of the chosen answer, diagnostics) placed by line and column.
 */
export class MappingsEditor {
  private lineCount = 0;

  constructor(
    readonly input: HTMLTextAreaElement,
    private readonly colours: HTMLElement,
    private readonly marks: HTMLElement,
    private readonly gutter: HTMLElement,
  ) {
    input.addEventListener('scroll', () => this.followScroll());
  }

  /** Re-colours the text; call after each change of the textarea's value. */
  render(): void {
    const text = this.input.value;
    const lines = text.split('\n');
    this.colours.innerHTML = colouredHtml(lines, highlightMappings(text));
    if (lines.length !== this.lineCount) {
      this.lineCount = lines.length;
      this.gutter.textContent = Array.from(lines, (_line, index) => index + 1).join('\n');
    }
    this.followScroll();
  }

  /** Shows the entries of the chosen answer and the diagnostics: line bands and underlines. */
  mark(lines: ReadonlyMap<number, LineMark>, diagnostics: readonly Diagnostic[]): void {
    const text = this.input.value.split('\n');
    const parts: string[] = [];
    for (const [line, mark] of lines) parts.push(`<div class="band ${mark}" style="top:${(line - 1) * LINE_HEIGHT_EM}em"></div>`);
    for (const diagnostic of diagnostics) {
      const source = text[diagnostic.line - 1] ?? '';
      const start = displayColumn(source, diagnostic.column - 1);
      const end = diagnostic.endLine === diagnostic.line ? displayColumn(source, diagnostic.endColumn - 1) : displayColumn(source, source.length);
      const top = (diagnostic.line - 1) * LINE_HEIGHT_EM;
      parts.push(
        `<div class="squiggle ${diagnostic.severity}" style="top:${top}em;left:${start}ch;width:${Math.max(1, end - start)}ch"></div>`,
      );
    }
    this.marks.innerHTML = parts.join('');
  }

  /** Puts the caret at the start of a line (1-based) and column, and brings it into view. */
  goTo(line: number, column = 1): void {
    const lines = this.input.value.split('\n');
    let offset = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i]!.length + 1;
    offset += Math.min(column - 1, (lines[line - 1] ?? '').length);
    this.input.focus();
    this.input.setSelectionRange(offset, offset);
    this.reveal(line);
  }

  /** Scrolls the editor, without moving the caret, so that a line (1-based) is in view. */
  reveal(line: number): void {
    const lineHeight = parseFloat(getComputedStyle(this.input).lineHeight);
    const target = (line - 1) * lineHeight;
    if (target < this.input.scrollTop || target > this.input.scrollTop + this.input.clientHeight - lineHeight) {
      this.input.scrollTop = Math.max(0, target - this.input.clientHeight / 3);
    }
  }

  private followScroll(): void {
    const { scrollLeft, scrollTop } = this.input;
    const shift = `translate(${-scrollLeft}px, ${-scrollTop}px)`;
    this.colours.style.transform = shift;
    this.marks.style.transform = shift;
    this.gutter.style.transform = `translateY(${-scrollTop}px)`;
  }
}

/** The lines as HTML with each highlighted run in a span of its kind; a final newline keeps the heights equal. */
function colouredHtml(lines: readonly string[], tokens: readonly HighlightToken[]): string {
  const html: string[] = [];
  let next = 0;
  lines.forEach((line, index) => {
    const number = index + 1;
    let position = 0;
    let out = '';
    for (; next < tokens.length && tokens[next]!.line === number; next++) {
      const token = tokens[next]!;
      if (token.start < position) continue;
      out += escapeHtml(line.slice(position, token.start));
      out += `<span class="t-${token.kind}">${escapeHtml(line.slice(token.start, token.start + token.length))}</span>`;
      position = token.start + token.length;
    }
    html.push(out + escapeHtml(line.slice(position)));
  });
  return `${html.join('\n')}\n`;
}
