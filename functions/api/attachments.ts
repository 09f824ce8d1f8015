import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod';
import { attachmentUrl, completeUpload, requestUpload, uploadDirect, type AttachmentDeps } from '../app/attachments.js';
import { NotFoundError } from '../app/errors.js';
import { cleanFilename, isAttachmentType, MAX_ATTACHMENT_BYTES, MAX_DIRECT_UPLOAD_BYTES } from '../domain/attachments.js';
import { header, HttpProblem, json, parseJson, pathParam } from '../http/http.js';
import { routeHandler, serve, type GroupHandlers } from '../http/routing.js';
import { lazyHandler } from '../runtime/lazy-handler.js';
import { systemClock } from '../wiring/clock.js';
import { files } from '../wiring/files.js';
import { stores } from '../wiring/stores.js';
import { signalOnlyWorkflow } from '../wiring/workflow.js';

/**
 * POST /purchase-orders/{id}/attachments (checkout, finance): the buyer's signed PO. Either the file
 * itself as the body (PDF, PNG or JPEG; for small files: Lambda takes at most 6 MB on AWS), or JSON
 * `{ contentType, size, filename }` for a presigned upload straight to storage, finished by
 * POST …/attachments/{attachmentId}/complete. GET …/attachments/{attachmentId} redirects to the file.
 */
const uploadRequest = z.strictObject({
  contentType: z.string().max(100),
  size: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  filename: z.string().max(255).optional(),
});
const completion = z.strictObject({ filename: z.string().max(255).optional() });

const mediaType = (event: APIGatewayProxyEvent) => (header(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
const hrefOf = (poId: string, attachmentId: string) => `/purchase-orders/${poId}/attachments/${attachmentId}`;

export const makeAddHandler = (deps: AttachmentDeps) =>
  routeHandler('AddAttachment', async (event, caller) => {
    const poId = pathParam(event, 'id');
    const type = mediaType(event);
    if (type === 'application/json') {
      const { value } = parseJson(event, uploadRequest);
      const pending = await requestUpload(deps, poId, caller.actor, value);
      const complete = `${hrefOf(poId, pending.id)}/complete${pending.filename ? `?filename=${encodeURIComponent(pending.filename)}` : ''}`;
      return json(201, { ...pending, complete, href: hrefOf(poId, pending.id) });
    }
    if (!isAttachmentType(type)) throw new HttpProblem(415, 'Unsupported Media Type', 'attach a PDF, PNG or JPEG file (or send JSON for a presigned upload)');
    const bytes = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'binary');
    if (bytes.length > MAX_DIRECT_UPLOAD_BYTES) {
      throw new HttpProblem(
        413,
        'Payload Too Large',
        `a file sent directly may be at most ${MAX_DIRECT_UPLOAD_BYTES / 1024 / 1024} MiB; send {"contentType","size"} as JSON for a presigned upload of up to ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB`,
      );
    }
    const filename = /filename="?([^";]+)"?/i.exec(header(event, 'content-disposition') ?? '')?.[1] ?? event.queryStringParameters?.filename;
    const { attachment } = await uploadDirect(deps, poId, caller, { bytes, contentType: type, ...(filename ? { filename } : {}) });
    return json(201, { ...attachment, status: 'received', href: hrefOf(poId, attachment.id) });
  });

export const makeCompleteHandler = (deps: AttachmentDeps) =>
  routeHandler('CompleteAttachment', async (event, caller) => {
    const poId = pathParam(event, 'id');
    const attachmentId = pathParam(event, 'attachmentId');
    const body = event.body ? parseJson(event, completion).value : {};
    const filename = cleanFilename(body.filename ?? event.queryStringParameters?.filename);
    const po = await completeUpload(deps, poId, attachmentId, caller, filename);
    const attachment = po.attachments.find((candidate) => candidate.id === attachmentId)!;
    return json(200, { ...attachment, status: 'received', href: hrefOf(poId, attachmentId) });
  });

export const makeGetHandler = (deps: AttachmentDeps) =>
  routeHandler('GetAttachment', async (event) => {
    const poId = pathParam(event, 'id');
    const po = (await deps.pos.get(poId))?.po;
    if (!po) throw new NotFoundError(`purchase order ${poId} not found`);
    const url = await attachmentUrl(deps, po, pathParam(event, 'attachmentId'));
    return { statusCode: 303, headers: { Location: url, 'Cache-Control': 'no-store' }, body: '' };
  });

export const makeRoutes = (deps: AttachmentDeps): GroupHandlers<'AttachmentFiles'> => ({
  AddAttachment: makeAddHandler(deps),
  CompleteAttachment: makeCompleteHandler(deps),
  GetAttachment: makeGetHandler(deps),
});

export const handler = lazyHandler(() => serve('AttachmentFiles', makeRoutes({ pos: stores().pos, workflow: signalOnlyWorkflow(), clock: systemClock, files: files() })));
