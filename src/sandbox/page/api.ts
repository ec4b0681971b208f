// The sandbox server's JSON API, as the page calls it.
import type { ApiResult, SandboxState } from '../protocol.js';

/** The server's JSON, typed by protocol.ts, which both sides share. */
async function json<T>(response: Response): Promise<T> {
  // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- fetch's JSON is untyped; the sandbox server sends the shapes of protocol.ts
  return (await response.json()) as T;
}

export async function getState(): Promise<SandboxState> {
  const response = await fetch('/api/state');
  if (!response.ok) throw new Error(`the sandbox answered ${response.status}`);
  return json<SandboxState>(response);
}

export async function post<T extends object = object>(path: string, body: unknown): Promise<ApiResult<T>> {
  try {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return await json<ApiResult<T>>(response);
  } catch {
    return { ok: false, error: 'The sandbox cannot be reached. Is it still running?' };
  }
}

export async function upload(file: File): Promise<ApiResult<{ id: string; filename: string; size: number }>> {
  try {
    const response = await fetch('/api/upload', {
      method: 'POST',
      headers: {
        'Content-Type': file.type || 'application/octet-stream',
        'X-Filename': encodeURIComponent(file.name),
      },
      body: file,
    });
    return await json<ApiResult<{ id: string; filename: string; size: number }>>(response);
  } catch {
    return { ok: false, error: 'The file could not be sent.' };
  }
}
