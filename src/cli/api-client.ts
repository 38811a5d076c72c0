/**
 * Talks to a running linewatch's `/api/v1` for CLI commands when the database belongs to it.
 */
export class ApiClientError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'ApiClientError';
  }
}

export class ApiClient {
  constructor(private readonly baseUrl: string, private readonly token: string | undefined) {}

  async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    if (!this.token) throw new ApiClientError(401, 'CLI_ERR_NO_TOKEN', 'set API_TOKEN to the running server\'s token to use its API');
    let res: Response;
    try {
      res = await fetch(new URL(`/api/v1${path}`, this.baseUrl), {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new ApiClientError(0, 'CLI_ERR_UNREACHABLE', `linewatch at ${this.baseUrl} did not answer: ${(err as Error).message}`);
    }
    const json = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    if (!res.ok) throw new ApiClientError(res.status, json?.error?.code ?? 'HTTP_ERROR', json?.error?.message ?? `HTTP ${res.status}`);
    return json as T;
  }
}
