// Uploaded files (photos, logos, proofs of delivery) on local disk under the data directory.
// Types are decided from the bytes, never from the client's filename or header.
import type { ReadStream } from 'node:fs';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from './errors.js';
import { newId } from './ids.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './private-files.js';

export type FileKind = 'image' | 'pdf';

/** The one table of the file types Tracklink stores: content type, file extension, kind and magic bytes. */
const SIGNATURES: { type: string; ext: string; kind: FileKind; test: (b: Buffer) => boolean }[] = [
  { type: 'image/jpeg', ext: 'jpg', kind: 'image', test: (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/png', ext: 'png', kind: 'image', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/gif', ext: 'gif', kind: 'image', test: (b) => b.subarray(0, 6).toString('latin1') === 'GIF87a' || b.subarray(0, 6).toString('latin1') === 'GIF89a' },
  { type: 'image/webp', ext: 'webp', kind: 'image', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  { type: 'application/pdf', ext: 'pdf', kind: 'pdf', test: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
];

export function sniff(bytes: Buffer): { type: string; ext: string; kind: FileKind } | null {
  const s = SIGNATURES.find((sig) => sig.test(bytes));
  return s ? { type: s.type, ext: s.ext, kind: s.kind } : null;
}

/** The content type of a stored file, from the extension save() gave its name. */
export function contentTypeOfFile(rel: string): string {
  const ext = rel.slice(rel.lastIndexOf('.') + 1);
  return SIGNATURES.find((s) => s.ext === ext)?.type ?? 'application/octet-stream';
}

/** The file extension for a stored content type (download names). */
export function extensionOf(contentType: string): string {
  return SIGNATURES.find((s) => s.type === contentType)?.ext ?? 'bin';
}

export class FileStore {
  constructor(private readonly root: string) {}

  /** Checks the bytes are one of `accept` and writes them atomically; returns the relative file name. */
  async save(orgId: string, bytes: Buffer, accept: FileKind[]): Promise<{ file: string; contentType: string; size: number }> {
    const found = sniff(bytes);
    if (!found || !accept.includes(found.kind)) {
      const wanted = accept.map((k) => (k === 'image' ? 'an image (JPEG, PNG, GIF or WebP)' : 'a PDF')).join(' or ');
      throw new AppError('unsupported_media_type', `The upload must be ${wanted}`);
    }
    const rel = path.join('uploads', orgId, `${newId()}.${found.ext}`);
    const abs = path.join(this.root, rel);
    await mkdir(path.dirname(abs), { recursive: true, mode: PRIVATE_DIR_MODE });
    const tmp = `${abs}.tmp`;
    await writeFile(tmp, bytes, { mode: PRIVATE_FILE_MODE });
    await rename(tmp, abs);
    return { file: rel, contentType: found.type, size: bytes.length };
  }

  /**
   * The stored file to stream, or null when it is not on disk: a row can outlive its file (a
   * restore whose uploads were copied at another moment, a read racing a replacement or a
   * deletion). Opened before anything is sent, so a missing file is the caller's 404, not a
   * stream that fails after the reply began.
   */
  async open(rel: string): Promise<ReadStream | null> {
    try {
      const handle = await open(this.resolve(rel), 'r');
      return handle.createReadStream();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async remove(rel: string): Promise<void> {
    await rm(this.resolve(rel), { force: true });
  }

  private resolve(rel: string): string {
    const abs = path.resolve(this.root, rel);
    // Stored names are ours, but never let one escape the data directory.
    if (!abs.startsWith(path.resolve(this.root) + path.sep)) throw AppError.notFound('File');
    return abs;
  }
}
