import { extractText, getDocumentProxy } from 'unpdf';

/** The text of a PDF as a reader's tools would extract it, pages joined. */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  const document = await getDocumentProxy(new Uint8Array(pdf));
  const { text } = await extractText(document, { mergePages: true });
  return text.replace(/\u00a0/g, ' ');
}
