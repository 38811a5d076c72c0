/**
 * One JSON-RPC 2.0 call over HTTP POST with a hard deadline. Kamailio's `jsonrpcs` (over `xhttp`)
 * and OpenSIPS's `mi_http` both speak this, so adapters share it.
 *
 * @remarks
 * https://www.jsonrpc.org/specification — "the Response is expressed as a single JSON Object" with
 * either `result` or `error: {code, message}`. Kamailio 5.6 answers RPC errors with the HTTP status
 * set to the error code (e.g. `500 AOR not found in location table`) and the JSON error body, so the
 * body is read whatever the HTTP status, and only a non-JSON answer counts as an HTTP failure.
 */

export type JsonRpcOutcome =
  | { readonly kind: 'result'; readonly result: unknown }
  | { readonly kind: 'rpc_error'; readonly code: number | null; readonly message: string }
  | { readonly kind: 'http_error'; readonly status: number }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'unreachable'; readonly detail: string }
  | { readonly kind: 'bad_answer'; readonly detail: string };

export interface JsonRpcRequest {
  readonly url: string;
  readonly method: string;
  readonly params: readonly unknown[];
  readonly timeoutMs: number;
  /** Sent as the `Authorization` header when set; never logged. */
  readonly authorization?: string | undefined;
  readonly fetch?: typeof fetch;
}

/** Answers larger than this are refused (a lookup of one AOR is a few KB). */
const MAX_ANSWER_BYTES = 1_000_000;

/** Performs the call; never throws. */
export async function callJsonRpc(req: JsonRpcRequest): Promise<JsonRpcOutcome> {
  const doFetch = req.fetch ?? fetch;
  const signal = AbortSignal.timeout(req.timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await doFetch(req.url, {
      method: 'POST',
      signal,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(req.authorization ? { authorization: req.authorization } : {}),
      },
      body: JSON.stringify({ jsonrpc: '2.0', method: req.method, params: req.params, id: 1 }),
    });
    text = await response.text();
  } catch (err) {
    if (signal.aborted || isAbort(err)) return { kind: 'timeout' };
    return { kind: 'unreachable', detail: networkDetail(err) };
  }
  if (text.length > MAX_ANSWER_BYTES) return { kind: 'bad_answer', detail: `answer larger than ${MAX_ANSWER_BYTES} bytes` };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    if (!response.ok) return { kind: 'http_error', status: response.status };
    return { kind: 'bad_answer', detail: 'the answer is not JSON' };
  }
  if (!isObject(body)) return response.ok ? { kind: 'bad_answer', detail: 'the answer is not a JSON object' } : { kind: 'http_error', status: response.status };
  if (isObject(body.error)) {
    const code = typeof body.error.code === 'number' ? body.error.code : null;
    const message = typeof body.error.message === 'string' ? body.error.message : 'unspecified error';
    return { kind: 'rpc_error', code, message };
  }
  if ('result' in body) return { kind: 'result', result: body.result };
  if (!response.ok) return { kind: 'http_error', status: response.status };
  return { kind: 'bad_answer', detail: 'neither result nor error in the answer' };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

/**
 * The OS error code (ECONNREFUSED, ENOTFOUND...) rather than the full error; any other text has
 * URL credentials masked, since fetch's messages echo the URL.
 */
function networkDetail(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  const text = cause && typeof cause.message === 'string' ? cause.message : err instanceof Error ? err.message : String(err);
  return text.replace(/\/\/[^/@\s]*@/g, '//***@').slice(0, 300);
}
