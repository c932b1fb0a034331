import { isProblemCode, type ProblemCode } from '@minyi/shared/problems'
import type { Question, ResponseItem } from '@minyi/shared/schemas'
import { uuidv7 } from '@minyi/shared/uuid'
import { defineStore } from 'pinia'
import { computed, reactive, ref, shallowRef, watch } from 'vue'
import { fetchLink, type LinkData } from '../api/link.ts'
import {
  type AnswerError,
  countAnswered,
  type FormAnswers,
  type FormValue,
  toContractAnswers,
  validateAll,
  visibleQuestions,
} from '../composables/use-answers.ts'
import { peekDraft } from '../db/peek-draft.ts'
import { SyncError } from '../sync/errors.ts'
import { registerBackgroundSync } from '../sync/triggers.ts'
import { useOutboxStore } from './outbox.ts'

export type SurveyPhase = 'loading' | 'error' | 'privacy' | 'answering' | 'done'
/**
 * sent: the server acknowledged it; queued: saved on the device, will be sent; rejected: the server
 * refused it for good (kept in the needs-attention box); direct-failed: no storage and no network.
 */
export type SurveyResult = 'sent' | 'queued' | 'rejected' | 'direct-failed'

/** How long the thank-you screen waits for the first send before saying "saved, will be sent". */
const SEND_WAIT_MS = 3_000
const DRAFT_DEBOUNCE_MS = 300

/** One questionnaire opened from a QR link: loading, answers, draft, validation, submit. */
export const useSurveyStore = defineStore('survey', () => {
  const phase = ref<SurveyPhase>('loading')
  const token = ref('')
  const link = shallowRef<LinkData | null>(null)
  const loadError = ref<ProblemCode | null>(null)
  const answers = reactive<FormAnswers>({})
  const responseId = ref('')
  const startedAt = ref('')
  const errors = ref(new Map<string, AnswerError>())
  const submitting = ref(false)
  const result = ref<SurveyResult | null>(null)
  const submitError = ref<ProblemCode | null>(null)
  /** A response the disk refused (quota) or that couldn't be sent directly: offered in the export. */
  const unsaved = shallowRef<ResponseItem | null>(null)

  const questions = computed<Question[]>(() => link.value?.campaign.questionnaire.questions ?? [])
  const visible = computed(() => visibleQuestions(questions.value, answers))
  const answered = computed(() => countAnswered(visible.value, answers))
  const community = computed(() => link.value?.campaign.communities.find((c) => c.id === link.value?.communityId) ?? null)

  function reset() {
    for (const k of Object.keys(answers)) delete answers[k]
    responseId.value = uuidv7()
    startedAt.value = new Date().toISOString()
    errors.value = new Map()
    result.value = null
    submitError.value = null
    unsaved.value = null
  }

  async function load(t: string) {
    token.value = t
    phase.value = 'loading'
    const res = await fetchLink(t)
    if (!res.ok) {
      loadError.value = res.code
      phase.value = 'error'
      return
    }
    link.value = res.data
    reset()
    phase.value = 'privacy'
    // A returning resident's draft, read without Dexie (see peek-draft.ts).
    const draft = await peekDraft(t)
    if (draft && phase.value === 'privacy' && token.value === t) {
      Object.assign(answers, draft.answers)
      responseId.value = draft.responseId
      startedAt.value = draft.startedAt
      phase.value = 'answering'
    }
  }

  function start() {
    startedAt.value = new Date().toISOString()
    phase.value = 'answering'
  }

  // Drafts: every change is written (debounced), and at once when the tab is hidden or closed.
  let draftTimer: ReturnType<typeof setTimeout> | null = null
  async function writeDraft() {
    if (draftTimer) clearTimeout(draftTimer)
    draftTimer = null
    // Never during or after a submit: a late snapshot would resurrect a response already saved.
    if (phase.value !== 'answering' || submitting.value || !token.value) return
    const rt = await useOutboxStore().start()
    // Checked again after the await, synchronously before the write: IndexedDB then orders this
    // put before a submit's transaction (which deletes the draft), never after it.
    if (phase.value !== 'answering' || submitting.value) return
    await rt
      .saveDraft({
        key: token.value,
        responseId: responseId.value,
        startedAt: startedAt.value,
        updatedAt: Date.now(),
        answers: { ...answers },
      })
      .catch(() => undefined)
  }
  watch(answers, () => {
    if (phase.value !== 'answering') return
    if (draftTimer) clearTimeout(draftTimer)
    draftTimer = setTimeout(() => void writeDraft(), DRAFT_DEBOUNCE_MS)
  })
  if (typeof window !== 'undefined') {
    // pagehide, not unload: the only event mobile browsers reliably fire when a tab is closed
    // or swiped away (https://developer.chrome.com/docs/web-platform/page-lifecycle-api).
    window.addEventListener('pagehide', () => void writeDraft())
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') void writeDraft()
    })
  }

  function setAnswer(id: string, value: FormValue) {
    answers[id] = value
    if (errors.value.has(id)) {
      const next = new Map(errors.value)
      next.delete(id)
      errors.value = next
    }
  }

  function buildItem(): ResponseItem {
    const l = link.value!
    return {
      kind: 'response',
      id: responseId.value,
      campaignId: l.campaign.id,
      questionnaireVersion: l.campaign.questionnaire.version,
      communityId: l.communityId,
      channel: l.channel,
      startedAt: startedAt.value,
      submittedAt: new Date().toISOString(),
      answers: toContractAnswers(questions.value, answers),
      householdKey: null,
      symposiumId: l.symposiumId ?? null,
    }
  }

  /** Returns the id of the first invalid question, or null when the response was saved/sent. */
  async function submit(): Promise<string | null> {
    if (submitting.value) return null
    errors.value = validateAll(questions.value, answers)
    const first = visible.value.find((q) => errors.value.has(q.id))
    if (first) return first.id
    submitting.value = true
    if (draftTimer) clearTimeout(draftTimer)
    draftTimer = null
    submitError.value = null
    try {
      const outbox = useOutboxStore()
      const rt = await outbox.start()
      // Built afresh on every try (same response id): answers edited after a failed save are kept.
      const item = buildItem()
      if (rt.mode === 'none') {
        const r = await rt.sendDirect(item)
        unsaved.value = r?.status === 'rejected' || !r ? item : null
        result.value = !r ? 'direct-failed' : r.status === 'rejected' ? 'rejected' : 'sent'
        if (r?.status === 'rejected') submitError.value = isProblemCode(r.code) ? r.code : 'invalid_item'
        phase.value = 'done'
        return null
      }
      try {
        const { first: firstSave } = await rt.save(item, token.value)
        if (firstSave) void rt.persist()
      } catch (err) {
        unsaved.value = item
        // Not saved: say so (never the server's "kept on the device" text), keep the form and offer the export.
        submitError.value = err instanceof SyncError ? err.code : 'save_failed'
        return null
      }
      unsaved.value = null
      // Saved durably: from here on nothing can lose it. Give the network a moment to say "sent".
      const flush = rt.flush().catch(() => null)
      const out = await Promise.race([flush, new Promise<null>((r) => setTimeout(() => r(null), SEND_WAIT_MS))])
      result.value = out?.acknowledged.includes(item.id) ? 'sent' : out?.rejected.includes(item.id) ? 'rejected' : 'queued'
      phase.value = 'done'
      if (result.value === 'queued') {
        void navigator.serviceWorker?.getRegistration().then(registerBackgroundSync)
      }
      void outbox.refresh()
      return null
    } finally {
      submitting.value = false
    }
  }

  // A queued response sent later (back online, backoff timer, another tab) turns the thank-you
  // screen from "saved, will be sent" into "sent".
  watch(
    () => useOutboxStore().settled,
    (s) => {
      if (phase.value !== 'done' || result.value !== 'queued') return
      if (s.acknowledged.includes(responseId.value)) result.value = 'sent'
      else if (s.rejected.includes(responseId.value)) result.value = 'rejected'
    },
  )

  /** Without storage, a failed direct send can be retried with the same response id. */
  async function retryDirect() {
    phase.value = 'answering'
    await submit()
  }

  /** Another response from the same phone (families share phones; METHOD.md flags it). */
  function another() {
    reset()
    phase.value = 'answering'
    window.scrollTo(0, 0)
  }

  return {
    phase,
    token,
    link,
    loadError,
    answers,
    errors,
    submitting,
    result,
    submitError,
    unsaved,
    questions,
    visible,
    answered,
    community,
    load,
    start,
    setAnswer,
    submit,
    retryDirect,
    another,
  }
})
