/**
 * The font files documents are printed in (Noto, SIL Open Font License), by script family: the
 * functions that print documents carry them in their asset under `fonts/` (infra copies them there).
 */
export type Family = 'latin' | 'jp' | 'sc' | 'kr' | 'arabic' | 'hebrew';

export const fontFiles: Record<Family, { pkg: string; regular: string; bold?: string }> = {
  latin: { pkg: '@embedpdf/fonts-latin', regular: 'NotoSans-Regular.ttf', bold: 'NotoSans-Bold.ttf' },
  jp: { pkg: '@embedpdf/fonts-jp', regular: 'NotoSansJP-Regular.otf' },
  sc: { pkg: '@embedpdf/fonts-sc', regular: 'NotoSansHans-Regular.otf' },
  kr: { pkg: '@embedpdf/fonts-kr', regular: 'NotoSansKR-Regular.otf' },
  arabic: { pkg: '@embedpdf/fonts-arabic', regular: 'NotoNaskhArabic-Regular.ttf' },
  hebrew: { pkg: '@embedpdf/fonts-hebrew', regular: 'NotoSansHebrew-Regular.ttf' },
};

/** Every file, with its package: what a function's asset carries. */
export const allFontFiles: { pkg: string; file: string }[] = Object.values(fontFiles).flatMap(({ pkg, regular, bold }) => [regular, ...(bold ? [bold] : [])].map((file) => ({ pkg, file })));
