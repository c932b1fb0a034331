import { describe, expect, it } from 'vitest'
import { pickVoice } from '../../client/src/composables/use-speech.ts'

const v = (name: string, lang: string, localService = false, isDefault = false) => ({ name, lang, localService, default: isDefault })

describe('pickVoice (read-aloud in the elderly mode)', () => {
  it('should pick a mainland Mandarin voice that works offline before an online one or the default', () => {
    const list = [v('online', 'zh-CN', false, true), v('local', 'zh-CN', true), v('english', 'en-US', true)]
    expect(pickVoice(list, 'zh')?.name).toBe('local')
  })

  it('should accept the spellings of zh-CN that Android and Chrome OS use and refuse Cantonese and Taiwanese voices', () => {
    for (const lang of ['zh_CN', 'zh-cn', 'cmn-Hans-CN', 'zh-Hans', 'cmn-CN', 'zh']) expect(pickVoice([v('x', lang)], 'zh')?.name).toBe('x')
    for (const lang of ['zh-HK', 'yue-HK', 'zh-TW', 'en-US', 'ja-JP']) expect(pickVoice([v('x', lang)], 'zh')).toBeUndefined()
  })

  it('should pick an English voice for the English UI, the offline one first, and none when there is no English voice', () => {
    expect(pickVoice([v('us', 'en-US'), v('gb', 'en_GB', true), v('cn', 'zh-CN', true)], 'en')?.name).toBe('gb')
    expect(pickVoice([v('cn', 'zh-CN', true)], 'en')).toBeUndefined()
    expect(pickVoice([], 'zh')).toBeUndefined()
  })
})
