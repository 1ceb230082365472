import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A fresh folder holding the given files. */
export function hostileFolder(files: Record<string, string | Uint8Array>): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'imsmap-hostile-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(folder, name), content);
  return folder;
}

/** The codes and positions of diagnostics, `code@line:column`. */
export function placed(diagnostics: ReadonlyArray<{ code: string; line: number; column: number }>): string[] {
  return diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`);
}
