import { ref } from 'vue'

/**
 * Read-aloud for the elderly-friendly mode. speechSynthesis is missing in many Android WebViews
 * (WeChat included) and may have no zh-CN voice; the button only shows where it exists
 * (https://developer.mozilla.org/docs/Web/API/Window/speechSynthesis).
 */
const speaking = ref<string | null>(null)

export function useSpeech() {
  const synth = typeof window !== 'undefined' ? window.speechSynthesis : undefined
  const supported = !!synth && typeof SpeechSynthesisUtterance !== 'undefined'

  function stop() {
    synth?.cancel()
    speaking.value = null
  }

  function speak(id: string, text: string, lang: 'zh' | 'en') {
    if (!supported || !synth) return
    if (speaking.value === id) return stop()
    synth.cancel()
    const u = new SpeechSynthesisUtterance(text)
    u.lang = lang === 'zh' ? 'zh-CN' : 'en-US'
    u.rate = 0.9
    const voice = synth.getVoices().find((v) => v.lang.replace('_', '-').startsWith(u.lang))
    if (voice) u.voice = voice
    u.onend = u.onerror = () => {
      if (speaking.value === id) speaking.value = null
    }
    speaking.value = id
    synth.speak(u)
  }

  return { supported, speaking, speak, stop }
}
