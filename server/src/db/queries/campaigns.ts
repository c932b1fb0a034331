import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../tables.ts'
import type {
  CampaignCommunitiesTable,
  CampaignsTable,
  LinkTokensTable,
  QuestionnairesTable,
  QuestionnaireVersionsTable,
} from '../tables-core.ts'

export type CampaignRow = Selectable<CampaignsTable>
export type CampaignCommunityRow = Selectable<CampaignCommunitiesTable>
export type QuestionnaireRow = Selectable<QuestionnairesTable>
export type QuestionnaireVersionRow = Selectable<QuestionnaireVersionsTable>
export type LinkTokenRow = Selectable<LinkTokensTable>

/** A community in a campaign's scope, with its org-unit fields. */
export interface ScopedCommunityRow {
  id: string
  code: string
  name: string
  population: number | null
  parent_id: string | null
  quota: number | null
}

// ---- campaigns

export async function insertCampaign(db: Kysely<Database>, row: CampaignRow): Promise<void> {
  await db.insertInto('campaigns').values(row).execute()
}

export async function updateCampaign(
  db: Kysely<Database>,
  id: string,
  patch: Partial<Omit<CampaignRow, 'id' | 'created_at' | 'questionnaire_id' | 'household_salt'>>,
): Promise<void> {
  await db.updateTable('campaigns').set(patch).where('id', '=', id).execute()
}

export function getCampaign(db: Kysely<Database>, id: string): Promise<CampaignRow | undefined> {
  return db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst()
}

export function getCampaigns(db: Kysely<Database>, ids: readonly string[]): Promise<CampaignRow[]> {
  if (ids.length === 0) return Promise.resolve([])
  return db.selectFrom('campaigns').selectAll().where('id', 'in', ids).execute()
}

export function listCampaigns(db: Kysely<Database>): Promise<CampaignRow[]> {
  return db.selectFrom('campaigns').selectAll().orderBy('created_at', 'desc').orderBy('id').execute()
}

// ---- communities in scope

export async function replaceCampaignCommunities(db: Kysely<Database>, campaignId: string, rows: CampaignCommunityRow[]): Promise<void> {
  await db.deleteFrom('campaign_communities').where('campaign_id', '=', campaignId).execute()
  if (rows.length > 0) await db.insertInto('campaign_communities').values(rows).execute()
}

export function listCampaignCommunities(
  db: Kysely<Database>,
  campaignIds: readonly string[],
): Promise<(ScopedCommunityRow & { campaign_id: string })[]> {
  if (campaignIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('campaign_communities as cc')
    .innerJoin('org_units as o', 'o.id', 'cc.community_id')
    .select(['cc.campaign_id', 'o.id', 'o.code', 'o.name', 'o.population', 'o.parent_id', 'cc.quota'])
    .where('cc.campaign_id', 'in', campaignIds)
    .orderBy('o.code')
    .execute()
}

// ---- questionnaires

export async function insertQuestionnaire(db: Kysely<Database>, row: QuestionnaireRow): Promise<void> {
  await db.insertInto('questionnaires').values(row).execute()
}

export async function updateQuestionnaireDraft(db: Kysely<Database>, id: string, draftJson: string, at: string): Promise<void> {
  await db.updateTable('questionnaires').set({ draft_json: draftJson, updated_at: at }).where('id', '=', id).execute()
}

export function getQuestionnaire(db: Kysely<Database>, id: string): Promise<QuestionnaireRow | undefined> {
  return db.selectFrom('questionnaires').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertQuestionnaireVersion(db: Kysely<Database>, row: QuestionnaireVersionRow): Promise<void> {
  await db.insertInto('questionnaire_versions').values(row).execute()
}

export async function latestVersionNumber(db: Kysely<Database>, questionnaireId: string): Promise<number> {
  const r = await db
    .selectFrom('questionnaire_versions')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('questionnaire_id', '=', questionnaireId)
    .executeTakeFirst()
  return Number(r?.v ?? 0)
}

/** Version numbers only (cheap), for cache checks. */
export async function listVersionNumbers(
  db: Kysely<Database>,
  questionnaireIds: readonly string[],
): Promise<{ questionnaire_id: string; version: number }[]> {
  if (questionnaireIds.length === 0) return []
  return db
    .selectFrom('questionnaire_versions')
    .select(['questionnaire_id', 'version'])
    .where('questionnaire_id', 'in', questionnaireIds)
    .execute()
}

export function getVersion(db: Kysely<Database>, questionnaireId: string, version: number): Promise<QuestionnaireVersionRow | undefined> {
  return db
    .selectFrom('questionnaire_versions')
    .selectAll()
    .where('questionnaire_id', '=', questionnaireId)
    .where('version', '=', version)
    .executeTakeFirst()
}

// ---- link tokens

export async function insertLinkTokens(db: Kysely<Database>, rows: LinkTokenRow[]): Promise<void> {
  if (rows.length === 0) return
  // A link that exists already stays as printed on the posters.
  await db
    .insertInto('link_tokens')
    .values(rows)
    .onConflict((oc) => oc.doNothing())
    .execute()
}

export function listLinkTokens(db: Kysely<Database>, campaignId: string): Promise<LinkTokenRow[]> {
  return db
    .selectFrom('link_tokens')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('symposium_id', 'is', null)
    .orderBy('community_id')
    .orderBy('channel')
    .execute()
}

export function getLinkToken(db: Kysely<Database>, token: string): Promise<LinkTokenRow | undefined> {
  return db.selectFrom('link_tokens').selectAll().where('token', '=', token).executeTakeFirst()
}

export function getLinkTokenFor(
  db: Kysely<Database>,
  campaignId: string,
  communityId: string,
  channel: LinkTokenRow['channel'],
): Promise<LinkTokenRow | undefined> {
  return db
    .selectFrom('link_tokens')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('community_id', '=', communityId)
    .where('channel', '=', channel)
    .where('symposium_id', 'is', null)
    .executeTakeFirst()
}
