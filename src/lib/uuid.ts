/** An id as PostgreSQL writes a uuid; it reads one in either case, so either is accepted. */
export const uuidSource = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

const uuidPattern = new RegExp(`^${uuidSource}$`);

export const isUuid = (value: string): boolean => uuidPattern.test(value);
