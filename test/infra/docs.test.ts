import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../functions/notices/catalogue.js';
import { currentSection, generatedFiles, generatedSections, projectRoot } from '../../infra/docs.js';
import { routes } from '../../contract/routes.js';

describe('docs/', () => {
  for (const section of generatedSections) {
    it(`${section.file} shows the ${section.name} as they are (run \`npm run docs\` after changing them)`, () => {
      const text = readFileSync(path.join(projectRoot, section.file), 'utf8');
      expect(currentSection(text, section.name)).toBe(section.render());
    });
  }

  for (const generated of generatedFiles) {
    it(`${generated.file} is what the code generates (run \`npm run docs\` after changing routes or schemas)`, async () => {
      expect(readFileSync(path.join(projectRoot, generated.file), 'utf8')).toBe(await generated.render());
    });
  }

  it('lists every route of the template in docs/api.md', () => {
    const api = readFileSync(path.join(projectRoot, 'docs/api.md'), 'utf8');
    for (const route of routes) expect(api).toContain(`\`${route.method} ${route.path}\``);
  });

  it('says in words when each conditional notice goes out', () => {
    for (const notices of Object.values(catalogue)) for (const notice of notices) if (notice.when) expect(notice.about, notice.name).toBeTruthy();
  });

  it('keeps the README a front door of at most 250 lines that links to the rest', () => {
    const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
    for (const doc of ['docs/api.md', 'docs/design.md', 'docs/local-stack.md', 'bench/README.md']) expect(readme).toContain(`(${doc})`);
  });
});
