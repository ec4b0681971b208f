// Files on the local Discord: what the bot uploads with a message (a CSV export) and what a member
// attaches to a command option. Kept in memory with Discord's per-file limit; each gets the URL
// Discord would give it, served by the local Discord itself.
import { randomBytes } from 'node:crypto';

/** Discord's upload limit for a server without boosts. */
export const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

export interface StoredAttachment {
  id: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/** An attachment as Discord describes it in a message or in an interaction's `resolved`. */
export interface AttachmentJson {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type: string;
}

export class AttachmentStore {
  private readonly files = new Map<string, StoredAttachment>();

  constructor(
    /** Base of the attachment URLs, e.g. http://127.0.0.1:1234/attachments */
    private readonly baseUrl: string,
    private readonly newId: () => string,
  ) {}

  /** Stores a file; throws when it is larger than Discord allows. */
  put(filename: string, contentType: string, bytes: Buffer, id: string = this.newId()): StoredAttachment {
    if (bytes.length > ATTACHMENT_SIZE_LIMIT)
      throw new RangeError(
        `${filename} is larger than Discord's ${ATTACHMENT_SIZE_LIMIT / 1024 / 1024} MiB limit`,
      );
    const stored: StoredAttachment = {
      id,
      filename: safeFilename(filename),
      contentType: contentType || 'application/octet-stream',
      bytes,
    };
    this.files.set(stored.id, stored);
    return stored;
  }

  get(id: string): StoredAttachment | undefined {
    return this.files.get(id);
  }

  all(): StoredAttachment[] {
    return [...this.files.values()];
  }

  json(a: StoredAttachment): AttachmentJson {
    // Discord signs its CDN URLs; the query only makes them look alike, nothing checks it.
    const url = `${this.baseUrl}/${a.id}/${encodeURIComponent(a.filename)}?ex=${randomBytes(4).toString('hex')}`;
    return {
      id: a.id,
      filename: a.filename,
      size: a.bytes.length,
      url,
      proxy_url: url,
      content_type: a.contentType,
    };
  }
}

/** Discord keeps letters, digits, dots, dashes and underscores, and makes the rest underscores. */
export function safeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^\w.-]/g, '_').replace(/^\.+/, '');
  return cleaned === '' ? 'unknown' : cleaned.slice(0, 200);
}
