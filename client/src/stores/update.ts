import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'

/** A new service worker is waiting; the prompt shows only between questionnaires (never mid-way). */
export const useUpdateStore = defineStore('update', () => {
  const waiting = ref(false)
  const acceptFn = shallowRef<(() => void) | null>(null)
  function offer(accept: () => void) {
    acceptFn.value = accept
    waiting.value = true
  }
  function accept() {
    acceptFn.value?.()
  }
  function dismiss() {
    waiting.value = false
  }
  return { waiting, offer, accept, dismiss }
})
