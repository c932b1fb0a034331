import type { StaffCampaignDetail } from '@minyi/shared/schemas'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { AttentionRow, LocalSymposium, MinyiDb, VisitRow, WorkerRow } from '../db/index.ts'
import { useOutboxStore } from '../stores/outbox.ts'
import type { OutboxRuntime } from '../sync/browser.ts'
import type { WorkerSave } from '../sync/outbox.ts'
import { registerBackgroundSync } from '../sync/triggers.ts'
import { WorkerApiError, workerApi } from './api.ts'
import { cacheWorkerApp } from './offline.ts'
import {
  activeWorker,
  cachedCampaigns,
  cachedProgress,
  signOut as forget,
  keepSignIn,
  refreshFigures,
  switchTo,
  unsentOf,
} from './session.ts'
import { cachePrefix } from './symposium.ts'
import { type ProgressLine, progressLines, revisitList, sentCount } from './visits.ts'

/** A worker on this phone, as the sign-in screen lists them. */
export interface PhoneWorker {
  row: WorkerRow
  unsent: number
}

/**
 * The worker app's state (C3): who is signed in, their campaigns and quota progress from the last
 * known server figures, the outbox as it concerns them, the visit register. The outbox and its engine
 * are the resident's (one per page, see stores/outbox.ts); this store reads the worker's rows of it.
 */
export const useWorkerStore = defineStore('worker', () => {
  const outbox = useOutboxStore()
  const rt = shallowRef<OutboxRuntime | null>(null)
  const worker = ref<WorkerRow | null>(null)
  const others = ref<PhoneWorker[]>([])
  const campaigns = ref<StaffCampaignDetail[]>([])
  const campaignsAt = ref<number | null>(null)
  const campaignId = ref<string | null>(null)
  const progress = ref<ProgressLine[]>([])
  const progressAt = ref<number | null>(null)
  const counts = ref({ queued: 0, sent: 0, attention: 0 })
  const attention = ref<AttentionRow[]>([])
  const visits = ref<VisitRow[]>([])
  /** The symposiums this worker recorded on this phone, in the current campaign (newest first). */
  const symposiums = ref<LocalSymposium[]>([])
  const refreshError = ref<string | null>(null)
  const ready = ref(false)
  /** The login the sign-in form starts with (a worker asked to sign in again). */
  const prefillLogin = ref('')

  const campaign = computed(() => campaigns.value.find((c) => c.id === campaignId.value) ?? campaigns.value[0] ?? null)
  const communities = computed(() => (campaign.value?.communities ?? []).filter((c) => worker.value?.communityIds.includes(c.id)))
  const revisits = computed(() => revisitList(visits.value))

  function db(): MinyiDb {
    const d = rt.value?.db
    if (!d) throw new WorkerApiError(0, 'no_storage')
    return d
  }

  async function init(): Promise<void> {
    rt.value = await outbox.start()
    if (rt.value.db) worker.value = await activeWorker(rt.value.db)
    await reload()
    ready.value = true
    if (worker.value?.token) void refresh().catch(() => undefined)
  }

  /** Everything the screens show, from this phone's database (no network). */
  async function reload(): Promise<void> {
    const d = rt.value?.db
    if (!d) return
    const all = await d.workers.toArray()
    others.value = await Promise.all(
      all.filter((w) => w.id !== worker.value?.id).map(async (row) => ({ row, unsent: await unsentOf(d, row.id) })),
    )
    const w = worker.value ? ((await d.workers.get(worker.value.id)) ?? null) : null
    worker.value = w
    if (!w) return
    const cached = await cachedCampaigns(d, w.id)
    campaigns.value = cached?.value ?? []
    campaignsAt.value = cached?.fetchedAt ?? null
    const c = campaign.value
    const [queuedRows, sentRows, attentionRows] = await Promise.all([
      d.outbox.where('owner').equals(w.id).toArray(),
      d.sent.where('[owner+sentAt]').between([w.id, 0], [w.id, Number.MAX_SAFE_INTEGER]).toArray(),
      d.attention.filter((r) => r.owner === w.id).toArray(),
    ])
    counts.value = { queued: queuedRows.length, sent: sentRows.reduce((n, r) => n + sentCount(r), 0), attention: attentionRows.length }
    attention.value = attentionRows
    if (c) {
      const server = await cachedProgress(d, w.id, c.id)
      progressAt.value = server?.fetchedAt ?? null
      const ids = c.communities.filter((x) => w.communityIds.includes(x.id)).map((x) => x.id)
      progress.value = progressLines(ids, server, sentRows, queuedRows, c.id, c.quotas)
      visits.value = await d.visits.where('[workerId+campaignId]').equals([w.id, c.id]).toArray()
      const recorded = await d.cache.where('key').startsWith(cachePrefix(w.id)).toArray()
      symposiums.value = recorded
        .flatMap((r) => (r.kind === 'symposium' && r.value.symposium.campaignId === c.id ? [r.value] : []))
        .sort((a, b) => (a.symposium.id < b.symposium.id ? 1 : -1))
    } else {
      progress.value = []
      visits.value = []
      symposiums.value = []
    }
  }

  /** The server's figures (campaigns, questionnaire, salt, progress); offline this fails and the last ones stay. */
  async function refresh(): Promise<void> {
    const w = worker.value
    if (!w?.token) return
    refreshError.value = null
    try {
      await refreshFigures(db(), w)
    } catch (e) {
      refreshError.value = e instanceof WorkerApiError ? e.code : 'network'
    } finally {
      await reload()
    }
  }

  async function signedIn(res: Awaited<ReturnType<typeof workerApi.login>>, login: string): Promise<void> {
    worker.value = await keepSignIn(db(), res, login)
    // The app must open offline for days from now on: cache its files (the resident's precache has none of them).
    void cacheWorkerApp()
    await reload()
    await refresh()
    // Whatever waited for this worker's sign-in goes now.
    void rt.value?.flush()
  }

  async function signIn(login: string, password: string): Promise<void> {
    await signedIn(await workerApi.login(login.trim(), password), login.trim().toLowerCase())
  }

  async function enrol(code: string): Promise<void> {
    await signedIn(await workerApi.enrol(code), '')
  }

  async function signOut(): Promise<void> {
    if (!worker.value) return
    await forget(db(), worker.value.id)
    worker.value = null
    await reload()
  }

  /** The server refused this worker's token: back to the sign-in form with their login; their items wait. */
  async function signInAgain(): Promise<void> {
    prefillLogin.value = worker.value?.login ?? ''
    await signOut()
  }

  async function switchWorker(id: string): Promise<void> {
    await switchTo(db(), id)
    worker.value = (await db().workers.get(id)) ?? null
    await reload()
  }

  async function sendNow() {
    const out = await rt.value?.flush()
    await reload()
    if (out && out.remaining > out.held) void navigator.serviceWorker?.getRegistration().then(registerBackgroundSync)
    return out ?? null
  }

  /** A recorder's save (symposium, remark, follow-up change, rating sheet): queued, kept, and sent when it can be. */
  async function saveRecord(save: WorkerSave): Promise<void> {
    const w = worker.value
    const r = rt.value
    if (!w || !r) throw new WorkerApiError(0, 'no_storage')
    await r.saveWorker(w.id, save)
    await reload()
    void sendNow()
  }

  function unsent(): Promise<number> {
    return worker.value ? unsentOf(db(), worker.value.id) : Promise.resolve(0)
  }

  // Any flush (a trigger, the timer, another tab) changes the counts and may ask someone to sign in.
  watch(
    () => outbox.lastFlush,
    () => void reload(),
  )

  return {
    rt,
    worker,
    others,
    campaigns,
    campaignsAt,
    campaignId,
    campaign,
    communities,
    progress,
    progressAt,
    counts,
    attention,
    visits,
    symposiums,
    revisits,
    refreshError,
    ready,
    prefillLogin,
    db,
    init,
    reload,
    refresh,
    signIn,
    enrol,
    signOut,
    signInAgain,
    switchWorker,
    sendNow,
    saveRecord,
    unsent,
  }
})
