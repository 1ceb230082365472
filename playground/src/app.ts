/**
 * The playground page: the mappings file in an editor, probe lines answered as you type by the
 * library's browser build, the trace of the chosen answer highlighted in the file, and the whole
 * state in the URL fragment.
 */
import { memoryReader, type Diagnostic } from '../../src/browser.js';
import { IncrementalLinter } from '../../src/lint/incremental.js';
import { answerLines, evaluateFile, explained, FILE, mappingsOf, type Answer, type Evaluated } from './answers.js';
import { afterNextFrame, MappingsEditor, type LineMark } from './editor.js';
import { answerBody, answerTitle, diagnosticItem, el } from './render.js';
import { decodeState, encodeState, exampleState, type Example, type PlaygroundState } from './state.js';

declare const PLAYGROUND_EXAMPLES: Example[];

/** Lint rules look at the whole file; they run once typing pauses this long, after the answers. */
const LINT_DELAY_MS = 250;
/** The URL fragment follows the state once typing pauses this long. */
const FRAGMENT_DELAY_MS = 400;

function byId<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

const mappingsInput = byId<HTMLTextAreaElement>('mappings');
const probesInput = byId<HTMLTextAreaElement>('probes');
const optionsInput = byId<HTMLInputElement>('options');
const optionsError = byId<HTMLElement>('options-error');
const exampleSelect = byId<HTMLSelectElement>('example');
const answersList = byId<HTMLOListElement>('answers');
const diagnosticsList = byId<HTMLUListElement>('diagnostics');
const diagnosticCount = byId<HTMLElement>('diagnostic-count');
const shareStatus = byId<HTMLElement>('share-status');
const editor = new MappingsEditor(mappingsInput, byId('colours'), byId('marks'), byId('gutter'));
const goTo = (line: number, column?: number) => editor.goTo(line, column);

let evaluated: Evaluated | null = null;
let answers: Answer[] = [];
/** The answers explained so far, by position: the chosen one, and those whose trace was unfolded. */
let explainedAnswers = new Map<number, Answer>();
let chosen = 0;
let diagnostics: readonly Diagnostic[] = [];
let lintTimer: ReturnType<typeof setTimeout> | undefined;
/**
 * Whether the file was answered since the last frame began. An edit is answered at once, so that
 * its answer is in the next frame; edits that come faster than frames (a key repeating) are
 * answered once per frame, by the frame's own callback.
 */
let answeredThisFrame = false;
let answerInFrame = false;
/** Whether update() runs in a frame callback, which draws its answer in the same frame. */
let updatingInFrame = false;
const linter = new IncrementalLinter();
let fragmentTimer: ReturnType<typeof setTimeout> | undefined;
let writtenFragment = '';
/** When the key behind the next edit of the file went down, for the timing the browser tests read. */
let keyDownAt: number | undefined;
let keystrokes = 0;

function currentState(): PlaygroundState {
  return { mappings: mappingsInput.value, probes: probesInput.value, options: optionsInput.value };
}

/** The lines the chosen answer's entries stand on; an applied step outranks a failed one, which outranks a pass. */
function markedLines(answer: Answer | undefined): Map<number, LineMark> {
  const rank: Record<LineMark, number> = { skipped: 0, failed: 1, applied: 2 };
  const lines = new Map<number, LineMark>();
  const mark = (file: string, line: number, kind: LineMark) => {
    const current = lines.get(line);
    if (file === FILE && (current === undefined || rank[current] < rank[kind])) lines.set(line, kind);
  };
  for (const result of answer ? mappingsOf(answer) : []) {
    for (const step of result.trace) {
      for (const skipped of step.skipped ?? []) mark(skipped.entry.file, skipped.entry.line, 'skipped');
      mark(step.entry.file, step.entry.line, step.outcome === 'applied' ? 'applied' : 'failed');
    }
  }
  return lines;
}

/** The answer at a position with explained traces, explained once per version of the file. */
function explainedAnswer(index: number): Answer | undefined {
  const answer = answers[index];
  if (answer === undefined || evaluated === null) return undefined;
  let found = explainedAnswers.get(index);
  if (found === undefined) explainedAnswers.set(index, (found = explained(evaluated, answer)));
  return found;
}

function renderMarks(): void {
  editor.mark(markedLines(explainedAnswer(chosen)), diagnostics);
}

function choose(index: number): void {
  chosen = index;
  for (const [position, item] of answersList.querySelectorAll('li.answer').entries()) {
    item.querySelector('button.answer-title')?.setAttribute('aria-pressed', String(position === index));
    for (const details of item.querySelectorAll('details')) details.open = position === index;
  }
  renderMarks();
  const lines = markedLines(explainedAnswer(index));
  const deciding = [...lines].find(([, mark]) => mark === 'applied') ?? [...lines][0];
  if (deciding) editor.reveal(deciding[0]);
}

function renderAnswers(): void {
  const items = answers.map((answer, index) => {
    const title = el(
      'button',
      { type: 'button', class: 'answer-title', 'aria-pressed': String(index === chosen), title: 'Highlight the entries it tried' },
      answerTitle(answer),
    );
    title.addEventListener('click', () => choose(index));
    return el(
      'li',
      { class: `answer ${answer.kind === 'decision' ? answer.decision.action : answer.kind}`, 'data-line': String(answer.line) },
      title,
      answerBody(answer, goTo, index === chosen, () => explainedAnswer(index)!),
    );
  });
  answersList.replaceChildren(...items);
  if (items.length === 0) answersList.replaceChildren(el('li', { class: 'answer empty' }, 'Type a probe or a tuple to see its answer.'));
}

function renderDiagnostics(): void {
  diagnosticCount.textContent = diagnostics.length === 0 ? 'none' : String(diagnostics.length);
  diagnosticsList.replaceChildren(...diagnostics.map((diagnostic) => diagnosticItem(diagnostic, goTo)));
}

/** Lints the file as it stands (parser and lint rules, suppression comments read from the text itself). */
function lintNow(): void {
  if (evaluated === null) return;
  diagnostics = linter.lint(evaluated.parsed, { readFile: memoryReader({ [FILE]: mappingsInput.value }) });
  renderDiagnostics();
  renderMarks();
}

/** Answers the probe lines against the file; the file is parsed and compiled again only when it changed. */
function update(fileChanged: boolean): void {
  if (fileChanged || evaluated === null) {
    editor.render();
    evaluated = evaluateFile(mappingsInput.value, optionsInput.value);
    diagnostics = evaluated.parsed.diagnostics;
    renderDiagnostics();
    clearTimeout(lintTimer);
    lintTimer = setTimeout(lintNow, LINT_DELAY_MS);
  }
  optionsError.textContent = typeof evaluated.policy === 'string' ? `Access options: ${evaluated.policy}` : '';
  optionsInput.setAttribute('aria-invalid', String(typeof evaluated.policy === 'string'));
  answers = answerLines(evaluated, probesInput.value);
  explainedAnswers = new Map();
  if (chosen >= answers.length) chosen = 0;
  renderAnswers();
  renderMarks();
  // Read by the browser tests and bench/playground.bench.mjs: when the first frame showing the first
  // answer (from the page's start) and the answer to the latest key (from the key going down) came.
  const pressed = fileChanged ? keyDownAt : undefined;
  keyDownAt = undefined;
  // A task queued from a frame callback runs once that frame is drawn.
  (updatingInFrame ? (then: () => void) => setTimeout(then) : afterNextFrame)(() => {
    document.body.dataset.firstAnswerMs ??= performance.now().toFixed(2);
    if (pressed === undefined) return;
    document.body.dataset.keystrokeMs = (performance.now() - pressed).toFixed(2);
    document.body.dataset.keystrokes = String(++keystrokes);
  });
  document.body.dataset.fragment = 'pending';
  clearTimeout(fragmentTimer);
  fragmentTimer = setTimeout(writeFragment, FRAGMENT_DELAY_MS);
}

async function writeFragment(): Promise<void> {
  const state = currentState();
  const fragment = await encodeState(state);
  // Typing went on while the state was being deflated: the next write has it.
  if (fragment === '' || JSON.stringify(state) !== JSON.stringify(currentState())) return;
  writtenFragment = `#${fragment}`;
  if (location.hash !== writtenFragment) history.replaceState(null, '', writtenFragment);
  document.body.dataset.fragment = 'current';
}

function load(state: PlaygroundState): void {
  mappingsInput.value = state.mappings;
  probesInput.value = state.probes;
  optionsInput.value = state.options;
  chosen = 0;
  update(true);
}

async function loadFragment(): Promise<boolean> {
  if (location.hash === writtenFragment) return true;
  const state = await decodeState(location.hash);
  if (state === null) return false;
  writtenFragment = location.hash;
  exampleSelect.value = '';
  load(state);
  return true;
}

exampleSelect.append(
  el('option', { value: '' }, 'Your own (edited or from a link)'),
  ...PLAYGROUND_EXAMPLES.map((example) => el('option', { value: example.id }, example.title)),
);
exampleSelect.addEventListener('change', () => {
  const example = PLAYGROUND_EXAMPLES.find((candidate) => candidate.id === exampleSelect.value);
  if (example) load(exampleState(example));
});
mappingsInput.addEventListener('keydown', (event) => (keyDownAt = event.timeStamp));
/** Answers the edited file now, or in the next frame when it was answered in this one already. */
function answerEditedFile(): void {
  if (!answeredThisFrame) {
    answeredThisFrame = true;
    requestAnimationFrame(() => (answeredThisFrame = false));
    update(true);
  } else if (!answerInFrame) {
    answerInFrame = true;
    requestAnimationFrame(() => {
      answerInFrame = false;
      updatingInFrame = true;
      answerEditedFile();
      updatingInFrame = false;
    });
  }
}

mappingsInput.addEventListener('input', () => {
  exampleSelect.value = '';
  answerEditedFile();
});
optionsInput.addEventListener('input', () => update(true));
probesInput.addEventListener('input', () => update(false));
window.addEventListener('hashchange', () => void loadFragment());
byId('share').addEventListener('click', async () => {
  clearTimeout(fragmentTimer);
  await writeFragment();
  try {
    await navigator.clipboard.writeText(location.href);
    shareStatus.textContent = 'Link copied.';
  } catch {
    shareStatus.textContent = 'The link is in the address bar.';
  }
});

function loadFirstExample(): void {
  exampleSelect.value = PLAYGROUND_EXAMPLES[0]!.id;
  load(exampleState(PLAYGROUND_EXAMPLES[0]!));
}

// The preloaded example is answered at once; a link's state needs its fragment inflated first.
if (location.hash === '') loadFirstExample();
else void loadFragment().then((loaded) => loaded || loadFirstExample());
