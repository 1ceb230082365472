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

/** Runs `then` once the next frame has been drawn. */
export function afterNextFrame(then: () => void): void {
  requestAnimationFrame(() => setTimeout(then));
}

/** Runs `then` as the frame after the next one is made: what waits for it comes after the next frame and the work that follows it. */
function inFrameAfterNext(then: () => void): void {
  requestAnimationFrame(() => requestAnimationFrame(then));
}

/** Lines coloured above and below those in view, so that scrolling a little shows coloured text at once. */
const MARGIN_LINES = 40;

/**
 * At most this many lines are coloured before a frame; more (a jump) are shown plain and coloured in
 * the frame after, so that the answers come first. A new file is shown all plain at first.
 */
const COLOURED_BEFORE_FRAME = 20;

/**
 * The mappings editor: a plain textarea (so typing, selection, undo and screen readers work as
 * everywhere) over two layers it keeps in step: the text coloured by the project's lexers, and the
 * marks (entries of the chosen answer, diagnostics) placed by line and column. The colour layer
 * holds only the lines in view and a margin: laying out and painting every line of a long file
 * after each keystroke cost more than the answer.
 */
export class MappingsEditor {
  private lineCount = 0;
  /** The lines as last rendered. */
  private lines: string[] = [];
  /** Each line's coloured HTML, made when the line is first shown; undefined until then and after it changed. */
  private colouredHtml: Array<string | undefined> = [];
  /** The lines the colour layer holds, [from, to). */
  private shown = { from: 0, to: 0 };
  /** The HTML of each line the colour layer holds, in order. */
  private shownHtml: string[] = [];
  /** Lines the last edit added (negative: removed), which moved the lines below it. */
  private addedLines = 0;
  /** Whether lines shown plain are to be coloured in the frame after the next. */
  private colouringLater = false;

  constructor(
    readonly input: HTMLTextAreaElement,
    private readonly colours: HTMLElement,
    private readonly marks: HTMLElement,
    private readonly gutter: HTMLElement,
  ) {
    input.addEventListener('scroll', () => this.followScroll());
  }

  /**
   * Re-colours the text; call after each change of the textarea's value. Only the lines between the
   * unchanged start and end are coloured again, with the line after them: a continuation backslash
   * (F2) on the line before decides how a line is coloured.
   */
  render(): void {
    const lines = this.input.value.split('\n');
    const before = this.lines;
    let start = 0;
    while (start < before.length && start < lines.length && before[start] === lines[start]) start++;
    let oldEnd = before.length;
    let newEnd = lines.length;
    while (oldEnd > start && newEnd > start && before[oldEnd - 1] === lines[newEnd - 1]) {
      oldEnd--;
      newEnd--;
    }
    const newFile = start + before.length - oldEnd === 0;
    if (newEnd < lines.length && oldEnd < before.length) {
      newEnd++;
      oldEnd++;
    }
    this.colouredHtml.splice(start, oldEnd - start, ...new Array<undefined>(newEnd - start));
    this.lines = lines;
    this.addedLines = lines.length - before.length;
    if (lines.length !== this.lineCount) {
      this.lineCount = lines.length;
      // Wide enough for the longest number, so that the gutter keeps its width while scrolling.
      this.gutter.style.minWidth = `${Math.max(2.5, String(lines.length).length)}ch`;
    }
    this.followScroll(newFile ? 0 : COLOURED_BEFORE_FRAME);
    this.addedLines = 0;
  }

  /** Shows the entries of the chosen answer and the diagnostics: line bands (one per run of lines alike) and underlines. */
  mark(lines: ReadonlyMap<number, LineMark>, diagnostics: readonly Diagnostic[]): void {
    const text = this.input.value.split('\n');
    const parts: string[] = [];
    const sorted = [...lines].sort(([a], [b]) => a - b);
    for (let index = 0; index < sorted.length; ) {
      const [first, mark] = sorted[index]!;
      let count = 1;
      while (sorted[index + count]?.[0] === first + count && sorted[index + count]![1] === mark) count++;
      const height = count === 1 ? '' : `;height:${count * LINE_HEIGHT_EM}em`;
      parts.push(`<div class="band ${mark}" style="top:${(first - 1) * LINE_HEIGHT_EM}em${height}"></div>`);
      index += count;
    }
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

  /**
   * Moves the layers with the textarea's scrolling, and colours the lines coming into view; after a
   * change (`colourBeforeFrame` given) all shown lines are laid out again, that many coloured at once.
   */
  private followScroll(colourBeforeFrame?: number): void {
    const { scrollLeft, scrollTop, clientHeight } = this.input;
    const lineHeight = parseFloat(getComputedStyle(this.input).lineHeight) || 1;
    const first = Math.floor(scrollTop / lineHeight);
    const last = first + Math.ceil(clientHeight / lineHeight);
    if (colourBeforeFrame !== undefined || first < this.shown.from || Math.min(last, this.lines.length) > this.shown.to) {
      this.showLines(first - MARGIN_LINES, last + MARGIN_LINES, colourBeforeFrame);
    }
    const shift = `translate(${-scrollLeft}px, ${-scrollTop}px)`;
    this.colours.style.transform = shift;
    this.marks.style.transform = shift;
    this.gutter.style.transform = `translateY(${-scrollTop}px)`;
  }

  /**
   * Fills the colour layer with lines [from, to) (0-based, clipped to the text), placed at their own
   * line; lines not coloured yet beyond `colourBeforeFrame` are shown plain and coloured in the frame after.
   * Only the lines whose HTML changed are replaced when the layer holds the same range: after a
   * keystroke that is one line, and the browser lays out and paints that line alone.
   */
  private showLines(from: number, to: number, colourBeforeFrame = COLOURED_BEFORE_FRAME): void {
    const shown = { from: Math.max(0, from), to: Math.min(this.lines.length, to) };
    const html: string[] = [];
    let coloured = 0;
    for (let index = shown.from; index < shown.to; index++) {
      const line = this.lines[index]!;
      let lineText = this.colouredHtml[index];
      if (lineText === undefined && coloured++ < colourBeforeFrame) {
        lineText = this.colouredHtml[index] = lineHtml(this.lines[index - 1], line);
      }
      html.push(lineText ?? `<span>${escapeHtml(line)}\n</span>`);
    }
    if (shown.from === this.shown.from && shown.to === this.shown.to && this.colours.children.length === html.length) {
      this.replaceChangedLines(html);
    } else {
      this.colours.innerHTML = html.join('');
      this.colours.style.top = `${shown.from * LINE_HEIGHT_EM}em`;
      // The gutter numbers the same lines, at the same place.
      this.gutter.textContent = Array.from(html, (_line, position) => shown.from + position + 1).join('\n');
      this.gutter.style.paddingTop = `calc(0.5rem + ${shown.from * LINE_HEIGHT_EM}em)`;
    }
    this.shown = shown;
    this.shownHtml = html;
    if (coloured > colourBeforeFrame && !this.colouringLater) {
      this.colouringLater = true;
      inFrameAfterNext(() => {
        this.colouringLater = false;
        this.showLines(this.shown.from, this.shown.to, Infinity);
      });
    }
  }

  /**
   * Brings the colour layer, holding the same range of lines, to `html`: the elements of lines that
   * kept their HTML stay in the document — those above the edit at their place, those below it
   * moved by the lines the edit added or removed — and only the others are made anew, so the
   * browser lays out and paints the edited lines alone.
   */
  private replaceChangedLines(html: readonly string[]): void {
    const before = this.shownHtml;
    const layer = this.colours;
    const kept = Array.from(layer.children);
    let same = 0;
    while (same < html.length && html[same] === before[same]) same++;
    const holder = document.createElement('template');
    let next: Element | null = kept[same] ?? null;
    for (let position = same; position < html.length; position++) {
      const old = position - this.addedLines;
      const reused = old >= same && old < before.length && before[old] === html[position] ? kept[old]! : null;
      if (reused !== null) {
        // The lines between the last one kept and this one are gone.
        while (next !== null && next !== reused) {
          const gone = next;
          next = next.nextElementSibling;
          gone.remove();
        }
        next = reused.nextElementSibling;
      } else {
        holder.innerHTML = html[position]!;
        layer.insertBefore(holder.content, next);
      }
    }
    while (next !== null) {
      const gone = next;
      next = next.nextElementSibling;
      gone.remove();
    }
  }
}

/**
 * One line of the colour layer: its highlighted runs in spans of their kind and its newline, in a
 * block of its own (style.css). `previous` is the line before it, if any.
 */
function lineHtml(previous: string | undefined, line: string): string {
  // The line is coloured with the one before it, which says whether it continues that line (F2).
  const tokens: readonly HighlightToken[] = highlightMappings(previous === undefined ? line : `${previous}\n${line}`);
  const number = previous === undefined ? 1 : 2;
  let position = 0;
  let html = '<span>';
  for (const token of tokens) {
    if (token.line !== number || token.start < position) continue;
    html += escapeHtml(line.slice(position, token.start));
    html += `<span class="t-${token.kind}">${escapeHtml(line.slice(token.start, token.start + token.length))}</span>`;
    position = token.start + token.length;
  }
  return `${html}${escapeHtml(line.slice(position))}\n</span>`;
}
