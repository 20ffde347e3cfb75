import { translator, type MessageKey } from './i18n';

type MessageParams = Record<string, string | number>;

/** An error a user can act on: an HTTP status, a stable code and a sentence. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** When set, the sentence comes from the dictionaries and can be said in the reader's language. */
    readonly messageKey?: MessageKey,
    readonly messageParams?: MessageParams
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/** An AppError whose sentence is in the dictionaries: English by default, translated where the reader is known. */
export function userError(status: number, code: string, key: MessageKey, params?: MessageParams): AppError {
  return new AppError(status, code, translator('en')(key, params), key, params);
}

/** The error's sentence in the reader's language, where the dictionaries have it. */
export function messageIn(error: AppError, t: (key: MessageKey, params?: MessageParams) => string): string {
  return error.messageKey ? t(error.messageKey, error.messageParams) : error.message;
}
