import {
  IPC_ERROR_CODES,
  type BackendEvent,
  type BackendEventDto,
  type FormField,
  type IpcError,
  type IpcErrorCode,
} from './contract';

const FORM_FIELDS: readonly string[] = ['issuer', 'name', 'secret', 'digits', 'period', 'counter'];
function isFormField(field: unknown): field is FormField {
  return typeof field === 'string' && FORM_FIELDS.includes(field);
}

function isKnownCode(code: unknown): code is IpcErrorCode {
  return typeof code === 'string' && (IPC_ERROR_CODES as readonly string[]).includes(code);
}

/**
 * Normalizes whatever `invoke` rejected with. Our commands reject with `{code, message}`; Tauri
 * itself rejects with a plain string (unknown command, denied permission), and a bug could throw
 * anything. Unknown codes become `unknown` so the UI never branches on text.
 */
export function toIpcError(raw: unknown): IpcError {
  if (typeof raw === 'object' && raw !== null && 'code' in raw) {
    const { code, message, field } = raw as { code: unknown; message?: unknown; field?: unknown };
    const error: IpcError = {
      code: isKnownCode(code) ? code : 'unknown',
      message: typeof message === 'string' ? message : String(code),
    };
    // `field` only names a form field for invalid_input; anything else is dropped.
    if (isFormField(field)) error.field = field;
    return error;
  }
  if (raw instanceof Error) return { code: 'unknown', message: raw.message };
  return { code: 'unknown', message: typeof raw === 'string' ? raw : 'unexpected error' };
}

/** Runs an IPC call, rejecting only with a normalized `IpcError`. */
export async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (raw) {
    throw toIpcError(raw);
  }
}

/** An event from Rust as `firstScreen` hands it to its handler: its error, if any, normalized like a rejected command's. */
export function normalizeEvent(event: BackendEventDto): BackendEvent {
  return 'error' in event ? { ...event, error: toIpcError(event.error) } : event;
}
