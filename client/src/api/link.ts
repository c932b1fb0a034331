import type { ProblemCode } from '@minyi/shared/problems'
import { type LinkResolution, LinkResolution as LinkResolutionSchema, type QuestionnaireVersion } from '@minyi/shared/schemas'

/** A resolved link whose campaign has a published questionnaire (what the page can render). */
export type LinkData = LinkResolution & { campaign: { questionnaire: QuestionnaireVersion } }

export type LinkResult = { ok: true; data: LinkData } | { ok: false; code: ProblemCode }

export function linkUrl(token: string): string {
  return `/api/v1/links/${encodeURIComponent(token)}`
}

/**
 * `GET /api/v1/links/:token`, parsed with the shared schema. Through the service worker when there
 * is one: network first, the cached copy when offline.
 */
export async function fetchLink(token: string, fetchFn: typeof fetch = (...a) => fetch(...a)): Promise<LinkResult> {
  let res: Response
  try {
    res = await fetchFn(linkUrl(token), { headers: { accept: 'application/json' } })
  } catch {
    return { ok: false, code: 'network' }
  }
  if (res.status === 404 || res.status === 410) return { ok: false, code: 'not_found' }
  if (!res.ok) return { ok: false, code: res.status === 429 ? 'rate_limited' : 'internal' }
  const parsed = LinkResolutionSchema.safeParse(await res.json().catch(() => null))
  if (!parsed.success) return { ok: false, code: 'validation_failed' }
  const data = parsed.data
  return data.campaign.questionnaire ? { ok: true, data: data as LinkData } : { ok: false, code: 'not_found' }
}
