import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { FileStore } from '../app/ports.js';

/**
 * Attachments in a private S3 bucket, reached by presigned URLs that last five minutes. Uploads land
 * under `uploads/` (a lifecycle rule removes what is left there after a day); a checked file is
 * copied out of reach of its upload URL.
 */
const MINUTES_5 = 300;

export function s3FileStore(s3: S3Client, bucket: string): FileStore {
  return {
    async uploadUrl(key, contentType, size) {
      const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType, ContentLength: size }), {
        expiresIn: MINUTES_5,
        signableHeaders: new Set(['content-type', 'content-length']),
      });
      return { url, headers: { 'Content-Type': contentType } };
    },
    async put(key, bytes, contentType) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: contentType, ContentLength: bytes.length }));
    },
    async inspect(key) {
      let head;
      try {
        head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        if (error instanceof Error && (error.name === 'NotFound' || error.name === 'NoSuchKey')) return null;
        throw error;
      }
      const size = Number(head.ContentLength ?? 0);
      const etag = head.ETag ?? '';
      if (size === 0) return { size, contentType: head.ContentType ?? '', head: new Uint8Array(), etag };
      const first = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: 'bytes=0-15', IfMatch: etag }));
      return { size, contentType: head.ContentType ?? '', head: await first.Body!.transformToByteArray(), etag };
    },
    async keep(from, to, etag) {
      try {
        await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: `${bucket}/${from.split('/').map(encodeURIComponent).join('/')}`, CopySourceIfMatch: etag }));
      } catch (error) {
        if (error instanceof Error && (error.name === 'PreconditionFailed' || error.name === 'NoSuchKey')) return false;
        throw error;
      }
      // What was copied is what was checked (the tag of a plain copy is the content's digest), or nothing is kept.
      const kept = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: to }));
      if (kept.ETag !== etag) {
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: to }));
        return false;
      }
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: from }));
      return true;
    },
    async downloadUrl(key, filename, contentType) {
      return getSignedUrl(
        s3,
        new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentType: contentType, ResponseContentDisposition: `inline; filename="${filename.replace(/"/g, '')}"` }),
        { expiresIn: MINUTES_5 },
      );
    },
    async remove(key) {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
  };
}
