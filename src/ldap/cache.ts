/** One cached answer: the text found, or null for "absent". */
interface CachedAnswer {
  answer: string | null;
  expires: number;
}

/**
 * Answers of directory lookups (T11a): hits and "absent" are kept for `ttlMs`, at most `maxEntries` of them
 * (the oldest go first); errors are never stored, so an outage is asked again at the next lookup.
 * Identical lookups running at the same time share one question to the directory.
 */
export class AnswerCache {
  private readonly answers = new Map<string, CachedAnswer>();
  private readonly pending = new Map<string, Promise<string | null>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** How many answers are held. */
  get size(): number {
    return this.answers.size;
  }

  /** The cached answer of `key`, or else the one `ask` gives (stored unless it rejects). */
  answer(key: string, ask: () => Promise<string | null>): string | null | Promise<string | null> {
    const cached = this.answers.get(key);
    if (cached !== undefined) {
      if (cached.expires > this.now()) return cached.answer;
      this.answers.delete(key);
    }
    const running = this.pending.get(key);
    if (running !== undefined) return running;
    const asked = ask().then(
      (answer) => {
        this.pending.delete(key);
        this.store(key, answer);
        return answer;
      },
      (error: unknown) => {
        this.pending.delete(key);
        throw error;
      },
    );
    this.pending.set(key, asked);
    return asked;
  }

  /** Forgets every answer. */
  clear(): void {
    this.answers.clear();
  }

  private store(key: string, answer: string | null): void {
    if (this.ttlMs <= 0) return;
    if (this.answers.size >= this.maxEntries) this.answers.delete(this.answers.keys().next().value!);
    this.answers.set(key, { answer, expires: this.now() + this.ttlMs });
  }
}
