/**
 * The API reference shows an example for everything a caller invokes: every exported
 * function, class and function-valued const of the public entry points (typedoc.json), and
 * every method of the facade interfaces (`Crm`, `*Api`, `Repository`, `StorageAdapter`,
 * `Workers`, `LiveQuery`), has a TSDoc comment with an `@example` tag. Types and interfaces
 * themselves only need a description, which typedoc's `notDocumented` validation enforces.
 */
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The public entry points: typedoc.json's `entryPoints`. */
const ENTRY_POINTS = [
  'src/index.ts',
  'adapters/memory/index.ts',
  'adapters/indexeddb/index.ts',
  'adapters/http/index.ts',
  'adapters/http/server.ts',
  'adapters/http/node.ts',
  'src/testing/index.ts',
  'src/io/index.ts',
];

/** The interfaces whose every method needs an example of its own. */
const FACADE = /^(?:\w+Api|Crm|Repository|StorageAdapter|Workers|LiveQuery)$/;

/** The compiler options of tsconfig.json, with only the entry points as roots (fast: no tests, no examples). */
function loadProgram(): ts.Program {
  const configPath = join(ROOT, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, configPath);
  return ts.createProgram({ rootNames: ENTRY_POINTS.map((e) => join(ROOT, e)), options: parsed.options });
}

function tagsOf(declaration: ts.Node): string[] {
  return ts.getJSDocTags(declaration).map((t) => t.tagName.text);
}

/** Hidden from the reference (typedoc's excludeInternal), so it needs no example. */
function isHidden(declarations: readonly ts.Node[]): boolean {
  return declarations.some((d) => tagsOf(d).some((t) => t === 'internal' || t === 'hidden' || t === 'ignore'));
}

/** Whether one of the declarations (an overload, say) carries a TSDoc `@example`. */
function hasExample(declarations: readonly ts.Node[]): boolean {
  return declarations.some((d) => tagsOf(d).includes('example'));
}

function where(node: ts.Node): string {
  const sf = node.getSourceFile();
  const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return `${relative(ROOT, sf.fileName)}:${line + 1}`;
}

interface Finding {
  /** What the reference calls it: `createCrm`, `CustomersApi.create`. */
  name: string;
  kind: string;
  at: string;
}

function isMethodLike(member: ts.Declaration): boolean {
  if (ts.isMethodSignature(member) || ts.isMethodDeclaration(member)) return true;
  // `readonly on: (name, handler) => …` is called like a method, and documented like one.
  return ts.isPropertySignature(member) && member.type !== undefined && ts.isFunctionTypeNode(member.type);
}

/** Everything exported from the entry points that is missing an `@example`, and how many were checked. */
function audit(): { checked: number; missing: Finding[] } {
  const program = loadProgram();
  const checker = program.getTypeChecker();
  const seen = new Set<ts.Node>();
  const missing: Finding[] = [];
  let checked = 0;

  const check = (name: string, kind: string, declarations: readonly ts.Declaration[]): void => {
    const first = declarations[0];
    if (!first || seen.has(first)) return;
    seen.add(first);
    if (isHidden(declarations)) return;
    checked += 1;
    if (!hasExample(declarations)) missing.push({ name, kind, at: where(first) });
  };

  for (const entry of ENTRY_POINTS) {
    const source = program.getSourceFile(join(ROOT, entry));
    if (!source) throw new Error(`entry point not in the program: ${entry}`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`entry point is not a module: ${entry}`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declarations = symbol.declarations ?? [];
      const name = exported.name;

      if (symbol.flags & ts.SymbolFlags.Function) {
        check(name, 'function', declarations.filter(ts.isFunctionDeclaration));
      } else if (symbol.flags & ts.SymbolFlags.Class) {
        check(name, 'class', declarations.filter(ts.isClassDeclaration));
      } else if (symbol.flags & ts.SymbolFlags.Variable) {
        const declaration = declarations.find(ts.isVariableDeclaration);
        if (declaration && ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) {
          const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
          if (type.getCallSignatures().length > 0) check(name, 'const function', [declaration]);
        }
      }

      if (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias) && FACADE.test(name)) {
        // Inherited members included, each checked once where it is declared.
        const type = checker.getDeclaredTypeOfSymbol(symbol);
        for (const member of checker.getPropertiesOfType(type)) {
          const memberDeclarations = (member.declarations ?? []).filter(isMethodLike);
          if (memberDeclarations.length === 0) continue;
          const owner = memberDeclarations[0]?.parent;
          const ownerName = owner && (ts.isInterfaceDeclaration(owner) || ts.isClassDeclaration(owner)) && owner.name ? owner.name.text : name;
          check(`${ownerName}.${member.name}`, 'method', memberDeclarations);
        }
      }
    }
  }
  return { checked, missing };
}

describe('the API reference', () => {
  it('has an @example on every exported function, class, function const and facade method', () => {
    const { checked, missing } = audit();
    const list = missing.map((m) => `  ${m.name} (${m.kind}) — ${m.at}`).join('\n');
    console.info(`api examples: ${checked} exports checked, ${missing.length} without an @example${missing.length ? `:\n${list}` : ''}`);
    expect(checked).toBeGreaterThan(100);
    expect(missing.map((m) => `${m.name} (${m.kind}) — ${m.at}`)).toEqual([]);
  }, 30_000);
});
