import {
  Breakdown,
  CampaignDetail,
  CampaignLink,
  CampaignSummary,
  ChainVerdict,
  Indicator,
  LoginRequest,
  LoginResponse,
  OrgUnit,
  SyncItem,
  SyncRequest,
  SyncResponse,
} from '@minyi/shared/schemas'
import { z } from 'zod'

/**
 * `GET /api/v1/openapi.json`: the OpenAPI 3.1 description of what outside tools use — the
 * statistics a read-only token pulls (campaigns, the indicator, the evidence check, org units), the
 * login, the QR links and the sync contract. Component schemas are generated from the shared zod
 * schemas the server validates and answers with, so the description cannot drift from the code;
 * `tests/integration/server-openapi.test.ts` validates live answers against it.
 */

type Json = Record<string, unknown>

/** The shared schemas as OpenAPI components (JSON Schema 2020-12, which OpenAPI 3.1 uses). */
function components(io: 'input' | 'output', entries: Record<string, z.ZodType>): Record<string, Json> {
  const registry = z.registry<{ id: string }>()
  for (const [id, schema] of Object.entries(entries)) registry.add(schema, { id })
  const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}`, unrepresentable: 'any' })
  const out: Record<string, Json> = {}
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema as Json
    // Answers may gain fields ("more fields may be added", PRODUCT.md Contracts; staff also get
    // e.g. a campaign's householdSalt), so clients must not be told that none will come.
    out[id] = io === 'output' ? (openObjects(rest) as Json) : rest
  }
  return out
}

/** Drops `additionalProperties: false` at every level. */
function openObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(openObjects)
  if (schema === null || typeof schema !== 'object') return schema
  const out: Json = {}
  for (const [k, v] of Object.entries(schema)) if (!(k === 'additionalProperties' && v === false)) out[k] = openObjects(v)
  return out
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` })
const json = (schema: Json, description = 'OK') => ({ description, content: { 'application/json': { schema } } })
const problem = (description: string) => json(ref('Problem'), description)
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'campaign id' }
const STATS_SECURITY = [{ bearer: [] }, { session: [] }]

function build(): Json {
  const schemas = {
    ...components('output', {
      CampaignSummary,
      CampaignDetail,
      CampaignLink,
      Indicator,
      Breakdown,
      ChainVerdict,
      OrgUnit,
      LoginResponse,
      SyncResponse,
    }),
    ...components('input', { LoginRequest, SyncRequest, SyncItem }),
    Problem: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'stable error code (shared/src/problems.ts)' },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
  }
  const denied = { 401: problem('not signed in / no token'), 403: problem('not allowed for this role or token') }
  return {
    openapi: '3.1.0',
    info: {
      title: 'minyi API',
      version: '1',
      description:
        'Resident satisfaction collection and the service-satisfaction indicator. Statistics are read with a ' +
        'read-only API token (created by an admin: POST /api/v1/tokens) as `Authorization: Bearer mya_…`, or ' +
        'with a staff session. Every 4xx answer carries a stable `code` and a `message`.',
    },
    servers: [{ url: '/api/v1' }],
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'a staff token from POST /auth/login, or a read-only API token' },
        session: { type: 'apiKey', in: 'cookie', name: 'minyi_session' },
      },
    },
    paths: {
      '/health': { get: { summary: 'liveness', responses: { 200: json({ type: 'object' }) } } },
      '/auth/login': {
        post: {
          summary: 'staff login: sets the session cookie and returns a bearer token',
          requestBody: { required: true, content: { 'application/json': { schema: ref('LoginRequest') } } },
          responses: {
            200: json(ref('LoginResponse')),
            400: problem('malformed body'),
            401: problem('wrong login or password'),
            429: problem('too many attempts'),
          },
        },
      },
      '/campaigns': {
        get: {
          summary: 'campaigns',
          security: STATS_SECURITY,
          responses: { 200: json({ type: 'array', items: ref('CampaignSummary') }), ...denied },
        },
      },
      '/campaigns/{id}': {
        get: {
          summary: 'a campaign with its communities, indicator config and current questionnaire',
          security: STATS_SECURITY,
          parameters: [idParam],
          responses: { 200: json(ref('CampaignDetail')), ...denied, 404: problem('unknown campaign') },
        },
      },
      '/campaigns/{id}/indicator': {
        get: {
          summary: 'the service-satisfaction indicator (METHOD.md), from the kept aggregates',
          description:
            'With the door-to-door figures: `fieldwork` (METHOD.md §11: households by the outcome of their latest visit, response rate RR1 and contact rate; the same object in each `byCommunity` and `byStreet` entry), `byStreet` (one line per street, 街道: its communities pooled, post-stratified within the street) and `interviewers` (§10: each worker with a valid door questionnaire, n_W, n_O, the rate gap z, uniformity u, the speed ratio, and the flags `rateOutlier` (|z| > 3.29) and `uniform` (u < 0.5); a figure METHOD.md calls absent, and its flag, is null).',
          security: STATS_SECURITY,
          parameters: [
            idParam,
            {
              name: 'recompute',
              in: 'query',
              required: false,
              schema: { type: 'string', enum: ['1'] },
              description: 'recompute from every stored response instead (the identical object, slower)',
            },
          ],
          responses: {
            200: json(ref('Indicator')),
            ...denied,
            404: problem('unknown campaign'),
            409: problem('no published questionnaire yet'),
          },
        },
      },
      '/campaigns/{id}/breakdown/{questionId}': {
        get: {
          summary: 'the rate per answer to a single-choice (profile) question, each group judged as the indicator is',
          security: STATS_SECURITY,
          parameters: [idParam, { name: 'questionId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: json(ref('Breakdown')), ...denied, 404: problem('unknown campaign, or not a single-choice question') },
        },
      },
      '/campaigns/{id}/log/verify': {
        get: {
          summary: 'walks the hash-chained evidence log of accepted responses and checks the head’s Ed25519 signature',
          security: STATS_SECURITY,
          parameters: [
            idParam,
            {
              name: 'seq',
              in: 'query',
              required: false,
              schema: { type: 'integer', minimum: 1 },
              description: 'a published head’s sequence number (with hash): is it still in the chain?',
            },
            {
              name: 'hash',
              in: 'query',
              required: false,
              schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
              description: 'the published head’s hash',
            },
          ],
          responses: {
            200: json(ref('ChainVerdict')),
            ...denied,
            400: problem('seq without hash or the reverse'),
            404: problem('unknown campaign'),
          },
        },
      },
      '/campaigns/{id}/report.docx': {
        get: {
          summary: 'the 服务群众满意度 section of a 绩效自评报告 as a Word document (A4, tables, charts), built from the indicator',
          security: STATS_SECURITY,
          parameters: [
            idParam,
            {
              name: 'lang',
              in: 'query',
              required: false,
              schema: { type: 'string', enum: ['zh', 'en'] },
              description: 'zh-CN unless `en`',
            },
          ],
          responses: {
            200: {
              description: 'the document, as an attachment',
              content: {
                'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { schema: { type: 'string', format: 'binary' } },
              },
            },
            ...denied,
            404: problem('unknown campaign'),
            409: problem('no published questionnaire yet'),
          },
        },
      },
      '/campaigns/{id}/links': {
        get: {
          summary: 'the QR links per community and channel (evaluators, admins)',
          security: STATS_SECURITY,
          parameters: [idParam],
          responses: { 200: json({ type: 'array', items: ref('CampaignLink') }), ...denied, 404: problem('unknown campaign') },
        },
      },
      '/org-units': {
        get: {
          summary: 'district → street → community, with populations',
          security: STATS_SECURITY,
          responses: { 200: json({ type: 'array', items: ref('OrgUnit') }), ...denied },
        },
      },
      '/sync': {
        post: {
          summary: 'a device outbox batch (≤ 100 items, ≤ 512 KB): one result per item, in order',
          description:
            'Each item is a `SyncItem`: a questionnaire (`kind: "response"`), a symposium record (`"symposium"`), a remark added to it later (`"remark"`), a change of a remark’s follow-up (`"follow_up"`) or a door-to-door visit (`"visit"`), checked one by one (a bad item is `rejected` with a code, the others are stored). Anonymous for QR answers; door and paper answers and visits need a worker token, for a community assigned to the worker. Replays are `duplicate`, other content under a stored id is `conflict` (kept, never applied). A visit names the household only by the key the device made (HMAC-SHA-256 of the door number with the campaign salt, 64 hex digits); position evidence keeps 3 decimals.',
          requestBody: { required: true, content: { 'application/json': { schema: ref('SyncRequest') } } },
          responses: {
            200: json(ref('SyncResponse')),
            400: problem('malformed envelope'),
            403: problem('read-only tokens never write'),
            413: problem('over 100 items or 512 KB'),
            429: problem('rate limited (see Retry-After)'),
          },
        },
      },
    },
  }
}

let cached: Json | undefined
export function openApiDocument(): Json {
  cached ??= build()
  return cached
}
