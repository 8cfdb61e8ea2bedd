/** Error codes the executor answers with; a string code survives the process boundary. */
export const EXECUTOR_ERROR_CODES = [
  'UNAUTHORIZED',
  'VALIDATION_FAILED',
  'UNKNOWN_ACTION',
  'SESSION_NOT_FOUND',
  'ROUTER_UNREACHABLE',
  'DESTINATION_NOT_ALLOWED',
  'ROUTER_AUTH_FAILED',
  'HOST_KEY_MISMATCH',
  'TIMEOUT',
  'COMMAND_FAILED',
  'MANAGEMENT_ADDRESS',
  'UNSUPPORTED_PLATFORM',
  'NOT_FOUND',
  'INVALID_PATH',
  'INVALID_TEXT',
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INTERNAL_ERROR',
] as const;

export type ExecutorErrorCode = (typeof EXECUTOR_ERROR_CODES)[number];

/** HTTP status the executor uses for each error code. */
export const EXECUTOR_ERROR_STATUS: Readonly<Record<ExecutorErrorCode, number>> = Object.freeze({
  UNAUTHORIZED: 401,
  VALIDATION_FAILED: 400,
  UNKNOWN_ACTION: 404,
  SESSION_NOT_FOUND: 404,
  ROUTER_UNREACHABLE: 502,
  DESTINATION_NOT_ALLOWED: 403,
  ROUTER_AUTH_FAILED: 502,
  HOST_KEY_MISMATCH: 502,
  TIMEOUT: 504,
  COMMAND_FAILED: 502,
  MANAGEMENT_ADDRESS: 409,
  UNSUPPORTED_PLATFORM: 400,
  NOT_FOUND: 404,
  INVALID_PATH: 400,
  INVALID_TEXT: 400,
  BAD_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL_ERROR: 500,
});

export interface EnvelopeError {
  code: ExecutorErrorCode;
  message: string;
  details?: unknown;
}

export interface EnvelopeMetadata {
  sessionId: string | null;
  routerId: string | null;
  action: string | null;
  durationMs: number;
  connectionReused: boolean | null;
  hostKeySha256: string | null;
  /** Only for routers behind a jumpHost: the bastion's key as seen (pin it like hostKeySha256). */
  jumpHostKeySha256?: string | null;
  timestamp: string;
}

/** Every executor response body, success or failure. */
export interface Envelope<T = unknown> {
  success: boolean;
  data: T | null;
  error: EnvelopeError | null;
  metadata: EnvelopeMetadata;
}

/** Metadata with every field present; callers override what they know. */
export function emptyMetadata(overrides: Partial<EnvelopeMetadata> = {}): EnvelopeMetadata {
  return {
    sessionId: null,
    routerId: null,
    action: null,
    durationMs: 0,
    connectionReused: null,
    hostKeySha256: null,
    timestamp: new Date().toISOString(),
    ...overrides,
  };
}

/** Builds a success envelope. */
export function okEnvelope<T>(data: T, metadata: Partial<EnvelopeMetadata> = {}): Envelope<T> {
  return { success: true, data, error: null, metadata: emptyMetadata(metadata) };
}

/** Builds a failure envelope. */
export function errorEnvelope(
  error: EnvelopeError,
  metadata: Partial<EnvelopeMetadata> = {},
): Envelope<never> {
  const e: EnvelopeError = { code: error.code, message: error.message };
  if (error.details !== undefined) e.details = error.details;
  return { success: false, data: null, error: e, metadata: emptyMetadata(metadata) };
}
