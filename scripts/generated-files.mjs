/**
 * What the docs generators share: loading the TypeScript sources they document without a build,
 * and writing a generated file — or, with `--check`, failing when the committed copy is stale.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

/** The repository's root folder. */
export const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Imports a module of src/ straight from its TypeScript source through Vite's module runner, so a
 * generated page always describes the code as it stands, never a stale dist/.
 */
export async function importSource(relativePath) {
  const { module } = await runnerImport(path.join(repositoryRoot, relativePath), {
    root: repositoryRoot,
    configFile: false,
    logLevel: 'silent',
  });
  return module;
}

/**
 * Writes a generated file, or with `--check` on the command line compares it with the committed
 * copy and sets exit status 1 when they differ (the staleness tests run this).
 */
export function emitGeneratedFile(relativePath, content, argv = process.argv.slice(2)) {
  const file = path.join(repositoryRoot, relativePath);
  if (!argv.includes('--check')) {
    writeFileSync(file, content);
    console.log(`wrote ${relativePath}`);
    return;
  }
  const committed = existsSync(file) ? readFileSync(file, 'utf8') : null;
  if (committed === content) return;
  console.error(`${relativePath} is stale: run \`npm run build && npm run docs\` and commit the result`);
  process.exitCode = 1;
}
