import type { Comment, CommentPage } from '@minyi/shared/schemas'
import { pageResponsesNewestFirst } from '../db/queries/responses.ts'
import { storedAnswers } from './answers.ts'
import { requireContext } from './campaign-context.ts'
import type { Deps } from './deps.ts'

const PAGE = 2000
/** One request reads at most this many responses, so a search of a huge campaign answers quickly and continues on demand. */
const SCAN_LIMIT = 50_000

/**
 * C5 comments: the free-text answers (text and longtext questions), newest first, optionally those
 * containing `q` (case-insensitive). They are returned as data; the console renders them as text.
 */
export async function searchComments(
  deps: Deps,
  campaignId: string,
  opts: { q: string; before: string; limit: number },
): Promise<CommentPage> {
  const ctx = await requireContext(deps, campaignId)
  const textIds = new Map<number, Set<string>>()
  for (const [version, v] of ctx.versions)
    textIds.set(version, new Set(v.questions.filter((q) => q.type === 'text' || q.type === 'longtext').map((q) => q.id)))
  const needle = opts.q.trim().toLocaleLowerCase()
  const comments: Comment[] = []
  let before = opts.before
  let scanned = 0
  for (;;) {
    const page = await pageResponsesNewestFirst(deps.db.db, campaignId, before, PAGE)
    for (const r of page) {
      before = r.id
      scanned++
      const ids = textIds.get(Number(r.questionnaire_version))
      if (!ids || ids.size === 0) continue
      const answers = storedAnswers(ctx, r)
      for (const id of ids) {
        const text = answers[id]
        if (typeof text !== 'string' || text.trim() === '') continue
        if (needle && !text.toLocaleLowerCase().includes(needle)) continue
        comments.push({
          responseId: r.id,
          communityId: r.community_id,
          channel: r.channel,
          submittedAt: r.submitted_at,
          questionId: id,
          text,
        })
      }
      if (comments.length >= opts.limit) return { comments, next: r.id }
    }
    if (page.length < PAGE) return { comments, next: null }
    if (scanned >= SCAN_LIMIT) return { comments, next: before }
  }
}
