import {
  ApiToken,
  ApiTokenCreated,
  AuditPage,
  AuditVerdict,
  Breakdown,
  type CampaignCreateInput,
  CampaignDetail,
  CampaignDevice,
  CampaignLink,
  type CampaignPatchInput,
  CampaignSummary,
  CampaignWorker,
  ChainVerdict,
  CommentPage,
  CommunityActivity,
  EnrolmentCode,
  FlaggedResponse,
  type FollowUpItem,
  HouseholdCodeBatch,
  Indicator,
  LedgerEntry,
  LedgerSummary,
  LoginResponse,
  MeResponse,
  OrgUnit,
  PublishResult,
  QuestionnaireContent,
  RetentionPlan,
  RetentionResult,
  ReviewResult,
  SessionsRevoked,
  StaffUser,
  type StaffUserInput,
  type StaffUserUpdate,
  SymposiumCount,
  type SymposiumItem,
  SymposiumLink,
  SymposiumSummary,
  SyncResponse,
} from '@minyi/shared/schemas'
import type { z } from 'zod'

/**
 * The console's calls to the server's JSON API. The session is the HttpOnly cookie set by
 * `POST /api/v1/auth/login` (same origin, so the server's Origin check on writes passes); no token
 * is kept in script-readable storage.
 *
 * Every answer is parsed with the shared schema the server answers with (in the browser zod runs
 * jitless, see shared/src/schemas/zod.ts), so a panel never reads a shape it was not promised. Every
 * failure becomes an `ApiError` carrying a stable code: the server's (shared/src/problems.ts), or
 * `network` / `malformed_reply` from here. The page words it with `problemText` (logic/problems.ts)
 * in its own locale; the server's zh `message` is never shown.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    /** Field-level details of a validation failure (zod issue paths). */
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(code)
    this.name = 'ApiError'
  }
}

/** Dispatched on `window` when the server no longer knows the session. */
export const SIGNED_OUT = 'minyi:signed-out'

const detailsOf = (data: unknown): { path: string; message: string }[] => {
  const details = (data as { details?: unknown } | null)?.details
  if (!Array.isArray(details)) return []
  return details
    .filter((d): d is { path: unknown; message: unknown } => typeof d === 'object' && d !== null)
    .map((d) => ({ path: String(d.path ?? ''), message: String(d.message ?? '') }))
}

/** Parses an answer with its schema; a shape the schema refuses is `malformed_reply`, never a half-read object. */
export function readAnswer<S extends z.ZodType>(schema: S, data: unknown, status = 200): z.output<S> {
  const parsed = schema.safeParse(data)
  if (!parsed.success)
    throw new ApiError(
      status,
      'malformed_reply',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    )
  return parsed.data
}

/** The API over `fetchFn`; `onSignedOut` runs when a call finds the session gone (401). */
export function createApi(fetchFn: typeof fetch, onSignedOut: () => void) {
  /** Sends one request; resolves with the JSON body of a 2xx answer (undefined for 204). */
  async function send(method: string, path: string, body?: unknown): Promise<unknown> {
    let res: Response
    try {
      res = await fetchFn(`/api/v1${path}`, {
        method,
        credentials: 'same-origin',
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    } catch {
      throw new ApiError(0, 'network')
    }
    if (res.status === 204) return undefined
    const data: unknown = await res.json().catch(() => null)
    // A session that expired or was revoked mid-use: the console goes back to its sign-in form.
    if (res.status === 401 && path !== '/auth/login' && path !== '/auth/me') onSignedOut()
    if (!res.ok) {
      const code = (data as { code?: unknown } | null)?.code
      throw new ApiError(res.status, typeof code === 'string' ? code : res.status >= 500 ? 'unavailable' : 'http_error', detailsOf(data))
    }
    return data
  }
  const call = async <S extends z.ZodType>(schema: S, method: string, path: string, body?: unknown): Promise<z.output<S>> =>
    readAnswer(schema, await send(method, path, body))
  const get = <S extends z.ZodType>(schema: S, path: string) => call(schema, 'GET', path)
  const list = <S extends z.ZodType>(item: S, path: string) => get(item.array(), path)
  const c = (id: string, rest = '') => `/campaigns/${encodeURIComponent(id)}${rest}`

  return {
    me: () => get(MeResponse, '/auth/me'),
    login: (login: string, password: string) => call(LoginResponse, 'POST', '/auth/login', { login, password }),
    logout: async () => {
      await send('POST', '/auth/logout')
    },
    campaigns: () => list(CampaignSummary, '/campaigns'),
    campaign: (id: string) => get(CampaignDetail, c(id)),
    indicator: (id: string) => get(Indicator, c(id, '/indicator')),
    links: (id: string) => list(CampaignLink, c(id, '/links')),
    devices: (id: string) => list(CampaignDevice, c(id, '/devices')),
    householdCodes: (id: string, communityId: string, count: number) =>
      call(HouseholdCodeBatch, 'POST', c(id, '/household-codes'), { communityId, count }),
    comments: (id: string, q: string, before: string) =>
      get(CommentPage, c(id, `/comments?${new URLSearchParams({ q, before, limit: '50' })}`)),
    breakdown: (id: string, questionId: string) => get(Breakdown, c(id, `/breakdown/${encodeURIComponent(questionId)}`)),
    symposiums: (id: string) => list(SymposiumSummary, c(id, '/symposiums')),
    symposiumLink: (id: string, symposiumId: string) =>
      call(SymposiumLink, 'POST', c(id, `/symposiums/${encodeURIComponent(symposiumId)}/link`)),
    symposiumCount: (id: string, symposiumId: string) => get(SymposiumCount, c(id, `/symposiums/${encodeURIComponent(symposiumId)}/count`)),
    ledger: (id: string) => list(LedgerEntry, c(id, '/ledger')),
    ledgerSummary: (id: string) => get(LedgerSummary, c(id, '/ledger/summary')),
    setRemarkPublic: (id: string, remarkId: string, pub: boolean) =>
      call(LedgerEntry, 'PUT', c(id, `/remarks/${encodeURIComponent(remarkId)}/public`), { public: pub }),
    /**
     * Records a symposium or a change of a follow-up the way a recorder's device does: one sync item
     * (kind `symposium` or `follow_up`); a replay of the same item is a duplicate.
     */
    record: async (item: SymposiumItem | FollowUpItem) => {
      const res = await call(SyncResponse, 'POST', '/sync', {
        deviceId: 'console-web',
        appVersion: 'console',
        outboxSize: 0,
        items: [item],
      })
      const result = res.results[0]
      if (result?.status !== 'created' && result?.status !== 'duplicate') throw new ApiError(400, result?.code ?? 'invalid_item')
    },
    patchCampaign: (id: string, patch: CampaignPatchInput) => call(CampaignDetail, 'PATCH', c(id), patch),
    activity: (id: string) => list(CommunityActivity, c(id, '/activity')),
    workers: (id: string) => list(CampaignWorker, c(id, '/workers')),
    draft: (id: string) => get(QuestionnaireContent, c(id, '/questionnaire')),
    saveDraft: (id: string, content: QuestionnaireContent) => call(QuestionnaireContent, 'PUT', c(id, '/questionnaire'), content),
    publish: (id: string) => call(PublishResult, 'POST', c(id, '/questionnaire/publish')),
    orgUnits: () => list(OrgUnit, '/org-units'),
    createCampaign: (input: CampaignCreateInput) => call(CampaignDetail, 'POST', '/campaigns', input),
    staff: () => list(StaffUser, '/staff'),
    createStaff: (input: StaffUserInput) => call(StaffUser, 'POST', '/staff', input),
    updateStaff: (id: string, patch: StaffUserUpdate) => call(StaffUser, 'PATCH', `/staff/${encodeURIComponent(id)}`, patch),
    revokeSessions: (id: string) => call(SessionsRevoked, 'POST', `/staff/${encodeURIComponent(id)}/sessions/revoke`),
    /** A one-time enrolment code (24 h) for a worker's phone: shown once, as a QR code of its URL. */
    enrolment: (id: string) => call(EnrolmentCode, 'POST', `/staff/${encodeURIComponent(id)}/enrolment`),
    tokens: () => list(ApiToken, '/tokens'),
    createToken: (name: string) => call(ApiTokenCreated, 'POST', '/tokens', { name }),
    revokeToken: (id: string) => call(ApiToken, 'POST', `/tokens/${encodeURIComponent(id)}/revoke`),
    /** The audit log (admins): a page for the query `logic/audit.ts` builds, and the chain check. */
    audit: (query: string) => get(AuditPage, `/audit?${query}`),
    verifyAudit: () => get(AuditVerdict, '/audit/verify'),
    /** Retention (admins): the dry run, and "delete now" with the campaign's title typed again. */
    retentionPlan: (id: string) => get(RetentionPlan, c(id, '/retention')),
    retentionDelete: (id: string, confirm: string) => call(RetentionResult, 'POST', c(id, '/retention/delete'), { confirm }),
    /** The chain walk and its head's signature; with `published`, also whether the chain still holds that head. */
    verify: (id: string, published?: { seq: number; hash: string }) =>
      get(ChainVerdict, c(id, `/log/verify${published ? `?seq=${published.seq}&hash=${encodeURIComponent(published.hash)}` : ''}`)),
    flagged: (id: string) => list(FlaggedResponse, c(id, '/responses?limit=200')),
    review: (id: string, responseId: string, action: 'exclude' | 'include' | 'reset', reason: string) =>
      call(ReviewResult, 'PATCH', c(id, `/responses/${encodeURIComponent(responseId)}/review`), { action, reason }),
  }
}

export const api = createApi(
  (...a) => fetch(...a),
  () => window.dispatchEvent(new Event(SIGNED_OUT)),
)
