/**
 * Provisioning endpoints of contract.md: accounts, circles, uniques, bulk import, password overwrite.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Provisioning, UniqueInput } from '../../app/index.js';
import { UNIQUE_TYPES } from '../../domain/index.js';
import { parseCsv } from '../csv.js';
import { HttpError } from '../http-error.js';

export interface ProvisioningRoutesOptions {
  readonly provisioning: Provisioning;
}

const nullableString = { type: ['string', 'null'], maxLength: 500 } as const;

const uniqueBodySchema = {
  type: 'object',
  required: ['number', 'circleNumber', 'type', 'password'],
  additionalProperties: false,
  properties: {
    number: { type: 'string', maxLength: 32 },
    circleNumber: { type: 'string', maxLength: 32 },
    type: { type: 'string', enum: [...UNIQUE_TYPES] },
    password: { type: 'string', maxLength: 64 },
    loginServer: { type: 'string', maxLength: 260 },
  },
} as const;

const IMPORT_FIELDS = ['number', 'circleNumber', 'type', 'password', 'loginServer'] as const;

/** CSV with a header row naming the fields (any order; loginServer optional). */
function rowsFromCsv(text: string): UniqueInput[] {
  const parsed = parseCsv(text);
  if (!parsed.ok) throw new HttpError(400, 'HTTP_ERR_CSV', `CSV line ${parsed.line}: ${parsed.reason}`);
  const [header, ...rows] = parsed.rows;
  if (!header) throw new HttpError(400, 'HTTP_ERR_CSV', 'CSV is empty: the first line must name the columns number,circleNumber,type,password[,loginServer]');
  const names = header.map((h) => h.trim());
  for (const required of ['number', 'circleNumber', 'type', 'password'])
    if (!names.includes(required)) throw new HttpError(400, 'HTTP_ERR_CSV', `CSV header lacks the column "${required}"`);
  for (const name of names)
    if (!(IMPORT_FIELDS as readonly string[]).includes(name)) throw new HttpError(400, 'HTTP_ERR_CSV', `CSV header has an unknown column "${name}"`);
  return rows.map((cells, i) => {
    if (cells.length !== names.length)
      throw new HttpError(400, 'HTTP_ERR_CSV', `row ${i + 1}: expected ${names.length} fields, found ${cells.length}`);
    const record: Record<string, string> = {};
    names.forEach((name, j) => (record[name] = cells[j]!.trim()));
    return record as unknown as UniqueInput;
  });
}

function rowsFromJson(body: unknown): UniqueInput[] {
  if (!Array.isArray(body)) throw new HttpError(400, 'HTTP_ERR_IMPORT_BODY', 'send a JSON array of uniques or a text/csv body');
  return body.map((item, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw new HttpError(400, 'HTTP_ERR_IMPORT_BODY', `row ${i + 1}: expected an object`);
    const record = item as Record<string, unknown>;
    for (const key of Object.keys(record))
      if (!(IMPORT_FIELDS as readonly string[]).includes(key)) throw new HttpError(400, 'HTTP_ERR_IMPORT_BODY', `row ${i + 1}: unknown field "${key}"`);
    for (const key of IMPORT_FIELDS)
      if (record[key] !== undefined && typeof record[key] !== 'string') throw new HttpError(400, 'HTTP_ERR_IMPORT_BODY', `row ${i + 1}: ${key} must be a string`);
    return record as unknown as UniqueInput;
  });
}

export const provisioningRoutes: FastifyPluginAsync<ProvisioningRoutesOptions> = async (app, { provisioning }) => {
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: 20 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.post(
    '/accounts',
    {
      schema: {
        tags: ['provisioning'],
        body: {
          type: 'object',
          required: ['loginId'],
          additionalProperties: false,
          properties: { loginId: { type: 'string', minLength: 1, maxLength: 64 }, name: nullableString },
        },
      },
    },
    async (request, reply) => {
      const body = request.body as { loginId: string; name?: string | null };
      const account = await provisioning.createAccount(body.loginId, body.name ?? null);
      return reply.status(201).send({ loginId: account.loginId, name: account.name, createdAt: account.createdAt.toISOString() });
    },
  );

  app.post(
    '/circles',
    {
      schema: {
        tags: ['provisioning'],
        body: {
          type: 'object',
          required: ['number', 'accountLoginId'],
          additionalProperties: false,
          properties: {
            number: { type: 'string', maxLength: 32 },
            accountLoginId: { type: 'string', maxLength: 64 },
            userInfo: nullableString,
            department: nullableString,
            contact: nullableString,
            appliedOn: { type: ['string', 'null'], maxLength: 10 },
            state: { type: 'string', enum: ['active', 'cancelled', 'other'] },
          },
        },
      },
    },
    async (request, reply) => {
      const circle = await provisioning.createCircle(request.body as Parameters<Provisioning['createCircle']>[0]);
      return reply.status(201).send({ ...circle, createdAt: circle.createdAt.toISOString() });
    },
  );

  app.post('/uniques', { schema: { tags: ['provisioning'], body: uniqueBodySchema } }, async (request, reply) => {
    const unique = await provisioning.createUnique(request.body as UniqueInput);
    return reply.status(201).send({
      number: unique.number,
      circle: unique.circleNumber,
      type: unique.type,
      loginServer: unique.loginServer,
      createdAt: unique.createdAt.toISOString(),
    });
  });

  app.post(
    '/uniques/import',
    {
      bodyLimit: 20 * 1024 * 1024,
      // A 20 MB import (~300,000 lines; 10,000 take 0.5 s: README Benchmarks) may rightly outlast the API deadline.
      config: { deadline: false },
      schema: { tags: ['provisioning'], description: 'JSON array or text/csv with a header row: number,circleNumber,type,password[,loginServer]' },
    },
    async (request, reply) => {
      const rows = typeof request.body === 'string' ? rowsFromCsv(request.body) : rowsFromJson(request.body);
      const imported = await provisioning.importUniques(rows);
      return reply.status(201).send({ imported });
    },
  );

  app.put(
    '/uniques/:number/password',
    {
      schema: {
        tags: ['provisioning'],
        params: { type: 'object', properties: { number: { type: 'string', maxLength: 32 } }, required: ['number'] },
        body: { type: 'object', required: ['password'], additionalProperties: false, properties: { password: { type: 'string', maxLength: 64 } } },
      },
    },
    async (request) => {
      const { number } = request.params as { number: string };
      const unique = await provisioning.setPassword(number, (request.body as { password: string }).password);
      return { unique: unique.number, passwordChangedAt: unique.passwordChangedAt?.toISOString() ?? null };
    },
  );
};
