/** Stands in for brotli's decoder in bundles: fontkit needs it only for WOFF2 fonts, which documents do not use. */
export default function decompress(): never {
  throw new Error('WOFF2 fonts are not supported');
}
