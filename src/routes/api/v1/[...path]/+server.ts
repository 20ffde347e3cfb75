import { dispatch } from '$lib/server/api/router';
import type { RequestHandler } from './$types';

/** Every operation of the JSON API; the table in $lib/server/api/operations.ts says which is which. */
const handler: RequestHandler = (event) => dispatch(event, event.params.path);

export const GET = handler;
export const POST = handler;
export const PUT = handler;
export const PATCH = handler;
export const DELETE = handler;
