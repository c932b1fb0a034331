import { computed, type Ref, ref } from 'vue'

/**
 * Read-aloud for the elderly mode. speechSynthesis is missing in many Android WebViews and in-app
 * browsers (WeChat included), and where it exists it may have no voice for the language, or load its
 * voices late (`voiceschanged`; https://developer.mozilla.org/docs/Web/API/SpeechSynthesis/getVoices).
 * The read-aloud button shows only where a voice for the UI's language exists; otherwise the page
 * says once, in the elderly mode, that this browser cannot read aloud (SurveyPage.vue).
 */
const synth = typeof window !== 'undefined' && typeof SpeechSynthesisUtterance !== 'undefined' ? window.speechSynthesis : undefined
const speaking = ref<string | null>(null)
const voices = ref<readonly SpeechSynthesisVoice[]>([])
/** Whether the voice list is final enough to say "no voice": read once non-empty, after `voiceschanged`, or 1.5 s after start. */
const settled = ref(!synth)

function readVoices() {
  voices.value = synth?.getVoices() ?? []
  if (voices.value.length) settled.value = true
}
if (synth) {
  readVoices()
  synth.addEventListener?.('voiceschanged', () => {
    readVoices()
    settled.value = true
  })
  if (!settled.value)
    setTimeout(() => {
      readVoices()
      settled.value = true
    }, 1500)
}

type Voice = Pick<SpeechSynthesisVoice, 'lang' | 'localService' | 'default'>

/**
 * The voice for the UI's language: Mandarin of mainland China for zh (zh-CN, zh_CN, zh-Hans, cmn-Hans-CN;
 * not Cantonese zh-HK), any English for en; voices that work offline (`localService`) first, then the
 * browser's default.
 */
export function pickVoice<V extends Voice>(list: readonly V[], lang: 'zh' | 'en'): V | undefined {
  const fits = (l: string) => (lang === 'en' ? /^en(-|$)/ : /^(zh|cmn)(-cn|-hans|$)/).test(l.replace(/_/g, '-').toLowerCase())
  const score = (v: V) => (v.localService ? 2 : 0) + (v.default ? 1 : 0)
  return list.filter((v) => fits(v.lang)).sort((a, b) => score(b) - score(a))[0]
}

export function useSpeech(locale: Ref<'zh' | 'en'>) {
  const voice = computed(() => pickVoice(voices.value, locale.value))
  /** No speechSynthesis, or no voice for this language once the list has loaded. */
  const cannot = computed(() => settled.value && !voice.value)

  function stop() {
    synth?.cancel()
    speaking.value = null
  }

  function speak(id: string, text: string) {
    const v = voice.value
    if (!synth || !v) return
    if (speaking.value === id) return stop()
    synth.cancel()
    const u = new SpeechSynthesisUtterance(text)
    u.voice = v
    u.lang = v.lang.replace(/_/g, '-')
    u.rate = 0.9
    u.onend = u.onerror = () => {
      if (speaking.value === id) speaking.value = null
    }
    speaking.value = id
    synth.speak(u)
  }

  return { voice, cannot, speaking, speak, stop }
}
