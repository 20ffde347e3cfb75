import { toJsonSchema } from '@valibot/to-json-schema';
import archiveSchema from '../../../../schemas/event-archive.schema.json';
import { operations, type Operation } from './operations';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string', description: 'A sentence the user can act on.' } }
    }
  }
};

/** The request body's JSON Schema, from the operation's validation schema, less what the path carries. */
function bodySchema(operation: Operation, pathNames: string[]): JsonSchema | undefined {
  if (operation.id === 'importEvent') return { $ref: '#/components/schemas/EventArchive' };
  if (!operation.body) return undefined;
  const schema = toJsonSchema(operation.body, { errorMode: 'ignore', typeMode: 'input' }) as JsonSchema;
  delete schema.$schema;
  for (const name of pathNames) {
    delete schema.properties?.[name];
    schema.required = schema.required?.filter((r) => r !== name);
  }
  if (schema.required?.length === 0) delete schema.required;
  return schema;
}

/** The OpenAPI 3.1 document of /api/v1, made from the same table the router uses. */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const pathNames = [...operation.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const body = operation.method === 'GET' || operation.method === 'DELETE' ? undefined : bodySchema(operation, pathNames);
    const success = String(operation.status ?? 200);
    const content =
      operation.produces === 'text/event-stream'
        ? { 'text/event-stream': { schema: { type: 'string' } } }
        : operation.produces === 'file'
          ? { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } }
          : { 'application/json': { schema: {} } };
    // Full paths from the server's root, so a client joins them to the origin as they are.
    const path = `/api/v1${operation.path}`;
    paths[path] ??= {};
    paths[path][operation.method.toLowerCase()] = {
      operationId: operation.id,
      summary: operation.summary,
      ...(operation.auth === 'public' ? { security: [] } : {}),
      parameters: [
        ...pathNames.map((name) => ({ name, in: 'path', required: true, schema: name.endsWith('Id') ? { type: 'string', format: 'uuid' } : { type: 'string' } })),
        ...Object.entries(operation.query ?? {}).map(([name, q]) => ({
          name,
          in: 'query',
          required: false,
          description: q.description,
          schema: q.enum ? { type: 'string', enum: q.enum } : { type: 'string' }
        }))
      ],
      ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
      responses: {
        [success]: { description: 'Done.', content },
        '4XX': { description: 'A request the server refuses, and why.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
      }
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Kennisdag API',
      version: '1.0.0',
      description: 'Run a knowledge day: events, agenda, theses, live polls, notes and the recap. Every error is `{error: {code, message}}`.'
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The token from signIn or joinEvent.' } },
      schemas: { Error: errorSchema, EventArchive: archiveSchema }
    },
    paths
  };
}
