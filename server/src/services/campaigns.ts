import { randomUUID } from 'node:crypto'
import {
  type CampaignCreate,
  type CampaignDetail,
  type CampaignLink,
  type CampaignPatch,
  type CampaignStatus,
  type CampaignSummary,
  type Channel,
  IndicatorConfig,
  type LinkResolution,
  PRIVACY_NOTICE,
  type QuestionnaireContent,
  QuestionnaireContent as QuestionnaireContentSchema,
  type QuestionnaireVersion,
  TEMPLATE_QUESTIONNAIRE,
} from '@minyi/shared'
import { assertConfigFits } from '@minyi/shared/method'
import {
  type CampaignRow,
  getCampaign,
  getLinkToken,
  getQuestionnaire,
  insertCampaign,
  insertLinkTokens,
  insertQuestionnaire,
  insertQuestionnaireVersion,
  latestVersionNumber,
  listCampaignCommunities,
  listCampaigns,
  listLinkTokens,
  replaceCampaignCommunities,
  type ScopedCommunityRow,
  updateCampaign,
  updateQuestionnaireDraft,
} from '../db/queries/campaigns.ts'
import { getOrgUnits } from '../db/queries/org-units.ts'
import { inTransaction } from '../db/tx.ts'
import { ProblemError } from '../http/problem.ts'
import { type CampaignContext, invalidateCampaign, loadCampaignContext } from './campaign-context.ts'
import type { Deps } from './deps.ts'
import { randomToken } from './hashing.ts'
import { assertShowIfRule, withConfigCheck } from './method-errors.ts'

/** Channels that get a printed QR link per community. Door and paper are collected by logged-in workers. */
const LINK_CHANNELS: Channel[] = ['qr']

/**
 * The status the contract shows: `draft` until the questionnaire is first published; after that the
 * window decides (`closed` once closesAt has passed — late answers are still stored and flagged).
 */
export function campaignStatus(row: Pick<CampaignRow, 'status' | 'closes_at'>, now: Date): CampaignStatus {
  if (row.status === 'draft') return 'draft'
  return now.toISOString() > row.closes_at ? 'closed' : 'open'
}

export async function listCampaignSummaries(deps: Deps): Promise<CampaignSummary[]> {
  const now = deps.now()
  return (await listCampaigns(deps.db.db)).map((r) => ({ id: r.id, title: r.title, status: campaignStatus(r, now) }))
}

export async function requireContext(deps: Deps, id: string): Promise<CampaignContext> {
  const ctx = await loadCampaignContext(deps, id, true)
  if (!ctx) throw new ProblemError('not_found')
  return ctx
}

function communityOut(c: ScopedCommunityRow) {
  return { id: c.id, code: c.code, name: c.name, population: c.population === null ? null : Number(c.population), parentId: c.parent_id }
}

function versionOut(ctx: CampaignContext): QuestionnaireVersion | null {
  const v = ctx.latest
  if (!v) return null
  return {
    questionnaireId: ctx.row.questionnaire_id,
    version: v.version,
    publishedAt: v.publishedAt,
    title: v.content.title,
    ...(v.content.intro ? { intro: v.content.intro } : {}),
    questions: v.questions,
  }
}

/** `GET /api/v1/campaigns/:id`; the door-number salt is added for staff (the worker app hashes with it). */
export function campaignDetail(ctx: CampaignContext, now: Date): CampaignDetail & { householdSalt: string } {
  const quotas: Record<string, number> = {}
  for (const c of ctx.communities.values()) if (c.quota !== null) quotas[c.id] = Number(c.quota)
  const row = ctx.row
  return {
    id: row.id,
    title: row.title,
    ...(row.description ? { description: row.description } : {}),
    status: campaignStatus(row, now),
    opensAt: row.opens_at,
    closesAt: row.closes_at,
    publishedAt: row.published_at,
    quotas,
    indicatorConfig: ctx.config,
    questionnaireId: row.questionnaire_id,
    communities: [...ctx.communities.values()].map(communityOut),
    questionnaire: versionOut(ctx),
    privacyNotice: PRIVACY_NOTICE,
    householdSalt: row.household_salt,
  }
}

export async function getCampaignDetail(deps: Deps, id: string) {
  return campaignDetail(await requireContext(deps, id), deps.now())
}

/** Communities must exist as org units of kind community; quotas only for communities in scope. */
async function checkScope(deps: Deps, communityIds: string[], quotas: Record<string, number>): Promise<void> {
  const units = await getOrgUnits(deps.db.db, communityIds)
  const found = new Set(units.filter((u) => u.kind === 'community').map((u) => u.id))
  const details = communityIds.filter((id) => !found.has(id)).map((id) => ({ path: 'communityIds', message: `unknown community ${id}` }))
  for (const id of Object.keys(quotas))
    if (!communityIds.includes(id)) details.push({ path: `quotas.${id}`, message: 'quota for a community outside the campaign' })
  if (details.length > 0) throw new ProblemError('validation_failed', { details })
}

function checkWindow(opensAt: string, closesAt: string): void {
  if (Date.parse(opensAt) >= Date.parse(closesAt))
    throw new ProblemError('validation_failed', { details: [{ path: 'closesAt', message: 'closesAt must be after opensAt' }] })
}

const iso = (s: string) => new Date(s).toISOString()

/** Creates a campaign with its questionnaire draft (the template, or a copy of another campaign's) and its QR links. */
export async function createCampaign(deps: Deps, input: CampaignCreate): Promise<string> {
  const communityIds = [...new Set(input.communityIds)]
  const quotas = input.quotas ?? {}
  checkWindow(input.opensAt, input.closesAt)
  await checkScope(deps, communityIds, quotas)
  let draft: QuestionnaireContent = TEMPLATE_QUESTIONNAIRE
  if (input.copyOf) {
    const source = await loadCampaignContext(deps, input.copyOf, true)
    if (!source) throw new ProblemError('validation_failed', { details: [{ path: 'copyOf', message: 'unknown campaign' }] })
    const q = await getQuestionnaire(deps.db.db, source.row.questionnaire_id)
    draft = q ? (JSON.parse(q.draft_json) as QuestionnaireContent) : (source.latest?.content ?? TEMPLATE_QUESTIONNAIRE)
  }
  withConfigCheck(() => assertConfigFits(input.indicatorConfig, draft.questions))

  const id = randomUUID()
  const at = deps.now().toISOString()
  await inTransaction(deps.db, async (trx) => {
    const questionnaireId = randomUUID()
    await insertQuestionnaire(trx, { id: questionnaireId, draft_json: JSON.stringify(draft), created_at: at, updated_at: at })
    await insertCampaign(trx, {
      id,
      title: input.title,
      description: input.description ?? null,
      status: 'draft',
      opens_at: iso(input.opensAt),
      closes_at: iso(input.closesAt),
      published_at: null,
      questionnaire_id: questionnaireId,
      indicator_config_json: JSON.stringify(input.indicatorConfig),
      household_salt: randomToken(24),
      created_at: at,
      updated_at: at,
    })
    await replaceCampaignCommunities(
      trx,
      id,
      communityIds.map((c) => ({ campaign_id: id, community_id: c, quota: quotas[c] ?? null })),
    )
    await ensureLinks(trx, id, communityIds, at)
  })
  return id
}

async function ensureLinks(trx: Parameters<typeof insertLinkTokens>[0], campaignId: string, communityIds: string[], at: string) {
  await insertLinkTokens(
    trx,
    communityIds.flatMap((communityId) =>
      LINK_CHANNELS.map((channel) => ({
        token: randomToken(16),
        campaign_id: campaignId,
        community_id: communityId,
        channel,
        symposium_id: null,
        created_at: at,
      })),
    ),
  )
}

export async function patchCampaign(deps: Deps, id: string, patch: CampaignPatch): Promise<void> {
  const ctx = await requireContext(deps, id)
  const opensAt = patch.opensAt ?? ctx.row.opens_at
  const closesAt = patch.closesAt ?? ctx.row.closes_at
  checkWindow(opensAt, closesAt)
  const communityIds = patch.communityIds ? [...new Set(patch.communityIds)] : [...ctx.communities.keys()]
  const quotas =
    patch.quotas ??
    Object.fromEntries(
      [...ctx.communities.values()].filter((c) => c.quota !== null && communityIds.includes(c.id)).map((c) => [c.id, Number(c.quota)]),
    )
  await checkScope(deps, communityIds, quotas)
  const config = patch.indicatorConfig ? IndicatorConfig.parse(patch.indicatorConfig) : ctx.config
  if (patch.indicatorConfig) {
    const questions = ctx.latest?.questions ?? (await draftOf(deps, ctx)).questions
    withConfigCheck(() => assertConfigFits(config, questions))
  }
  const at = deps.now().toISOString()
  await inTransaction(deps.db, async (trx) => {
    await updateCampaign(trx, id, {
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      opens_at: iso(opensAt),
      closes_at: iso(closesAt),
      indicator_config_json: JSON.stringify(config),
      updated_at: at,
    })
    if (patch.communityIds || patch.quotas) {
      await replaceCampaignCommunities(
        trx,
        id,
        communityIds.map((c) => ({ campaign_id: id, community_id: c, quota: quotas[c] ?? null })),
      )
      await ensureLinks(trx, id, communityIds, at)
    }
  })
  invalidateCampaign(deps, id)
}

async function draftOf(deps: Deps, ctx: CampaignContext): Promise<QuestionnaireContent> {
  const q = await getQuestionnaire(deps.db.db, ctx.row.questionnaire_id)
  if (!q) throw new ProblemError('not_found')
  return JSON.parse(q.draft_json) as QuestionnaireContent
}

export async function getDraft(deps: Deps, id: string): Promise<QuestionnaireContent> {
  return draftOf(deps, await requireContext(deps, id))
}

export async function saveDraft(deps: Deps, id: string, content: QuestionnaireContent): Promise<void> {
  const ctx = await requireContext(deps, id)
  assertShowIfRule(content.questions)
  withConfigCheck(() => assertConfigFits(ctx.config, content.questions))
  await updateQuestionnaireDraft(deps.db.db, ctx.row.questionnaire_id, JSON.stringify(content), deps.now().toISOString())
}

/** Makes the draft the next immutable version; the first publish opens the campaign. */
export async function publishQuestionnaire(deps: Deps, id: string): Promise<{ version: number; publishedAt: string }> {
  const ctx = await requireContext(deps, id)
  // Re-parse: a draft stored by an older release gets today's defaults before it is frozen.
  const content = QuestionnaireContentSchema.parse(await draftOf(deps, ctx))
  // Also here: a draft saved before the rule existed is refused rather than frozen.
  assertShowIfRule(content.questions)
  withConfigCheck(() => assertConfigFits(ctx.config, content.questions))
  const at = deps.now().toISOString()
  const version = await inTransaction(deps.db, async (trx) => {
    const next = (await latestVersionNumber(trx, ctx.row.questionnaire_id)) + 1
    await insertQuestionnaireVersion(trx, {
      questionnaire_id: ctx.row.questionnaire_id,
      version: next,
      content_json: JSON.stringify(content),
      published_at: at,
    })
    const row = await getCampaign(trx, id)
    if (row?.status === 'draft') await updateCampaign(trx, id, { status: 'open', published_at: at, updated_at: at })
    return next
  })
  invalidateCampaign(deps, id)
  return { version, publishedAt: at }
}

/** The QR links (PUBLIC_URL, or the request's origin, + `/s/<token>`). */
export async function listLinks(deps: Deps, id: string, origin: string): Promise<CampaignLink[]> {
  await requireContext(deps, id)
  const base = deps.env.PUBLIC_URL?.replace(/\/$/, '') ?? origin
  return (await listLinkTokens(deps.db.db, id)).map((t) => ({
    communityId: t.community_id,
    channel: t.channel,
    url: `${base}/s/${t.token}`,
  }))
}

export function linkUrl(deps: Deps, origin: string, token: string): string {
  return `${deps.env.PUBLIC_URL?.replace(/\/$/, '') ?? origin}/s/${token}`
}

/** The resident's view of a QR link: the campaign's public part and the one community the link stands for. */
export async function resolveLink(deps: Deps, token: string): Promise<LinkResolution> {
  const link = token.length <= 64 ? await getLinkToken(deps.db.db, token) : undefined
  if (!link) throw new ProblemError('not_found')
  const ctx = await loadCampaignContext(deps, link.campaign_id)
  const community = ctx?.communities.get(link.community_id)
  if (!ctx || !community) throw new ProblemError('not_found')
  const detail = campaignDetail(ctx, deps.now())
  return {
    campaign: {
      id: detail.id,
      title: detail.title,
      ...(detail.description ? { description: detail.description } : {}),
      status: detail.status,
      opensAt: detail.opensAt,
      closesAt: detail.closesAt,
      publishedAt: detail.publishedAt,
      questionnaire: detail.questionnaire,
      privacyNotice: PRIVACY_NOTICE,
      communities: [communityOut(community)],
    },
    communityId: link.community_id,
    channel: link.channel,
    symposiumId: link.symposium_id,
  }
}

/** Communities of a campaign, for the indicator (population and quota). */
export async function scopedCommunities(deps: Deps, id: string): Promise<ScopedCommunityRow[]> {
  return listCampaignCommunities(deps.db.db, [id])
}
