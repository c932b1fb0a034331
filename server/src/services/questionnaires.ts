import { type QuestionnaireContent, QuestionnaireContent as QuestionnaireContentSchema, type QuestionnaireVersion } from '@minyi/shared'
import { assertConfigFits } from '@minyi/shared/method'
import {
  getCampaign,
  getQuestionnaire,
  insertQuestionnaireVersion,
  latestVersionNumber,
  updateCampaign,
  updateQuestionnaireDraft,
} from '../db/queries/campaigns.ts'
import { inTransaction } from '../db/tx.ts'
import { ProblemError } from '../http/problem.ts'
import { type CampaignContext, invalidateCampaign, requireContext } from './campaign-context.ts'
import type { Deps } from './deps.ts'
import { assertShowIfRule, withConfigCheck } from './method-errors.ts'

// A campaign's questionnaire: one editable draft, and immutable published versions (every published
// version stays accepted at sync; the latest is the one shown).

/** The latest published version as the API shows it, or null before the first publish. */
export function versionOut(ctx: CampaignContext): QuestionnaireVersion | null {
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

/** The campaign's draft as last saved. */
export async function draftOf(deps: Deps, ctx: CampaignContext): Promise<QuestionnaireContent> {
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
