import type {
  ApiToken,
  Breakdown,
  CampaignCreateInput,
  CampaignDetail,
  CampaignLink,
  CampaignPatchInput,
  CampaignSummary,
  ChainVerdict,
  CommentPage,
  Device,
  Flag,
  HouseholdCodeBatch,
  Indicator,
  OrgUnit,
  QuestionnaireContent,
  StaffUser,
  StaffUserInput,
  StaffUserUpdate,
  SymposiumItem,
  SymposiumSummary,
  SyncResponse,
} from '@minyi/shared/schemas'

/**
 * The console's calls to the server's JSON API. The session is the HttpOnly cookie set by
 * `POST /api/v1/auth/login` (same origin, so the server's Origin check on writes passes); no token
 * is kept in script-readable storage. Every non-2xx answer becomes an `ApiError` with the server's
 * stable `code`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Field-level details of a validation failure (zod issue paths). */
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message)
  }
}

/** What a failed call says on the page: the server's message, with its field-level details if any. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError && e.details.length) return `${e.message}: ${e.details.map((d) => `${d.path} ${d.message}`).join('; ')}`
  return e instanceof Error ? e.message : String(e)
}

/** Dispatched on `window` when the server no longer knows the session. */
export const SIGNED_OUT = 'minyi:signed-out'

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    throw new ApiError(0, 'network_error', 'network')
  }
  if (res.status === 204) return undefined as T
  const data = (await res.json().catch(() => null)) as {
    code?: string
    message?: string
    details?: { path: string; message: string }[]
  } | null
  // A session that expired or was revoked mid-use: the console goes back to its sign-in form.
  if (res.status === 401 && path !== '/auth/login' && path !== '/auth/me') window.dispatchEvent(new Event(SIGNED_OUT))
  if (!res.ok) throw new ApiError(res.status, data?.code ?? 'http_error', data?.message ?? `HTTP ${res.status}`, data?.details ?? [])
  return data as T
}

export interface Me {
  user: StaffUser
  session: { id: string; via: string; expiresAt: string }
}

export interface FlaggedResponse {
  id: string
  communityId: string
  channel: string
  questionnaireVersion: number
  deviceId: string
  workerId: string | null
  startedAt: string
  submittedAt: string
  receivedAt: string
  answers: Record<string, unknown>
  flags: Flag[]
  exclusion: string | null
  review: string | null
}

export const api = {
  me: () => call<Me>('GET', '/auth/me'),
  login: (login: string, password: string) => call<unknown>('POST', '/auth/login', { login, password }),
  logout: () => call<void>('POST', '/auth/logout'),
  campaigns: () => call<CampaignSummary[]>('GET', '/campaigns'),
  campaign: (id: string) => call<CampaignDetail>('GET', `/campaigns/${encodeURIComponent(id)}`),
  indicator: (id: string) => call<Indicator>('GET', `/campaigns/${encodeURIComponent(id)}/indicator`),
  links: (id: string) => call<CampaignLink[]>('GET', `/campaigns/${encodeURIComponent(id)}/links`),
  devices: (id: string) => call<Device[]>('GET', `/campaigns/${encodeURIComponent(id)}/devices`),
  householdCodes: (id: string, communityId: string, count: number) =>
    call<HouseholdCodeBatch>('POST', `/campaigns/${encodeURIComponent(id)}/household-codes`, { communityId, count }),
  comments: (id: string, q: string, before: string) =>
    call<CommentPage>('GET', `/campaigns/${encodeURIComponent(id)}/comments?${new URLSearchParams({ q, before, limit: '50' })}`),
  breakdown: (id: string, questionId: string) =>
    call<Breakdown>('GET', `/campaigns/${encodeURIComponent(id)}/breakdown/${encodeURIComponent(questionId)}`),
  symposiums: (id: string) => call<SymposiumSummary[]>('GET', `/campaigns/${encodeURIComponent(id)}/symposiums`),
  symposiumLink: (id: string, symposiumId: string) =>
    call<{ url: string }>('POST', `/campaigns/${encodeURIComponent(id)}/symposiums/${encodeURIComponent(symposiumId)}/link`),
  symposiumCount: (id: string, symposiumId: string) =>
    call<{ id: string; title: string; sheets: number }>(
      'GET',
      `/campaigns/${encodeURIComponent(id)}/symposiums/${encodeURIComponent(symposiumId)}/count`,
    ),
  /** Records a symposium the way a recorder's device does: one sync item of kind `symposium`. */
  recordSymposium: async (item: SymposiumItem) => {
    const res = await call<SyncResponse>('POST', '/sync', { deviceId: 'console-web', appVersion: 'console', outboxSize: 0, items: [item] })
    const result = res.results[0]
    if (result?.status !== 'created' && result?.status !== 'duplicate')
      throw new ApiError(400, result?.code ?? 'rejected', result?.message ?? result?.code ?? 'rejected')
  },
  patchCampaign: (id: string, patch: CampaignPatchInput) => call<unknown>('PATCH', `/campaigns/${encodeURIComponent(id)}`, patch),
  activity: (id: string) => call<{ communityId: string; lastReceivedAt: string }[]>('GET', `/campaigns/${encodeURIComponent(id)}/activity`),
  draft: (id: string) => call<QuestionnaireContent>('GET', `/campaigns/${encodeURIComponent(id)}/questionnaire`),
  saveDraft: (id: string, content: QuestionnaireContent) =>
    call<unknown>('PUT', `/campaigns/${encodeURIComponent(id)}/questionnaire`, content),
  publish: (id: string) =>
    call<{ version: number; publishedAt: string }>('POST', `/campaigns/${encodeURIComponent(id)}/questionnaire/publish`),
  orgUnits: () => call<OrgUnit[]>('GET', '/org-units'),
  createCampaign: (input: CampaignCreateInput) => call<{ id: string }>('POST', '/campaigns', input),
  staff: () => call<StaffUser[]>('GET', '/staff'),
  createStaff: (input: StaffUserInput) => call<StaffUser>('POST', '/staff', input),
  updateStaff: (id: string, patch: StaffUserUpdate) => call<StaffUser>('PATCH', `/staff/${encodeURIComponent(id)}`, patch),
  revokeSessions: (id: string) => call<unknown>('POST', `/staff/${encodeURIComponent(id)}/sessions/revoke`),
  tokens: () => call<ApiToken[]>('GET', '/tokens'),
  createToken: (name: string) => call<ApiToken & { token: string }>('POST', '/tokens', { name }),
  revokeToken: (id: string) => call<ApiToken>('POST', `/tokens/${encodeURIComponent(id)}/revoke`),
  verify: (id: string) => call<ChainVerdict>('GET', `/campaigns/${encodeURIComponent(id)}/log/verify`),
  flagged: (id: string) => call<FlaggedResponse[]>('GET', `/campaigns/${encodeURIComponent(id)}/responses?limit=200`),
  review: (id: string, responseId: string, action: 'exclude' | 'include' | 'reset', reason: string) =>
    call<unknown>('PATCH', `/campaigns/${encodeURIComponent(id)}/responses/${encodeURIComponent(responseId)}/review`, { action, reason }),
}
