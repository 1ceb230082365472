/**
 * Generates docs/api.md from the TSDoc comments of the public entry (src/index.ts) with the
 * TypeScript compiler API: every export, grouped by the stage folder it comes from, with its
 * signature or declaration and its doc comment. `--check` fails when the committed file is stale.
 */
import path from 'node:path';
import ts from 'typescript';
import { emitGeneratedFile, repositoryRoot } from './generated-files.mjs';

const ENTRY = 'src/index.ts';

/** Stages in the order data flows through them (design.md); any other folder follows, by name. */
const STAGE_ORDER = ['syntax', 'compile', 'engine', 'access', 'lint', 'adapters', 'cli'];

const KIND_SECTIONS = [
  { kind: 'function', title: 'Functions' },
  { kind: 'class', title: 'Classes' },
  { kind: 'value', title: 'Values' },
  { kind: 'type', title: 'Types' },
];

/** A type printed in full; longer texts belong to zod schema types, which say nothing useful spelled out. */
const LONGEST_VALUE_TYPE = 160;

const printer = ts.createPrinter({ removeComments: false });

function createChecker() {
  const program = ts.createProgram([path.join(repositoryRoot, ENTRY)], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    types: ['node'],
  });
  return { program, checker: program.getTypeChecker() };
}

function relativeFile(node) {
  return path.relative(repositoryRoot, node.getSourceFile().fileName).split(path.sep).join('/');
}

function stageOf(file) {
  return file.split('/')[1];
}

function documentation(symbol, checker) {
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
}

function kindOf(declaration) {
  if (ts.isFunctionDeclaration(declaration)) return 'function';
  if (ts.isClassDeclaration(declaration)) return 'class';
  if (ts.isVariableDeclaration(declaration)) return 'value';
  return 'type';
}

/** `export interface X {…}` as written, without `export`: member comments included. */
function declarationText(declaration) {
  const text = declaration.getText();
  return text.replace(/^export\s+/, '');
}

const TYPE_FLAGS = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;

/** A type as the source writes it, or as the checker infers it when the source leaves it out. */
function writtenType(typeNode, inferred, checker) {
  return typeNode ? typeNode.getText() : checker.typeToString(inferred(), undefined, TYPE_FLAGS);
}

/**
 * `(a: A, b?: B): R` from a function-like declaration, with types as written: the checker would
 * spell out zod-inferred aliases (`AccessOptions`) as their whole object type.
 */
function signatureText(declaration, checker) {
  const typeParameters = declaration.typeParameters ? `<${declaration.typeParameters.map((parameter) => parameter.getText()).join(', ')}>` : '';
  const parameters = declaration.parameters.map((parameter) => {
    const optional = parameter.questionToken || parameter.initializer ? '?' : '';
    const rest = parameter.dotDotDotToken ? '...' : '';
    const type = writtenType(parameter.type, () => checker.getTypeAtLocation(parameter), checker);
    return `${rest}${parameter.name.getText()}${optional}: ${type}`;
  });
  const returns = writtenType(
    declaration.type,
    () => checker.getReturnTypeOfSignature(checker.getSignatureFromDeclaration(declaration)),
    checker,
  );
  return `${typeParameters}(${parameters.join(', ')}): ${returns}`;
}

/** The signatures of a function, one per declaration (overloads included). */
function functionText(name, symbol, checker) {
  return symbol.declarations
    .filter(ts.isFunctionDeclaration)
    .map((declaration) => `function ${name}${signatureText(declaration, checker)}`)
    .join('\n');
}

/** A type alias over zod's inference helpers spelled out, so readers see fields, not `z.infer<…>`. */
function typeAliasText(name, declaration, checker) {
  const written = declarationText(declaration);
  if (!/\bz\.(infer|input|output)</.test(written)) return written;
  const type = checker.getTypeAtLocation(declaration.name);
  const node = checker.typeToTypeNode(
    type,
    undefined,
    ts.NodeBuilderFlags.NoTruncation | ts.NodeBuilderFlags.MultilineObjectLiterals | ts.NodeBuilderFlags.InTypeAlias,
  );
  return `type ${name} = ${printer.printNode(ts.EmitHint.Unspecified, node, declaration.getSourceFile())};`;
}

function valueText(name, symbol, declaration, checker) {
  const keyword = ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const ? 'const' : 'let';
  const type = checker.typeToString(checker.getTypeOfSymbol(symbol), undefined, TYPE_FLAGS);
  const shown = type.length <= LONGEST_VALUE_TYPE ? type : `${type.slice(0, type.indexOf('<'))}<…>`;
  return `${keyword} ${name}: ${shown}`;
}

function isPublicMember(declaration) {
  const modifiers = ts.getCombinedModifierFlags(declaration);
  return !(modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) && !declaration.name.getText().startsWith('#');
}

function memberSignature(member, checker) {
  const modifiers = ts.getCombinedModifierFlags(member);
  const prefix = `${modifiers & ts.ModifierFlags.Static ? 'static ' : ''}${modifiers & ts.ModifierFlags.Readonly ? 'readonly ' : ''}`;
  const name = member.name.getText();
  if (ts.isMethodDeclaration(member)) return `${prefix}${name}${signatureText(member, checker)}`;
  if (ts.isGetAccessorDeclaration(member)) return `${prefix}get ${name}${signatureText(member, checker)}`;
  // A property, or a parameter property of the constructor.
  return `${prefix}${name}: ${writtenType(member.type, () => checker.getTypeAtLocation(member), checker)}`;
}

/**
 * The class's own public members — not those inherited from Error and the like — statics first,
 * then in source order; parameter properties (`constructor(readonly mappings: …)`) count as members.
 */
function classMembers(classDeclaration, checker) {
  const constructor = classDeclaration.members.find(ts.isConstructorDeclaration);
  const parameterProperties = (constructor?.parameters ?? []).filter((parameter) => ts.isParameterPropertyDeclaration(parameter, constructor));
  const declared = classDeclaration.members.filter(
    (member) => ts.isMethodDeclaration(member) || ts.isGetAccessorDeclaration(member) || ts.isPropertyDeclaration(member),
  );
  return [...declared, ...parameterProperties]
    .filter(isPublicMember)
    .map((member) => ({
      isStatic: (ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Static) !== 0,
      name: member.name.getText(),
      signature: memberSignature(member, checker),
      doc: documentation(checker.getSymbolAtLocation(member.name), checker),
    }))
    .sort((a, b) => Number(b.isStatic) - Number(a.isStatic));
}

/** `class X extends Y { …public members… }`, then one line per documented member. */
function classText(name, declaration, checker) {
  const heritage = (declaration.heritageClauses ?? []).map((clause) => ` ${clause.getText()}`).join('');
  const members = classMembers(declaration, checker);
  const code = [`class ${name}${heritage} {`, ...members.map((member) => `  ${member.signature};`), '}'].join('\n');
  const notes = members.filter((member) => member.doc !== '').map((member) => `- \`${member.name}\` — ${member.doc.replace(/\s*\n\s*/g, ' ')}`);
  return { code, notes };
}

/** Every export of the entry, resolved to its declaration. */
function collectExports(program, checker) {
  const entry = program.getSourceFile(path.join(repositoryRoot, ENTRY));
  const moduleSymbol = checker.getSymbolAtLocation(entry);
  return checker.getExportsOfModule(moduleSymbol).map((exported) => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    // A class or function is also a namespace-less value: its first declaration is the one that matters.
    const declaration = symbol.declarations.find((node) => !ts.isModuleDeclaration(node)) ?? symbol.declarations[0];
    const file = relativeFile(declaration);
    return { name: exported.name, symbol, declaration, file, stage: stageOf(file), kind: kindOf(declaration) };
  });
}

function renderExport(item, checker) {
  const { name, symbol, declaration, file, kind } = item;
  const doc = documentation(symbol, checker);
  const lines = [`#### \`${name}\``, '', doc === '' ? '*(No doc comment.)*' : doc, ''];
  let code;
  let notes = [];
  if (kind === 'function') code = functionText(name, symbol, checker);
  else if (kind === 'value') code = valueText(name, symbol, declaration, checker);
  else if (kind === 'class') ({ code, notes } = classText(name, declaration, checker));
  else if (ts.isTypeAliasDeclaration(declaration)) code = typeAliasText(name, declaration, checker);
  else code = declarationText(declaration);
  lines.push('```ts', code, '```', '');
  if (notes.length > 0) lines.push(...notes, '');
  lines.push(`Defined in \`${file}\`.`, '');
  return lines.join('\n');
}

function stageRank(stage) {
  const rank = STAGE_ORDER.indexOf(stage);
  return rank < 0 ? STAGE_ORDER.length : rank;
}

/** The first doc comment of a stage's index file: what the stage is for. */
function stageDescription(program, stage) {
  const index = program.getSourceFile(path.join(repositoryRoot, 'src', stage, 'index.ts'));
  if (!index) return '';
  const first = /^\s*\/\*\*([\s\S]*?)\*\//.exec(index.getFullText());
  if (!first) return '';
  return first[1]
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The whole page. */
export function renderApiReference() {
  const { program, checker } = createChecker();
  const items = collectExports(program, checker);
  const stages = [...new Set(items.map((item) => item.stage))].sort((a, b) => stageRank(a) - stageRank(b) || a.localeCompare(b));
  const lines = [
    '<!-- Generated by scripts/gen-api-docs.mjs from the TSDoc comments of src/index.ts. Do not edit: run `npm run docs`. -->',
    '',
    '# API reference',
    '',
    "Everything `import { … } from 'imsmap'` offers, grouped by the stage it belongs to, in the order",
    'data flows through them: text is parsed (syntax), patterns and templates are compiled (compile),',
    'tables are evaluated (engine), and access decisions are made from the results (access). For a',
    'guided start see [getting-started.md](getting-started.md); rule numbers (F…, P…, T…, M…, A…) refer to',
    '[format.md](format.md) and [access.md](access.md).',
    '',
    ...stages.map((stage) => `- [${stage}](#${stage})`),
    '',
  ];
  for (const stage of stages) {
    lines.push(`## ${stage}`, '');
    const description = stageDescription(program, stage);
    if (description !== '') lines.push(description, '');
    for (const { kind, title } of KIND_SECTIONS) {
      const members = items.filter((item) => item.stage === stage && item.kind === kind).sort((a, b) => a.name.localeCompare(b.name));
      if (members.length === 0) continue;
      lines.push(`### ${stage}: ${title.toLowerCase()}`, '');
      for (const item of members) lines.push(renderExport(item, checker));
    }
  }
  return lines.join('\n');
}

emitGeneratedFile('docs/api.md', renderApiReference());
