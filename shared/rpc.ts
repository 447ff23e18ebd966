// The wire protocol both bridges speak, derived from the method table in api.ts: call and reply envelopes,
// the one dispatcher that validates every request and response, and the typed client the renderer uses.
import { z } from 'zod';
import { events, isEventName, isMethodName, methods, type ApiHandlers, type EventData, type EventName, type MethodName, type Params, type Result } from './api.ts';

export const RPC_ERROR_CODES = ['BAD_JSON', 'BAD_ENVELOPE', 'UNKNOWN_METHOD', 'SCHEMA', 'NOT_FOUND', 'UNAVAILABLE', 'CONFLICT', 'FAILED'] as const;
export type RpcErrorCode = (typeof RPC_ERROR_CODES)[number];

export const RpcIssueSchema = z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() });
export const RpcErrorSchema = z.object({ code: z.enum(RPC_ERROR_CODES), message: z.string(), issues: z.array(RpcIssueSchema).optional() });
export type RpcError = z.output<typeof RpcErrorSchema>;

/** renderer -> main: one call. */
export const RpcCallSchema = z.object({ id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), method: z.string().max(64), params: z.unknown() }).strict();
export type RpcCall = z.output<typeof RpcCallSchema>;

export type RpcOutcome = { ok: true; result: unknown } | { ok: false; error: RpcError };

/** main -> renderer: the reply to a call (id null when the call could not even be read) ... */
export const RpcReplySchema = z.union([
  z.object({ type: z.literal('reply'), id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal('reply'), id: z.number().int().nullable(), ok: z.literal(false), error: RpcErrorSchema }),
]);
/** ... or an event. */
export const RpcEventSchema = z.object({ type: z.literal('event'), event: z.string(), data: z.unknown() });
export const RpcServerMessageSchema = z.union([RpcReplySchema, RpcEventSchema]);
export type RpcServerMessage = z.output<typeof RpcServerMessageSchema>;

/** An error with a code that crosses the bridge as is; any other error becomes FAILED with its message. */
export class ApiError extends Error {
  constructor(readonly code: RpcErrorCode, message: string, readonly issues?: RpcError['issues']) {
    super(message);
    this.name = 'ApiError';
  }
}

function issuesOf(error: z.ZodError): RpcError['issues'] {
  return error.issues.slice(0, 20).map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message }));
}

export function toRpcError(err: unknown): RpcError {
  if (err instanceof ApiError) return { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) };
  if (err instanceof z.ZodError) return { code: 'SCHEMA', message: 'invalid data', issues: issuesOf(err) };
  const e = err as Error;
  return { code: 'FAILED', message: e?.message ? String(e.message) : String(err) };
}

/**
 * Runs one call through the handlers: the method must be in the table, params must match its request schema
 * and the result its response schema (a handler that breaks the contract is a bug, reported as FAILED).
 * Never throws.
 */
export async function dispatch(handlers: ApiHandlers, method: unknown, params: unknown): Promise<RpcOutcome> {
  if (!isMethodName(method)) return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `unknown method ${JSON.stringify(String(method)).slice(0, 80)}` } };
  const spec = methods[method];
  const parsed = spec.request.safeParse(params ?? {});
  if (!parsed.success) return { ok: false, error: { code: 'SCHEMA', message: `invalid parameters for ${method}`, issues: issuesOf(parsed.error) } };
  try {
    const result = await (handlers[method] as (r: unknown) => unknown)(parsed.data);
    const checked = spec.response.safeParse(result);
    if (!checked.success) return { ok: false, error: { code: 'FAILED', message: `${method} returned data outside its schema`, issues: issuesOf(checked.error) } };
    return { ok: true, result: checked.data };
  } catch (err) {
    return { ok: false, error: toRpcError(err) };
  }
}

/** Checks an event against its schema before it leaves main; a bad event is a bug and throws. */
export function checkedEvent<E extends EventName>(event: E, data: EventData<E>): EventData<E> {
  return events[event].parse(data) as EventData<E>;
}

// ------------------------------------------------------------------ the renderer's side

/** face: a square crop; photo: a grid thumbnail; view: the photo at screen size, for the viewer. */
export type ThumbKind = 'face' | 'photo' | 'view';

/** How the client reaches main: Electron's preload bridge or a WebSocket. Components never see it. */
export interface Transport {
  readonly mode: 'electron' | 'web';
  call(method: MethodName, params: unknown): Promise<RpcOutcome>;
  /** Every event from main, unvalidated; returns the unsubscribe function. */
  subscribe(listener: (event: string, data: unknown) => void): () => void;
  /** URL of a face or photo thumbnail, or a screen-size photo, from the cache. */
  thumbUrl(kind: ThumbKind, id: number): string;
  /** The local path of a dropped file or folder, where the host can tell (Electron). */
  pathForFile?(file: File): string | null;
}

export interface ApiClient {
  readonly mode: 'electron' | 'web';
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  on<E extends EventName>(event: E, handler: (data: EventData<E>) => void): () => void;
  thumbUrl(kind: ThumbKind, id: number): string;
  pathForFile(file: File): string | null;
}

export function createClient(transport: Transport): ApiClient {
  const handlers = new Map<string, Set<(data: unknown) => void>>();
  transport.subscribe((event, data) => {
    if (!isEventName(event)) return;
    const parsed = events[event].safeParse(data);
    if (!parsed.success) return console.warn(`dropped malformed ${event} event`, parsed.error.issues);
    for (const h of handlers.get(event) ?? []) h(parsed.data);
  });
  return {
    mode: transport.mode,
    async call(method, params) {
      const outcome = await transport.call(method, params);
      if (!outcome.ok) throw new ApiError(outcome.error.code, outcome.error.message, outcome.error.issues);
      return methods[method].response.parse(outcome.result) as never;
    },
    on(event, handler) {
      const set = handlers.get(event) ?? new Set();
      handlers.set(event, set);
      set.add(handler as (data: unknown) => void);
      return () => set.delete(handler as (data: unknown) => void);
    },
    thumbUrl: (kind, id) => transport.thumbUrl(kind, id),
    pathForFile: (file) => transport.pathForFile?.(file) ?? null,
  };
}
