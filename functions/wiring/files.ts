import { s3FileStore } from '../adapters/file-store.js';
import { s3Client } from '../adapters/aws-clients.js';
import type { FileStore } from '../app/ports.js';
import { envNames, requireEnv } from '../runtime/env.js';

export const files = (): FileStore => s3FileStore(s3Client(), requireEnv(envNames.attachmentsBucket));
