import * as path from 'node:path';
import type { ApiGroup, RouteId } from '../../contract/routes.js';
import type { FileStore } from '../../functions/app/ports.js';
import type { Handler } from '../../functions/http/routing.js';
import { apiFunctions } from '../../infra/api-functions.js';
import { taskFakes } from './fakes.js';

/**
 * Every route's handler on in-memory fakes, found as the functions find them: each group's entry
 * builds its routes (`makeRoutes`) by route id. A test that needs a route's handler asks here by the
 * row's id, so a new row needs no line in any test.
 */
const root = path.resolve(import.meta.dirname, '..', '..');

/** Storage that holds nothing: calls stop at the role check or at the missing PO. */
export const noFiles: FileStore = {
  uploadUrl: async () => ({ url: 'https://files.example/upload', headers: {} }),
  put: async () => {},
  inspect: async () => null,
  keep: async () => false,
  downloadUrl: async () => 'https://files.example/download',
  remove: async () => {},
};

/** Storage in memory, as S3 keeps it: objects by key, each with its type and a version tag. */
export function memoryFiles(): FileStore & { objects: Map<string, { bytes: Uint8Array; contentType: string; etag: string }> } {
  const objects = new Map<string, { bytes: Uint8Array; contentType: string; etag: string }>();
  let version = 0;
  return {
    objects,
    uploadUrl: async (key) => ({ url: `https://files.example/${key}?upload`, headers: {} }),
    put: async (key, bytes, contentType) => void objects.set(key, { bytes, contentType, etag: `"v${++version}"` }),
    inspect: async (key) => {
      const found = objects.get(key);
      return found ? { size: found.bytes.length, contentType: found.contentType, head: found.bytes.subarray(0, 16), etag: found.etag } : null;
    },
    keep: async (from, to, etag) => {
      const found = objects.get(from);
      if (found?.etag !== etag) return false;
      objects.set(to, found);
      objects.delete(from);
      return true;
    },
    downloadUrl: async (key) => `https://files.example/${key}?signed`,
    remove: async (key) => void objects.delete(key),
  };
}

/** Every port any group takes, as fakes (the console's staff directory is not needed by the keyed routes). */
export function routeFakes() {
  const deps = taskFakes();
  return { ...deps, ...deps.publishing, files: noFiles };
}

export async function groupHandlers(group: ApiGroup, deps: object = routeFakes()): Promise<Record<string, Handler>> {
  const entry = (await import(path.join(root, apiFunctions[group].entry))) as { makeRoutes: (deps: never) => Record<string, Handler> };
  return entry.makeRoutes(deps as never);
}

export async function handlerFor(id: RouteId, group: ApiGroup, deps?: object): Promise<Handler> {
  const handler = (await groupHandlers(group, deps))[id];
  if (!handler) throw new Error(`the ${group} function has no handler for ${id}`);
  return handler;
}
