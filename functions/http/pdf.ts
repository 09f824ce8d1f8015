import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { FileStore } from '../app/ports.js';
import { apiHeaders } from './headers.js';

/**
 * A stored document as the answer to a GET. API Gateway turns a function's base64 body into bytes
 * only when the request's first `Accept` type is one of the API's binary media types; to any other
 * (a browser's `text/html,...`, curl's `*` + `/*`) it sends the base64 text. So a client that asks
 * for `application/pdf` first gets the bytes, and every other one a 303 to a copy in the files
 * bucket, through a presigned URL that lasts five minutes (a browser and `curl -L` follow it).
 */
export async function pdfAnswer(
  event: Pick<APIGatewayProxyEvent, 'headers'>,
  files: FileStore,
  doc: { key: string; filename: string; pdf: Uint8Array },
): Promise<APIGatewayProxyResult> {
  const headers = { ...apiHeaders, 'Cache-Control': 'private, no-store' };
  if (firstAcceptType(event.headers) === 'application/pdf') {
    return {
      statusCode: 200,
      headers: { ...headers, 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="${doc.filename}"` },
      isBase64Encoded: true,
      body: Buffer.from(doc.pdf).toString('base64'),
    };
  }
  await files.put(doc.key, doc.pdf, 'application/pdf');
  return { statusCode: 303, headers: { ...headers, Location: await files.downloadUrl(doc.key, doc.filename, 'application/pdf') }, body: '' };
}

/** The first media type of the request's Accept header, as API Gateway reads it (lower case, no parameters). */
export function firstAcceptType(headers: APIGatewayProxyEvent['headers']): string {
  const accept = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'accept')?.[1] ?? '';
  return accept.split(',')[0]!.split(';')[0]!.trim().toLowerCase();
}

/** Where a document's PDF is copied in the files bucket for a download link. */
export const documentKey = (poId: string, docId: string) => `documents/${poId}/${docId}.pdf`;
