import { ref, watch } from 'vue'
import { LS_ELDERLY } from '../constants/storage-keys.ts'

function initial(): boolean {
  try {
    return localStorage.getItem(LS_ELDERLY) === '1'
  } catch {
    return false
  }
}

/** 适老化 mode: a class on <html> switches the CSS variables to larger text, larger targets, higher contrast. */
const elderly = ref(initial())

function apply(on: boolean) {
  document.documentElement.classList.toggle('elderly', on)
}
apply(elderly.value)
watch(elderly, (on) => {
  apply(on)
  try {
    localStorage.setItem(LS_ELDERLY, on ? '1' : '0')
  } catch {
    // not persisted: fine
  }
})

export function useElderlyMode() {
  return { elderly, toggle: () => (elderly.value = !elderly.value) }
}
