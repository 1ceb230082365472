import { formatReply } from '../../src/public/access.js';
import type { Decision, Diagnostic, EntryRef, MappingResult, TraceStep } from '../../src/browser.js';
import { FILE, type Answer } from './answers.js';

/** Where a click on an entry or a diagnostic sends the caret. */
export type GoTo = (line: number, column?: number) => void;

type Child = Node | string | null | undefined | false;

/** An element with attributes and children; strings become text, so nothing from the file is parsed as HTML. */
export function el(tag: string, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

/** What the control that ended a step does next (format.md M, item 2). */
const CONTROL_MEANING: Record<TraceStep['control'], string> = {
  E: 'end',
  C: 'continue with the next entry',
  L: 'continue, one more pass at the end',
  R: 'restart at the first entry',
};

const OUTCOME_MEANING: Record<TraceStep['outcome'], string> = {
  applied: 'applied',
  'failed-continue': 'failed, next entry',
  'failed-end': 'failed, mapping ends',
  'loop-limit': 'loop limit',
};

function entryButton(entry: EntryRef, goTo: GoTo): HTMLElement {
  const label = `${entry.table} #${entry.index}, line ${entry.line}`;
  if (entry.file !== FILE) return el('span', {}, `${label} (${entry.file})`);
  const button = el('button', { type: 'button', class: 'link', 'data-line': String(entry.line) }, label);
  button.addEventListener('click', () => goTo(entry.line));
  return button;
}

/** Consecutive entries passed over for one reason are shown as one row from this many on. */
const SKIPPED_RUN = 3;

/** The rows of the entries passed over before a step: one per entry, or one per long run of entries passed over alike. */
function skippedRows(skipped: NonNullable<TraceStep['skipped']>, goTo: GoTo): HTMLElement[] {
  const rows: HTMLElement[] = [];
  for (let index = 0; index < skipped.length; ) {
    const { entry, reason } = skipped[index]!;
    let count = 1;
    while (skipped[index + count]?.reason === reason && skipped[index + count]!.entry.index === entry.index + count) count++;
    if (count < SKIPPED_RUN) count = 1;
    const last = skipped[index + count - 1]!.entry;
    const what = count === 1 ? entryButton(entry, goTo) : el('span', {}, entryButton(entry, goTo), ` to #${last.index}, line ${last.line}`);
    const why = count === 1 ? `passed over: ${reason}` : `${count} entries passed over: ${reason}`;
    rows.push(el('tr', { class: 'skipped' }, el('td', {}, what), el('td', { colspan: '3' }, why)));
    index += count;
  }
  return rows;
}

/** The rows of a trace: each entry tried, its captures, and the control that ended the step. */
function traceRows(result: MappingResult, goTo: GoTo): HTMLElement[] {
  const rows: HTMLElement[] = [];
  for (const step of result.trace) {
    rows.push(...skippedRows(step.skipped ?? [], goTo));
    const captures = step.captures?.map((capture, index) => `$${index}=${JSON.stringify(capture)}`).join(' ');
    const ending = step.outcome === 'applied' ? `$${step.control}: ${CONTROL_MEANING[step.control]}` : OUTCOME_MEANING[step.outcome];
    rows.push(
      el(
        'tr',
        { class: step.outcome === 'applied' ? 'applied' : 'failed' },
        el('td', {}, entryButton(step.entry, goTo), step.depth > 0 ? ` (nested, depth ${step.depth})` : ''),
        el(
          'td',
          {},
          el('code', {}, step.pattern ?? ''),
          ' → ',
          el('code', {}, step.template ?? ''),
          captures ? el('div', { class: 'captures' }, 'captures ', el('code', {}, captures)) : null,
        ),
        el('td', {}, el('code', {}, JSON.stringify(step.before)), ' → ', el('code', {}, JSON.stringify(step.after))),
        el('td', {}, ending, step.reason ? ` (${step.reason})` : ''),
      ),
    );
  }
  return rows;
}

/**
 * The trace of one mapping (M1), folded unless `open`. Its table is made from `explained`, the same
 * mapping with explained steps, when it is first unfolded.
 */
function traceTable(result: MappingResult, goTo: GoTo, open: boolean, explained: () => MappingResult): HTMLElement {
  if (result.trace.length === 0) return el('p', { class: 'trace-empty' }, 'No entry matched.');
  const details = el(
    'details',
    { class: 'trace' },
    el('summary', {}, `Trace of ${result.table}: ${result.trace.length} step${result.trace.length === 1 ? '' : 's'}`),
  ) as HTMLDetailsElement;
  const fill = () => {
    if (details.querySelector('table')) return;
    details.append(
      el(
        'table',
        {},
        el('thead', {}, el('tr', {}, ...['Entry', 'Pattern → template', 'String before → after', 'Ended by'].map((name) => el('th', { scope: 'col' }, name)))),
        el('tbody', {}, ...traceRows(explained(), goTo)),
      ),
    );
  };
  details.addEventListener('toggle', () => details.open && fill());
  if (open) {
    fill();
    details.open = true;
  }
  return details;
}

function mappingSummary(result: MappingResult): string {
  if (result.error) return `${result.error.code}: ${result.error.message}`;
  const flags = result.flags.length === 0 ? '' : `, flags ${result.flags.join(' ')}`;
  return result.matched ? `output ${JSON.stringify(result.output)}${flags}` : 'no match';
}

function fact(label: string, value: string): HTMLElement[] {
  return [el('dt', {}, label), el('dd', {}, value)];
}

/** The decision's facts as imsmap decide prints them: reply, delay, channels and the rest that is set. */
function decisionFacts(decision: Decision): HTMLElement {
  const facts: HTMLElement[] = [];
  if (decision.reply) facts.push(...fact('SMTP reply', formatReply(decision.reply).join(' / ')));
  if (decision.closeConnection) facts.push(...fact('connection', 'closed'));
  if (decision.info) facts.push(...fact('info', decision.info));
  if (decision.internal !== undefined) facts.push(...fact('internal', decision.internal ? 'yes' : 'no'));
  if (decision.srcChannel) facts.push(...fact('channels', `${decision.srcChannel} → ${decision.dstChannel ?? '(none yet)'}`));
  if (decision.delay) facts.push(...fact('delay', `${(decision.delay.centiseconds / 100).toFixed(2)} s (${decision.delay.scope})`));
  if (decision.envelopeFrom !== undefined) facts.push(...fact('envelope From', `<${decision.envelopeFrom}>`));
  const actions = Object.entries(decision.actions).filter(([, set]) => set);
  if (actions.length > 0) facts.push(...fact('actions', actions.map(([name]) => name).join(', ')));
  return el('dl', { class: 'facts' }, ...facts);
}

function decisionTitle(answer: Extract<Answer, { kind: 'decision' }>): string {
  const { decision, tuple } = answer;
  const subject =
    decision.stage === 'connect'
      ? `${String(tuple.clientIp)} → ${String(tuple.serverIp)}:${String(tuple.serverPort)}`
      : decision.stage === 'mail'
        ? `from <${String(tuple.from)}>`
        : `to <${String(tuple.to)}>`;
  return `${decision.stage} ${subject}: ${decision.action}${decision.temporary ? ' (temporary)' : ''}`;
}

/** The title of an answer: what was asked and the gist of the reply. */
export function answerTitle(answer: Answer): string {
  if (answer.kind === 'error') return `line ${answer.line}: ${answer.message}`;
  if (answer.kind === 'decision') return decisionTitle(answer);
  return `${answer.table} ${JSON.stringify(answer.probe)}: ${mappingSummary(answer.result)}`;
}

/**
 * The body of an answer: the decision's facts and, per table consulted, its trace (unfolded for the
 * chosen answer). `explained` gives the answer with explained traces, asked for when a trace unfolds.
 */
export function answerBody(answer: Answer, goTo: GoTo, chosen: boolean, explained: () => Answer): HTMLElement {
  if (answer.kind === 'error') return el('div', { class: 'answer-body' });
  if (answer.kind === 'mapping') {
    const explainedResult = () => (explained() as typeof answer).result;
    return el('div', { class: 'answer-body' }, traceTable(answer.result, goTo, chosen, explainedResult));
  }
  const consulted = answer.decision.results.filter((result) => result.outcome !== 'absent');
  const absent = answer.decision.results.filter((result) => result.outcome === 'absent').map((result) => result.table);
  const tables = consulted.map((result) => {
    // The explained decision consults the same tables in the same order.
    const explainedMapping = () => (explained() as typeof answer).decision.results[answer.decision.results.indexOf(result)]!.mapping!;
    return el(
      'section',
      { class: 'table-result' },
      el(
        'h4',
        {},
        `${result.table} `,
        el('code', {}, JSON.stringify(result.probe)),
        result.inputFlags ? ` [${result.inputFlags}]` : '',
        ` → ${result.outcome}`,
        result.mapping?.entry ? ', entry ' : '',
        result.mapping?.entry ? entryButton(result.mapping.entry, goTo) : '',
      ),
      ...result.warnings.map((warning) => el('p', { class: 'warning' }, `warning: ${warning}`)),
      result.mapping ? traceTable(result.mapping, goTo, chosen, explainedMapping) : null,
    );
  });
  const absentNote = absent.length === 0 ? null : el('p', { class: 'trace-empty' }, `Not in the file, so not consulted: ${absent.join(', ')}.`);
  return el('div', { class: 'answer-body' }, decisionFacts(answer.decision), ...tables, absentNote);
}

/** One diagnostic in the list under the editor: a button to its place, then severity, code and message. */
export function diagnosticItem(diagnostic: Diagnostic, goTo: GoTo): HTMLElement {
  const place = el(
    'button',
    { type: 'button', class: 'link', 'data-line': String(diagnostic.line) },
    `line ${diagnostic.line}, column ${diagnostic.column}`,
  );
  place.addEventListener('click', () => goTo(diagnostic.line, diagnostic.column));
  return el(
    'li',
    { class: `diagnostic ${diagnostic.severity}`, 'data-line': String(diagnostic.line), 'data-code': diagnostic.code },
    place,
    ' ',
    el('span', { class: 'severity' }, diagnostic.severity),
    ' ',
    el('code', {}, diagnostic.code),
    `: ${diagnostic.message}`,
  );
}
