import {
  CampaignCreate,
  CampaignPatch,
  CommentsQuery,
  DevicesQuery,
  FlaggedQuery,
  HouseholdCodeRequest,
  IndicatorQuery,
  QuestionId,
  QuestionnaireDraftInput,
  RemarkPublicBody,
  ReportQuery,
  ResponseReviewInput,
  VerifyQuery,
} from '@minyi/shared/schemas'
import { Hono } from 'hono'
import { type AuthEnv, currentStaff, requireRole, STAFF, serverOrigin } from '../auth/index.ts'
import { readJson } from '../http/body.ts'
import { download } from '../http/download.ts'
import { param, readQuery } from '../http/params.ts'
import { audit, auditActor } from '../services/audit.ts'
import { profileBreakdown } from '../services/breakdown.ts'
import { createCampaign, getCampaignDetail, listCampaignSummaries, patchCampaign } from '../services/campaigns.ts'
import { searchComments } from '../services/comments.ts'
import type { Deps } from '../services/deps.ts'
import { campaignDevices, communityActivity } from '../services/devices.ts'
import { verifyChain } from '../services/evidence.ts'
import { exportCsv, exportLedgerCsv, exportWorkbook } from '../services/exports/index.ts'
import { generateHouseholdCodes } from '../services/household-codes.ts'
import { indicatorFromAggregates, recomputeIndicator } from '../services/indicator.ts'
import { listLinks } from '../services/links.ts'
import { campaignProgress } from '../services/progress.ts'
import { getDraft, publishQuestionnaire, saveDraft } from '../services/questionnaires.ts'
import { reportDocx } from '../services/report/index.ts'
import { listConflictsOf, listFlagged } from '../services/responses.ts'
import { reviewResponse } from '../services/reviews.ts'
import {
  campaignLedger,
  ledgerSummary,
  listCampaignSymposiums,
  setPublic,
  symposiumCount,
  symposiumLink,
} from '../services/symposiums/index.ts'
import { campaignWorkers } from '../services/workers.ts'

const SETUP = requireRole('admin', 'evaluator')

const READ = requireRole(...STAFF, 'readonly')
const STATS = requireRole('admin', 'evaluator', 'readonly')

/** `/api/v1/campaigns`: setup by evaluators, the indicator, review, devices and the evidence check. */
export function campaignRoutes(deps: Deps) {
  return (
    new Hono<AuthEnv>()
      .get('/', READ, async (c) => c.json(await listCampaignSummaries(deps), 200))
      .post('/', SETUP, async (c) => {
        const id = await createCampaign(deps, await readJson(c, CampaignCreate, 'setup'))
        const detail = await getCampaignDetail(deps, id)
        await audit(deps, currentStaff(c), 'campaign.create', { type: 'campaign', id, campaignId: id }, null, detail)
        return c.json(detail, 201)
      })
      .get('/:id', READ, async (c) => {
        const { householdSalt, ...detail } = await getCampaignDetail(deps, param(c, 'id'))
        // The door-number salt is for the staff apps that hash door numbers; read-only tokens never need it.
        return c.json(c.get('principal').kind === 'staff' ? { ...detail, householdSalt } : detail, 200)
      })
      .patch('/:id', SETUP, async (c) => {
        const id = param(c, 'id')
        const before = await getCampaignDetail(deps, id)
        const patch = await readJson(c, CampaignPatch, 'setup')
        await patchCampaign(deps, id, patch)
        const after = await getCampaignDetail(deps, id)
        const target = { type: 'campaign', id, campaignId: id }
        await audit(deps, currentStaff(c), 'campaign.update', target, before, after)
        // Issue 15: who changed the retention period, and why (required once answers have arrived).
        if (before.retentionMonths !== after.retentionMonths) {
          const reason = patch.retentionReason ?? null
          await audit(
            deps,
            currentStaff(c),
            'campaign.retention',
            target,
            { months: before.retentionMonths },
            { months: after.retentionMonths, reason },
          )
        }
        return c.json(after, 200)
      })
      // The questionnaire draft; publishing freezes it as the next immutable version.
      .get('/:id/questionnaire', SETUP, async (c) => c.json(await getDraft(deps, param(c, 'id')), 200))
      .put('/:id/questionnaire', SETUP, async (c) => {
        const id = param(c, 'id')
        const before = await getDraft(deps, id)
        await saveDraft(deps, id, await readJson(c, QuestionnaireDraftInput, 'setup'))
        const after = await getDraft(deps, id)
        await audit(deps, currentStaff(c), 'questionnaire.save', { type: 'questionnaire', id, campaignId: id }, before, after)
        return c.json(after, 200)
      })
      .post('/:id/questionnaire/publish', SETUP, async (c) => {
        const id = param(c, 'id')
        const published = await publishQuestionnaire(deps, id)
        await audit(deps, currentStaff(c), 'questionnaire.publish', { type: 'questionnaire', id, campaignId: id }, null, published)
        return c.json(published, 201)
      })
      // Not workers: a QR link lets anyone answer as a resident of that community, which would bypass a
      // worker's assignment and interviewer attribution. Evaluators print the posters.
      .get('/:id/links', SETUP, async (c) => c.json(await listLinks(deps, param(c, 'id'), serverOrigin(c, deps.env)), 200))
      .post('/:id/household-codes', SETUP, async (c) => {
        const id = param(c, 'id')
        const input = await readJson(c, HouseholdCodeRequest, 'settings')
        c.header('Cache-Control', 'no-store')
        const batch = await generateHouseholdCodes(deps, id, input.communityId, input.count, serverOrigin(c, deps.env))
        // The codes themselves never enter the log (only their count): they are shown once.
        await audit(
          deps,
          currentStaff(c),
          'household_codes.create',
          { type: 'community', id: input.communityId, campaignId: id },
          null,
          input,
        )
        return c.json(batch, 201)
      })
      .get('/:id/indicator', STATS, async (c) => {
        const id = param(c, 'id')
        const { recompute } = readQuery(c, IndicatorQuery)
        return c.json(recompute ? await recomputeIndicator(deps, id) : await indicatorFromAggregates(deps, id), 200)
      })
      .get('/:id/breakdown/:questionId', STATS, async (c) =>
        c.json(await profileBreakdown(deps, param(c, 'id'), param(c, 'questionId', QuestionId)), 200),
      )
      // Workers too: their home shows quota progress of the communities assigned to them.
      .get('/:id/progress', requireRole(...STAFF), async (c) =>
        c.json(await campaignProgress(deps, c.get('principal'), param(c, 'id')), 200),
      )
      .get('/:id/activity', SETUP, async (c) => c.json(await communityActivity(deps, param(c, 'id')), 200))
      .get('/:id/workers', SETUP, async (c) => c.json(await campaignWorkers(deps, param(c, 'id')), 200))
      .get('/:id/devices', SETUP, async (c) => c.json(await campaignDevices(deps, param(c, 'id'), !readQuery(c, DevicesQuery).all), 200))
      .get('/:id/log/verify', STATS, async (c) => {
        const { seq, hash } = readQuery(c, VerifyQuery)
        const published = seq !== undefined && hash !== undefined ? { seq, hash } : null
        return c.json(await verifyChain(deps, param(c, 'id'), published), 200)
      })
      .get('/:id/responses', SETUP, async (c) => {
        const { limit, offset } = readQuery(c, FlaggedQuery)
        return c.json(await listFlagged(deps, param(c, 'id'), limit, offset), 200)
      })
      .patch('/:id/responses/:responseId/review', SETUP, async (c) => {
        const input = await readJson(c, ResponseReviewInput, 'settings')
        const actor = currentStaff(c)
        return c.json(await reviewResponse(deps, param(c, 'id'), param(c, 'responseId'), actor.userId, input, actor), 200)
      })
      .get('/:id/symposiums', SETUP, async (c) =>
        c.json(await listCampaignSymposiums(deps, param(c, 'id'), serverOrigin(c, deps.env)), 200),
      )
      .post('/:id/symposiums/:symposiumId/link', SETUP, async (c) => {
        const [id, symposiumId] = [param(c, 'id'), param(c, 'symposiumId')]
        const link = await symposiumLink(deps, id, symposiumId, serverOrigin(c, deps.env))
        await audit(deps, currentStaff(c), 'link.create', { type: 'symposium', id: symposiumId, campaignId: id }, null, {
          channel: 'symposium',
        })
        return c.json(link, 200)
      })
      // The projector in the meeting room may run under the recorder's (worker's) session: a count only.
      .get('/:id/symposiums/:symposiumId/count', requireRole(...STAFF), async (c) =>
        c.json(await symposiumCount(deps, param(c, 'id'), param(c, 'symposiumId')), 200),
      )
      // The 整改台账: every remark and its follow-up history; its summary (the report's symposium figures).
      .get('/:id/ledger', SETUP, async (c) => c.json(await campaignLedger(deps, param(c, 'id')), 200))
      .get('/:id/ledger.csv', SETUP, async (c) => {
        const id = param(c, 'id')
        const file = await exportLedgerCsv(deps, id)
        await audit(deps, currentStaff(c), 'export.download', { type: 'campaign', id, campaignId: id }, null, { format: 'ledger.csv' })
        return download(file)
      })
      .get('/:id/ledger/summary', STATS, async (c) => c.json(await ledgerSummary(deps, param(c, 'id')), 200))
      .put('/:id/remarks/:remarkId/public', SETUP, async (c) => {
        const body = await readJson(c, RemarkPublicBody, 'settings')
        const p = currentStaff(c)
        const [id, remarkId] = [param(c, 'id'), param(c, 'remarkId')]
        const entry = await setPublic(deps, id, remarkId, body.public, p.userId)
        await audit(deps, p, 'remark.public', { type: 'remark', id: remarkId, campaignId: id }, null, { public: body.public })
        return c.json(entry, 200)
      })
      .get('/:id/comments', SETUP, async (c) => {
        return c.json(await searchComments(deps, param(c, 'id'), readQuery(c, CommentsQuery)), 200)
      })
      // Exports carry every answer (comments included): evaluators and admins only, never a read-only token.
      .get('/:id/export.xlsx', SETUP, async (c) => {
        const file = await exportWorkbook(deps, param(c, 'id'))
        await audit(deps, currentStaff(c), 'export.download', { type: 'campaign', id: param(c, 'id'), campaignId: param(c, 'id') }, null, {
          format: 'xlsx',
        })
        return download(file)
      })
      .get('/:id/export.csv', SETUP, async (c) => {
        const file = await exportCsv(deps, param(c, 'id'))
        await audit(deps, currentStaff(c), 'export.download', { type: 'campaign', id: param(c, 'id'), campaignId: param(c, 'id') }, null, {
          format: 'csv',
        })
        return download(file)
      })
      // The report section holds figures and counts, no answer and no comment: read-only tokens may fetch it.
      .get('/:id/report.docx', STATS, async (c) => {
        const [id, { lang }] = [param(c, 'id'), readQuery(c, ReportQuery)]
        const file = await reportDocx(deps, id, lang)
        await audit(deps, auditActor(c.get('principal')), 'report.download', { type: 'campaign', id, campaignId: id }, null, { lang })
        return download(file)
      })
      .get('/:id/conflicts', SETUP, async (c) => c.json(await listConflictsOf(deps, param(c, 'id')), 200))
  )
}
