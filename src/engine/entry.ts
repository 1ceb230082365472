import { compilePattern, type CompiledPattern, type CompilePatternOptions } from '../compile/index.js';
import type { Entry } from '../syntax/ast.js';

// An entry as tables and their index hold it, in a module of its own: the mapping call and the table
// index both work on entries, and neither needs the other for it.

/**
 * An entry's pattern side: its parsed source and its matcher, made on first use. An indexed table
 * decides most entries by their keys alone (a literal, a literal and a star, a lone IP construct) or
 * never tries them for a given probe, so building every matcher up front would cost compile time
 * and heap on every entry for objects most entries never need (bench/index.bench.mjs).
 */
export class CompiledEntry {
  private compiledMatcher: CompiledPattern | null = null;

  constructor(
    readonly source: Entry,
    private readonly matcherOptions: CompilePatternOptions,
  ) {}

  /** The P1–P10 matcher; its `match` may throw the budget error of P12. */
  get matcher(): CompiledPattern {
    return (this.compiledMatcher ??= compilePattern(this.source.patternItems, this.matcherOptions));
  }

  /** This entry where an edit moved it (the same pattern items, another line or index), with the matcher it has built. */
  movedTo(source: Entry): CompiledEntry {
    const moved = new CompiledEntry(source, this.matcherOptions);
    moved.compiledMatcher = this.compiledMatcher;
    return moved;
  }
}

/** Where one scan found its entry. */
export interface FoundEntry {
  position: number;
  captures: string[];
}
