import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * What a PDF looks like, through poppler's pdftoppm (as a reader's viewer would draw it): the first
 * page as a greyscale image, the number of dark pixels on it, and the PNG kept as a test artifact.
 * Text that extracts but draws blank glyphs (a broken font subset) shows here and not in the text.
 */
export function inkOnFirstPage(pdf: Uint8Array, artifact?: string): number {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pdf-pixels-'));
  writeFileSync(path.join(dir, 'doc.pdf'), pdf);
  execFileSync('pdftoppm', ['-r', '100', '-gray', '-f', '1', '-l', '1', '-singlefile', path.join(dir, 'doc.pdf'), path.join(dir, 'page')]);
  // PGM: "P5\n<width> <height>\n255\n" then one byte a pixel.
  const image = readFileSync(path.join(dir, 'page.pgm'));
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(image.subarray(0, 40).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not write a greyscale image');
  const pixels = image.subarray(header[0].length);
  let dark = 0;
  for (const value of pixels) if (value < 128) dark += 1;
  if (artifact) {
    const out = path.resolve(import.meta.dirname, '..', '..', 'test-results', 'documents');
    mkdirSync(out, { recursive: true });
    execFileSync('pdftoppm', ['-r', '80', '-png', '-f', '1', '-l', '1', '-singlefile', path.join(dir, 'doc.pdf'), path.join(out, artifact)]);
  }
  return dark;
}
