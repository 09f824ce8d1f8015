import type * as Fontkit from 'fontkit';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PDFDocument, StandardFonts, type Color, type PDFFont, type PDFPage } from 'pdf-lib';
import { fontFiles as files, type Family } from './font-files.js';

/**
 * Text in any script on a PDF. A document whose text is all in Western European Latin (what the PDF
 * standard fonts' WinAnsi encoding covers: English, German, French, Spanish, ...) prints in Helvetica,
 * as before: no font file, no font engine loaded, the cold start and the common invoice as fast as
 * ever. Any other document prints in Noto Sans, for Latin with any diacritics, Greek and Cyrillic,
 * plus Noto Sans JP, SC (simplified Chinese) or KR, Arabic or Hebrew for text in those scripts; each
 * file is read on the first document that needs it (the CJK fonts are 4–8 MB), and the font engine
 * (fontkit) is loaded then too. Every font file is embedded as a subset of the glyphs used.
 *
 * Right-to-left text (Arabic, Hebrew) prints joined where the font shapes it, and fontkit lays a run
 * of it out right to left; a line that mixes it with Latin text or digits is not reordered by the
 * bidirectional algorithm, so its parts may read in typed order. A character no font has prints "?".
 */

export type Weight = 'regular' | 'bold';

// In a function's bundle the fonts sit in `fonts/` beside it; run from source, in the packages.
const here = import.meta.dirname;
const read = new Map<string, Uint8Array>();

function fontBytes(family: Family, weight: Weight): Uint8Array {
  const { pkg, regular, bold } = files[family];
  const file = weight === 'bold' && bold ? bold : regular;
  let bytes = read.get(file);
  if (!bytes) {
    const candidates = [path.join(here, 'fonts', file), path.join(here, '..', '..', 'node_modules', pkg, 'fonts', file)];
    const found = candidates.find((candidate) => existsSync(candidate));
    if (!found) throw new Error(`font ${file} not found (looked in ${candidates.join(', ')})`);
    bytes = new Uint8Array(readFileSync(found));
    read.set(file, bytes);
  }
  return bytes;
}

/**
 * fontkit 2 for pdf-lib: pdf-lib asks a subset for `encodeStream()`, which fontkit 2 replaced by
 * `encode()`. Parsed fonts are kept for the life of the container: a CJK font parses once.
 */
const parsed = new WeakMap<Uint8Array, Fontkit.Font>();
const fontkitFor = (fontkit: typeof Fontkit) => ({
  create(data: Uint8Array) {
    const cached = parsed.get(data);
    if (cached) return cached;
    const font = fontkit.create(data);
    const createSubset = font.createSubset.bind(font);
    font.createSubset = () => {
      const subset = createSubset() as Fontkit.Subset & { encodeStream?: () => unknown };
      subset.encodeStream = () => {
        const listeners: Record<string, (value?: unknown) => void> = {};
        const stream = {
          on(event: string, listener: (value?: unknown) => void) {
            listeners[event] = listener;
            if (event === 'end') {
              queueMicrotask(() => {
                try {
                  listeners.data?.(subset.encode());
                  listeners.end?.();
                } catch (error) {
                  listeners.error?.(error);
                }
              });
            }
            return stream;
          },
        };
        return stream;
      };
      return subset;
    };
    parsed.set(data, font);
    return font;
  },
});
let engine: ReturnType<typeof fontkitFor> | undefined;

/**
 * The font engine, on the first document that needs it. A function's asset carries it as a file of
 * its own (`fontkit.cjs`, built beside the bundle), so the bundle a cold start parses stays as small as
 * before; run from source, it is the package.
 */
async function loadFontkit(): Promise<typeof Fontkit> {
  const beside = path.join(here, 'fontkit.cjs');
  if (existsSync(beside)) return createRequire(beside)(beside) as typeof Fontkit;
  return import('fontkit');
}

/** What Helvetica can print (WinAnsi), learnt once per container. */
let standardCharacters: Set<number> | undefined;
async function printsInHelvetica(text: string): Promise<boolean> {
  standardCharacters ??= new Set((await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica)).getCharacterSet());
  for (const char of text) if (!standardCharacters.has(char.codePointAt(0) ?? 0) && !/\s/.test(char)) return false;
  return true;
}

const within = (code: number, ranges: readonly (readonly [number, number])[]) => ranges.some(([from, to]) => code >= from && code <= to);
const kana = [[0x3040, 0x30ff], [0x31f0, 0x31ff], [0xff65, 0xff9f]] as const;
const hangul = [[0x1100, 0x11ff], [0x3130, 0x318f], [0xa960, 0xa97f], [0xac00, 0xd7ff]] as const;
const han = [[0x2e80, 0x2fdf], [0x3000, 0x303f], [0x3190, 0x31ef], [0x3200, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xf900, 0xfaff], [0xfe30, 0xfe4f], [0xff00, 0xff64], [0xffe0, 0xffef], [0x20000, 0x3134f]] as const;
const arabic = [[0x0600, 0x06ff], [0x0750, 0x077f], [0x08a0, 0x08ff], [0xfb50, 0xfdff], [0xfe70, 0xfeff]] as const;
const hebrew = [[0x0590, 0x05ff], [0xfb1d, 0xfb4f]] as const;

/** The family a character asks for; Han characters go to the document's CJK family. */
function familyOf(code: number, cjk: Family): Family {
  if (code < 0x0590) return 'latin';
  if (within(code, kana)) return 'jp';
  if (within(code, hangul)) return 'kr';
  if (within(code, han)) return cjk;
  if (within(code, arabic)) return 'arabic';
  if (within(code, hebrew)) return 'hebrew';
  return 'latin';
}

/**
 * Which CJK font draws Han characters: Japanese when the document has kana or the buyer is in Japan,
 * Korean when it has Hangul or the buyer is in Korea, else simplified Chinese.
 */
function cjkFamily(text: string, country: string | undefined): Family {
  const codes = Array.from(text, (char) => char.codePointAt(0) ?? 0);
  if (codes.some((code) => within(code, kana)) || country === 'JP') return 'jp';
  if (codes.some((code) => within(code, hangul)) || country === 'KR') return 'kr';
  return 'sc';
}

export interface Run {
  font: PDFFont;
  text: string;
}

/** Lays out text of one document in the fonts its scripts need; measures and draws runs of one font each. */
export class Typesetter {
  private constructor(
    private readonly fonts: Map<string, PDFFont>,
    /** The parsed font files, to ask which has a glyph; null when Helvetica prints everything. */
    private readonly raw: Map<PDFFont, Fontkit.Font> | null,
    private readonly cjk: Family,
  ) {}

  /**
   * Embeds the fonts this document's text needs: Helvetica if it can print all of it, else Noto
   * (Latin always, regular and bold). `embedded` asks for font files even where Helvetica would do:
   * PDF/A (a Factur-X invoice) allows no font that is not in the file.
   */
  static async for(pdf: PDFDocument, allText: string, country?: string, options: { embedded?: boolean } = {}): Promise<Typesetter> {
    const text = allText.normalize('NFC');
    const fonts = new Map<string, PDFFont>();
    if (!options.embedded && (await printsInHelvetica(text))) {
      fonts.set('latin/regular', await pdf.embedFont(StandardFonts.Helvetica));
      fonts.set('latin/bold', await pdf.embedFont(StandardFonts.HelveticaBold));
      return new Typesetter(fonts, null, 'sc');
    }
    engine ??= fontkitFor(await loadFontkit());
    // fontkit 2's font has what pdf-lib uses of it; pdf-lib's types describe the older fontkit's.
    pdf.registerFontkit(engine as unknown as Parameters<PDFDocument['registerFontkit']>[0]);
    const cjk = cjkFamily(text, country);
    const needed = new Set<Family>(['latin']);
    for (const char of text) needed.add(familyOf(char.codePointAt(0) ?? 0, cjk));
    const raw = new Map<PDFFont, Fontkit.Font>();
    for (const family of needed) {
      for (const weight of family === 'latin' ? (['regular', 'bold'] as const) : (['regular'] as const)) {
        const bytes = fontBytes(family, weight);
        const font = await pdf.embedFont(bytes, { subset: true });
        fonts.set(`${family}/${weight}`, font);
        raw.set(font, engine.create(bytes));
      }
    }
    return new Typesetter(fonts, raw, cjk);
  }

  private font(family: Family, weight: Weight): PDFFont | undefined {
    return this.fonts.get(`${family}/${weight}`) ?? this.fonts.get(`${family}/regular`);
  }

  /** The text split into runs of one font each; a character no embedded font has becomes "?". */
  runs(text: string, weight: Weight): Run[] {
    const latin = this.font('latin', weight)!;
    if (!this.raw) return [{ font: latin, text: text.normalize('NFC') }];
    const raw = this.raw;
    const runs: Run[] = [];
    for (const char of text.normalize('NFC')) {
      const code = char.codePointAt(0) ?? 0;
      const wanted = this.font(familyOf(code, this.cjk), weight);
      const candidates = [wanted, latin, ...this.fonts.values()].filter((font): font is PDFFont => font !== undefined);
      const font = candidates.find((candidate) => raw.get(candidate)!.hasGlyphForCodePoint(code));
      const [use, shown] = font ? [font, char] : [latin, '?'];
      const last = runs.at(-1);
      if (last && last.font === use) last.text += shown;
      else runs.push({ font: use, text: shown });
    }
    return runs;
  }

  /** Widths already measured in this document: laying out text (shaping, kerning) is the costly part of a page. */
  private readonly widths = new Map<string, number>();

  width(text: string, size: number, weight: Weight): number {
    const key = `${weight}|${size}|${text}`;
    let width = this.widths.get(key);
    if (width === undefined) {
      width = this.runs(text, weight).reduce((total, run) => total + run.font.widthOfTextAtSize(run.text, size), 0);
      this.widths.set(key, width);
    }
    return width;
  }

  draw(page: PDFPage, text: string, at: { x: number; y: number; size: number; weight: Weight; color: Color }): void {
    let x = at.x;
    for (const run of this.runs(text, at.weight)) {
      page.drawText(run.text, { x, y: at.y, size: at.size, font: run.font, color: at.color });
      x += run.font.widthOfTextAtSize(run.text, at.size);
    }
  }

  /**
   * Lines of at most `width`: broken at spaces, and a word wider than a line (a long reference, an
   * address without spaces, text in a script written without them) broken between characters. A
   * line's width is the sum of its words' and spaces' widths, so each word is laid out once.
   */
  wrap(text: string, size: number, weight: Weight, width: number): string[] {
    const lines: string[] = [];
    const space = this.width(' ', size, weight);
    let current = '';
    let used = 0;
    for (const word of text.split(/\s+/).filter(Boolean)) {
      const wide = this.width(word, size, weight);
      if (current && used + space + wide <= width) {
        current += ` ${word}`;
        used += space + wide;
        continue;
      }
      if (current) lines.push(current);
      if (wide <= width) {
        [current, used] = [word, wide];
        continue;
      }
      [current, used] = ['', 0];
      for (const char of word) {
        const step = this.width(char, size, weight);
        if (current && used + step > width) {
          lines.push(current);
          [current, used] = ['', 0];
        }
        current += char;
        used += step;
      }
    }
    if (current) lines.push(current);
    return lines.length ? lines : [''];
  }

  /** Shortens text with an ellipsis to fit a column. */
  fit(text: string, size: number, weight: Weight, width: number): string {
    if (this.width(text, size, weight) <= width) return text;
    let cut = Array.from(text);
    while (cut.length > 1 && this.width(`${cut.join('')}…`, size, weight) > width) cut = cut.slice(0, -1);
    return `${cut.join('')}…`;
  }
}
