import { translator, type MessageKey } from './i18n';

/** A parameter of a message: text, a number (formatted in the reader's language), or another message. */
export type MessageParam = string | number | { key: MessageKey };
export type MessageParams = Record<string, MessageParam>;

/** An error a user can act on: an HTTP status, a stable code and a sentence. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** When set, the sentence comes from the dictionaries and can be said in the reader's language. */
    readonly messageKey?: MessageKey,
    readonly messageParams?: MessageParams,
    /** The key is a general refusal standing in for this English sentence, which English readers still get. */
    readonly general = false
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

type Say = ((key: MessageKey, params?: Record<string, string | number>) => string) & { locale?: string };

/** A message with its parameters said in the same language. */
export function say(t: Say, key: MessageKey, params?: MessageParams): string {
  if (!params) return t(key);
  const said = Object.fromEntries(Object.entries(params).map(([name, value]) => [name, typeof value === 'object' ? t(value.key) : value]));
  return t(key, said);
}

/** An AppError whose sentence is in the dictionaries: English by default, translated where the reader is known. */
export function userError(status: number, code: string, key: MessageKey, params?: MessageParams): AppError {
  return new AppError(status, code, say(translator('en'), key, params), key, params);
}

/** The error's sentence in the reader's language, where the dictionaries have it. */
export function messageIn(error: AppError, t: Say): string {
  if (!error.messageKey || (error.general && t.locale === 'en')) return error.message;
  return say(t, error.messageKey, error.messageParams);
}
