import type { AttendeeCategory } from '@minyi/shared/schemas'

// The words of the demo sample, in zh-CN as residents, workers and a recorder would write them. All
// people, places and events are fictional; nothing here names a real person.

/**
 * What residents write under 意见和建议 when an item disappointed them, by rating item (the template's
 * ids). A respondent who rated an item low and writes something most often writes about that item.
 */
export const COMPLAINTS: Readonly<Record<string, readonly string[]>> = {
  q_training: [
    '党员学习活动大多安排在工作日白天，上班的党员参加不了，建议多安排在晚上或周末。',
    '学习形式比较单一，基本是读文件，希望多组织一些实地参观和交流。',
    '希望在外地工作的党员也能通过线上参加学习。',
    '退休党员的组织生活可以多一些，大家愿意发挥余热。',
  ],
  q_visits: [
    '我们楼里有位独居老人，平时很少有人去看望，希望社区多关心一下。',
    '慰问主要集中在春节前后，平时走访少了一些。',
    '困难家庭的认定标准希望能公开说明一下。',
    '残疾人家庭需要的是长期帮扶，不只是过节送东西。',
  ],
  q_culture: [
    '广场舞场地太小，晚上跳舞的和散步的挤在一起。',
    '文体活动老年人参加的多，年轻人和孩子能参加的少。',
    '活动室开放时间太短，周末经常不开门。',
    '希望多办些书法、合唱之类的兴趣班，场地也要大一点。',
  ],
  q_employment: [
    '招聘信息发布不及时，看到的时候岗位已经招满了。',
    '希望多组织一些面向大龄失业人员的技能培训。',
    '不知道社区的就业服务找谁办理，希望公布一下联系电话。',
    '灵活就业人员的社保怎么办理，希望社区能给讲讲。',
  ],
  q_education: [
    '希望寒暑假办一些青少年托管或者课业辅导。',
    '“四点半课堂”名额太少，报不上名。',
    '家庭教育讲座可以多办几期，时间放在晚上。',
    '孩子放学后没人管，希望社区能有个看护的地方。',
  ],
  q_medical: [
    '社区卫生服务站周末不开门，看病要跑很远。',
    '希望定期组织义诊和免费体检，特别是给老人量血压、测血糖。',
    '卫生服务站药品不全，常用药经常缺货。',
    '家庭医生签约了，但一年也没联系过几次。',
  ],
  q_elderly: [
    '老年食堂价格偏高，饭菜也比较单调。',
    '高龄老人行动不便，希望增加上门助老服务。',
    '日间照料中心床位不够，要排很久的队。',
    '独居老人家里希望装个紧急呼叫器。',
  ],
  q_openness: [
    '专项经费花在哪里了我们不太清楚，希望在公示栏公开明细。',
    '公示的内容太笼统，只有总数，没有具体项目和金额。',
    '希望经费使用情况也在居民微信群里公布一下，方便大家监督。',
    '钱花在哪些活动上，应该让居民代表参与讨论。',
  ],
  q_urgent: [
    '楼道灯坏了反映了好几次才修好。',
    '老小区下水管道经常堵，希望尽快改造。',
    '加装电梯的事讨论了很久，一直没有进展。',
    '小区停车太难，消防通道经常被占，希望社区协调解决。',
  ],
}

/** What only the residents of one demo community (by its index in DEMO_UNITS) would write. */
export const LOCAL_COMPLAINTS: readonly (readonly string[])[] = [
  ['卫生服务站离我们小区太远，老人看病不方便。', '东门外的路口没有红绿灯，接送孩子很危险。', '小区里电动车乱停，充电的地方太少。'],
  [
    '活动搞得不错，就是通知有时候太晚，上班的人赶不上。',
    '老年大学的课一开放报名就满了，希望多开几个班。',
    '小区健身器材有几个坏了，希望换新的。',
  ],
  ['我们这边找工作的年轻人多，希望多办几场招聘会。', '菜市场门口早上太乱，希望规范一下摊位。', '出租房多，外来人员登记管理要跟上。'],
  [
    '老楼多，希望加快老旧小区改造。',
    '我们这边老人多，助餐点能不能再开一个。',
    '5号楼的下水道一年堵了好几次。',
    '楼道里堆满了杂物，消防隐患很大。',
  ],
]

/** What satisfied residents write. */
export const PRAISE: readonly string[] = [
  '社区工作人员态度很好，有事找他们都很耐心。',
  '重阳节的文艺汇演办得很好，老人们都很开心。',
  '义诊组织得很及时，点个赞。',
  '网格员经常上门了解情况，很负责任。',
  '社区环境比以前好多了，感谢社区的付出。',
  '总体挺满意的，希望继续保持。',
  '困难家庭走访很及时，冬天送来的慰问品很实用。',
  '社区书记经常到楼栋里听大家意见，很接地气。',
  '去年反映的路灯问题很快就解决了，谢谢。',
  '社区办事效率比以前高，一次就能办好。',
  '志愿者活动组织得好，邻里关系也更近了。',
  '老人助餐点饭菜可口，价格也实惠。',
]

/** Neither praise nor a complaint about one item. */
export const GENERAL: readonly string[] = [
  '希望社区多听听居民的意见。',
  '没什么意见。',
  '无',
  '暂无',
  '希望办事流程能再简化一些，少跑几趟。',
  '社区微信群里的通知太多，重要的事情容易被刷掉。',
  '希望多开展一些邻里互助活动。',
  '希望社区工作人员周末也能有人值班。',
  '问卷可以再短一点。',
  '希望各项服务的联系电话贴在每个单元门口。',
]

/** The demo's community workers (fictional), each assigned to two communities by index. */
export const WORKERS: readonly { name: string; login: string; communities: readonly number[] }[] = [
  { name: '王秀英', login: 'demo-worker-1', communities: [0, 1] },
  { name: '李建国', login: 'demo-worker-2', communities: [0, 1] },
  { name: '张丽', login: 'demo-worker-3', communities: [2, 3] },
  { name: '刘洋', login: 'demo-worker-4', communities: [2, 3] },
]

/** The symposium of the previous year's campaign, held in 幸福社区 (index 1); its recorder is worker 2. */
export const SYMPOSIUM = {
  community: 1,
  recorderWorker: 1,
  title: '幸福社区服务群众专项经费使用情况座谈会',
  place: '幸福社区党群服务中心二楼会议室',
  host: '陈明（社区党委书记）',
  recorder: '李建国',
  attendees: { party_member: 6, resident: 9, unit: 3, cadre: 4, other: 1 } satisfies Record<AttendeeCategory, number>,
} as const

/** A remark as raised at the symposium; `due` is days after the meeting, `status` its state at year end. */
interface DemoRemark {
  speaker: AttendeeCategory
  kind: 'problem' | 'suggestion' | 'praise'
  text: string
  followUp: { owner: string; dueInDays: number; status: 'todo' | 'in_progress' | 'done' } | null
}

export const REMARKS: readonly DemoRemark[] = [
  {
    speaker: 'resident',
    kind: 'problem',
    text: '3号楼楼道灯坏了两个月，报修后一直没人来修，晚上老人上下楼很不安全。',
    followUp: { owner: '社区物业办 赵刚', dueInDays: 10, status: 'done' },
  },
  {
    speaker: 'party_member',
    kind: 'problem',
    text: '老年食堂价格偏高，部分高龄独居老人负担不起，希望对困难老人有补贴。',
    followUp: { owner: '社区居委会 陈明', dueInDays: 90, status: 'in_progress' },
  },
  {
    speaker: 'unit',
    kind: 'suggestion',
    text: '建议把专项经费的使用明细每季度在公示栏和居民微信群公开，写清项目和金额。',
    followUp: { owner: '社区党委 陈明', dueInDays: 25, status: 'done' },
  },
  {
    speaker: 'resident',
    kind: 'suggestion',
    text: '双职工家庭多，希望寒暑假开设青少年托管和课业辅导。',
    followUp: { owner: '社区团支部 周婷', dueInDays: 200, status: 'todo' },
  },
  {
    speaker: 'cadre',
    kind: 'suggestion',
    text: '就业招聘信息可以按楼栋推送到网格群，比贴在公告栏更及时。',
    followUp: { owner: '社区就业服务站 孙磊', dueInDays: 15, status: 'done' },
  },
  {
    speaker: 'other',
    kind: 'problem',
    text: '社区卫生服务站周末不开门，孩子发烧只能去区医院排长队。',
    followUp: { owner: '社区卫生服务站 何医生', dueInDays: 60, status: 'in_progress' },
  },
  {
    speaker: 'party_member',
    kind: 'praise',
    text: '今年困难家庭走访很及时，冬天送来的米面油和棉被很实用。',
    followUp: null,
  },
  {
    speaker: 'resident',
    kind: 'praise',
    text: '重阳节文艺汇演和老年人体检办得很好，大家都说社区用心了。',
    followUp: null,
  },
]
