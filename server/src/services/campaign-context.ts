import type { CampaignStatus, IndicatorConfig, Question, QuestionnaireContent } from '@minyi/shared/schemas'
import {
  type CampaignRow,
  getCampaigns,
  getVersion,
  listCampaignCommunities,
  listVersionNumbers,
  type ScopedCommunityRow,
} from '../db/queries/campaigns.ts'
import { ProblemError } from '../http/problem.ts'
import type { Deps } from './deps.ts'

/** A published questionnaire version, indexed for answer checks. Immutable, so cached for good. */
export interface VersionInfo {
  version: number
  publishedAt: string
  content: QuestionnaireContent
  questions: Question[]
  byId: Map<string, Question>
}

/** What ingest and the indicator need of a campaign, loaded in a few queries. */
export interface CampaignContext {
  row: CampaignRow
  config: IndicatorConfig
  communities: Map<string, ScopedCommunityRow>
  versions: Map<number, VersionInfo>
  latest: VersionInfo | null
}

/**
 * Campaign rows change rarely and ingest reads them on every batch; a short cache saves three
 * queries per batch. Writes through this process drop the entry at once; another instance's writes
 * are seen within TTL_MS, and a version or community this cache does not know yet triggers a fresh
 * load before anything is rejected (see `freshIfMissing`).
 */
const TTL_MS = 2000

interface Caches {
  contexts: Map<string, { ctx: CampaignContext; at: number }>
  versions: Map<string, VersionInfo>
}
// Per database, so that tests running several apps in one process never see each other's rows.
const byDb = new WeakMap<object, Caches>()
function caches(deps: Deps): Caches {
  let c = byDb.get(deps.db)
  if (!c) {
    c = { contexts: new Map(), versions: new Map() }
    byDb.set(deps.db, c)
  }
  return c
}

export function invalidateCampaign(deps: Deps, id: string): void {
  caches(deps).contexts.delete(id)
}

/** Drops every campaign's context: for writes to rows several campaigns share (org units and their populations). */
export function invalidateAllCampaigns(deps: Deps): void {
  caches(deps).contexts.clear()
}

export async function loadCampaignContexts(deps: Deps, ids: readonly string[], fresh = false): Promise<Map<string, CampaignContext>> {
  const out = new Map<string, CampaignContext>()
  const { contexts } = caches(deps)
  const now = Date.now()
  const missing: string[] = []
  for (const id of new Set(ids)) {
    const hit = contexts.get(id)
    if (!fresh && hit && now - hit.at < TTL_MS) out.set(id, hit.ctx)
    else missing.push(id)
  }
  if (missing.length === 0) return out
  const db = deps.db.db
  const rows = await getCampaigns(db, missing)
  if (rows.length === 0) return out
  const [communities, numbers] = await Promise.all([
    listCampaignCommunities(
      db,
      rows.map((r) => r.id),
    ),
    listVersionNumbers(
      db,
      rows.map((r) => r.questionnaire_id),
    ),
  ])
  for (const row of rows) {
    const ctx: CampaignContext = {
      row,
      config: JSON.parse(row.indicator_config_json) as IndicatorConfig,
      communities: new Map(communities.filter((c) => c.campaign_id === row.id).map((c) => [c.id, c])),
      versions: new Map(),
      latest: null,
    }
    for (const n of numbers) {
      if (n.questionnaire_id !== row.questionnaire_id) continue
      const info = await versionInfo(deps, row.questionnaire_id, Number(n.version))
      if (info) ctx.versions.set(info.version, info)
    }
    ctx.latest = [...ctx.versions.values()].sort((a, b) => b.version - a.version)[0] ?? null
    contexts.set(row.id, { ctx, at: now })
    out.set(row.id, ctx)
  }
  return out
}

export async function loadCampaignContext(deps: Deps, id: string, fresh = false): Promise<CampaignContext | undefined> {
  return (await loadCampaignContexts(deps, [id], fresh)).get(id)
}

/** The campaign for a staff request: loaded fresh (a setting just saved shows at once), or 404. */
export async function requireContext(deps: Deps, id: string): Promise<CampaignContext> {
  const ctx = await loadCampaignContext(deps, id, true)
  if (!ctx) throw new ProblemError('not_found')
  return ctx
}

/**
 * The status the contract shows: `draft` until the questionnaire is first published; after that the
 * window decides (`closed` once closesAt has passed — late answers are still stored and flagged).
 */
export function campaignStatus(row: Pick<CampaignRow, 'status' | 'closes_at'>, now: Date): CampaignStatus {
  if (row.status === 'draft') return 'draft'
  return now.toISOString() > row.closes_at ? 'closed' : 'open'
}

/** A community of the campaign as the API shows it. */
export function communityOut(c: ScopedCommunityRow) {
  return { id: c.id, code: c.code, name: c.name, population: c.population === null ? null : Number(c.population), parentId: c.parent_id }
}

async function versionInfo(deps: Deps, questionnaireId: string, version: number): Promise<VersionInfo | undefined> {
  const { versions } = caches(deps)
  const key = `${questionnaireId}:${version}`
  const hit = versions.get(key)
  if (hit) return hit
  const row = await getVersion(deps.db.db, questionnaireId, version)
  if (!row) return undefined
  // Stored content was parsed with QuestionnaireContent (defaults filled) when it was published.
  const content = JSON.parse(row.content_json) as QuestionnaireContent
  const info: VersionInfo = {
    version,
    publishedAt: row.published_at,
    content,
    questions: content.questions,
    byId: new Map(content.questions.map((q) => [q.id, q])),
  }
  versions.set(key, info)
  return info
}
