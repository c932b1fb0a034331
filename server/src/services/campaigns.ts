import { randomUUID } from 'node:crypto'
import {
  type CampaignCreate,
  type CampaignDetail,
  type CampaignPatch,
  type CampaignSummary,
  DEFAULT_RETENTION_MONTHS,
  IndicatorConfig,
  privacyNotice,
  type QuestionnaireContent,
  TEMPLATE_QUESTIONNAIRE,
} from '@minyi/shared'
import { assertConfigFits } from '@minyi/shared/method'
import {
  getQuestionnaire,
  insertCampaign,
  insertQuestionnaire,
  listCampaigns,
  replaceCampaignCommunities,
  updateCampaign,
} from '../db/queries/campaigns.ts'
import { getOrgUnits, type OrgUnitRow } from '../db/queries/org-units.ts'
import { inTransaction } from '../db/tx.ts'
import { ProblemError } from '../http/problem.ts'
import {
  type CampaignContext,
  campaignStatus,
  communityOut,
  invalidateCampaign,
  loadCampaignContext,
  requireContext,
} from './campaign-context.ts'
import type { Deps } from './deps.ts'
import { randomToken } from './hashing.ts'
import { ensureLinks } from './links.ts'
import { withConfigCheck } from './method-errors.ts'
import { draftOf, versionOut } from './questionnaires.ts'
import { checkRetentionChange, retentionEndsAt } from './retention/index.ts'

// Campaigns: the list, the detail staff see, creating one (with its questionnaire draft and QR links)
// and changing its settings. The questionnaire is in questionnaires.ts, the QR links in links.ts.

export async function listCampaignSummaries(deps: Deps): Promise<CampaignSummary[]> {
  const now = deps.now()
  return (await listCampaigns(deps.db.db)).map((r) => ({ id: r.id, title: r.title, status: campaignStatus(r, now) }))
}

/** `GET /api/v1/campaigns/:id`; the door-number salt is added for staff (the worker app hashes with it). */
function campaignDetail(ctx: CampaignContext, streets: OrgUnitRow[], now: Date): CampaignDetail & { householdSalt: string } {
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
    streets: streets
      .filter((u) => u.kind === 'street')
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
      .map((u) => ({ id: u.id, code: u.code, name: u.name, population: u.population === null ? null : Number(u.population) })),
    questionnaire: versionOut(ctx),
    privacyNotice: privacyNotice(Number(row.retention_months)),
    retentionMonths: Number(row.retention_months),
    retentionEndsAt: retentionEndsAt(row),
    rawDeletedAt: row.raw_deleted_at,
    householdSalt: row.household_salt,
  }
}

export async function getCampaignDetail(deps: Deps, id: string) {
  const ctx = await requireContext(deps, id)
  const streetIds = [...new Set([...ctx.communities.values()].flatMap((c) => (c.parent_id ? [c.parent_id] : [])))]
  return campaignDetail(ctx, await getOrgUnits(deps.db.db, streetIds), deps.now())
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
export async function createCampaign(
  deps: Deps,
  input: Omit<CampaignCreate, 'retentionMonths'> & { retentionMonths?: number },
): Promise<string> {
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
      retention_months: input.retentionMonths ?? DEFAULT_RETENTION_MONTHS,
      raw_deleted_at: null,
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
  const retentionMonths = await checkRetentionChange(deps, ctx, patch)
  const at = deps.now().toISOString()
  await inTransaction(deps.db, async (trx) => {
    await updateCampaign(trx, id, {
      ...(retentionMonths !== undefined ? { retention_months: retentionMonths } : {}),
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
