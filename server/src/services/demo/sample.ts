import { createHmac } from 'node:crypto'
import type { FollowUpItem, Question, Remark, ResponseItemInput, SymposiumItem, VisitItemInput } from '@minyi/shared/schemas'
import { shanghaiDay, shanghaiMidnight } from '@minyi/shared/time'
import { hex, int, logNormal, type Random, rng, shuffle, uuidv7At, weighted } from './random.ts'
import { answer, Decks, type Respondent } from './respondents.ts'
import { REMARKS, SYMPOSIUM, WORKERS } from './texts.ts'

// The previous year's fieldwork as the devices would have sent it: residents scanning the posters
// (one phone, one answer, sent at once or later when back online), workers interviewing door to door
// and typing in paper forms (one tablet each, a batch after each round), and a symposium whose
// recorder sends it before the attendees' rating sheets. Pure: the same seed and dates give the same
// items; the caller sends each batch through the sync service with the clock at the batch's `at`.

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Questionnaires per community (DEMO_UNITS order) and channel: about 600 in all. */
const PLAN: readonly { qr: number; door: number; paper: number }[] = [
  { qr: 85, door: 70, paper: 25 },
  { qr: 75, door: 62, paper: 23 },
  { qr: 60, door: 56, paper: 24 },
  { qr: 45, door: 52, paper: 23 },
]
/** Printed before each paper form's serial number, by community (东风, 幸福, 和平, 新华). */
const PAPER_PREFIX: readonly string[] = ['DF', 'XF', 'HP', 'XH']
/** Fieldwork runs from this many days after publication… */
const FIRST_DAY = 2
/** …to this many (six weeks). */
const LAST_DAY = 44
/** Weight of 不在家 against 拒访 25 and 需回访 10 at a door that does not lead to an interview, by community: young 和平 is out at work. */
const NOT_HOME: readonly number[] = [60, 55, 75, 45]
/** The interviewer whose answers are improbably uniform (METHOD.md §10), by index in WORKERS. */
const UNIFORM_WORKER = 3

export interface SampleInput {
  seed: number
  campaignId: string
  version: number
  questions: readonly Question[]
  /** DEMO_UNITS order. */
  communityIds: readonly string[]
  /** The campaign's door-number salt: household keys are HMAC-SHA-256 of the door number, as the worker app makes them. */
  householdSalt: string
  publishedAt: number
  closesAt: number
  /** Nothing arrives after this instant (the real clock at seeding). */
  notAfter: number
}

type Sender = { kind: 'resident' } | { kind: 'worker'; worker: number }

export interface DemoBatch {
  /** When the server receives it (its clock for this batch). */
  at: number
  sender: Sender
  deviceId: string
  items: (ResponseItemInput | SymposiumItem | VisitItemInput | FollowUpItem)[]
  /** The id of an item that must be stored before this batch is sent (a symposium before its sheets). */
  after?: string
}

interface DemoSample {
  /** In order of arrival. */
  batches: DemoBatch[]
  symposium: { id: string; linkAt: number }
  /** Remarks staff show on the community's public page once done, and when they marked them. */
  published: { at: number; remarkIds: string[] }
  /** An evaluator's review after fieldwork: the ballot-stuffing phone's surplus answers excluded. */
  exclusion: { at: number; ids: string[]; reason: string }
}

/** A random UUIDv4, as each installed client makes its device id. */
function deviceId(random: Random): string {
  const h = hex(random, 16)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${(8 + int(random, 0, 3)).toString(16)}${h.slice(17, 20)}-${h.slice(20)}`
}

/** When residents scan: lunch time and the evening. */
const HOURS = { 7: 2, 8: 3, 9: 4, 10: 4, 11: 4, 12: 6, 13: 5, 14: 3, 15: 3, 16: 3, 17: 4, 18: 5, 19: 7, 20: 8, 21: 6, 22: 3 }

/**
 * The symposium's remarks as the recorder sends them with the symposium (the schema's `remarks`),
 * every follow-up 待办 at first; and the ledger's later changes (整改中, then 已办结 with a note), each
 * its own `follow_up` item dated after the meeting, so the year ends with each remark where
 * texts.ts says it stood.
 */
function symposiumRemarks(random: Random, meeting: number, campaignId: string) {
  const remarks: Remark[] = []
  const changes: { at: number; item: FollowUpItem }[] = []
  REMARKS.forEach((r, i) => {
    const id = uuidv7At(meeting + (10 + 6 * i) * MINUTE, random)
    const followUp = r.followUp && {
      owner: r.followUp.owner,
      dueDate: shanghaiDay(meeting + r.followUp.dueInDays * DAY),
    }
    remarks.push({ id, speakerCategory: r.speaker, kind: r.kind, text: r.text, followUp: followUp && { ...followUp, status: 'todo' } })
    if (!followUp || !r.followUp || r.followUp.status === 'todo') return
    const steps: { status: 'in_progress' | 'done'; days: number; note: string }[] = [
      { status: 'in_progress', days: Math.min(3, r.followUp.dueInDays / 3), note: '已交办责任人，正在落实' },
    ]
    if (r.followUp.status === 'done')
      steps.push({ status: 'done', days: r.followUp.dueInDays * 0.8, note: '已办结，已向提出意见的居民反馈' })
    let base = id
    for (const step of steps) {
      const at = shanghaiMidnight(meeting, Math.ceil(step.days)) + int(random, 9 * 60, 17 * 60) * MINUTE
      const item: FollowUpItem = {
        kind: 'follow_up',
        id: uuidv7At(at, random),
        campaignId,
        remarkId: id,
        base,
        followUp: { ...followUp, status: step.status },
        note: step.note,
        changedAt: new Date(at).toISOString(),
      }
      changes.push({ at, item })
      base = item.id
    }
  })
  return { remarks, changes }
}

export function demoSample(input: SampleInput): DemoSample {
  const random = rng(input.seed)
  const decks = new Decks(random)
  const batches: DemoBatch[] = []
  const fieldStart = shanghaiMidnight(input.publishedAt)
  const at = (day: number, hour: number, minute = 0) => fieldStart + day * DAY + hour * HOUR + minute * MINUTE
  const item = (
    community: number,
    channel: ResponseItemInput['channel'],
    who: Omit<Respondent, 'community' | 'channel'>,
    startedAt: number,
    submittedAt: number,
    extra: { householdKey?: string; symposiumId?: string; serial?: string } = {},
  ): ResponseItemInput => ({
    kind: 'response',
    id: uuidv7At(submittedAt, random),
    campaignId: input.campaignId,
    questionnaireVersion: input.version,
    communityId: input.communityIds[community] as string,
    channel,
    startedAt: new Date(startedAt).toISOString(),
    submittedAt: new Date(submittedAt).toISOString(),
    answers: answer(random, decks, input.questions, { community, channel, ...who }),
    householdKey: extra.householdKey ?? null,
    symposiumId: extra.symposiumId ?? null,
    ...(extra.serial ? { serial: extra.serial } : {}),
  })
  const resident = { shift: 0, noise: 0.75, filledIn: false, straight: null, comments: 0.25 }

  // ---- QR: one phone, one answer; a few planted speeders and straight-liners, and one phone used for five.
  const speeders = new Set(['0:30', '1:12', '2:40', '3:25'])
  const straight = new Set(['0:10', '2:20', '3:7'])
  const stuffed: string[] = []
  for (const [community, plan] of PLAN.entries()) {
    const own = community === 3 ? plan.qr - 5 : plan.qr
    for (let i = 0; i < own; i++) {
      // Posters go up at the start: most answers come in the first weeks.
      const day = FIRST_DAY + Math.floor((LAST_DAY - FIRST_DAY) * random() ** 1.5)
      const submitted = at(day, Number(weighted(random, HOURS)), random() * 60)
      const seconds = speeders.has(`${community}:${i}`) ? int(random, 22, 40) : logNormal(random, 115, 0.35)
      const who = { ...resident, straight: straight.has(`${community}:${i}`) ? 5 : null }
      // Most phones are online; some send when they next are.
      const delay = random() < 0.92 ? int(random, 1, 6) * 1000 : logNormal(random, 90 * MINUTE, 0.8)
      batches.push({
        at: submitted + delay,
        sender: { kind: 'resident' },
        deviceId: deviceId(random),
        items: [item(community, 'qr', who, submitted - seconds * 1000, submitted)],
      })
    }
    if (community === 3) {
      // One phone answers five times in twenty minutes (METHOD.md §3: the 4th and 5th are flagged).
      const phone = deviceId(random)
      for (let j = 0; j < 5; j++) {
        const submitted = at(20, 20, 5 + 4 * j) + int(random, 0, 59) * 1000
        const it = item(community, 'qr', { ...resident, shift: 0.6, noise: 0.4 }, submitted - logNormal(random, 100, 0.2) * 1000, submitted)
        batches.push({ at: submitted + 2000, sender: { kind: 'resident' }, deviceId: phone, items: [it] })
        if (j >= 3) stuffed.push(it.id)
      }
    }
  }

  // ---- Door to door: each worker's rounds in the communities assigned to them, one batch per round.
  const doors = WORKERS.map(() => ({ device: deviceId(random), busy: new Set<string>() }))
  const seen = new Set<string>()
  // The community's code is part of the address: 3号楼2单元401 exists in every estate.
  const doorNumber = (community: number) => {
    for (;;) {
      const n = `${community}:${int(random, 1, 24)}号楼${int(random, 1, 4)}单元${int(random, 1, 7)}0${int(random, 1, 2)}`
      if (!seen.has(n)) {
        seen.add(n)
        return n
      }
    }
  }
  const householdKey = (door: string) => createHmac('sha256', input.householdSalt).update(door).digest('hex')
  // Every worker's half-days first (9:00 or 14:30, never two in one), then their rounds in time order,
  // so that a household the worker found not at home can be visited again on a later round.
  const rounds: { worker: number; community: number; size: number; start: number }[] = []
  for (const [community, plan] of PLAN.entries()) {
    const interviewers = WORKERS.flatMap((w, i) => (w.communities.includes(community) ? [i] : []))
    for (const [k, worker] of interviewers.entries()) {
      let left = Math.floor(plan.door / interviewers.length) + (k < plan.door % interviewers.length ? 1 : 0)
      while (left > 0) {
        const size = Math.min(left, int(random, 5, 8))
        left -= size
        let day = 0
        let afternoon = false
        do {
          day = int(random, FIRST_DAY + 1, LAST_DAY)
          afternoon = random() < 0.6
        } while (doors[worker]?.busy.has(`${day}:${afternoon}`))
        doors[worker]?.busy.add(`${day}:${afternoon}`)
        rounds.push({ worker, community, size, start: at(day, afternoon ? 14 : 9, afternoon ? 30 : 0) })
      }
    }
  }
  rounds.sort((a, b) => a.start - b.start || a.worker - b.worker)
  /** Doors to go back to, per worker and community: nobody was home, or they asked to come back. */
  const later = new Map<string, string[]>()
  const lastRound = new Map<string, number>()
  for (const [i, r] of rounds.entries()) lastRound.set(`${r.worker}:${r.community}`, i)
  let first: string | null = null
  for (const [index, { worker, community, size, start }] of rounds.entries()) {
    const uniform = worker === UNIFORM_WORKER
    const pending = later.get(`${worker}:${community}`) ?? []
    later.set(`${worker}:${community}`, pending)
    let t = start + int(random, 0, 10) * MINUTE
    const items: (ResponseItemInput | VisitItemInput)[] = []
    const visit = (door: string, outcome: VisitItemInput['outcome'], responseId: string | null = null): VisitItemInput => ({
      kind: 'visit',
      id: uuidv7At(t, random),
      campaignId: input.campaignId,
      communityId: input.communityIds[community] as string,
      householdKey: householdKey(door),
      outcome,
      visitedAt: new Date(t).toISOString(),
      responseId,
    })
    for (let j = 0; j < size; j++) {
      // Doors first where nobody answers, or someone says no or "come back later" (METHOD.md §11).
      const misses = Number(weighted(random, { 0: 45, 1: 30, 2: 15, 3: 10 }))
      for (let m = 0; m < misses; m++) {
        const door = doorNumber(community)
        const outcome = weighted(random, { not_home: NOT_HOME[community] ?? 60, refused: 25, revisit: 10 })
        items.push(visit(door, outcome))
        if (outcome !== 'refused') pending.push(door)
        t += logNormal(random, 3 * MINUTE, 0.4)
      }
      // The one planted repeat: worker 1's last round there interviews a household of their first again (duplicate_household).
      const repeat: string | null = worker === 0 && community === 0 && index === lastRound.get('0:0') && j === size - 1 ? first : null
      const door: string = repeat ?? (pending.length > 0 && random() < 0.35 ? (pending.shift() as string) : doorNumber(community))
      if (worker === 0 && community === 0) first ??= door
      const seconds = uniform ? logNormal(random, 190, 0.15) : logNormal(random, 330, 0.3)
      const who = uniform
        ? { shift: 0, noise: 0, filledIn: true, straight: null, comments: 0.05 }
        : { shift: 0, noise: 0.7, filledIn: false, straight: null, comments: 0.15 }
      const answered = item(community, 'door', who, t, t + seconds * 1000, { householdKey: householdKey(door) })
      items.push(answered, visit(door, 'completed', answered.id))
      t += seconds * 1000 + logNormal(random, 4 * MINUTE, 0.5)
    }
    batches.push({
      at: t + int(random, 20, 90) * MINUTE,
      sender: { kind: 'worker', worker },
      deviceId: doors[worker]?.device as string,
      items,
    })
  }

  // ---- Paper forms left at the service centre, typed in by the first worker of each pair in the evenings.
  for (const pair of [
    [0, 1],
    [2, 3],
  ] as const) {
    const worker = WORKERS.findIndex((w) => w.communities.includes(pair[0]))
    // Each community's forms are numbered in print; not all come back, and the worker types the stack in order.
    const forms = pair.flatMap((community) => {
      const returned = PLAN[community]?.paper ?? 0
      const printed = shuffle(
        random,
        Array.from({ length: Math.round(returned * 1.6) }, (_, n) => n + 1),
      )
      return printed
        .slice(0, returned)
        .sort((a, b) => a - b)
        .map((n, i) => ({ community, i, serial: `${PAPER_PREFIX[community] ?? 'P'}-${String(n).padStart(4, '0')}` }))
    })
    let session = 0
    while (forms.length > 0) {
      const batch = forms.splice(0, 12)
      const day = 16 + 7 * session++
      let t = at(Math.min(day, LAST_DAY), 19, int(random, 0, 30))
      const items: ResponseItemInput[] = []
      for (const { community, i, serial } of batch) {
        const seconds = logNormal(random, 95, 0.25)
        const who = { ...resident, comments: 0.2, straight: community === 1 && i === 5 ? 4 : null }
        items.push(item(community, 'paper', who, t, t + seconds * 1000, { serial }))
        t += seconds * 1000 + int(random, 10, 40) * 1000
      }
      batches.push({ at: t + 2 * MINUTE, sender: { kind: 'worker', worker }, deviceId: doors[worker]?.device as string, items })
    }
  }

  // ---- The symposium: the recorder sends it, attendees scan its code, the recorder types the paper sheets.
  const community = SYMPOSIUM.community
  const meeting = at(34, 14, 30)
  const symposiumId = uuidv7At(meeting - 10 * MINUTE, random)
  const recorder = SYMPOSIUM.recorderWorker
  const { remarks, changes } = symposiumRemarks(random, meeting, input.campaignId)
  batches.push({
    at: meeting - 5 * MINUTE,
    sender: { kind: 'worker', worker: recorder },
    deviceId: doors[recorder]?.device as string,
    items: [
      {
        kind: 'symposium',
        id: symposiumId,
        campaignId: input.campaignId,
        title: SYMPOSIUM.title,
        date: shanghaiDay(meeting),
        place: SYMPOSIUM.place,
        communityId: input.communityIds[community] as string,
        streetId: null,
        host: SYMPOSIUM.host,
        recorder: SYMPOSIUM.recorder,
        attendees: { ...SYMPOSIUM.attendees },
        remarks,
      },
    ],
  })
  const attendee = { shift: 0, noise: 0.6, filledIn: false, straight: null, comments: 0.35 }
  for (let i = 0; i < 13; i++) {
    const submitted = meeting + 65 * MINUTE + int(random, 0, 25 * 60) * 1000
    batches.push({
      at: submitted + int(random, 1, 4) * 1000,
      sender: { kind: 'resident' },
      deviceId: deviceId(random),
      items: [item(community, 'symposium', attendee, submitted - logNormal(random, 130, 0.3) * 1000, submitted, { symposiumId })],
      after: symposiumId,
    })
  }
  let t = meeting + 155 * MINUTE
  const typed: ResponseItemInput[] = []
  for (let i = 0; i < 5; i++) {
    const seconds = logNormal(random, 80, 0.2)
    typed.push(item(community, 'symposium', attendee, t, t + seconds * 1000, { symposiumId }))
    t += seconds * 1000 + 20_000
  }
  batches.push({
    at: t + 5 * MINUTE,
    sender: { kind: 'worker', worker: recorder },
    deviceId: doors[recorder]?.device as string,
    items: typed,
    after: symposiumId,
  })

  // The recorder keeps the 整改台账 up to date from the phone: each change a batch of its own, when made.
  for (const c of changes)
    batches.push({
      at: c.at + 2 * MINUTE,
      sender: { kind: 'worker', worker: recorder },
      deviceId: doors[recorder]?.device as string,
      items: [c.item],
      after: symposiumId,
    })

  // ---- Late: old posters still get scanned after the year closed (METHOD.md §3 `late`).
  for (const [community, days] of [
    [0, 1.6],
    [1, 2.3],
    [2, 4.4],
  ] as const) {
    const submitted = Math.min(input.closesAt + days * DAY, input.notAfter - 10 * MINUTE)
    const seconds = logNormal(random, 120, 0.3)
    const it = item(community, 'qr', resident, submitted - seconds * 1000, submitted)
    if (submitted > input.closesAt)
      batches.push({ at: submitted + 3000, sender: { kind: 'resident' }, deviceId: deviceId(random), items: [it] })
  }

  batches.sort((a, b) => a.at - b.at)
  return {
    batches,
    symposium: { id: symposiumId, linkAt: meeting - 2 * MINUTE },
    published: {
      at: Math.max(...changes.map((c) => c.at)) + DAY,
      remarkIds: changes.filter((c) => c.item.followUp.status === 'done').map((c) => c.item.remarkId),
    },
    exclusion: {
      at: at(LAST_DAY + 3, 10, 15),
      ids: stuffed,
      reason: '同一手机20分钟内连续提交5份，经社区核实为一人代填，超出部分不计入',
    },
  }
}
