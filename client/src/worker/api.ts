import { isProblemCode, type ProblemCode } from '@minyi/shared/problems'
import { CampaignSummary, CommunityProgress, LoginResponse, StaffCampaignDetail } from '@minyi/shared/schemas'
import type { z } from 'zod'

/** A failed call with a code from shared/src/problems.ts (`network` when the server was not reached). */
export class WorkerApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
  ) {
    super(code)
  }
}

/**
 * The worker app's calls, each with one worker's bearer token and never a cookie (`credentials: omit`:
 * several workers share a phone, and a password sign-in must not leave a cookie behind either). Every
 * answer is parsed with the shared schemas.
 */
async function call<T extends z.ZodType>(schema: T, method: string, path: string, token?: string, body?: unknown): Promise<z.infer<T>> {
  let res: Response
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      credentials: 'omit',
      cache: 'no-store',
      headers: {
        accept: 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    throw new WorkerApiError(0, 'network')
  }
  const data: unknown = res.status === 204 ? null : await res.json().catch(() => null)
  if (!res.ok) {
    const code = (data as { code?: unknown } | null)?.code
    throw new WorkerApiError(res.status, isProblemCode(code) ? code : res.status >= 500 ? 'unavailable' : 'bad_request')
  }
  const parsed = schema.safeParse(data)
  if (!parsed.success) throw new WorkerApiError(res.status, 'internal')
  return parsed.data
}

const c = (id: string, rest = '') => `/campaigns/${encodeURIComponent(id)}${rest}`

export const workerApi = {
  login: (login: string, password: string) => call(LoginResponse, 'POST', '/auth/login', undefined, { login, password }),
  enrol: (code: string) => call(LoginResponse, 'POST', '/auth/enrol', undefined, { code }),
  logout: (token: string) =>
    fetch('/api/v1/auth/logout', { method: 'POST', credentials: 'omit', headers: { authorization: `Bearer ${token}` } }),
  campaigns: (token: string) => call(CampaignSummary.array(), 'GET', '/campaigns', token),
  campaign: (token: string, id: string) => call(StaffCampaignDetail, 'GET', c(id), token),
  progress: (token: string, id: string) => call(CommunityProgress.array(), 'GET', c(id, '/progress'), token),
}
