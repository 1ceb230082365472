#!/usr/bin/env node
// Writes docs/lint-rules.md from the lint rules' own metadata (src/lint/docs.ts renders it), read
// from the TypeScript sources so that no build is needed. With --check it writes nothing and exits
// 1 when the committed file is stale (test/lint/catalogue.test.ts asserts the same).
import { emitGeneratedFile, importSource } from './generated-files.mjs';

const { renderRuleCatalogue } = await importSource('src/lint/docs.ts');
emitGeneratedFile('docs/lint-rules.md', renderRuleCatalogue());
