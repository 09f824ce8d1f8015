/**
 * Files a PO may carry: the buyer's signed PO on company letterhead, as PDF, PNG or JPEG, at most
 * 10 MiB. What a file is comes from its first bytes, not from what the uploader said.
 */
export const attachmentTypes = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type AttachmentType = (typeof attachmentTypes)[number];
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/**
 * A file sent as the request's body: Lambda takes at most 6 MB per request, which a file of about
 * 4.4 MiB reaches in base64. Larger files go by presigned upload, straight to storage.
 */
export const MAX_DIRECT_UPLOAD_BYTES = 4 * 1024 * 1024;

export const isAttachmentType = (value: string): value is AttachmentType => (attachmentTypes as readonly string[]).includes(value);

const signatures: [AttachmentType, number[]][] = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
];

/** The type the file's first bytes say it is, if it is one we take. */
export function sniffAttachment(head: Uint8Array): AttachmentType | null {
  return signatures.find(([, bytes]) => bytes.every((byte, i) => head[i] === byte))?.[0] ?? null;
}

/** A file name safe to show and to offer for download: no path, no control characters, bounded. */
export function cleanFilename(name: string | undefined | null): string | null {
  const cleaned = (name ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 120);
  return cleaned || null;
}
