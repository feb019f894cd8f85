// src/domain/ is pure: no I/O, no clock, no randomness, no packages. Checked on the syntax tree (TypeScript's own
// parser), so a comment or a string that mentions Date.now() is not a violation and a multi-line import is seen.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOMAIN = join(ROOT, 'src', 'domain');

/** Every violation in one file's source, as `file:line: what`. */
function violations(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const report = (node: ts.Node, what: string): void => {
    const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
    found.push(`${fileName}:${line + 1}: ${what}`);
  };
  const checkSpecifier = (node: ts.Node, specifier: ts.Node | undefined): void => {
    if (specifier === undefined || !ts.isStringLiteralLike(specifier)) return;
    if (!specifier.text.startsWith('./')) report(node, `imports "${specifier.text}" (only ./ imports are allowed)`);
  };
  const isName = (node: ts.Node, name: string): boolean => ts.isIdentifier(node) && node.text === name;

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      checkSpecifier(node, node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      checkSpecifier(node, node.moduleReference.expression);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      checkSpecifier(node, node.argument.literal);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword) checkSpecifier(node, node.arguments[0]);
      else if (isName(callee, 'require')) report(node, 'calls require(');
      else if (isName(callee, 'fetch')) report(node, 'calls fetch(');
      else if (isName(callee, 'Date')) report(node, 'calls Date() (the current time)');
    } else if (ts.isNewExpression(node)) {
      if (isName(node.expression, 'Date') && (node.arguments === undefined || node.arguments.length === 0)) {
        report(node, 'uses new Date() without arguments (the current time)');
      }
    } else if (ts.isPropertyAccessExpression(node)) {
      const base = node.expression;
      const member = node.name.text;
      if (isName(base, 'process')) report(node, `uses process.${member}`);
      else if (isName(base, 'console')) report(node, `uses console.${member}`);
      else if (isName(base, 'Date') && member === 'now') report(node, 'uses Date.now(');
      else if (isName(base, 'Math') && member === 'random') report(node, 'uses Math.random(');
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.[cm]?[jt]sx?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

describe('the purity check itself', () => {
  it('finds every kind of violation, with its line', () => {
    const source = [
      "import { readFile } from 'node:fs/promises';", // 1
      'import {', // 2
      '  z,',
      "} from 'zod';", // the import starts on line 2
      "import type { X } from '../cli/errors.js';", // 5
      "export { y } from 'yaml';", // 6
      'const a = Date.now();', // 7
      'const b = new Date();', // 8
      'const c = Math.random();', // 9
      'const d = process.env.HOME;', // 10
      "console.log('x');", // 11
      "const e = await fetch('https://example.test');", // 12
      "const f = require('fs');", // 13
      "const g = await import('node:path');", // 14
      'const h = new Date;', // 15
      'const i = Date();', // 16
    ].join('\n');
    expect(violations('bad.ts', source)).toEqual([
      'bad.ts:1: imports "node:fs/promises" (only ./ imports are allowed)',
      'bad.ts:2: imports "zod" (only ./ imports are allowed)',
      'bad.ts:5: imports "../cli/errors.js" (only ./ imports are allowed)',
      'bad.ts:6: imports "yaml" (only ./ imports are allowed)',
      'bad.ts:7: uses Date.now(',
      'bad.ts:8: uses new Date() without arguments (the current time)',
      'bad.ts:9: uses Math.random(',
      'bad.ts:10: uses process.env',
      'bad.ts:11: uses console.log',
      'bad.ts:12: calls fetch(',
      'bad.ts:13: calls require(',
      'bad.ts:14: imports "node:path" (only ./ imports are allowed)',
      'bad.ts:15: uses new Date() without arguments (the current time)',
      'bad.ts:16: calls Date() (the current time)',
    ]);
  });

  it('allows relative imports, dates from values, and mentions in comments and strings', () => {
    const source = [
      "import { tokenize } from './text.js';",
      "import type { Digest } from './types.js';",
      "export * from './topics.js';",
      '// never call Date.now() or Math.random() here; no process.env, no console.log',
      'export const at = (t: number) => new Date(t).toISOString();',
      'export const day = new Date(Date.UTC(2025, 2, 20));',
      "export const note = 'fetch( and require( in a string are only text';",
      'export const cache = { fetch: (k: string) => k };',
      "cache.fetch('k');",
    ].join('\n');
    expect(violations('good.ts', source)).toEqual([]);
  });
});

describe('src/domain/', () => {
  it('is pure: only ./ imports, no clock, randomness, process, console, fetch or require', () => {
    const files = sourceFiles(DOMAIN);
    expect(files.length).toBeGreaterThan(0);
    const found = files.flatMap((path) => violations(relative(ROOT, path), readFileSync(path, 'utf8')));
    expect(found, `impure code in src/domain/:\n${found.join('\n')}`).toEqual([]);
  });
});
