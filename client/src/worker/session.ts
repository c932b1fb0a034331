import type { LoginResponse, StaffCampaignDetail } from '@minyi/shared/schemas'
import { META_ACTIVE_WORKER, SYNC_LOCK } from '../constants/storage-keys.ts'
import type { CacheRow, MinyiDb, WorkerRow } from '../db/index.ts'
import { defaultLock } from '../sync/lock.ts'
import { WorkerApiError, workerApi } from './api.ts'

// Who is signed in on this phone, and the last known server figures (no Vue: the store wraps it).

/** Keeps a worker's fresh sign-in (password or enrolment code) and makes them the phone's active worker. */
export async function keepSignIn(db: MinyiDb, res: LoginResponse, login: string, now = Date.now()): Promise<WorkerRow> {
  const prev = await db.workers.get(res.user.id)
  const row: WorkerRow = {
    id: res.user.id,
    name: res.user.name ?? prev?.name ?? login,
    login: login || prev?.login || '',
    communityIds: res.user.communityIds ?? prev?.communityIds ?? [],
    token: res.token,
    expiresAt: res.expiresAt,
    signedInAt: now,
    signInNeeded: null,
    lastSyncAt: prev?.lastSyncAt ?? null,
  }
  await db.transaction('rw', [db.workers, db.meta], async () => {
    await db.workers.put(row)
    await db.meta.put({ key: META_ACTIVE_WORKER, value: row.id })
  })
  return row
}

export async function activeWorker(db: MinyiDb): Promise<WorkerRow | null> {
  const id = (await db.meta.get(META_ACTIVE_WORKER))?.value
  return typeof id === 'string' ? ((await db.workers.get(id)) ?? null) : null
}

/** Items this worker saved that the server has not acknowledged (queued, or waiting for sign-in). */
export function unsentOf(db: MinyiDb, workerId: string): Promise<number> {
  return db.outbox.where('owner').equals(workerId).count()
}

/**
 * Signs the worker out of this phone. Their unsent items stay, stamped with them, and go when they sign
 * in again (the UI warns first). The token is forgotten here, and the server's session ended when the
 * server can be reached: the items wait for the next sign-in, which opens a new session.
 */
export async function signOut(db: MinyiDb, workerId: string): Promise<void> {
  const row = await db.workers.get(workerId)
  await db.transaction('rw', [db.workers, db.meta], async () => {
    await db.workers.update(workerId, { token: null })
    const active = (await db.meta.get(META_ACTIVE_WORKER))?.value
    if (active === workerId) await db.meta.delete(META_ACTIVE_WORKER)
  })
  if (row?.token) void workerApi.logout(row.token).catch(() => undefined)
}

export async function switchTo(db: MinyiDb, workerId: string): Promise<void> {
  await db.meta.put({ key: META_ACTIVE_WORKER, value: workerId })
}

const campaignsKey = (workerId: string) => `campaigns:${workerId}`
const progressKey = (workerId: string, campaignId: string) => `progress:${workerId}:${campaignId}`

export async function cachedCampaigns(db: MinyiDb, workerId: string): Promise<Extract<CacheRow, { kind: 'campaigns' }> | null> {
  const row = await db.cache.get(campaignsKey(workerId))
  return row?.kind === 'campaigns' ? row : null
}

export async function cachedProgress(
  db: MinyiDb,
  workerId: string,
  campaignId: string,
): Promise<Extract<CacheRow, { kind: 'progress' }> | null> {
  const row = await db.cache.get(progressKey(workerId, campaignId))
  return row?.kind === 'progress' ? row : null
}

/** The campaigns a worker collects in: open (published, inside their window), with at least one of their communities. */
export function assignedCampaigns(details: StaffCampaignDetail[], communityIds: string[]): StaffCampaignDetail[] {
  return details.filter((d) => d.status === 'open' && d.questionnaire && d.communities.some((c) => communityIds.includes(c.id)))
}

/**
 * Fetches the worker's campaigns (with questionnaire and salt) and quota progress, and keeps them for
 * offline days. Progress is read under the sync lock, so no flush is acknowledged while the figure is
 * being taken: a questionnaire is then either in the server's figure or counted as sent after it, never
 * both (see visits.ts progressLines). A refused token marks the worker for sign-in, like a refused sync.
 */
export async function refreshFigures(db: MinyiDb, worker: WorkerRow, now: () => number = Date.now): Promise<void> {
  const token = worker.token
  if (!token) return
  try {
    const summaries = await workerApi.campaigns(token)
    const details = await Promise.all(summaries.filter((s) => s.status !== 'draft').map((s) => workerApi.campaign(token, s.id)))
    const mine = assignedCampaigns(details, worker.communityIds)
    await db.cache.put({ key: campaignsKey(worker.id), kind: 'campaigns', fetchedAt: now(), value: mine })
    await defaultLock(SYNC_LOCK)(async () => {
      for (const c of mine) {
        const fetchedAt = now()
        const value = await workerApi.progress(token, c.id)
        await db.cache.put({ key: progressKey(worker.id, c.id), kind: 'progress', fetchedAt, value })
      }
    })
  } catch (e) {
    if (e instanceof WorkerApiError && e.status === 401) await db.workers.update(worker.id, { signInNeeded: e.code })
    throw e
  }
}
