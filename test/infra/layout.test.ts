import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layout's rules: imports point one way (no cycles; functions/ never imports infra/, workflows/,
 * test/ or bench/; workflows/ never imports functions/; contract/ imports nothing of ours but
 * itself; infra/ never imports the tests), and no hand-written source file grows past 400 lines.
 */
const root = path.resolve(import.meta.dirname, '..', '..');
const folders = ['contract', 'functions', 'workflows', 'infra', 'client', 'bench', 'test'];
const forbidden: Record<string, string[]> = {
  contract: ['functions', 'infra', 'workflows', 'client', 'test', 'bench'],
  functions: ['infra', 'workflows', 'client', 'test', 'bench'],
  workflows: ['functions', 'client', 'test', 'bench'],
  infra: ['test', 'bench'],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    if (statSync(full).isDirectory()) return sources(full);
    return /\.(ts|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

const files = folders.flatMap((folder) => sources(path.join(root, folder)));
const rel = (file: string) => path.relative(root, file);
const imports = new Map(
  files.map((file) => {
    const text = readFileSync(file, 'utf8');
    const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
    const targets = specs.map((spec) => path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts')).filter((target) => files.includes(target));
    return [file, targets];
  }),
);

describe('the layout', () => {
  it('has no import cycle', () => {
    const cycles: string[][] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map(rel));
        return;
      }
      state.set(file, 'open');
      for (const target of imports.get(file) ?? []) visit(target, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('imports only in the allowed directions', () => {
    const top = (file: string) => rel(file).split(path.sep)[0]!;
    const crossings = [...imports].flatMap(([file, targets]) => targets.filter((target) => forbidden[top(file)]?.includes(top(target))).map((target) => `${rel(file)} -> ${rel(target)}`));
    expect(crossings).toEqual([]);
  });

  it('keeps every hand-written source file under 400 lines', () => {
    const long = files
      .map((file) => ({ file: rel(file), lines: readFileSync(file, 'utf8').split('\n').length }))
      .filter(({ file, lines }) => lines > 400 && !/generated|do not edit/i.test(readFileSync(path.join(root, file), 'utf8').split('\n').slice(0, 5).join('\n')));
    expect(long).toEqual([]);
  });
});
