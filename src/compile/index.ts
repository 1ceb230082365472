// The compile stage's public face: parsed patterns become matchers (format.md P1–P12).
export { compilePattern, DEFAULT_BACKMATCH_BUDGET } from './pattern.js';
export type { CompiledPattern } from './compiled-pattern.js';
export type { CompilePatternOptions } from './pattern.js';
export { MatchBudgetExceededError } from './errors.js';
export { compileTemplate, type TemplateProgram, type TemplateOp } from './template.js';
