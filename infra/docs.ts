import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { catalogue } from '../functions/app/catalogue.js';
import { mermaid } from './diagram.js';
import { readAssembly } from './local/assembly.js';
import { routes } from './routes.js';

/**
 * The parts of docs/ that are generated from what runs, so they cannot drift: the routes from
 * infra/routes.ts, the notices from the catalogue, the workflow from the synthesized definition.
 * Each stands between `<!-- generated:NAME -->` and `<!-- end:NAME -->`; `npm run docs` rewrites
 * them, and a test fails when one differs from what would be generated.
 */
export const projectRoot = path.resolve(import.meta.dirname, '..');

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function routesTable(): string {
  const rows = routes.map((route) => {
    const who = route.public ? (route.id === 'Console' ? 'staff, signed in' : 'the review link') : route.roles.join(', ');
    const body = route.body ? 'JSON, validated' : route.method === 'GET' ? '' : route.method === 'ANY' ? 'HTML forms' : 'optional JSON';
    const paths = [route.path, ...(route.alsoAt ?? [])].map((path) => `\`${route.method} ${path}\``).join(', ');
    return `| ${paths} | ${who} | ${cell(route.description)} | ${body} |`;
  });
  return ['| route | who | what | body |', '|---|---|---|---|', ...rows].join('\n');
}

export function noticesTable(): string {
  const rows = Object.entries(catalogue).flatMap(([type, notices]) =>
    notices.length === 0
      ? [`| \`${type}\` | nobody | | |`]
      : notices.map((notice) => `| \`${type}\` | ${notice.to} | ${notice.name}${notice.attachDocument ? ' (with the PDF)' : ''} | ${cell(notice.about ?? 'always')} |`),
  );
  return ['| history entry | who is told | email | when |', '|---|---|---|---|', ...rows].join('\n');
}

export function workflowDiagram(cdkOut = path.join(projectRoot, 'cdk.out')): string {
  return ['```mermaid', mermaid(readAssembly(cdkOut, process.env.STACK_NAME ?? 'PurchaseOrders').stateMachines[0]!.definition), '```'].join('\n');
}

export const generatedSections: { file: string; name: string; render: () => string }[] = [
  { file: 'docs/api.md', name: 'routes', render: routesTable },
  { file: 'docs/design.md', name: 'workflow', render: () => workflowDiagram() },
  { file: 'docs/design.md', name: 'notices', render: noticesTable },
];

const markers = (name: string) => [`<!-- generated:${name} -->`, `<!-- end:${name} -->`] as const;

/** Where a section's text starts and ends in a document (null when the markers are missing). */
function sectionBounds(text: string, name: string): { start: number; end: number } | null {
  const [open, close] = markers(name);
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  return start < 0 || end < start ? null : { start: start + open.length, end };
}

/** The text between a section's markers in a document (null when the markers are missing). */
export function currentSection(text: string, name: string): string | null {
  const bounds = sectionBounds(text, name);
  return bounds && text.slice(bounds.start, bounds.end).trim();
}

/** Rewrites every generated section in place (`npm run docs`). */
export function writeDocs(): void {
  for (const section of generatedSections) {
    const file = path.join(projectRoot, section.file);
    const text = readFileSync(file, 'utf8');
    const bounds = sectionBounds(text, section.name);
    if (!bounds) throw new Error(`${section.file} has no ${markers(section.name).join(' … ')}`);
    writeFileSync(file, `${text.slice(0, bounds.start)}\n${section.render()}\n${text.slice(bounds.end)}`);
  }
}
