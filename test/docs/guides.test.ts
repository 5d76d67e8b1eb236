/**
 * The examples in the guides are executed: every ```ts block of README.md and docs/**\/*.md
 * runs against the real library (from its sources, on the memory adapter unless the block
 * says otherwise) and is type-checked, so a guide cannot drift from the code. A block that
 * cannot run alone says so with the info string ```ts no-run, and its guide says why.
 */
import { pathToFileURL } from 'node:url';
import { relative } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENTRY_POINTS, ROOT, extractBlocks, generate, guideFiles } from './blocks';
import type { Block } from './blocks';

/**
 * Every block marked no-run, by guide, with the reason. A new no-run block fails the test
 * until it is listed here; so does a listed one that has become runnable.
 */
const NO_RUN: Record<string, { count: number; reason: string }> = {
  'docs/concepts.md': { count: 1, reason: 'a React fragment (useMemo, useSyncExternalStore); the whole hook runs in the React recipe' },
  'docs/adapters.md': { count: 1, reason: 'a test file for your own adapter: it imports ./my-adapter and declares vitest suites' },
  'docs/recipes/react.md': { count: 3, reason: 'React components and hooks (tsx); React is not a dependency' },
  'docs/sales.md': { count: 1, reason: 'the ReportTable interface, a type declaration shown for its shape' },
};

/** At most this share of the TypeScript blocks may be marked no-run. */
const MAX_NO_RUN_SHARE = 0.12;

const blocks: Block[] = guideFiles().flatMap(extractBlocks);
const runnable = blocks.filter((b) => !b.noRun);
const name = (b: Block): string => `${b.file}: block ${b.index} (line ${b.line})`;

beforeAll(() => generate(blocks));

describe('the guides', () => {
  it('have TypeScript examples, most of them runnable, the others listed', () => {
    expect(runnable.length).toBeGreaterThan(40);
    // Every block is either run (it has a module, and an `it` below) or marked no-run.
    expect(blocks.filter((b) => !b.noRun && !b.module).map(name)).toEqual([]);
    const marked = blocks.filter((b) => b.noRun);
    const byFile: Record<string, number> = {};
    for (const b of marked) byFile[b.file] = (byFile[b.file] ?? 0) + 1;
    console.info(
      `guides: ${blocks.length} TypeScript blocks, ${runnable.length} run, ${marked.length} marked no-run:\n` +
        marked.map((b) => `  ${name(b)} — ${NO_RUN[b.file]?.reason ?? 'NOT LISTED'}`).join('\n'),
    );
    expect(byFile).toEqual(Object.fromEntries(Object.entries(NO_RUN).map(([file, { count }]) => [file, count])));
    expect(marked.length / blocks.length).toBeLessThanOrEqual(MAX_NO_RUN_SHARE);
  });

  it('import the library only through its public entry points', () => {
    const specifiers = blocks.flatMap((b) => [...b.code.matchAll(/\bfrom\s*['"](rapport[^'"]*)['"]/g)].map((m) => m[1] as string));
    expect(specifiers.filter((s) => !(s in ENTRY_POINTS))).toEqual([]);
  });
});

describe.each([...new Set(runnable.map((b) => b.file))])('%s', (file) => {
  // The examples print what they show; the test keeps only failures (DOCS_LOG=1 shows it all).
  beforeAll(() => void (process.env['DOCS_LOG'] ? undefined : vi.spyOn(console, 'log').mockImplementation(() => undefined)));
  afterAll(() => vi.restoreAllMocks());

  for (const block of runnable.filter((b) => b.file === file)) {
    it(name(block), async () => {
      await import(/* @vite-ignore */ pathToFileURL(block.module as string).href);
    });
  }
});

describe('typecheck', () => {
  it('every runnable block type-checks against the sources', () => {
    const config = ts.readConfigFile(`${ROOT}/tsconfig.json`, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
    const paths: Record<string, string[]> = { ...parsed.options.paths };
    for (const [specifier, source] of Object.entries(ENTRY_POINTS)) paths[specifier] = [`./${source}`];
    const program = ts.createProgram({
      rootNames: runnable.map((b) => b.module as string),
      options: { ...parsed.options, paths, pathsBasePath: ROOT, noEmit: true },
    });
    // Only the blocks are checked here (the sources have `npm run typecheck`), which keeps it fast.
    const modules = new Set(runnable.map((b) => b.module as string));
    const diagnostics = [
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...program.getSourceFiles().filter((f) => modules.has(f.fileName)).flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
    ];
    expect(program.getSourceFiles().filter((f) => modules.has(f.fileName))).toHaveLength(modules.size);
    const problems = diagnostics.map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (!d.file || d.start === undefined) return message;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      const block = runnable.find((b) => b.module === d.file!.fileName);
      // The module's first line is a header: line 2 of the module is the block's first line.
      const where = block ? `${block.file}:${block.line + line} (block ${block.index})` : `${relative(ROOT, d.file.fileName)}:${line + 1}:${character + 1}`;
      return `${where} ${message}`;
    });
    expect(problems).toEqual([]);
  }, 60_000);
});


