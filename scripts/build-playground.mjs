// `npm run playground`: builds the playground into playground/dist, one folder that works offline
// (open playground/dist/index.html): the page, its script with the library bundled in, the
// library's browser bundle (imsmap.mjs) and the examples, taken from the fixtures and the cookbook.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'playground');
const out = join(source, 'dist');

/** The fenced blocks of the cookbook marked `example=NAME`, by language: their text. */
function cookbookBlocks() {
  const text = readFileSync(join(root, 'docs/cookbook.md'), 'utf8');
  const blocks = new Map();
  for (const [, language, name, body] of text.matchAll(/^```(\w+) example=([\w-]+)\n([\s\S]*?)^```$/gm)) {
    blocks.set(`${language} ${name}`, body);
  }
  return blocks;
}

/** A cookbook recipe as an example: its mappings block, the tuples and options of its decide session. */
function cookbookExample(blocks, { id, title, cookbook }) {
  const mappings = blocks.get(`mappings ${cookbook}`);
  const session = blocks.get(`decide ${cookbook}`);
  if (mappings === undefined || session === undefined) throw new Error(`docs/cookbook.md has no mappings and decide blocks for ${cookbook}`);
  const tuples = [...session.matchAll(/^Tuple: (.*)$/gm)].map(([, tuple]) => tuple);
  const options = /--options '([^']*)'/.exec(session)?.[1];
  return { id, title, mappings, probes: `${tuples.join('\n')}\n`, options: options === undefined ? {} : JSON.parse(options) };
}

function examples() {
  const blocks = cookbookBlocks();
  const manifest = JSON.parse(readFileSync(join(source, 'examples.json'), 'utf8'));
  return manifest.map((example) =>
    example.cookbook === undefined
      ? {
          ...example,
          mappings: readFileSync(join(root, example.mappings), 'utf8'),
          probes: readFileSync(join(root, example.probes), 'utf8'),
        }
      : cookbookExample(blocks, example),
  );
}

/**
 * Chevrotain checks a grammar each time a lexer or parser is built, which is most of the time the
 * page spends building them before its first answer. The grammar is the same in every build, and
 * every Node run and test builds it with the checks, so the browser bundles default them off.
 */
const uncheckedGrammar = {
  name: 'unchecked-grammar',
  setup(build) {
    build.onLoad({ filter: /[\\/]chevrotain[\\/]lib[\\/]src[\\/](scan[\\/]lexer_public|parse[\\/]parser[\\/]parser)\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const defaulted = source.replace('skipValidations: false,', 'skipValidations: true,');
      if (defaulted === source) throw new Error(`${args.path} no longer sets the skipValidations default this build turns on`);
      return { contents: defaulted, loader: 'js' };
    });
  },
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const common = { bundle: true, minify: true, target: 'es2022', logLevel: 'warning', plugins: [uncheckedGrammar] };
await build({ ...common, entryPoints: [join(root, 'src/browser.ts')], format: 'esm', platform: 'browser', outfile: join(out, 'imsmap.mjs') });
// A classic script, not a module: browsers refuse module scripts from file:// pages.
await build({
  ...common,
  entryPoints: [join(source, 'src/app.ts')],
  format: 'iife',
  platform: 'browser',
  outfile: join(out, 'playground.js'),
  define: { PLAYGROUND_EXAMPLES: JSON.stringify(examples()) },
});
for (const file of ['index.html', 'style.css']) copyFileSync(join(source, file), join(out, file));
console.log(`built ${out}`);
