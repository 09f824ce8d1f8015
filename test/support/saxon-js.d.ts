/** SaxonJS ships no types: the one call the tests make. */
declare module 'saxon-js' {
  const SaxonJS: { transform(options: Record<string, unknown>, mode: 'sync'): unknown };
  export default SaxonJS;
}
