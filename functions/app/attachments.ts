import { ulid } from 'ulid';
import { cleanFilename, isAttachmentType, MAX_ATTACHMENT_BYTES, sniffAttachment, type AttachmentType } from '../domain/attachments.js';
import { RuleViolation } from '../domain/errors.js';
import { canApply, type Attachment, type PurchaseOrder } from '../domain/purchase-order/index.js';
import { type Actor, type Who } from '../../contract/purchase-order.js';
import { changePurchaseOrder, type ChangeDeps } from './change.js';
import { FileTooLargeError, NotFoundError, UnsupportedFileError } from './errors.js';
import type { FileStore, StoredPurchaseOrder } from './ports.js';

/**
 * The buyer's signed PO, attached by checkout (or by finance for a letter that came by post). The
 * file goes to storage first (straight from the client through a presigned URL, or through us for a
 * small one); then its size and first bytes are checked, and only then does the PO list it.
 */
export interface AttachmentDeps extends ChangeDeps {
  files: FileStore;
}

/** Where a checked file is kept: no upload URL points there. */
const keyOf = (poId: string, attachmentId: string) => `po/${poId}/${attachmentId}`;
/** Where its upload lands, until it is checked (what is left there is removed after a day). */
const uploadKeyOf = (poId: string, attachmentId: string) => `uploads/po/${poId}/${attachmentId}`;

function declared(contentType: string, size: number): AttachmentType {
  if (!isAttachmentType(contentType)) throw new UnsupportedFileError('attach a PDF, PNG or JPEG file');
  if (size > MAX_ATTACHMENT_BYTES) throw new FileTooLargeError(`a file may be at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB`);
  if (size <= 0) throw new RuleViolation('the file is empty', 'attachment_empty');
  return contentType;
}

async function attachable(deps: AttachmentDeps, poId: string, actor: Actor): Promise<StoredPurchaseOrder> {
  const stored = await deps.pos.get(poId);
  if (!stored) throw new NotFoundError(`purchase order ${poId} not found`);
  if (!canApply(stored.po, 'attach', actor)) throw new RuleViolation(`a purchase order that is ${stored.po.status.replace(/_/g, ' ')} takes no more files`, 'attachment_closed');
  return stored;
}

/** Step one of an upload: where to PUT the file. The PO lists it once `completeUpload` has checked it. */
export async function requestUpload(deps: AttachmentDeps, poId: string, actor: Actor, file: { contentType: string; size: number; filename?: string }) {
  const contentType = declared(file.contentType, file.size);
  await attachable(deps, poId, actor);
  const id = ulid();
  const filename = cleanFilename(file.filename);
  const upload = await deps.files.uploadUrl(uploadKeyOf(poId, id), contentType, file.size);
  return { id, contentType, size: file.size, filename, status: 'pending' as const, upload: { method: 'PUT' as const, ...upload } };
}

/**
 * Step two: the file is checked where it landed and, if it is what it says, copied (as checked) out
 * of reach of its upload URL and attached to the PO: bytes PUT afterwards, while the URL still
 * lives, change nothing the PO lists. A completion retried after the copy finds the kept file.
 */
export async function completeUpload(deps: AttachmentDeps, poId: string, attachmentId: string, ctx: { actor: Actor; by: Who }, filename?: string | null): Promise<PurchaseOrder> {
  const current = await attachable(deps, poId, ctx.actor);
  const po = current.po;
  if (po.attachments.some((attachment) => attachment.id === attachmentId)) return po;
  const upload = uploadKeyOf(poId, attachmentId);
  const stored = (await deps.files.inspect(upload)) ?? (await deps.files.inspect(keyOf(poId, attachmentId)));
  if (!stored) throw new NotFoundError(`nothing was uploaded for attachment ${attachmentId}`);
  const kind = sniffAttachment(stored.head);
  if (stored.size > MAX_ATTACHMENT_BYTES || !kind || kind !== stored.contentType) {
    await deps.files.remove(upload);
    if (stored.size > MAX_ATTACHMENT_BYTES) throw new FileTooLargeError(`a file may be at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB`);
    throw new RuleViolation(`the file is not the ${stored.contentType || 'declared'} it claims to be`, 'attachment_signature');
  }
  const kept = (await deps.files.inspect(keyOf(poId, attachmentId)))?.etag === stored.etag || (await deps.files.keep(upload, keyOf(poId, attachmentId), stored.etag));
  if (!kept) throw new RuleViolation('the file was replaced while it was checked: complete the upload again', 'attachment_replaced');
  const attachment: Attachment = { id: attachmentId, contentType: kind, size: stored.size, filename: filename ?? null, at: deps.clock.now().toISOString() };
  return changePurchaseOrder(deps, poId, { type: 'attach', attachment }, { ...ctx, at: deps.clock.now() }, current);
}

/** A small file sent through the API itself: stored, checked and attached in one call. */
export async function uploadDirect(deps: AttachmentDeps, poId: string, ctx: { actor: Actor; by: Who }, file: { bytes: Uint8Array; contentType: string; filename?: string }) {
  const contentType = declared(file.contentType, file.bytes.length);
  await attachable(deps, poId, ctx.actor);
  const id = ulid();
  await deps.files.put(uploadKeyOf(poId, id), file.bytes, contentType);
  const po = await completeUpload(deps, poId, id, ctx, cleanFilename(file.filename));
  return { po, attachment: po.attachments.find((attachment) => attachment.id === id)! };
}

/** Where the file of an attachment can be read for a few minutes. */
export async function attachmentUrl(deps: AttachmentDeps, po: PurchaseOrder, attachmentId: string): Promise<string> {
  const attachment = po.attachments.find((candidate) => candidate.id === attachmentId);
  if (!attachment) throw new NotFoundError(`purchase order ${po.id} has no attachment ${attachmentId}`);
  const extension = { 'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg' }[attachment.contentType];
  return deps.files.downloadUrl(keyOf(po.id, attachment.id), attachment.filename ?? `${po.reference}-signed-po.${extension}`, attachment.contentType);
}
