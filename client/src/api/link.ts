import type { ProblemCode } from '@minyi/shared/problems'
import {
  type I18nText,
  type LinkResolution,
  LinkResolution as LinkResolutionSchema,
  type QuestionnaireVersion,
} from '@minyi/shared/schemas'

/** A resolved link whose campaign has a published questionnaire and a privacy notice (what the page renders). */
export type LinkData = LinkResolution & { campaign: { questionnaire: QuestionnaireVersion; privacyNotice: I18nText } }

declare global {
  interface Window {
    /** Set by public/boot.js: the link fetch started before the app's scripts arrived. */
    __minyiPrefetch?: { url: string; response: Promise<Response> }
  }
}

/** The prefetched response for this URL, once (a retry must go to the network again). */
function takePrefetched(url: string): Promise<Response> | null {
  const p = typeof window === 'undefined' ? undefined : window.__minyiPrefetch
  if (!p || p.url !== url) return null
  window.__minyiPrefetch = undefined
  return p.response
}

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
    res = await (takePrefetched(linkUrl(token)) ?? fetchFn(linkUrl(token), { headers: { accept: 'application/json' } }))
  } catch {
    return { ok: false, code: 'network' }
  }
  if (res.status === 404 || res.status === 410) return { ok: false, code: 'not_found' }
  if (!res.ok) return { ok: false, code: res.status === 429 ? 'rate_limited' : 'internal' }
  const parsed = LinkResolutionSchema.safeParse(await res.json().catch(() => null))
  if (!parsed.success) return { ok: false, code: 'validation_failed' }
  const { campaign } = parsed.data
  if (!campaign.questionnaire) return { ok: false, code: 'not_found' }
  // The server sends the notice; the shared default only loads if it didn't (template.ts parses the
  // whole template questionnaire when imported, which the first screen shouldn't pay for).
  const privacyNotice = campaign.privacyNotice ?? (await import('@minyi/shared/template')).PRIVACY_NOTICE
  return { ok: true, data: { ...parsed.data, campaign: { ...campaign, questionnaire: campaign.questionnaire, privacyNotice } } }
}
