/** The part of fontkit 2 (which ships no types) that the PDF adapter uses. */
declare module 'fontkit' {
  export interface Subset {
    includeGlyph(glyph: unknown): number;
    encode(): Uint8Array;
  }
  export interface Font {
    hasGlyphForCodePoint(codePoint: number): boolean;
    createSubset(): Subset;
  }
  export function create(data: Uint8Array): Font;
}
