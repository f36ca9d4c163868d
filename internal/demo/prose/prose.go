// Package prose writes Chinese campus news stories for the demo site: titles,
// kickers, summaries, paragraphs and credits that read like a university
// news centre's, deterministic for a seed.
package prose

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// university is the fictional university every generated story is about.
const university = "东岳大学"

// Bounds the generated text keeps, in characters (runes).
const (
	minTitle, maxTitle     = 15, 40
	minSummary, maxSummary = 60, 150
	minPara, maxPara       = 80, 300
)

// Writer generates Chinese news text deterministically from a seed.
type Writer struct {
	r *rand.Rand
	// The university's leadership, unit heads and newsroom staff are drawn
	// once, so the same people recur across stories as on a real site.
	leaders   []person
	heads     []person // main head of units[i]
	deputies  []person // second head of units[i]
	reporters []string
	editors   []string
	seen      map[string]bool // titles already used: every story gets a new one
	fill      []string        // remarks that top up short paragraphs in the current story
	used      map[string]bool // remarks already used in the current story
}

// Story is one generated news story and its credits.
type Story struct {
	Kicker        string   // 引题, empty for most stories
	Title         string   // headline, 15–40 characters
	Subtitle      string   // 副题, empty for most stories
	Summary       string   // 摘要, starting with the event date
	Paragraphs    []string // 4–9 paragraphs of 80–300 characters
	Writers       []string // 文字
	Photographers []string // 图片, may be empty
	Editor        string   // 责任编辑
	Unit          string   // 供稿单位
}

// New returns a generator whose stories depend only on seed and the
// sequence of calls made.
func New(seed uint64) *Writer {
	p := &Writer{r: rand.New(rand.NewPCG(seed, 0x6e657773646b)), seen: map[string]bool{}}
	for _, t := range leaderTitles {
		p.leaders = append(p.leaders, p.person(t, "", false))
	}
	for _, u := range units {
		p.heads = append(p.heads, p.person(u.head, u.name, false))
		p.deputies = append(p.deputies, p.person(u.deputy, u.name, false))
	}
	for range 16 {
		p.reporters = append(p.reporters, p.name(p.chance(50)))
	}
	for range 6 {
		p.editors = append(p.editors, p.name(p.chance(50)))
	}
	return p
}

// Story returns one news story for a column topic: news, departments,
// research, lectures, media, culture, students or people (anything else is
// treated as news). date is the event date; its hour picks 上午, 下午 or 晚上.
func (p *Writer) Story(topic string, date time.Time) Story {
	var st Story
	for try := 0; try < 200; try++ {
		st = p.story(topic, date)
		if !p.seen[st.Title] && fits(st) {
			break
		}
	}
	p.seen[st.Title] = true
	return st
}

// fits reports whether a draft keeps the length bounds of a Story.
func fits(st Story) bool {
	t, s := utf8.RuneCountInString(st.Title), utf8.RuneCountInString(st.Summary)
	if t < minTitle || t > maxTitle || s < minSummary || s > maxSummary {
		return false
	}
	if len(st.Paragraphs) < 4 || len(st.Paragraphs) > 9 {
		return false
	}
	for _, para := range st.Paragraphs {
		if n := utf8.RuneCountInString(para); n < minPara || n > maxPara {
			return false
		}
	}
	return true
}

func (p *Writer) story(topic string, date time.Time) Story {
	s := p.scene(topic, date)
	var d draft
	switch topic {
	case "departments":
		d = p.departments(s)
	case "research":
		d = p.research(s)
	case "lectures":
		d = p.lectures(s)
	case "media":
		d = p.media(s)
	case "culture":
		d = p.culture(s)
	case "students":
		d = p.students(s)
	case "people":
		d = p.people(s)
	default:
		d = p.news(s)
	}
	st := Story{Title: d.title, Unit: d.unit}
	st.Summary = p.summary(s, d.lead, d.more)
	st.Paragraphs = d.paras
	if p.chance(15) {
		st.Kicker = p.pick(append(kickers[topic], kickers[""]...))
	}
	if p.chance(10) {
		if d.subtitle == "" {
			d.subtitle = p.subtitle(s)
		}
		st.Subtitle = "——" + d.subtitle
	}
	st.Writers = []string{p.writer(s)}
	if p.chance(35) {
		st.Writers = append(st.Writers, p.name(p.chance(50)))
	}
	for range p.r.IntN(3) {
		st.Photographers = append(st.Photographers, p.one(p.pick(p.reporters), p.name(p.chance(50))))
	}
	st.Editor = p.pick(p.editors)
	if st.Unit == "" {
		st.Unit = s.unit.name
	}
	return st
}

// subtitle is a 副题 for a story whose builder proposed none.
func (p *Writer) subtitle(s *scene) string {
	switch s.topic {
	case "departments":
		return s.head.short() + "出席并讲话"
	case "research":
		return fmt.Sprintf("相关成果为%s研究提供新思路", s.field)
	case "lectures":
		return fmt.Sprintf("%s分享%s研究前沿", s.guest.short(), s.field)
	case "media":
		return "主流媒体持续关注东岳大学"
	case "culture":
		return p.one("师生共享文化盛宴", "青春在舞台上绽放", "让美育浸润校园")
	case "students":
		return p.one("东岳学子在实践中成长", "青春在奉献中闪光")
	case "people":
		return fmt.Sprintf("记%s%s", s.expert.org, s.expert.short())
	}
	return s.leader.short() + "出席并讲话"
}

// draft is a story as a topic builder leaves it.
type draft struct {
	title, subtitle string
	lead            string   // the summary's main clause, after the date
	more            []string // sentences that may lengthen a short summary
	paras           []string
	unit            string // 供稿单位 when not the scene's unit
}

// summary writes 1–2 sentences starting with the event date: the lead
// sentence, and if that is short one of more (or the first two of more
// joined into one sentence).
func (p *Writer) summary(s *scene, lead string, more []string) string {
	text := s.when() + "，" + lead + "。"
	fits := func(t string) bool {
		n := utf8.RuneCountInString(t)
		return n >= minSummary && n <= maxSummary
	}
	if utf8.RuneCountInString(text) >= minSummary {
		return text
	}
	for _, m := range more {
		if fits(text + m) {
			return text + m
		}
	}
	if len(more) >= 2 {
		if joined := text + strings.TrimSuffix(more[0], "。") + "，" + more[1]; fits(joined) {
			return joined
		}
	}
	if len(more) > 0 {
		return text + more[0]
	}
	return text
}

// writer is the first 文字 credit: a reporter of the news centre, or for a
// unit's own news someone of that unit.
func (p *Writer) writer(s *scene) string {
	if s.unit.school && p.chance(50) {
		return p.name(p.chance(50))
	}
	return p.pick(p.reporters)
}

// scene holds the people, place and subject one story is about.
type scene struct {
	topic  string
	date   time.Time
	part   string // 上午, 下午 or 晚上
	unit   unit
	head   person // the unit's head
	deputy person // the unit's second head
	leader person // a university leader
	other  person // a second university leader
	expert person // a professor of the unit
	guest  person // a visitor from elsewhere
	field  string
	place  string
	// Wording that differs between the sciences and the humanities.
	fund       string   // the national fund that grants projects
	funder     string   // the body that announces them
	fundKinds  []string // its project kinds
	challenges []string // problems research in the field faces
}

func (s *scene) day() string {
	return fmt.Sprintf("%d年%d月%d日", s.date.Year(), int(s.date.Month()), s.date.Day())
}

func (s *scene) when() string { return s.day() + s.part }

// owner is who a story's event belongs to: the school for its own news,
// the university for university-wide news.
func (s *scene) owner() string {
	switch s.topic {
	case "departments", "research", "lectures", "students", "people":
		return s.unit.name
	}
	return "学校"
}

func (s *scene) year() int { return s.date.Year() }

// intake is the 级 of students who enrolled most recently at the date.
func (s *scene) intake() int {
	if s.date.Month() >= time.August {
		return s.date.Year()
	}
	return s.date.Year() - 1
}

func (p *Writer) scene(topic string, date time.Time) *scene {
	s := &scene{topic: topic, date: date}
	switch h := date.Hour(); {
	case h < 12:
		s.part = "上午"
	case h < 18:
		s.part = "下午"
	default:
		s.part = "晚上"
	}
	// Stories are told from a school; offices appear as participants.
	i := p.r.IntN(len(units))
	for !units[i].school {
		i = p.r.IntN(len(units))
	}
	s.unit, s.head, s.deputy = units[i], p.heads[i], p.deputies[i]
	s.leader = p.leaders[p.r.IntN(len(p.leaders))]
	s.other = s.leader
	for s.other.name == s.leader.name {
		s.other = p.leaders[p.r.IntN(len(p.leaders))]
	}
	s.expert = p.person(p.one("教授", "教授", "教授", "副教授", "研究员", "副研究员"), s.unit.name, true)
	s.guest = p.guest()
	if len(s.unit.fields) > 0 && p.chance(85) {
		s.field = p.pick(s.unit.fields)
	} else if !s.unit.humanities {
		s.field = p.pick(fields)
	} else {
		s.field = p.pick(s.unit.fields)
	}
	s.place = p.place()
	s.fund, s.funder, s.fundKinds, s.challenges = "国家自然科学基金", "国家自然科学基金委员会", nsfKinds, challenges
	if s.unit.humanities {
		s.fund, s.funder, s.fundKinds, s.challenges = "国家社会科学基金", "全国哲学社会科学工作办公室", nssfKinds, socChallenges
	}
	p.fill = remarks
	p.used = map[string]bool{}
	return s
}

// person is someone named in a story.
type person struct {
	name   string
	title  string // 副校长, 院长, 教授
	org    string // the unit or institution; empty for university leaders
	honor  string // 中国科学院院士: said before the rest
	female bool
	after  bool // the title follows the name (李明教授), not precedes it (副校长李明)
}

// full names the person with organisation and title, as at first mention.
func (x person) full() string { return x.honor + x.org + x.short() }

// short names the person with title only.
func (x person) short() string {
	if x.after {
		return x.name + x.title
	}
	return x.title + x.name
}

// pron is the third-person pronoun for the person.
func (x person) pron() string {
	if x.female {
		return "她"
	}
	return "他"
}

func (p *Writer) person(title, org string, after bool) person {
	f := p.chance(40)
	return person{name: p.name(f), title: title, org: org, female: f, after: after}
}

// name returns a Chinese personal name: a surname and one or two given
// characters.
func (p *Writer) name(female bool) string {
	pool := givenMale
	if female {
		pool = givenFemale
	}
	given := func() string {
		if p.chance(45) {
			return p.pick(givenCommon)
		}
		return p.pick(pool)
	}
	first := given()
	if p.chance(30) {
		return p.pick(surnames) + first
	}
	second := given()
	for second == first {
		second = given()
	}
	return p.pick(surnames) + first + second
}

// guest is a visitor from another institution.
func (p *Writer) guest() person {
	f := p.chance(30)
	g := person{name: p.name(f), org: p.pick(institutions), female: f, after: true}
	switch k := p.r.IntN(10); {
	case k == 0:
		g.honor, g.title = p.one("中国科学院院士、", "中国工程院院士、"), "院士"
	case k < 7:
		g.title = p.one("教授", "教授", "研究员", "特聘教授")
	default:
		g.title = p.one("首席科学家", "高级工程师", "研究员", "主任医师", "总工程师")
	}
	return g
}

func (p *Writer) place() string {
	pl := p.pick(places)
	if p.chance(30) {
		return p.pick(campuses) + pl
	}
	return pl
}

// one returns one of its arguments.
func (p *Writer) one(s ...string) string { return s[p.r.IntN(len(s))] }

// pick returns one element of list.
func (p *Writer) pick(list []string) string { return list[p.r.IntN(len(list))] }

// between returns an integer in [lo, hi].
func (p *Writer) between(lo, hi int) int { return lo + p.r.IntN(hi-lo+1) }

// chance is true pct times in a hundred.
func (p *Writer) chance(pct int) bool { return p.r.IntN(100) < pct }

// some returns k distinct elements of list, in random order.
func (p *Writer) some(list []string, k int) []string {
	idx := p.r.Perm(len(list))
	out := make([]string, 0, k)
	for _, i := range idx[:min(k, len(list))] {
		out = append(out, list[i])
	}
	return out
}

// someUnits names k distinct schools.
func (p *Writer) someUnits(k int) []string {
	var schools []string
	for _, u := range units {
		if u.school {
			schools = append(schools, u.name)
		}
	}
	return p.some(schools, k)
}

// list joins items the Chinese way: 甲、乙和丙.
func list(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], "、") + "和" + items[len(items)-1]
}

// about returns a rounded count such as 120余 for "120余名".
func (p *Writer) about(lo, hi, step int) string {
	n := p.between(lo/step, hi/step) * step
	return fmt.Sprintf("%d余", n)
}

// money returns a sum in 万元 or 亿元.
func (p *Writer) money(loWan, hiWan int) string {
	w := p.between(loWan, hiWan)
	if w >= 10000 {
		return fmt.Sprintf("%.1f亿元", float64(w)/10000)
	}
	if w >= 1000 {
		w = w / 10 * 10
	}
	return fmt.Sprintf("%d万元", w)
}

// cn writes small numbers with Chinese numerals, as in 第十二届.
func cn(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return digits[n]
	case n < 20:
		if n == 10 {
			return "十"
		}
		return "十" + digits[n%10]
	case n < 100:
		if n%10 == 0 {
			return digits[n/10] + "十"
		}
		return digits[n/10] + "十" + digits[n%10]
	}
	return fmt.Sprint(n)
}

// count writes a quantity with Chinese numerals: 两 rather than 二 alone.
func count(n int) string {
	if n == 2 {
		return "两"
	}
	return cn(n)
}

// paragraph joins sentences into one paragraph of at most 300 characters,
// leaving out sentences that would pass the limit.
func (p *Writer) paragraph(sentences ...string) string {
	var b strings.Builder
	n := 0
	for _, s := range sentences {
		l := utf8.RuneCountInString(s)
		if l == 0 || n+l > maxPara {
			continue
		}
		b.WriteString(s)
		n += l
	}
	return b.String()
}

// remark is a general remark not yet used in the current story, or "".
func (p *Writer) remark() string {
	for range 8 {
		s := p.pick(p.fill)
		if !p.used[s] {
			p.used[s] = true
			return s
		}
	}
	for _, s := range neutralRemarks {
		if !p.used[s] {
			p.used[s] = true
			return s
		}
	}
	return ""
}

// compose builds a story body: the lead paragraph, some of the middle
// paragraphs in their given order, and the closing paragraph. Short
// neighbours are merged, as an editor would, and a paragraph still short
// gets a general remark.
func (p *Writer) compose(lead string, closing string, makers ...func() string) []string {
	want := min(p.between(4, 9)-2, len(makers))
	chosen := p.r.Perm(len(makers))[:want]
	slices.Sort(chosen)
	paras := []string{lead}
	for _, i := range chosen {
		paras = append(paras, makers[i]())
	}
	paras = append(paras, closing)
	size := func(i int) int { return utf8.RuneCountInString(paras[i]) }
	for i := 0; i < len(paras)-1 && len(paras) > 4; {
		if (size(i) < minPara || size(i+1) < minPara) && size(i)+size(i+1) <= maxPara {
			paras[i] += paras[i+1]
			paras = slices.Delete(paras, i+1, i+2)
			continue
		}
		i++
	}
	for i := range paras {
		for tries := 0; size(i) < minPara && tries < 6; tries++ {
			if r := p.remark(); r != "" && size(i)+utf8.RuneCountInString(r) <= maxPara {
				paras[i] += r
			}
		}
	}
	for len(paras) < 4 {
		extra := ""
		for tries := 0; utf8.RuneCountInString(extra) < minPara && tries < 8; tries++ {
			extra += p.remark()
		}
		paras = slices.Insert(paras, len(paras)-1, extra)
	}
	return paras
}

// speech is a paragraph of what someone said at an event.
func (p *Writer) speech(who person, occasion string) string {
	he := who.pron()
	open := p.one("在讲话中指出", "在致辞中表示", "在讲话中强调", "代表学校致辞。"+he+"指出", "在总结讲话中指出", "在讲话中充分肯定了前期工作成效。"+he+"指出")
	ts := p.some(tasks, 3)
	return p.paragraph(
		fmt.Sprintf("%s%s，%s是%s，%s。", who.full(), open, occasion, p.pick(purposes), p.pick(meanings)),
		fmt.Sprintf("%s强调，要%s，%s，%s。", he, ts[0], ts[1], ts[2]),
		fmt.Sprintf("%s希望%s%s，为%s贡献力量。", he, p.pick(audiences), p.pick(hopes), p.pick(goals)),
	)
}

// closing is the last paragraph of an event story; what names the event
// as in 此次研讨.
func (p *Writer) closing(s *scene, what string) string {
	return p.paragraph(
		fmt.Sprintf("据悉，%s是%s%s的重要举措之一。", what, s.owner(), p.pick(plans)),
		fmt.Sprintf("%s%s，%s。", p.one("活动", "整个过程", "从筹备到举办，各环节"), p.one("组织有序、安排周密", "准备充分、衔接顺畅", "内容丰富、形式多样"), p.pick(effects)),
		p.nextStep(s),
	)
}

// closingResult is the last paragraph of a story about an achievement;
// what names it as in 此次获奖.
func (p *Writer) closingResult(s *scene, what string) string {
	return p.paragraph(
		fmt.Sprintf("%s是%s%s取得的又一重要成果，", what, s.owner(), p.pick(plans)),
		fmt.Sprintf("充分展示了%s在%s方面的实力。", s.owner(), p.pick(aspects)),
		p.nextStep(s),
	)
}

func (p *Writer) nextStep(s *scene) string {
	return p.one(
		fmt.Sprintf("下一步，%s将%s，%s。", p.one(s.owner(), "相关单位"), p.pick(nextSteps), p.pick(nextSteps2)),
		fmt.Sprintf("%s相关负责人表示，将以此为契机，%s，%s。", p.one(s.owner()+"党委", s.unit.name, p.someOffices(1)[0]), p.pick(nextSteps), p.pick(nextSteps2)),
	)
}

// tasks3 is three different tasks, comma separated.
func (p *Writer) tasks3() string { return strings.Join(p.some(tasks, 3), "，") }

// tasks2 is two different tasks, comma separated.
func (p *Writer) tasks2() string { return strings.Join(p.some(tasks, 2), "，") }

// ---- 综合新闻 / 学校要闻 ----

func (p *Writer) news(s *scene) draft {
	y := s.year()
	m := int(s.date.Month())
	kinds := []int{0, 1, 2, 4, 5, 6, 7}
	if m >= 6 && m <= 7 || m >= 8 && m <= 10 {
		kinds = append(kinds, 3, 3)
	}
	d := draft{unit: p.one("党委宣传部", "党委宣传部", "校长办公室", "新闻中心")}
	switch kinds[p.r.IntN(len(kinds))] {
	case 0: // 工作会议
		work := p.pick(works)
		meeting := p.one(fmt.Sprintf("%d年%s工作会议", y, work), fmt.Sprintf("%d年度%s工作推进会", y, work), fmt.Sprintf("%s工作专题会议", work), fmt.Sprintf("%s工作部署会", work))
		d.title = p.one(
			"学校召开"+meeting,
			university+"召开"+meeting,
			fmt.Sprintf("学校召开%s %s", meeting, p.one("部署下一阶段重点任务", "推动"+work+"工作提质增效", "凝心聚力谋发展", "明确年度目标任务")),
			fmt.Sprintf("%s出席%s并讲话", s.leader.short(), meeting),
		)
		d.lead = fmt.Sprintf("学校%s在%s召开", meeting, s.place)
		d.more = []string{fmt.Sprintf("%s出席会议并讲话，%s主持会议。", s.leader.short(), s.other.short()), "会议总结了近年来学校" + work + "工作取得的成效，部署了下一阶段重点任务。"}
		office := p.office()
		d.subtitle = fmt.Sprintf("%s出席并讲话", s.leader.short())
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s在%s召开。", s.when(), p.one("学校"+meeting, university+meeting), s.place),
				fmt.Sprintf("%s出席会议并讲话，%s主持会议。", s.leader.full(), s.other.full()),
				fmt.Sprintf("各学院、各部门主要负责人及%s工作骨干%s人参加会议。", work, p.about(80, 300, 10)),
			),
			p.closing(s, "本次会议"),
			func() string {
				a := p.some(aspects, 3)
				return p.paragraph(
					fmt.Sprintf("会上，%s代表学校作工作报告。", office.full()),
					fmt.Sprintf("报告从%s等方面回顾了学校%s工作取得的成效，分析了当前面临的形势与挑战。", list(a), work),
					fmt.Sprintf("报告指出，%d年学校%s工作%s，%s。", y-1, work, p.pick(achievements), p.pick(achievements2)),
				)
			},
			func() string {
				us := p.someUnits(3)
				return p.paragraph(
					fmt.Sprintf("%s负责人先后作交流发言，", list(us)),
					fmt.Sprintf("结合本单位实际，分享了在%s等方面的经验做法，", list(p.some(aspects, 2))),
					fmt.Sprintf("并围绕%s提出了意见建议。", p.pick(issues)),
				)
			},
			func() string { return p.speech(s.leader, "做好新形势下的"+work+"工作") },
			func() string {
				return p.paragraph(
					fmt.Sprintf("%s在主持会议时要求，", s.other.short()),
					fmt.Sprintf("各单位要认真学习领会会议精神，%s，", p.tasks2()),
					fmt.Sprintf("确保%s各项任务落地见效。", work),
					p.remark(),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("会议还通报了%d年度%s工作考核结果，", y-1, work),
					fmt.Sprintf("%s等%d个单位获评先进单位，%d名教职工获评先进个人。", list(p.someUnits(2)), p.between(5, 12), p.between(12, 40)),
					"与会人员表示，将以受表彰的先进集体和个人为榜样，"+p.pick(nextSteps)+"。",
				)
			},
		)
	case 1: // 签约
		partner := p.pick(partners)
		kind := p.pick(agreements)
		platform := fmt.Sprintf("%s—%s%s%s", university, partner, s.field, p.one("联合研究院", "联合实验室", "协同创新中心", "产业技术研究院", "人才培养基地"))
		guest := person{name: p.name(p.chance(30)), title: p.one("主要负责人", "董事长", "党委书记", "总经理", "负责人"), org: partner}
		d.title = p.one(
			fmt.Sprintf("我校与%s签署%s协议", partner, kind),
			fmt.Sprintf("%s与%s举行%s签约仪式", university, partner, kind),
			fmt.Sprintf("我校与%s共建%s平台", partner, s.field),
			fmt.Sprintf("深化%s合作 我校与%s签约", s.field, partner),
		)
		d.lead = fmt.Sprintf("%s与%s%s签约仪式在%s举行", university, partner, kind, s.place)
		d.more = []string{fmt.Sprintf("双方将在%s等领域开展深度合作。", s.field), fmt.Sprintf("%s、%s出席签约仪式。", s.leader.short(), guest.full())}
		d.subtitle = fmt.Sprintf("双方共建%s", strings.TrimPrefix(platform, university+"—"))
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s与%s%s签约仪式在%s举行。", s.when(), university, partner, kind, s.place),
				fmt.Sprintf("%s，%s等出席签约仪式。", s.leader.full(), guest.full()),
				fmt.Sprintf("双方相关部门、学院负责人及专家代表%s人参加活动。", p.about(30, 120, 10)),
			),
			p.paragraph(
				fmt.Sprintf("签约仪式上，%s与%s分别代表双方签署协议，并共同为“%s”揭牌。", s.leader.short(), guest.short(), platform),
				"双方表示，将以此次签约为新起点，"+p.pick(nextSteps)+"，推动合作走深走实、取得实效。",
			),
			func() string { return p.speech(s.leader, "深化"+kind) },
			func() string {
				return p.paragraph(
					fmt.Sprintf("%s在致辞中介绍了%s的发展情况。", guest.short(), partner),
					fmt.Sprintf("%s表示，%s在%s等方面具有鲜明特色和雄厚实力，", guest.pron(), university, list(p.some(fields, 2))),
					fmt.Sprintf("希望双方发挥各自优势，在%s领域联合攻关，共同培养高素质人才，", s.field),
					"实现优势互补、互利共赢。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("根据协议，双方将在%s等方面开展全方位合作，", list(p.some(coopAreas, 3))),
					fmt.Sprintf("计划在未来%s年内共同投入经费%s，", cn(p.between(3, 5)), p.money(500, 30000)),
					fmt.Sprintf("围绕%s领域的关键技术开展联合攻关。", s.field),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("签约仪式前，%s一行参观了%s重点实验室、%s和校史馆，", guest.short(), s.field, p.one("工程训练中心", "大学生创新创业中心", "分析测试中心")),
					"详细了解了学校学科建设、科研平台和人才培养情况。",
					fmt.Sprintf("双方还就%s等议题进行了深入交流。", p.pick(issues)),
				)
			},
		)
	case 2: // 调研
		theme := p.pick(works)
		d.title = p.one(
			fmt.Sprintf("%s赴%s调研%s工作", s.leader.short(), s.unit.name, theme),
			fmt.Sprintf("%s带队走访调研%s", s.leader.short(), s.unit.name),
			fmt.Sprintf("%s到%s专题调研%s", s.leader.short(), s.unit.name, theme),
			fmt.Sprintf("%s调研%s%s工作", s.leader.short(), s.unit.name, theme),
		)
		d.lead = fmt.Sprintf("%s带队赴%s调研%s工作", s.leader.full(), s.unit.name, theme)
		d.more = []string{fmt.Sprintf("%s等相关部门负责人陪同调研。", list(p.someOffices(2))), "调研组实地察看了学院" + s.field + "相关实验平台。"}
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s带队赴%s调研%s工作，", s.when(), s.leader.full(), s.unit.name, theme),
				fmt.Sprintf("%s负责人陪同调研。", list(p.someOffices(2))),
				fmt.Sprintf("%s、%s及学院班子成员、教师代表参加座谈。", s.head.full(), s.deputy.short()),
			),
			p.closing(s, "此次调研"),
			func() string {
				return p.paragraph(
					fmt.Sprintf("调研组一行首先实地走访了学院%s实验室和%s，", s.field, p.one("本科教学实验中心", "研究生工作站", "学生党员活动室", "校企联合实训基地")),
					fmt.Sprintf("详细了解了实验平台建设、仪器设备使用和%s情况，", p.one("科研项目推进", "学生创新实践", "实验室安全管理", "青年教师成长")),
					"并与现场师生亲切交流。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("座谈会上，%s从%s等方面汇报了学院%s工作情况，", s.head.short(), list(p.some(aspects, 3)), theme),
					fmt.Sprintf("并就%s等方面存在的困难提出了意见建议。", p.pick(issues)),
					"参会教师代表结合自身工作实际作了发言。",
				)
			},
			func() string { return p.speech(s.leader, "学院"+theme+"工作") },
			func() string {
				return p.paragraph(
					fmt.Sprintf("%s对学院提出的问题逐一进行了回应，", s.leader.short()),
					fmt.Sprintf("要求相关部门%s，", p.tasks2()),
					"及时协调解决学院发展中遇到的实际困难。",
				)
			},
		)
	case 3: // 典礼
		grad := m >= 5 && m <= 7
		var ceremony string
		if grad {
			ceremony = p.one(fmt.Sprintf("%d届本科生毕业典礼暨学位授予仪式", y), fmt.Sprintf("%d届研究生毕业典礼暨学位授予仪式", y), fmt.Sprintf("%d年毕业典礼", y))
		} else {
			ceremony = p.one(fmt.Sprintf("%d级本科生开学典礼", s.intake()), fmt.Sprintf("%d级研究生开学典礼", s.intake()), fmt.Sprintf("%d级新生开学典礼", s.intake()))
		}
		stu := p.name(p.chance(50))
		s.place = p.one("体育馆", "主校区田径运动场", "大学生活动中心", "东湖校区体育馆")
		d.title = p.one(
			"学校隆重举行"+ceremony,
			university+ceremony+"举行",
			fmt.Sprintf("%s在%s举行", ceremony, s.place),
			fmt.Sprintf("%s %s寄语青年学子", ceremony, s.leader.short()),
		)
		n := p.between(4, 9) * 1000
		d.lead = fmt.Sprintf("%s%s在%s隆重举行", university, ceremony, s.place)
		d.more = []string{fmt.Sprintf("%d余名学生与家长代表参加典礼。", n), fmt.Sprintf("%s出席典礼并讲话。", s.leader.short())}
		d.unit = p.one("党委学生工作部", "党委宣传部", "研究生院")
		hope := p.one("志存高远、脚踏实地", "勇担使命、不负韶华", "心怀家国、敢为人先", "勤学笃行、求是创新")
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s%s在%s隆重举行。", s.when(), university, ceremony, s.place),
				fmt.Sprintf("%s、%s等校领导出席典礼，", s.leader.full(), s.other.short()),
				fmt.Sprintf("%d余名学生和部分家长代表参加典礼，典礼由%s主持。", n, s.other.short()),
			),
			p.paragraph(
				fmt.Sprintf("“%s”%s在讲话结尾深情寄语，", p.pick(leaderQuotes), s.leader.short()),
				"希望同学们"+hope+"，在新的起点上书写无愧于时代的青春篇章。",
				"全场响起经久不息的掌声。",
			),
			func() string { return p.speech(s.leader, ceremony) },
			func() string {
				return p.paragraph(
					fmt.Sprintf("教师代表、%s%s作了发言。", s.expert.org, s.expert.short()),
					fmt.Sprintf("%s结合自己多年从事%s研究的经历，", s.expert.pron(), s.field),
					"勉励同学们保持好奇心和求知欲，在独立思考中提升本领，在团队协作中收获成长。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("学生代表、%s%s同学在发言中表示，", p.someUnits(1)[0], stu),
					"在东岳大学的求学时光是人生中最宝贵的财富，",
					"将牢记师长的教诲，"+p.pick(hopes)+"。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("典礼在庄严的国歌声中开始。全体师生共同观看了%s，", p.one("学校宣传片", "新生成长纪录片", "毕业生视频《我们的东岳时光》", "校史专题短片")),
					"熟悉的校园场景和一张张青春的面孔引发现场师生强烈共鸣。",
					"不少家长举起手机，记录下这一难忘的时刻。",
					fmt.Sprintf("典礼现场还为%d名优秀学生代表颁发了证书。", p.between(8, 30)),
				)
			},
		)
	case 4: // 座谈会
		group := p.pick(groups)
		d.title = p.one(
			fmt.Sprintf("学校召开%s座谈会", group),
			fmt.Sprintf("%s与%s座谈交流", s.leader.short(), group),
			fmt.Sprintf("学校召开%s座谈会 听取%s意见建议", group, p.one("发展", "改革", "办学", "年度工作")),
			fmt.Sprintf("%s%s座谈会在%s举行", university, group, s.place),
		)
		d.lead = fmt.Sprintf("学校在%s召开%s座谈会", s.place, group)
		d.more = []string{fmt.Sprintf("%s出席会议并讲话。", s.leader.short()), "与会代表围绕学校改革发展积极建言献策。"}
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，学校在%s召开%s座谈会，", s.when(), s.place, group),
				fmt.Sprintf("听取大家对学校%s的意见建议。", p.one("改革发展", "“十五五”规划编制", "年度重点工作", "人才培养工作")),
				fmt.Sprintf("%s出席会议并讲话，%s主持会议，%s负责人参加会议。", s.leader.full(), s.other.short(), list(p.someOffices(2))),
			),
			p.closing(s, "此次座谈会"),
			func() string {
				return p.paragraph(
					fmt.Sprintf("座谈会上，%d位代表先后发言，", p.between(6, 12)),
					fmt.Sprintf("围绕%s等话题畅所欲言，", list(p.some(issues, 2))),
					"既充分肯定了学校近年来取得的发展成绩，也实事求是地指出了工作中存在的不足。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("%s%s说：“%s”", s.expert.org, s.expert.short(), p.pick(teacherQuotes)),
					fmt.Sprintf("%s建议学校进一步%s。", s.expert.pron(), p.tasks2()),
				)
			},
			func() string { return p.speech(s.leader, "听取"+group+"意见建议") },
			func() string {
				return p.paragraph(
					fmt.Sprintf("%s对大家提出的意见建议逐一作了回应，", s.leader.short()),
					"表示学校将认真梳理、分类研究，能立即解决的马上解决，需要长期推进的纳入规划统筹解决，",
					"切实把大家的真知灼见转化为推动学校发展的具体举措。",
				)
			},
		)
	case 5: // 专题学习 / 推进会
		theme := p.pick(themes)
		d.title = p.one(
			fmt.Sprintf("校党委理论学习中心组开展%s专题学习", theme),
			fmt.Sprintf("学校召开%s推进会", theme),
			fmt.Sprintf("学校部署推进%s工作", theme),
			fmt.Sprintf("%s主持召开%s专题会议", s.leader.short(), theme),
		)
		d.lead = fmt.Sprintf("学校在%s召开%s专题会议", s.place, theme)
		d.more = []string{fmt.Sprintf("%s主持会议并讲话。", s.leader.short()), "会议研究部署了下一阶段重点工作。"}
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，学校在%s召开%s专题会议，", s.when(), s.place, theme),
				fmt.Sprintf("%s主持会议并讲话，%s出席会议。", s.leader.full(), s.other.short()),
				"各学院、各部门主要负责人参加会议。",
			),
			p.closing(s, "本次会议"),
			func() string {
				return p.paragraph(
					fmt.Sprintf("会上，%s通报了学校%s工作进展情况，", p.office().full(), theme),
					fmt.Sprintf("对照目标任务逐项梳理了%s等方面的完成情况，", list(p.some(aspects, 2))),
					"并对下一阶段重点工作作了具体安排。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("%s和%s负责人结合工作实际作交流发言，", list(p.someUnits(2)), p.someOffices(1)[0]),
					fmt.Sprintf("介绍了在推进%s中的具体举措和阶段性成效。", theme),
					p.remark(),
				)
			},
			func() string { return p.speech(s.leader, "推进"+theme) },
			func() string {
				return p.paragraph(
					"会议要求，各单位要提高政治站位，压实工作责任，",
					fmt.Sprintf("%s，", p.tasks2()),
					fmt.Sprintf("以%s的实际成效推动学校事业高质量发展。", theme),
				)
			},
		)
	case 6: // 检查
		season := p.pick(seasons)
		d.title = p.one(
			fmt.Sprintf("%s带队开展%s校园安全检查", s.leader.short(), season),
			fmt.Sprintf("学校开展%s安全稳定工作专项检查", season),
			fmt.Sprintf("%s检查%s校园安全工作", s.leader.short(), season),
		)
		d.lead = fmt.Sprintf("%s带队开展%s校园安全检查", s.leader.full(), season)
		d.more = []string{fmt.Sprintf("检查组先后来到%s等地进行实地检查。", list(p.some(safetySpots, 2))), "保卫处、后勤服务集团等部门负责人陪同检查。"}
		d.unit = "保卫处"
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s带队开展%s校园安全检查，", s.when(), s.leader.full(), season),
				"保卫处、后勤服务集团、实验室与设备管理处等部门负责人陪同检查。",
			),
			p.closing(s, "此次安全检查"),
			func() string {
				return p.paragraph(
					fmt.Sprintf("检查组先后来到%s等地，", list(p.some(safetySpots, 3))),
					"详细查看了消防设施配备、危险化学品管理、值班值守和应急物资储备等情况，",
					"并与一线工作人员深入交流。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("%s强调，安全稳定是学校事业发展的前提和基础，", s.leader.short()),
					"各单位要时刻绷紧安全这根弦，全面排查风险隐患，",
					"对发现的问题建立台账、限时整改，切实做到闭环管理。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("据了解，%s，学校共组织各类安全检查%d次，", p.one("今年以来", "本学期以来", "近一个月来"), p.between(12, 60)),
					fmt.Sprintf("排查整改隐患%d处，开展消防演练和安全教育活动%d场，", p.between(30, 200), p.between(10, 40)),
					fmt.Sprintf("覆盖师生%s人次。", p.about(5000, 30000, 1000)),
				)
			},
		)
	default: // 表彰
		honor := p.pick(staffHonors)
		d.title = p.one(
			fmt.Sprintf("学校举行%d年度%s颁奖典礼", y, honor),
			fmt.Sprintf("%s%d年度%s揭晓", university, y, honor),
			fmt.Sprintf("学校表彰%d年度%s", y, honor),
		)
		n := p.between(5, 20)
		d.lead = fmt.Sprintf("学校%d年度%s颁奖典礼在%s举行", y, honor, s.place)
		d.more = []string{fmt.Sprintf("%d名教职工获此殊荣。", n), fmt.Sprintf("%s出席典礼并为获奖者颁奖。", s.leader.short())}
		d.unit = p.one("人事处", "校工会", "教务处")
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，学校%d年度%s颁奖典礼在%s举行。", s.when(), y, honor, s.place),
				fmt.Sprintf("%s、%s出席典礼并为获奖者颁奖，", s.leader.full(), s.other.short()),
				fmt.Sprintf("获奖教师代表、各单位负责人及师生代表%s人参加典礼。", p.about(200, 600, 50)),
			),
			p.closing(s, "此次表彰"),
			func() string {
				return p.paragraph(
					fmt.Sprintf("经个人申报、单位推荐、专家评审和公示等程序，%s等%d名教职工获评%s。", s.expert.name, n, honor),
					fmt.Sprintf("他们中既有深耕%s领域多年的资深教授，也有扎根教学一线的青年教师，", s.field),
					"展现了东岳大学教师爱岗敬业、潜心育人的良好风貌。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("获奖代表%s%s作了发言。", s.expert.org, s.expert.short()),
					fmt.Sprintf("“%s”%s说，", p.pick(teacherQuotes), s.expert.pron()),
					"荣誉既是肯定更是鞭策，将继续守好三尺讲台，用心用情做好学生成长的引路人。",
				)
			},
			func() string { return p.speech(s.leader, "表彰先进、树立典型") },
		)
	}
	return d
}

// office is the head of an office (not a school).
func (p *Writer) office() person {
	for {
		i := p.r.IntN(len(units))
		if !units[i].school {
			return p.heads[i]
		}
	}
}

// someOffices names k distinct offices.
func (p *Writer) someOffices(k int) []string {
	var offices []string
	for _, u := range units {
		if !u.school {
			offices = append(offices, u.name)
		}
	}
	return p.some(offices, k)
}

// ---- 院系动态 ----

func (p *Writer) departments(s *scene) draft {
	y := s.year()
	u := s.unit.name
	room := p.pick(schoolRooms)
	count := p.about(40, 160, 10)
	d := draft{}
	switch p.r.IntN(7) {
	case 0: // 学术论坛
		forum := fmt.Sprintf("第%s届“%s”研究生学术论坛", cn(p.between(3, 18)), p.pick(forumNames))
		d.title = p.one(
			fmt.Sprintf("%s举办%s", u, forum),
			fmt.Sprintf("%s%s成功举办", u, forum),
			fmt.Sprintf("%s举办研究生学术论坛 聚焦%s前沿", u, s.field),
		)
		n := p.between(40, 160)
		d.lead = fmt.Sprintf("%s%s在%s举行", u, forum, s.place)
		d.more = []string{fmt.Sprintf("论坛以“%s：%s”为主题，共收到学术论文%d篇。", s.field, p.pick(lectureAngles), n)}
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s%s在%s举行。", s.when(), u, forum, s.place),
				fmt.Sprintf("本届论坛以“%s：%s”为主题，", s.field, p.pick(lectureAngles)),
				fmt.Sprintf("共收到来自校内外的学术论文%d篇，%s名师生参加开幕式。", n, p.about(100, 400, 10)),
			),
			p.closing(s, "本届论坛"),
			func() string { return p.speech(s.head, "研究生学术论坛") },
			func() string {
				return p.paragraph(
					fmt.Sprintf("开幕式后，%s作题为“%s”的主旨报告。", s.guest.full(), p.lectureTitle(s.field)),
					fmt.Sprintf("%s从%s出发，", s.guest.pron(), p.one("学科发展历程", "国家战略需求", "国际研究前沿", "工程实践问题")),
					"系统阐述了该领域的核心科学问题和未来发展方向，并与同学们分享了科研选题与论文写作的经验。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("论坛设%s个分会场，", cn(p.between(3, 6))),
					fmt.Sprintf("%d名研究生围绕%s等方向作了口头报告。", p.between(20, 60), list(p.some(s.unit.fields, 2))),
					"各分会场评审专家对报告进行了点评，并就研究方法和实验设计提出了具体建议。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("经专家评审，论坛共评选出优秀论文一等奖%d篇、二等奖%d篇、三等奖%d篇，", p.between(3, 6), p.between(6, 10), p.between(10, 16)),
					fmt.Sprintf("博士研究生%s的论文获得最佳报告奖。", p.name(p.chance(50))),
				)
			},
		)
	case 1: // 教学研讨
		event := p.one(fmt.Sprintf("%d年本科教学工作研讨会", y), "青年教师教学能力提升工作坊", "课程思政建设研讨会", fmt.Sprintf("%d年研究生培养工作会议", y), "专业建设与人才培养方案修订研讨会")
		d.title = p.one(
			fmt.Sprintf("%s召开%s", u, event),
			fmt.Sprintf("%s举办%s", u, event),
			fmt.Sprintf("%s%s举行", u, event),
		)
		d.lead = fmt.Sprintf("%s%s在%s举行", u, event, room)
		d.more = []string{fmt.Sprintf("学院领导班子成员、%s及教师代表%s人参加研讨。", p.one("教学督导", "系主任和课程负责人", "教学管理人员"), count), "会议围绕提升人才培养质量展开深入研讨。"}
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s%s在%s举行。", s.when(), u, event, room),
				fmt.Sprintf("%s、%s出席会议，", s.head.full(), s.deputy.short()),
				fmt.Sprintf("学院教师代表%s人参加研讨。", count),
			),
			p.closing(s, "此次研讨"),
			func() string {
				return p.paragraph(
					fmt.Sprintf("%s在讲话中指出，人才培养是学院的根本任务，", s.head.short()),
					fmt.Sprintf("要%s，", p.tasks2()),
					fmt.Sprintf("推动%s学科优势转化为育人优势。", s.field),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("会上，学院%s%s分享了%s课程的建设经验，", p.one("国家级教学名师", "省级教学名师", "课程负责人"), s.expert.short(), p.pick(courses)),
					"介绍了如何将科研成果融入课堂、以项目驱动学生主动学习，",
					"与会教师纷纷表示很受启发。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("分组研讨环节，各系围绕%s等议题展开讨论，", list(p.some(teachingTopics, 3))),
					fmt.Sprintf("共梳理问题%d项，形成改进措施%d条。", p.between(10, 30), p.between(8, 20)),
					"各系主任在汇总发言中表示，将把研讨成果落实到新学期的教学安排中。",
				)
			},
		)
	case 2: // 主题党日
		branch := fmt.Sprintf("%s第%s", p.one("教工", "研究生", "本科生", "博士生"), cn(p.between(1, 9)))
		theme := p.pick(slogans)
		site := p.pick(redSites)
		members := p.between(15, 45)
		d.title = p.one(
			fmt.Sprintf("%s%s党支部开展“%s”主题党日活动", u, branch, theme),
			fmt.Sprintf("%s开展“%s”主题党日活动", u, theme),
			fmt.Sprintf("%s%s党支部赴%s开展主题党日活动", u, branch, site),
		)
		d.lead = fmt.Sprintf("%s%s党支部赴%s开展“%s”主题党日活动", u, branch, site, theme)
		d.more = []string{fmt.Sprintf("支部党员、入党积极分子共%d人参加活动。", members), "大家纷纷表示深受教育。"}
		d.unit = u
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s%s党支部赴%s开展“%s”主题党日活动，", s.when(), u, branch, site, theme),
				fmt.Sprintf("支部党员、入党积极分子共%d人参加活动，", members),
				fmt.Sprintf("%s党委书记%s全程参加。", u, s.deputy.name),
			),
			p.closing(s, "此次主题党日活动"),
			func() string {
				return p.paragraph(
					fmt.Sprintf("在%s，全体党员在讲解员的带领下依次参观了各个展厅，", site),
					"通过一张张珍贵的历史照片、一件件饱经风霜的实物，",
					"深入了解了革命先辈不畏艰险、敢于斗争的感人事迹。",
				)
			},
			func() string {
				return p.paragraph(
					"参观结束后，全体党员面向党旗重温入党誓词。",
					"铿锵有力的誓言表达了党员们坚定理想信念、践行初心使命的决心。",
					fmt.Sprintf("随后，支部召开专题组织生活会，%d名党员结合学习工作实际交流了心得体会。", p.between(4, 10)),
				)
			},
			func() string {
				stu := p.name(p.chance(50))
				return p.paragraph(
					fmt.Sprintf("%s党员%s说：“%s”", p.one("研究生", "教工", "本科生"), stu, p.pick(quotes)),
					fmt.Sprintf("%s表示，将把学习成果转化为做好%s的实际行动。", p.one("大家", "党员们"), p.one("科研工作", "本职工作", "学业", "服务同学工作")),
				)
			},
		)
	case 3: // 校企合作
		co := p.pick(partners)
		lab := fmt.Sprintf("%s%s", s.field, p.one("联合实验室", "联合研发中心", "校企协同创新中心", "研究生联合培养基地", "实践教学基地"))
		d.title = p.one(
			fmt.Sprintf("%s与%s共建%s", u, co, lab),
			fmt.Sprintf("%s%s揭牌", u, lab),
			fmt.Sprintf("%s与%s签署合作协议", u, co),
		)
		d.lead = fmt.Sprintf("%s与%s共建%s揭牌仪式在%s举行", u, co, lab, room)
		d.more = []string{fmt.Sprintf("双方将围绕%s开展联合攻关与人才培养。", s.field)}
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s与%s共建%s揭牌仪式在%s举行。", s.when(), u, co, lab, room),
				fmt.Sprintf("%s、%s相关负责人及学院师生代表%s人参加仪式。", s.head.full(), co, p.about(30, 100, 10)),
			),
			p.closing(s, "此次合作"),
			func() string {
				return p.paragraph(
					fmt.Sprintf("%s在致辞中表示，学院在%s方向拥有一支高水平研究团队，", s.head.short(), s.field),
					"近年来承担了一批国家和地方重点科研项目，",
					"希望以联合实验室为平台，推动更多科研成果从实验室走向生产线。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("根据协议，%s将在未来%s年内投入研发经费%s，", co, cn(p.between(3, 5)), p.money(200, 3000)),
					fmt.Sprintf("双方将围绕%s等方向联合开展技术攻关，", list(p.some(s.unit.fields, 2))),
					fmt.Sprintf("每年接收不少于%d名研究生开展联合培养和专业实践。", p.between(10, 40)),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("仪式结束后，双方召开技术交流会，%s团队介绍了%s领域的最新研究进展，", s.expert.short(), s.field),
					fmt.Sprintf("企业技术人员介绍了在%s中遇到的技术难题，", p.one("产品研发", "生产运维", "工艺升级", "数字化转型")),
					"双方就首批合作课题达成了初步共识。",
				)
			},
		)
	case 4: // 课程/专业
		n := p.between(2, 8)
		course := p.pick(courses)
		d.title = p.one(
			fmt.Sprintf("%s%d门课程获评省级一流本科课程", u, n),
			fmt.Sprintf("%s%s课程入选国家级一流本科课程", u, course),
			fmt.Sprintf("%s%d个专业通过工程教育专业认证", u, p.between(2, 4)),
			fmt.Sprintf("%s获批%d项省级教学改革研究项目", u, n),
		)
		d.lead = fmt.Sprintf("%s%s等%d门课程获评省级一流本科课程", u, course, n)
		d.more = []string{"这是学院持续深化教育教学改革取得的又一成果。", "学院一流课程建设工作再上新台阶。"}
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，教育主管部门公布了%d年度一流本科课程认定结果。", s.when(), y),
				fmt.Sprintf("%s《%s》等%d门课程获评省级一流本科课程，", u, course, n),
				"获评数量位居学校前列。",
			),
			p.closingResult(s, "此次获评"),
			func() string {
				return p.paragraph(
					fmt.Sprintf("近年来，%s坚持以学生发展为中心，", u),
					fmt.Sprintf("围绕%s等方面持续推进课程改革，", list(p.some(teachingTopics, 2))),
					"建立了课程建设、评价与持续改进的闭环机制。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("《%s》课程负责人%s介绍，", course, s.expert.short()),
					fmt.Sprintf("课程团队将%s领域的最新研究成果引入课堂，建设了在线课程资源%d个，", s.field, p.between(20, 80)),
					fmt.Sprintf("累计选课学生超过%d人次，学生评教成绩连续多年位居学院前列。", p.between(2, 20)*1000),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("%s表示，学院将以此为契机，", s.head.full()),
					"进一步加强课程团队建设，推动优质课程资源共建共享，",
					"以高质量课程体系支撑高素质人才培养。",
				)
			},
		)
	case 5: // 新生 / 毕业生
		m := s.date.Month()
		var event string
		if m >= 3 && m <= 7 {
			event = p.one(fmt.Sprintf("%d届毕业生就业工作推进会", y), fmt.Sprintf("%d届毕业生座谈会", y), fmt.Sprintf("%d届毕业生党员毕业教育大会", y))
		} else {
			event = p.one(fmt.Sprintf("%d级新生入学教育大会", s.intake()), fmt.Sprintf("%d级新生见面会", s.intake()), fmt.Sprintf("%d级研究生导学交流会", s.intake()))
		}
		d.title = p.one(
			fmt.Sprintf("%s召开%s", u, event),
			fmt.Sprintf("%s举行%s", u, event),
			fmt.Sprintf("%s%s在%s举行", u, event, room),
		)
		d.lead = fmt.Sprintf("%s%s在%s举行", u, event, room)
		students := p.about(100, 500, 10)
		d.more = []string{fmt.Sprintf("%s出席并讲话。", s.head.short()), fmt.Sprintf("学院%s名学生参加。", students)}
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s%s在%s举行。", s.when(), u, event, room),
				fmt.Sprintf("%s、%s出席会议，", s.head.full(), s.deputy.short()),
				fmt.Sprintf("学院辅导员、班主任和%s名学生参加。", students),
			),
			p.closing(s, "此次"+p.one("会议", "活动")),
			func() string { return p.speech(s.head, event) },
			func() string {
				return p.paragraph(
					fmt.Sprintf("学院%s介绍了%s，", p.one("党委副书记", "学工办主任", "副院长"), p.one("学院发展历史和学科专业情况", "近年来毕业生就业去向和升学情况", "奖助学金评定和学生资助政策", "学生综合素质测评办法")),
					fmt.Sprintf("据统计，学院近三年毕业生去向落实率保持在%d%%以上，", p.between(92, 98)),
					fmt.Sprintf("其中%d%%的毕业生进入%s相关行业和重点单位工作。", p.between(30, 60), s.field),
				)
			},
			func() string {
				stu := p.person("", "", false)
				return p.paragraph(
					fmt.Sprintf("学生代表%s分享了自己的成长经历。", stu.name),
					fmt.Sprintf("“%s”%s说，", p.pick(quotes), stu.pron()),
					"希望同学们珍惜时光、规划好大学生活，在学院这个大家庭里收获知识和友谊。",
				)
			},
		)
	default: // 学科建设咨询
		d.title = p.one(
			fmt.Sprintf("%s召开%s学科建设专家咨询会", u, s.field),
			fmt.Sprintf("%s举行学科发展规划论证会", u),
			fmt.Sprintf("校外专家为%s学科建设把脉问诊", u),
		)
		d.lead = fmt.Sprintf("%s学科建设专家咨询会在%s召开", u, room)
		d.more = []string{fmt.Sprintf("来自%s等单位的专家应邀出席。", s.guest.org), "专家组为学院学科发展提出了意见建议。"}
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s学科建设专家咨询会在%s召开。", s.when(), u, room),
				fmt.Sprintf("%s等%d位校内外专家应邀出席，", s.guest.full(), p.between(5, 9)),
				fmt.Sprintf("%s、%s及学科带头人参加会议。", s.head.full(), s.deputy.short()),
			),
			p.closing(s, "此次咨询会"),
			func() string {
				return p.paragraph(
					fmt.Sprintf("会上，%s从%s等方面汇报了学院学科建设情况，", s.head.short(), list(p.some(aspects, 3))),
					fmt.Sprintf("重点介绍了%s方向的发展思路和近期目标。", s.field),
				)
			},
			func() string {
				return p.paragraph(
					"专家组在认真听取汇报、审阅材料后，",
					"充分肯定了学院在学科建设中取得的成绩，",
					fmt.Sprintf("建议学院进一步凝练学科方向，加强%s与%s的交叉融合，", s.field, p.pick(fields)),
					"在高层次人才引育和重大平台建设上持续发力。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("%s表示，专家们的意见建议站位高、针对性强，", s.head.short()),
					"学院将认真研究吸收，进一步完善学科发展规划，",
					"推动学科建设水平持续提升。",
				)
			},
		)
	}
	return d
}

// ---- 学术动态 / 科研成果 ----

func (p *Writer) research(s *scene) draft {
	y := s.year()
	u := s.unit.name
	d := draft{}
	p.fill = researchRemarks
	hum := s.unit.humanities
	if hum {
		p.fill = socRemarks
	}
	method := p.method(s)
	metric := p.pick(metrics)
	journals := sciJournals
	if s.unit.humanities {
		journals = socJournals
	}
	pct := p.between(12, 85)
	first := p.name(p.chance(45))

	switch p.r.IntN(5) {
	case 0, 1: // 论文
		journal := p.pick(journals)
		thing := p.pick(things)
		d.title = p.one(
			fmt.Sprintf("%s%s团队在%s领域取得新进展", u, s.expert.name, s.field),
			fmt.Sprintf("我校%s研究成果发表于《%s》", s.field, journal),
			fmt.Sprintf("%s在《%s》发表%s研究新成果", u, journal, s.field),
			fmt.Sprintf("我校学者在%s%s方面取得重要突破", s.field, p.one("机理研究", "关键技术", "理论方法", "材料设计")),
			fmt.Sprintf("%s团队提出%s新%s", s.expert.short(), s.field, p.one("方法", "策略", "思路", "模型")),
		)
		paper := fmt.Sprintf("基于%s的%s%s", method, s.field, thing)
		d.lead = fmt.Sprintf("国际学术期刊《%s》在线发表了%s%s团队的最新研究成果", journal, u, s.expert.short())
		d.more = []string{fmt.Sprintf("该研究提出了一种%s，%s提升了%d%%。", paper, metric, pct), fmt.Sprintf("该成果为%s领域的研究提供了新思路。", s.field)}
		if s.unit.humanities {
			d.more[0] = fmt.Sprintf("该研究基于%s，系统考察了%s的%s。", method, s.field, p.pick(socObjects))
		}
		d.subtitle = fmt.Sprintf("%s团队在%s领域取得系列进展", u, s.field)
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，国际学术期刊《%s》在线发表了%s%s团队题为“%s研究”的论文。", s.when(), journal, u, s.expert.short(), paper),
				fmt.Sprintf("论文第一作者为%s博士研究生%s，%s为通讯作者，%s为第一完成单位。", u, first, s.expert.short(), university),
			),
			p.paragraph(
				fmt.Sprintf("%s表示，团队将在现有工作基础上，", s.expert.short()),
				fmt.Sprintf("进一步开展%s的%s研究，", s.field, p.pick(followUps(hum))),
				p.one("争取早日实现从实验室到应用场景的跨越。", "力争推出更多有分量、有影响的成果。"),
				p.remark(),
			),
			func() string {
				return p.paragraph(
					fmt.Sprintf("%s是%s。", s.field, p.pick(fieldWhy)),
					fmt.Sprintf("然而，现有研究普遍面临%s等难题，", p.pick(s.challenges)),
					"制约了相关技术的进一步发展和推广应用。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("针对这一问题，研究团队%s，", p.one("另辟蹊径", "经过近三年的攻关", "从基础理论入手", "联合国内外合作者")),
					fmt.Sprintf("提出了一种%s，", paper),
					fmt.Sprintf("通过%s揭示了%s的内在机制。", p.method(s), p.pick(mechanisms(hum))),
					fmt.Sprintf("研究过程中，团队%s。", p.one("自主搭建了专用实验平台", "积累了大量第一手数据", "与多家单位开展了联合验证", "反复修正了理论模型")),
				)
			},
			func() string {
				if s.unit.humanities {
					return p.paragraph(
						fmt.Sprintf("研究利用%d个地区、%d余份样本和文献资料，", p.between(12, 300), p.between(2, 40)*100),
						fmt.Sprintf("系统考察了%s的%s，", s.field, p.pick(socObjects)),
						fmt.Sprintf("发现%s，", p.pick(socFindings)),
						"并据此提出了具有针对性的政策建议。",
					)
				}
				return p.paragraph(
					fmt.Sprintf("实验结果表明，与现有最优方案相比，该方法使%s提升了%d%%，", metric, pct),
					fmt.Sprintf("同时%s降低了约%d%%，", p.pick(costs), p.between(10, 50)),
					"在多个公开数据集和实际场景中均表现出良好的稳定性。",
					fmt.Sprintf("%s介绍，这一结果超出了团队最初的预期。", s.expert.short()),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("论文发表前经过了%s轮同行评审。审稿人认为，该工作“%s”。", count(p.between(2, 3)), p.one("思路新颖，结果令人信服", "为该领域提供了重要的新见解", "具有重要的理论意义和应用价值", "研究设计严谨，结论可靠")),
					fmt.Sprintf("该研究得到了%s等项目的资助。", p.one(s.fund+"、东岳市科研项目", s.fund+"重点项目", s.fund+"和教育部相关科研项目")),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("近年来，%s团队围绕%s开展了系统研究，", s.expert.name, s.field),
					fmt.Sprintf("在《%s》《%s》等期刊发表高水平论文%d余篇，", p.pick(journals), p.pick(journals), p.between(3, 8)*10),
					p.impact(hum),
				)
			},
		)
	case 2: // 获奖
		award := p.pick(awards)
		if hum {
			award = p.pick(socAwards)
		}
		n := p.between(8, 30)
		top, second := p.between(1, 4), p.between(4, 8)
		d.title = p.one(
			fmt.Sprintf("我校%d项成果获%d年度%s", n, y-1, award),
			fmt.Sprintf("%s%s团队获%s", u, s.expert.name, award),
			fmt.Sprintf("%s成果获%s%s", s.field, award, p.one("一等奖", "二等奖")),
		)
		d.lead = fmt.Sprintf("%d年度%s评审结果揭晓，我校作为第一完成单位获奖%d项", y-1, award, n)
		d.more = []string{fmt.Sprintf("其中一等奖%d项、二等奖%d项。", top, second), "获奖数量和等级均创历史新高。"}
		d.unit = "科学技术发展研究院"
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%d年度%s评审结果揭晓。", s.when(), y-1, award),
				fmt.Sprintf("我校作为第一完成单位获奖%d项，其中一等奖%d项、二等奖%d项、三等奖%d项，", n, top, second, n-top-second),
				"获奖数量和等级均位居同类高校前列。",
			),
			p.closingResult(s, "此次获奖"),
			func() string {
				return p.paragraph(
					fmt.Sprintf("%s%s团队完成的“%s%s”项目获一等奖。", u, s.expert.short(), s.field, p.one(projectSuffixes(hum)...)),
					fmt.Sprintf("该项目历时%s年攻关，着力破解%s等难题，", cn(p.between(5, 12)), p.pick(s.challenges)),
					p.impact(hum),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("%s等学院的%d项成果获二等奖，", list(p.someUnits(3)), second),
					fmt.Sprintf("涉及%s等多个领域，", list(p.some(fields, 3))),
					"充分体现了学校多学科协同发展的良好态势。",
				)
			},
			func() string {
				return p.paragraph(
					"近年来，学校持续深化科技评价改革，",
					"完善有组织科研体制机制，",
					"加强对重大成果的培育和凝练，",
					"科技创新能力和服务经济社会发展能力显著提升。",
				)
			},
		)
	case 3: // 项目
		n := p.between(40, 260)
		kind := p.pick(s.fundKinds)
		proj := s.field + p.one(projectSuffixes(hum)...)
		fund := p.money(8000, 30000)
		nKind := p.between(3, 12)
		if hum {
			n, fund = p.between(12, 60), p.money(300, 2000)
		}
		d.title = p.one(
			fmt.Sprintf("我校获批%d项%s项目", n, s.fund),
			fmt.Sprintf("%s%s获批%s%s", u, s.expert.short(), s.fund, kind),
			fmt.Sprintf("我校%d年%s项目获批数创新高", y, s.fund),
		)
		if !hum && p.chance(25) {
			d.title = fmt.Sprintf("我校牵头的国家重点研发计划“%s”项目启动", proj)
		}
		d.lead = fmt.Sprintf("我校%d年度获批%s项目%d项，资助经费%s", y, s.fund, n, fund)
		d.more = []string{fmt.Sprintf("其中%s%d项。", kind, nKind), fmt.Sprintf("项目覆盖%s等多个学科领域。", list(p.some(fields, 2)))}
		d.unit = p.one("科学技术发展研究院", "社会科学处")
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s公布了%d年度项目立项结果。", s.when(), s.funder, y),
				fmt.Sprintf("我校共获批各类项目%d项，资助经费%s，", n, fund),
				"获批数量和经费总额较上年均有明显增长。",
			),
			p.closingResult(s, "此次项目获批"),
			func() string {
				return p.paragraph(
					fmt.Sprintf("从项目类别看，我校获批%s%d项，其余为%s等，", kind, nKind, list(p.others(s.fundKinds, kind, 2))),
					fmt.Sprintf("%s获批项目数位居全校第一。", u),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("%s%s团队申报的“%s”获批立项，", u, s.expert.short(), proj),
					fmt.Sprintf("资助经费%s。", p.money(200, 3000)),
					fmt.Sprintf("该项目将聚焦%s等问题，力争在%s等方面取得原创性成果。", p.pick(s.challenges), p.method(s)),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("为做好项目申报工作，%s提前谋划、精心组织，", p.one("科学技术发展研究院", "社会科学处", "学校科研管理部门")),
					fmt.Sprintf("邀请校内外专家开展申报书“一对一”辅导%d余场，", p.between(3, 9)*10),
					"有效提升了申报质量。",
					fmt.Sprintf("各学院也积极组织申报动员，%s还组建了由资深教授领衔的预审专家组。", p.someUnits(1)[0]),
				)
			},
		)
	default: // 平台 / 鉴定
		plat := s.field + p.one("东岳市重点实验室", "工程研究中心", "国际联合研究中心", "协同创新中心", "新型研发机构")
		if hum {
			plat = s.field + p.one("东岳市人文社会科学重点研究基地", "研究中心", "新型智库", "协同创新中心")
		}
		d.title = p.one(
			fmt.Sprintf("我校获批建设%s", plat),
			fmt.Sprintf("%s%s通过验收", u, plat),
			fmt.Sprintf("%s%s通过专家评审", u, plat),
		)
		d.lead = fmt.Sprintf("%s%s通过专家组评审", u, plat)
		d.more = []string{fmt.Sprintf("专家组一致认为，该平台在%s领域特色鲜明、成效显著。", s.field), "平台将为学校相关学科发展提供有力支撑。"}
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s%s评审会在%s召开。", s.when(), u, plat, s.place),
				fmt.Sprintf("由%s等%d位专家组成的评审组听取了汇报，", s.guest.full(), p.between(5, 9)),
				"经质询、讨论，一致同意通过评审。",
			),
			p.closingResult(s, "平台获批"),
			func() string {
				return p.paragraph(
					fmt.Sprintf("该平台依托%s，由%s担任主任，", u, s.expert.short()),
					fmt.Sprintf("现有固定研究人员%d人，其中高级职称%d人，", p.between(30, 90), p.between(15, 40)),
					fmt.Sprintf("建有%s等研究方向。", list(p.some(s.unit.fields, 2))),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("建设期内，平台围绕%s等方向开展研究，承担国家级科研项目%d项，到校经费%s，", list(p.some(s.unit.fields, 2)), p.between(10, 50), p.money(3000, 20000)),
					fmt.Sprintf("发表高水平论文%d余篇，", p.between(10, 30)*10),
					p.impact(hum),
				)
			},
			func() string {
				return p.paragraph(
					"专家组充分肯定了平台的建设成效，",
					fmt.Sprintf("建议平台进一步聚焦解决%s等问题，", p.pick(s.challenges)),
					"加强青年人才培养和开放共享，",
					"在服务国家和区域重大需求中发挥更大作用。",
					fmt.Sprintf("%s表示，将认真落实专家意见，进一步完善平台运行机制。", s.expert.short()),
				)
			},
		)
	}
	return d
}

// impact is a sentence on how research results were used.
func (p *Writer) impact(hum bool) string {
	if hum {
		return p.one(
			fmt.Sprintf("出版学术专著%s部，%d份咨政报告被有关部门采纳。", count(p.between(2, 9)), p.between(5, 30)),
			fmt.Sprintf("相关成果获省部级以上领导肯定性批示%d次，被有关部门采纳%d项。", p.between(3, 15), p.between(5, 20)),
		)
	}
	return p.one(
		fmt.Sprintf("授权发明专利%d项，相关成果已在%d家企业得到应用。", p.between(10, 60), p.between(2, 12)),
		fmt.Sprintf("成果已在%d家单位推广应用，近三年新增产值%s。", p.between(5, 40), p.money(5000, 90000)),
	)
}

// others returns up to k elements of list other than not.
func (p *Writer) others(list []string, not string, k int) []string {
	var rest []string
	for _, x := range list {
		if x != not {
			rest = append(rest, x)
		}
	}
	return p.some(rest, k)
}

func mechanisms(hum bool) []string {
	if hum {
		return socObjects
	}
	return []string{"性能提升", "结构演化", "失效过程", "信号传递", "能量转换"}
}

func followUps(hum bool) []string {
	if hum {
		return []string{"比较", "实证", "政策应用", "跨学科"}
	}
	return []string{"工程化应用", "机理拓展", "规模化验证", "多场景适配"}
}

func projectSuffixes(hum bool) []string {
	if hum {
		return []string{"理论与实践研究", "重大问题研究", "机制与路径研究", "历史经验与当代价值研究"}
	}
	return []string{"关键技术研究与示范", "基础理论与方法", "核心部件研发及应用", "系统集成与验证", "关键技术及应用"}
}

// method is a research method fitting the scene's discipline.
func (p *Writer) method(s *scene) string {
	if s.unit.humanities {
		return p.pick(socMethods)
	}
	return p.pick(methods)
}

// lectureTitle is the title of a talk on field.
func (p *Writer) lectureTitle(field string) string {
	switch p.r.IntN(4) {
	case 0:
		return field + "的" + p.pick(lectureAngles)
	case 1:
		return field + "：" + p.pick(lectureAngles)
	case 2:
		return p.pick(lectureFrames) + "的" + field + p.one("研究", "发展", "创新", "实践")
	default:
		return fmt.Sprintf("面向%s的%s%s", p.pick(lectureNeeds), field, p.one("研究进展", "关键问题", "若干思考", "新路径"))
	}
}

// ---- 学术讲座 ----

func (p *Writer) lectures(s *scene) draft {
	d := draft{}
	g := s.guest
	talk := p.lectureTitle(s.field)
	series := p.pick(lectureSeries)
	no := p.between(12, 260)
	audience := p.about(100, 400, 10)
	d.title = p.one(
		fmt.Sprintf("%s%s应邀来校作学术报告", g.org, g.short()),
		fmt.Sprintf("%s第%d讲：%s谈%s", series, no, g.short(), s.field),
		fmt.Sprintf("%s做客%s", g.short(), series),
		fmt.Sprintf("“%s”学术讲座在我校举行", talk),
		fmt.Sprintf("%s来校作“%s”报告", g.short(), talk),
	)
	d.lead = fmt.Sprintf("%s应邀做客%s，在%s作题为“%s”的学术报告", g.full(), series, s.place, talk)
	d.more = []string{fmt.Sprintf("报告由%s主持，%s名师生到场聆听。", s.head.full(), audience)}
	d.unit = s.unit.name
	p.fill = lectureRemarks
	d.paras = p.compose(
		p.paragraph(
			fmt.Sprintf("%s，%s应邀做客%s第%d讲，", s.when(), g.full(), series, no),
			fmt.Sprintf("在%s作题为“%s”的学术报告。", s.place, talk),
			fmt.Sprintf("报告由%s主持，%s名师生到场聆听。", s.head.full(), audience),
		),
		p.paragraph(
			fmt.Sprintf("%s在总结时表示，%s的报告%s，", s.head.short(), g.short(), p.one("视野开阔、内涵丰富", "深入浅出、启发性强", "既有理论高度又有实践深度")),
			fmt.Sprintf("对学院师生了解%s前沿、拓展研究思路具有重要启发意义。", s.field),
			"讲座在热烈的掌声中结束。",
		),
		func() string {
			return p.paragraph(
				fmt.Sprintf("报告开始前，%s会见了%s，", s.leader.full(), g.short()),
				fmt.Sprintf("介绍了学校%s学科的发展情况，", s.field),
				fmt.Sprintf("双方就%s等方面的合作进行了交流。", list(p.some(coopAreas, 2))),
				fmt.Sprintf("%s负责人陪同会见。会见后，%s还参观了%s的实验室和研究生工作室。", s.unit.name, g.short(), s.unit.name),
			)
		},
		func() string {
			return p.paragraph(
				fmt.Sprintf("报告中，%s首先回顾了%s的发展历程，", g.short(), s.field),
				fmt.Sprintf("指出%s是%s，", s.field, p.pick(fieldWhy)),
				fmt.Sprintf("但目前仍面临%s等挑战。", p.pick(s.challenges)),
				fmt.Sprintf("%s用一组数据说明，近十年来该领域的研究论文数量增长了%s倍，", g.pron(), cn(p.between(3, 9))),
				"但真正走向应用的成果还不多，其中既有技术问题，也有体制机制问题。",
			)
		},
		func() string {
			return p.paragraph(
				fmt.Sprintf("随后，%s结合团队近年来的研究工作，", g.pron()),
				fmt.Sprintf("从%s三个方面，", list(p.some(lecturePoints, 3))),
				fmt.Sprintf("详细介绍了在%s方面的探索与成果，", p.method(s)),
				p.one("并通过大量实例展示了相关技术在工程实践中的应用前景。", "并结合大量实例阐述了相关研究的现实意义。"),
			)
		},
		func() string {
			stu := p.name(p.chance(50))
			return p.paragraph(
				fmt.Sprintf("在互动交流环节，%s与现场师生深入交流，", g.short()),
				fmt.Sprintf("就%s等问题一一作了解答。", p.one("研究选题", "跨学科合作", "青年学者成长", "科研成果转化", "实验方法选择")),
				fmt.Sprintf("博士研究生%s表示：“%s”", stu, p.pick(studentTakeaways)),
			)
		},
		func() string {
			return p.paragraph(
				fmt.Sprintf("据介绍，%s长期从事%s研究，", g.name, s.field),
				fmt.Sprintf("主持国家级科研项目%d余项，在国内外重要学术期刊发表论文%d余篇，", p.between(1, 3)*10, p.between(10, 40)*10),
				fmt.Sprintf("曾获%s等荣誉。", p.pick(guestHonors)),
			)
		},
	)
	return d
}

// ---- 媒体重大 ----

func (p *Writer) media(s *scene) draft {
	d := draft{unit: "党委宣传部"}
	p.fill = mediaRemarks
	outlet := p.pick(outlets)
	ach, head := p.mediaTopic(s)
	section := p.one("客户端", "新闻栏目", "重要位置", "官方网站")
	if strings.HasPrefix(outlet, "《") {
		section = p.one("头版", "要闻版", "教育版", "科技版", "理论版", "专题版面", "重要位置")
	}
	words := p.between(20, 60) * 100
	d.title = p.one(
		fmt.Sprintf("%s报道我校%s", outlet, ach),
		fmt.Sprintf("%s：%s", outlet, head),
		fmt.Sprintf("%s聚焦%s%s", outlet, university, ach),
		fmt.Sprintf("%s刊发我校%s经验做法", outlet, ach),
	)
	d.lead = fmt.Sprintf("%s在%s以《%s》为题，报道了我校%s", outlet, section, head, ach)
	d.more = []string{fmt.Sprintf("报道全文约%d字，全面介绍了学校在这方面的经验做法和成效。", words)}
	d.paras = p.compose(
		p.paragraph(
			fmt.Sprintf("%s，%s在%s以《%s》为题，", s.day(), outlet, section, head),
			fmt.Sprintf("报道了%s%s的经验做法。", university, ach),
			fmt.Sprintf("报道全文约%d字，配发图片%s张，", words, count(p.between(2, 6))),
			"刊发后被多家媒体和网络平台转载。",
		),
		p.paragraph(
			fmt.Sprintf("%s表示，主流媒体的关注是对学校工作的肯定，更是对全校师生的鞭策。", s.leader.full()),
			fmt.Sprintf("学校将%s，持续在%s上下功夫，", p.pick(nextSteps), ach),
			fmt.Sprintf("为%s作出新的贡献。", p.pick(goals)),
		),
		func() string {
			return p.paragraph(
				fmt.Sprintf("报道指出，近年来，%s%s，", university, p.tasks3()),
				fmt.Sprintf("在%s方面探索出了一条具有自身特色的路子。", ach),
				fmt.Sprintf("学校把%s纳入年度重点工作，成立专项工作组，由%s牵头推进，", ach, s.leader.short()),
				"形成了上下联动、协同推进的工作格局。",
			)
		},
		func() string {
			return p.paragraph(
				fmt.Sprintf("报道介绍，%s%s团队瞄准%s领域%s的难题，", s.unit.name, s.expert.short(), s.field, p.pick(s.challenges)),
				fmt.Sprintf("带领%d名研究生持续攻关%s年，", p.between(8, 30), cn(p.between(3, 10))),
				p.impact(s.unit.humanities),
				"团队成员说，最大的收获是看到研究真正解决了实际问题。",
			)
		},
		func() string {
			return p.paragraph(
				fmt.Sprintf("报道援引%s的话说：“%s”", s.leader.full(), p.pick(leaderQuotes)),
				fmt.Sprintf("%s介绍，学校近年来每年投入%s用于相关工作，", s.leader.pron(), p.money(800, 8000)),
				fmt.Sprintf("受益学生超过%d万人次。", p.between(1, 9)),
			)
		},
		func() string {
			return p.paragraph(
				fmt.Sprintf("报道还提到，%s以来，学校%s", p.one("今年", "近年", "“十四五”"), p.pick(mediaFacts)),
				fmt.Sprintf("其中，%s%d名毕业生扎根%s，", p.someUnits(1)[0], p.between(20, 200), p.one("西部地区", "基层一线", "国家重点行业", "重大工程建设现场")),
				"用实际行动诠释了东岳大学学子的家国情怀。",
			)
		},
		func() string {
			return p.paragraph(
				fmt.Sprintf("记者在%s实地采访时看到，", p.one("实验室", "课堂上", "校企联合实训基地", "社会实践基地")),
				fmt.Sprintf("师生们正围绕%s开展%s，", s.field, p.one("联合攻关", "现场教学", "项目调试", "数据采集")),
				fmt.Sprintf("墙上的进度表密密麻麻地写满了%s月的任务。", cn(int(s.date.Month()))),
				"一项项成果在这里孕育，一批批青年人才在这里成长。",
			)
		},
		func() string {
			stu := p.person("", "", false)
			return p.paragraph(
				fmt.Sprintf("报道中，%s学生%s讲述了自己的经历。", s.unit.name, stu.name),
				fmt.Sprintf("%s说：“%s”", stu.pron(), p.pick(quotes)),
				fmt.Sprintf("记者注意到，像%s这样的学生在东岳大学还有很多。", stu.name),
			)
		},
	)
	return d
}

// mediaTopic is what a press report is about, and the report's headline.
func (p *Writer) mediaTopic(s *scene) (topic, headline string) {
	pairs := [][2]string{
		{"推进有组织科研", university + "以有组织科研服务国家战略需求"},
		{s.field + "研究成果", fmt.Sprintf("让%s成果走出实验室", s.field)},
		{s.field + "研究成果", fmt.Sprintf("%s：%s为高质量发展蓄势赋能", university, s.field)},
		{s.unit.name + "特色发展", fmt.Sprintf("一所大学的%s探索", s.field)},
		{s.field + "研究", fmt.Sprintf("%s深耕%s二十年", s.expert.name, s.field)},
		{"毕业生扎根基层", "青春在基层一线闪光"},
		{"毕业生服务国家战略", university + "毕业生奔赴祖国最需要的地方"},
		{"思政课改革创新", university + "：让思政课“活”起来"},
		{"产教融合育人", fmt.Sprintf("产学研协同攻坚%s难题", s.field)},
		{"新工科人才培养改革", university + "：在真实工程中培养卓越工程师"},
		{"乡村振兴帮扶工作", "把科技小院建在田间地头"},
		{"校地合作服务地方发展", university + "：把论文写在祖国大地上"},
		{"青年教师成长", "为青年教师搭好成长“阶梯”"},
		{"劳动教育实践", "劳动教育让大学生“动”起来"},
	}
	pair := pairs[p.r.IntN(len(pairs))]
	return pair[0], pair[1]
}

// ---- 校园文化 ----

func (p *Writer) culture(s *scene) draft {
	y := s.year()
	d := draft{unit: p.one("校团委", "党委宣传部", "党委学生工作部", "校工会", s.unit.name)}
	p.fill = cultureRemarks
	theme := p.pick(slogans)
	hall := p.one("大学生活动中心", "音乐厅", "体育馆", "学术交流中心")
	crowd := p.about(800, 3000, 100)
	audience := func() string {
		v := p.person("", "", false)
		return p.paragraph(
			fmt.Sprintf("%s学生%s看完后意犹未尽。", p.someUnits(1)[0], v.name),
			fmt.Sprintf("“%s”%s说，", p.pick(cultureQuotes), v.pron()),
			"希望学校多举办这样的活动，让更多同学在忙碌的学习之余感受艺术之美。",
		)
	}
	switch p.r.IntN(6) {
	case 0: // 艺术节 / 合唱
		ev := p.one(fmt.Sprintf("第%s届大学生校园文化艺术节开幕式", cn(p.between(8, 30))), fmt.Sprintf("%d年“%s”合唱比赛", y, theme), fmt.Sprintf("第%s届“%s”校园歌手大赛决赛", cn(p.between(8, 30)), p.pick(forumNames)), fmt.Sprintf("“%s”文艺汇演", theme))
		d.title = p.one(
			fmt.Sprintf("%s%s举行", university, ev),
			fmt.Sprintf("我校%s精彩上演", ev),
			fmt.Sprintf("%s在%s举行", ev, hall),
		)
		s.part = "晚上"
		teams := p.between(12, 36)
		d.lead = fmt.Sprintf("%s%s在%s举行", university, ev, hall)
		d.more = []string{fmt.Sprintf("%d支队伍同台献艺，%s名师生到场观看。", teams, crowd), fmt.Sprintf("%s出席并观看演出。", s.leader.short())}
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s%s在%s举行。", s.when(), university, ev, hall),
				fmt.Sprintf("来自各学院的%d支队伍同台献艺，", teams),
				fmt.Sprintf("%s、%s等校领导与%s名师生共同观看演出。", s.leader.full(), s.other.short(), crowd),
			),
			p.closing(s, "此次活动"),
			func() string {
				return p.paragraph(
					fmt.Sprintf("演出在%s中拉开帷幕。", p.one("气势恢宏的开场舞", "激昂的交响乐合奏", "师生大合唱", "一段校史情景剧")),
					fmt.Sprintf("%s，", list(p.some(performances, 3))),
					"一个个精彩节目轮番上演，赢得现场观众阵阵掌声。",
					"舞台灯光随着旋律不断变换，看台上的观众挥舞着荧光棒，与台上的演员一起打着节拍。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("%s带来的%s，", p.someUnits(1)[0], p.pick(performances)),
					fmt.Sprintf("以%s为主线，生动展现了东岳学子%s的精神风貌，", p.one("青春成长", "校史变迁", "科技报国", "家国情怀"), p.one("奋发向上", "勇于担当", "朝气蓬勃", "自信自强")),
					"成为当晚的一大亮点。",
					fmt.Sprintf("节目中的%s均由学生自己设计制作，", p.one("服装和道具", "舞美和灯光", "配乐和视频")),
					"不少细节让台下的老师们忍不住点赞。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("经过评委现场打分，%s获得一等奖，", list(p.someUnits(2))),
					fmt.Sprintf("%s等%d个单位获得二等奖，", p.someUnits(1)[0], p.between(3, 6)),
					fmt.Sprintf("%s等单位获优秀组织奖。", p.someOffices(1)[0]),
					fmt.Sprintf("评委、%s教师%s在点评时表示，", p.one("艺术学院", "音乐系", "校大学生艺术团"), p.name(p.chance(50))),
					"今年的节目在原创性和完成度上都有明显提升，展现了同学们扎实的艺术功底。",
				)
			},
			func() string {
				stu := p.person("", "", false)
				return p.paragraph(
					fmt.Sprintf("参演学生%s说：“%s”", stu.name, p.pick(cultureQuotes)),
					fmt.Sprintf("从筹备到登台，同学们利用课余时间排练了%s，", p.one("一个多月", "整整六周", "近两个月")),
					"每一个动作、每一句歌词都凝聚着大家的心血。",
					fmt.Sprintf("为了不耽误学习，%s和队友们常常在晚自习结束后再去排练室。", stu.pron()),
				)
			},
			audience,
		)
	case 1: // 运动会
		n := p.between(30, 68)
		field := p.one("主校区田径运动场", "南校区体育场", "东湖校区运动场")
		schools, athletes := p.between(20, 32), p.about(1500, 4000, 100)
		d.title = p.one(
			fmt.Sprintf("%s第%s届田径运动会开幕", university, cn(n)),
			fmt.Sprintf("我校第%s届田径运动会在%s开幕", cn(n), field),
			fmt.Sprintf("%s第%s届运动会开幕 %s名运动员同场竞技", university, cn(n), athletes),
		)
		s.part = "上午"
		d.lead = fmt.Sprintf("%s第%s届田径运动会在%s开幕", university, cn(n), field)
		d.more = []string{fmt.Sprintf("来自%d个学院的%s名运动员参加比赛。", schools, athletes)}
		d.unit = "体育学院"
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s第%s届田径运动会在%s开幕。", s.when(), university, cn(n), field),
				fmt.Sprintf("%s、%s等校领导出席开幕式，%s宣布运动会开幕。", s.leader.full(), s.other.short(), s.leader.short()),
				fmt.Sprintf("来自%d个学院的%s名运动员参加比赛。", schools, athletes),
			),
			p.closing(s, "本届运动会"),
			func() string {
				return p.paragraph(
					"开幕式上，国旗方阵、校旗方阵和各学院代表队依次入场。",
					fmt.Sprintf("%s方阵%s，", p.someUnits(1)[0], p.one("以航天主题造型亮相", "身着汉服款款走来", "打出了“科技报国”的标语", "展示了自主研发的机器人")),
					"引得看台上的师生纷纷举起手机记录精彩瞬间。",
					fmt.Sprintf("随后，%s名学生带来的%s，", p.about(200, 600, 50), p.one("大型团体操", "武术表演", "啦啦操", "太极拳表演")),
					"整齐划一的动作展现了东岳学子的青春活力。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("本届运动会共设%d个比赛项目，", p.between(30, 50)),
					fmt.Sprintf("除了传统的田径项目外，还增设了%s等趣味项目，", list(p.some([]string{"拔河", "迎面接力", "集体跳绳", "旱地龙舟", "十人十一足"}, 2))),
					fmt.Sprintf("比赛历时%s天，共有%d人次打破%d项校运会纪录。", count(p.between(2, 3)), p.between(2, 9), p.between(2, 6)),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("赛场上，运动员们奋勇拼搏，%s。", p.one("你追我赶", "全力冲刺", "互相加油")),
					fmt.Sprintf("在男子%s米决赛中，%s学生%s以%d秒%02d的成绩夺冠。", p.one("100", "200", "400"), p.someUnits(1)[0], p.name(false), p.between(11, 52), p.between(1, 99)),
					"冲过终点的那一刻，看台上加油声、欢呼声此起彼伏。",
					"不少运动员虽然没有取得名次，依然坚持跑完全程，赢得了全场的掌声。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("运动会期间，%d名学生志愿者活跃在检录、计时、医疗保障等岗位，", p.between(200, 600)),
					"用热情周到的服务为赛事顺利进行提供了有力保障。",
					fmt.Sprintf("校医院在赛场设置了%s个医疗服务点，后勤服务集团为运动员准备了饮用水和能量补给。", count(p.between(2, 4))),
				)
			},
		)
	case 2: // 展览
		ex := p.one(fmt.Sprintf("“%s”师生书画摄影作品展", theme), fmt.Sprintf("“%s”校史专题展", theme), fmt.Sprintf("%d届毕业设计作品展", y), fmt.Sprintf("“%s”主题美术作品展", theme))
		gallery := p.one("校美术馆", "图书馆展厅", "校史馆", "大学生活动中心展厅")
		end := s.date.AddDate(0, 0, 20)
		d.title = p.one(
			fmt.Sprintf("%s在%s开展", ex, gallery),
			fmt.Sprintf("我校举办%s", ex),
			fmt.Sprintf("%s在%s开幕", ex, gallery),
		)
		n := p.between(80, 400)
		d.lead = fmt.Sprintf("%s在%s开幕", ex, gallery)
		d.more = []string{fmt.Sprintf("展览共展出作品%d件，将持续至%d月%d日。", n, int(end.Month()), end.Day())}
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s在%s开幕。", s.when(), ex, gallery),
				fmt.Sprintf("%s出席开幕式，%s负责人及师生代表%s人参加。", s.leader.full(), list(p.someOffices(2)), p.about(60, 200, 10)),
				fmt.Sprintf("展览将持续至%d月%d日，面向全校师生和社会公众免费开放。", int(end.Month()), end.Day()),
			),
			p.closing(s, "此次展览"),
			func() string {
				return p.paragraph(
					fmt.Sprintf("本次展览共展出作品%d件，", n),
					fmt.Sprintf("分为“%s”三个单元，", strings.Join(p.some(exhibitParts, 3), "”“")),
					"涵盖书法、国画、油画、摄影和数字艺术等多种形式。",
					fmt.Sprintf("作者中既有年逾八旬的退休教师，也有刚入学的%d级新生。", s.intake()),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("展厅里，%s的作品《%s》吸引了不少观众驻足。", p.name(p.chance(50)), p.pick(artworks)),
					"作者用细腻的笔触记录了校园四季的变化，",
					"让观众在熟悉的场景中感受到东岳校园之美。",
					"一旁的留言簿上，已经写满了观众的感想。",
				)
			},
			func() string {
				return p.paragraph(
					"为办好此次展览，主办方从今年年初开始面向全校征集作品，",
					fmt.Sprintf("共收到投稿%d余件，经专家评审遴选出其中的优秀作品参展。", p.between(3, 12)*100),
					fmt.Sprintf("展览期间还将举办%s等配套活动。", list(p.some([]string{"艺术沙龙", "名家导览", "现场书法体验", "摄影讲座"}, 2))),
				)
			},
			audience,
		)
	case 3: // 读书节
		n := p.between(5, 20)
		d.title = p.one(
			fmt.Sprintf("%s第%s届读书节启动", university, cn(n)),
			fmt.Sprintf("第%s届读书节以“%s”为主题开幕", cn(n), theme),
			fmt.Sprintf("%s第%s届读书节开幕 %s项活动陆续推出", university, cn(n), cn(p.between(8, 16))),
		)
		d.lead = fmt.Sprintf("%s第%s届读书节启动仪式在图书馆报告厅举行", university, cn(n))
		d.more = []string{fmt.Sprintf("本届读书节以“%s”为主题，将持续一个月。", theme)}
		d.unit = "图书馆"
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s第%s届读书节启动仪式在图书馆报告厅举行。", s.when(), university, cn(n)),
				fmt.Sprintf("%s出席并致辞，图书馆馆长%s介绍了本届读书节活动安排。", s.leader.full(), p.headOf("图书馆").name),
				fmt.Sprintf("师生代表%s人参加启动仪式。", p.about(100, 300, 10)),
			),
			p.closing(s, "本届读书节"),
			func() string {
				return p.paragraph(
					fmt.Sprintf("本届读书节以“%s”为主题，", theme),
					fmt.Sprintf("将陆续推出%s等%d项活动，", list(p.some(readingEvents, 3)), p.between(8, 16)),
					"持续营造全民阅读的浓厚氛围。",
					"活动覆盖线上线下，师生可通过图书馆微信公众号报名参加。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("启动仪式上，图书馆发布了%d年度阅读报告。", y-1),
					fmt.Sprintf("报告显示，过去一年全校读者共借阅图书%d万余册，人均借阅%d册，", p.between(20, 60), p.between(8, 25)),
					fmt.Sprintf("电子资源访问量达%d万次，%s成为最受欢迎的图书类别。", p.between(300, 900), p.one("文学", "历史", "计算机", "经济管理", "哲学")),
				)
			},
			func() string {
				reader := p.person("", "", false)
				return p.paragraph(
					fmt.Sprintf("仪式还为%d名“阅读之星”颁发了证书。", p.between(10, 30)),
					fmt.Sprintf("获奖学生%s一年借阅图书%d本，", reader.name, p.between(60, 180)),
					fmt.Sprintf("%s分享了自己的读书心得：“%s”", reader.pron(), p.pick(readingQuotes)),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("%s在致辞中说，阅读是大学生活中最值得坚持的习惯之一。", s.leader.short()),
					"希望同学们多读经典、读好书，在阅读中涵养品格、开阔视野，",
					"让书香成为东岳校园最亮丽的底色。",
				)
			},
		)
	default: // 晚会 / 音乐会 / 话剧
		ev := p.one("新年音乐会", "迎新晚会", "中秋游园会", "原创话剧《"+p.pick(artworks)+"》首演", "毕业晚会", "“"+theme+"”主题晚会")
		d.title = p.one(
			fmt.Sprintf("%s%d年%s举行", university, y, ev),
			fmt.Sprintf("%s%s精彩上演", s.unit.name, ev),
			fmt.Sprintf("我校举办%d年%s", y, ev),
		)
		s.part = "晚上"
		d.lead = fmt.Sprintf("%s%s在%s上演", university, ev, hall)
		d.more = []string{fmt.Sprintf("%s名师生到场观看。", crowd), fmt.Sprintf("%s出席活动。", s.leader.short())}
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s%s在%s上演。", s.when(), university, ev, hall),
				fmt.Sprintf("%s、%s与%s名师生一同观看。", s.leader.full(), s.other.short(), crowd),
				"演出开始前一个小时，场馆外就排起了长队。",
			),
			p.closing(s, "此次演出"),
			func() string {
				return p.paragraph(
					fmt.Sprintf("%s，", list(p.some(performances, 3))),
					"节目形式多样、精彩纷呈，",
					"既有传统艺术的韵味，又有青春时尚的活力。",
					fmt.Sprintf("其中，由%s师生共同演绎的%s将现场气氛推向高潮。", p.someUnits(1)[0], p.pick(performances)),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("据介绍，本次演出由%s师生自编自导自演，", p.one("艺术学院", "校大学生艺术团", s.unit.name)),
					fmt.Sprintf("筹备历时%s个月，参演人员%d余人。", count(p.between(1, 4)), p.between(8, 30)*10),
					"从剧本创作、舞美设计到灯光音响，每一个环节都由学生团队完成。",
				)
			},
			audience,
		)
	}
	return d
}

// headOf returns the head of the unit named name.
func (p *Writer) headOf(name string) person {
	for i, u := range units {
		if u.name == name {
			return p.heads[i]
		}
	}
	return p.heads[0]
}

// ---- 学生活动 ----

func (p *Writer) students(s *scene) draft {
	y := s.year()
	u := s.unit.name
	d := draft{unit: p.one(u, u, "校团委", "党委学生工作部")}
	p.fill = studentRemarks
	team := fmt.Sprintf("“%s”%s", p.pick(teamNames), p.one("实践团", "志愿服务队", "科创团队", "支教团"))
	switch p.r.IntN(5) {
	case 0, 1: // 竞赛
		comp := p.pick(competitions)
		award := p.one("一等奖", "特等奖", "金奖", "银奖", "二等奖")
		n := p.between(2, 12)
		d.title = p.one(
			fmt.Sprintf("我校学子在%s中获%s", comp, award),
			fmt.Sprintf("%s学生团队获%s%s", u, comp, award),
			fmt.Sprintf("我校在%s中获%d项%s", comp, n, award),
			fmt.Sprintf("%s学子%s获奖 作品聚焦%s", comp, u, s.field),
		)
		stu := p.person("", "", false)
		proj := fmt.Sprintf("%s%s", s.field, p.one("智能监测系统", "关键装置", "创新方案", "服务平台", "原型样机", "调研报告"))
		d.lead = fmt.Sprintf("%s落下帷幕，我校学生团队获%s%d项", comp, award, n)
		d.more = []string{fmt.Sprintf("%s团队的作品《%s》获得评委高度评价。", u, proj)}
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s%s落下帷幕。", s.when(), comp, p.one("全国总决赛", "决赛", "终审决赛")),
				fmt.Sprintf("我校学生团队共获%s%d项、%s%d项，", award, n, p.one("二等奖", "三等奖", "优秀奖"), p.between(3, 15)),
				"获奖数量和等级创历年新高。",
			),
			p.closingResult(s, "此次获奖"),
			func() string {
				return p.paragraph(
					fmt.Sprintf("%s学生%s领衔的团队凭借作品《%s》摘得%s。", u, stu.name, proj, award),
					fmt.Sprintf("该作品聚焦%s中%s的问题，", s.field, p.pick(s.challenges)),
					fmt.Sprintf("采用%s，具有成本低、易推广的特点，", p.method(s)),
					fmt.Sprintf("已在%s开展试用。", p.one("校内实验室", "合作企业", "东岳市两个社区", "一家地方医院")),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("“从选题到最后答辩，我们熬过了无数个通宵。”%s说，", stu.name),
					fmt.Sprintf("团队在指导老师%s的帮助下反复打磨方案，", s.expert.short()),
					fmt.Sprintf("仅方案就改进了%s版。", count(p.between(3, 12))),
					fmt.Sprintf("决赛答辩时，评委提出的问题一个比一个尖锐，%s和队友们沉着应对，赢得了评委的认可。", stu.pron()),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("本届比赛共吸引全国%d余所高校的%d余件作品参赛，", p.between(3, 20)*100, p.between(2, 30)*1000),
					"经过校赛、省赛层层选拔，最终进入全国决赛的作品代表了大学生科技创新的较高水平。",
				)
			},
			func() string {
				return p.paragraph(
					"近年来，学校深入实施大学生创新创业训练计划，",
					fmt.Sprintf("每年投入专项经费%s支持学生科技创新活动，", p.money(300, 1500)),
					fmt.Sprintf("建成%s等一批创新实践平台，", p.one("大学生创新创业中心", "工程训练中心", "学科竞赛基地")),
					fmt.Sprintf("每年参与各类学科竞赛的学生超过%d人次。", p.between(5, 20)*1000),
				)
			},
		)
	case 2: // 社会实践
		dest := p.pick(villages)
		size, days := p.between(8, 20), cn(p.between(5, 15))
		focus := p.one("特色农业", "留守儿童教育", "乡村旅游", "农村电商", "人居环境")
		d.title = p.one(
			fmt.Sprintf("%s%s赴%s开展社会实践", u, team, dest),
			fmt.Sprintf("%s学子走进%s 助力乡村振兴", u, dest),
			fmt.Sprintf("我校%s在%s开展%s", team, dest, p.one("暑期社会实践", "支教活动", "乡村调研", "科技下乡活动")),
		)
		s.part = p.one("", "上午")
		d.lead = fmt.Sprintf("%s%s一行%d人来到%s，开展为期%s天的社会实践活动", u, team, size, dest, days)
		d.more = []string{fmt.Sprintf("实践团围绕当地%s开展了调研与服务。", focus)}
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s%s一行%d人来到%s，", s.when(), u, team, size, dest),
				fmt.Sprintf("开展为期%s天的“%s”主题社会实践活动。", days, p.pick(slogans)),
				fmt.Sprintf("实践团由%s带队，成员来自%s个专业。", s.expert.short(), cn(p.between(3, 6))),
			),
			p.closing(s, "此次社会实践"),
			func() string {
				return p.paragraph(
					fmt.Sprintf("实践期间，团队成员走村入户，发放调查问卷%d份，", p.between(100, 600)),
					fmt.Sprintf("深入了解当地%s的现状与需求，", focus),
					"形成了近两万字的调研报告。",
					"报告提出的多条建议已提交当地政府参考。",
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("结合专业所长，同学们%s，", p.one("为村民讲解智能手机和网购知识", "为当地小学生开设科学兴趣课", "帮助合作社设计产品包装和直播方案", "对村里的老旧房屋开展安全排查")),
					fmt.Sprintf("还走访慰问了%d户困难家庭，", p.between(5, 20)),
					"受到当地干部群众的欢迎。",
					fmt.Sprintf("村党支部书记%s说：“大学生们带来了新知识、新点子，给村里注入了活力。”", p.name(p.chance(20))),
				)
			},
			func() string {
				stu := p.person("", "", false)
				return p.paragraph(
					fmt.Sprintf("实践团成员%s在日记中写道：“%s”", stu.name, p.pick(quotes)),
					"这次经历让大家对国情社情有了更深的认识。",
					fmt.Sprintf("%s说，回校后将把调研中发现的问题带进课堂和实验室，争取用专业知识为乡亲们做更多实事。", stu.pron()),
				)
			},
		)
	case 3: // 志愿服务
		ev := p.pick(volunteerEvents)
		n := p.between(40, 600)
		hours := n * p.between(8, 30)
		d.title = p.one(
			fmt.Sprintf("%d名东岳学子服务%s", n, ev),
			fmt.Sprintf("我校青年志愿者助力%s", ev),
			fmt.Sprintf("%s%s志愿服务%s", u, ev, p.one("暖人心", "显担当", "获好评")),
		)
		d.lead = fmt.Sprintf("%s圆满结束，我校%d名青年志愿者参与了服务保障工作", ev, n)
		d.more = []string{fmt.Sprintf("累计服务时长超过%d小时。", hours), "志愿者们的热情服务获得各方好评。"}
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s圆满结束。", s.when(), ev),
				fmt.Sprintf("我校%d名青年志愿者在%s等岗位提供服务，", n, list(p.some(volunteerPosts, 3))),
				fmt.Sprintf("累计服务时长超过%d小时。", hours),
			),
			p.closing(s, "此次志愿服务"),
			func() string {
				return p.paragraph(
					fmt.Sprintf("为做好服务保障工作，校团委提前%s周启动志愿者招募，", count(p.between(2, 8))),
					fmt.Sprintf("经过报名、面试和%s轮培训，最终选拔出%d名志愿者。", count(p.between(2, 4)), n),
					"培训内容涵盖礼仪接待、应急处置和外语沟通等方面。",
				)
			},
			func() string {
				stu := p.person("", "", false)
				return p.paragraph(
					fmt.Sprintf("志愿者%s每天早上六点就赶到岗位，", stu.name),
					"一站就是近十个小时。",
					fmt.Sprintf("“能为%s出一份力，再累也值得。”%s笑着说。", ev, stu.pron()),
					fmt.Sprintf("服务期间，%s还帮助一位走失的老人找到了家人。", stu.pron()),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("%s发来感谢信，", p.one("活动组委会", "主办单位", "东岳市志愿者协会")),
					"对东岳大学志愿者专业周到、热情细致的服务给予高度评价，",
					"称赞他们是活动中“一道亮丽的风景线”。",
					fmt.Sprintf("据统计，学校现有注册志愿者%d万余人，", p.between(2, 4)),
					"每年开展各类志愿服务活动上千场。",
				)
			},
		)
	default: // 社团
		club := p.pick(clubs)
		spot := p.one("大学生活动中心", "学生食堂前广场", "图书馆广场", "体育馆")
		joined := p.between(10, 80) * 10
		act := p.one("招新活动", "十周年成果展", "年度汇报演出", "公开课", "技术交流会", "友谊赛")
		founded := p.between(1995, y-2)
		d.title = p.one(
			fmt.Sprintf("%s%s举办%s", university, club, act),
			fmt.Sprintf("%d年“%s”社团文化节开幕", y, p.pick(slogans)),
			fmt.Sprintf("%s举办%s 吸引%d名同学参与", club, act, joined),
		)
		d.lead = fmt.Sprintf("%s%s在%s举行", club, act, spot)
		d.more = []string{fmt.Sprintf("活动吸引了%d余名同学参与。", joined)}
		d.unit = "校团委"
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s%s在%s举行，", s.when(), club, act, spot),
				fmt.Sprintf("吸引了%d余名同学参与。", joined),
				"现场展台前人头攒动，社团成员热情地向同学们介绍社团的特色活动。",
			),
			p.closing(s, "此次活动"),
			func() string {
				return p.paragraph(
					fmt.Sprintf("%s成立于%d年，现有成员%d人，", club, founded, p.between(60, 400)),
					fmt.Sprintf("先后获评%s等荣誉。", p.one("“十佳学生社团”", "“五星级学生社团”", "东岳市优秀学生社团")),
					fmt.Sprintf("%d年来，社团累计培养骨干成员%d余名，不少人毕业后仍与社团保持着联系。", y-founded, p.between(10, 50)*10),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("社长%s介绍，社团每学期组织%s等活动%d余场，", p.name(p.chance(50)), p.one("培训讲座", "交流展演", "公益服务", "校际比赛"), p.between(1, 4)*10),
					"为同学们提供了展示自我、锻炼能力的舞台。",
					fmt.Sprintf("社团还聘请了%s的%s担任指导老师。", s.unit.name, s.expert.short()),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("新加入社团的%s同学说：“%s”", p.name(p.chance(50)), p.pick(cultureQuotes)),
					"据了解，学校目前共有各类学生社团两百余个，",
					"涵盖思想政治、学术科技、文化体育、志愿公益等多个类别。",
				)
			},
		)
	}
	return d
}

// ---- 人物风采 ----

func (p *Writer) people(s *scene) draft {
	d := draft{unit: p.one("党委宣传部", s.unit.name)}
	p.fill = peopleRemarks
	x := s.expert
	he := x.pron()
	years := p.between(10, 35)
	honor := p.pick(peopleHonors)
	start := s.year() - years
	said := p.some(teacherQuotes, 2)
	if p.r.IntN(3) < 2 { // 教师
		d.title = p.one(
			fmt.Sprintf("%s：%s", x.name, p.peopleLine(s, years)),
			fmt.Sprintf("%s%s：%s", s.unit.name, x.name, p.peopleLine(s, years)),
			fmt.Sprintf("记%s%s%s", s.unit.name, x.title, x.name),
			fmt.Sprintf("%s%s获评%s", s.unit.name, x.short(), honor),
		)
		d.subtitle = fmt.Sprintf("记%s%s%s", s.unit.name, x.title, x.name)
		d.lead = fmt.Sprintf("%s%s获评%s", s.unit.name, x.short(), honor)
		if p.chance(50) {
			d.lead = fmt.Sprintf("%s名单公布，%s%s名列其中", honor, s.unit.name, x.short())
		}
		d.more = []string{fmt.Sprintf("从教%s年来，%s始终坚守在教学科研一线，在%s领域默默耕耘。", cn(years), he, s.field)}
		d.paras = p.compose(
			p.paragraph(
				fmt.Sprintf("%s，%s名单公布，%s%s名列其中。", s.when(), honor, s.unit.name, x.short()),
				fmt.Sprintf("从教%s年来，%s始终坚守在教学科研一线，", cn(years), he),
				fmt.Sprintf("在%s领域默默耕耘，用行动诠释着一名大学教师的初心。", s.field),
			),
			p.paragraph(
				fmt.Sprintf("谈到未来，%s说：“%s”", x.name, said[0]),
				fmt.Sprintf("%s表示，将继续在%s领域深耕，带领团队瞄准%s等难题持续攻关，", he, s.field, p.pick(s.challenges)),
				"培养更多能解决实际问题的优秀人才。",
			),
			func() string {
				return p.paragraph(
					fmt.Sprintf("%d年，%s从%s博士毕业后来到东岳大学任教。", start, x.name, p.pick(universities)),
					fmt.Sprintf("那时的实验室条件简陋，%s和同事们%s，", he, p.one("自己动手搭建实验装置", "借用兄弟单位的设备开展测试", "一边上课一边跑企业找课题")),
					fmt.Sprintf("硬是在%s方向上闯出了一条路。", s.field),
					fmt.Sprintf("%d年，%s主持的第一个%s项目获批，团队也从最初的%s个人发展到如今的%d人。", start+p.between(2, 5), he, s.fund, count(p.between(2, 4)), p.between(12, 40)),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("每天早上七点多，%s就会出现在%s。", x.name, p.one("实验室", "办公室", "教学楼")),
					fmt.Sprintf("%s的日程表总是排得满满当当：上午上课，下午和学生讨论%s，晚上还要审阅论文、准备项目材料。", he, p.one("实验方案", "研究进展", "论文初稿")),
					fmt.Sprintf("同事们都说，%s办公室的灯常常是学院里最晚熄灭的。", he),
				)
			},
			func() string {
				return p.paragraph(
					"科研之路并非一帆风顺。",
					fmt.Sprintf("%d年前后，团队的一项关键%s连续失败了%d次，经费也一度捉襟见肘。", start+p.between(4, 8), p.one("实验", "测试", "调研"), p.between(20, 60)),
					fmt.Sprintf("%s带着学生一遍遍排查原因，终于找到了问题所在。", he),
					fmt.Sprintf("那段经历让团队更加团结，也让%s更加坚信“慢就是快”的道理。", he),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("“%s”这是%s常挂在嘴边的一句话。", said[1], x.name),
					fmt.Sprintf("%s主讲的《%s》课程深受学生欢迎，", he, p.pick(courses)),
					fmt.Sprintf("连续%s年在学生评教中位列学院前茅。", cn(p.between(3, 10))),
					fmt.Sprintf("为了讲好一堂课，%s常常%s。", he, p.one("提前一周备课", "把最新的科研案例写进讲义", "反复修改课件到深夜", "先给研究生试讲一遍")),
				)
			},
			func() string {
				stu := p.person("", "", false)
				return p.paragraph(
					fmt.Sprintf("在学生眼中，%s既是严师，也是益友。", x.name),
					fmt.Sprintf("已毕业的博士生%s回忆：“%s”", stu.name, p.pick(studentMemories)),
					fmt.Sprintf("如今，%s已在%s工作，每逢教师节都会给老师发来问候。", stu.name, p.pick(institutions)),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("多年来，%s主持国家级项目%d项，", he, p.between(4, 15)),
					fmt.Sprintf("发表学术论文%d余篇，培养研究生%d余名，", p.between(5, 20)*10, p.between(3, 12)*10),
					fmt.Sprintf("其中不少人已成长为%s领域的骨干力量。", s.field),
					p.impact(s.unit.humanities),
				)
			},
			func() string {
				return p.paragraph(
					fmt.Sprintf("除了科研和教学，%s还%s，", he, p.one("担任本科生班主任十余年", "长期为新生讲授“开学第一课”", "带领学生走进中小学开展科普活动", "坚持每周与学生面对面交流")),
					"用自己的言传身教影响着一届又一届学生。",
					fmt.Sprintf("%s说，大学老师的责任不只是传授知识，更要帮助学生找到人生的方向。", he),
				)
			},
		)
		return d
	}
	// 学生
	stu := p.person("同学", s.unit.name, true)
	sh := stu.pron()
	grade := s.intake() - p.between(2, 3)
	award := p.pick(studentHonors)
	d.title = p.one(
		fmt.Sprintf("%s：%s", stu.name, p.studentLine(s)),
		fmt.Sprintf("%d级学生%s：%s", grade, stu.name, p.studentLine(s)),
		fmt.Sprintf("%s%s获评%s", s.unit.name, stu.short(), award),
	)
	d.subtitle = fmt.Sprintf("记%s%d级学生%s", s.unit.name, grade, stu.name)
	d.lead = fmt.Sprintf("%s%s获评%s", s.unit.name, stu.short(), award)
	d.more = []string{fmt.Sprintf("大学期间，%s在%s方面取得了一系列成果，这份荣誉是对其大学生活的最好肯定。", sh, s.field)}
	d.paras = p.compose(
		p.paragraph(
			fmt.Sprintf("%s，%s评选结果揭晓，%s%d级学生%s榜上有名。", s.when(), award, s.unit.name, grade, stu.name),
			fmt.Sprintf("进校以来，%s%s获得国家奖学金，", sh, p.one("两次", "连续两年", "曾")),
			fmt.Sprintf("参与%s相关科研项目%d项。", s.field, p.between(2, 6)),
		),
		p.paragraph(
			fmt.Sprintf("谈到下一步的打算，%s说：“%s”", stu.name, p.pick(quotes)),
			fmt.Sprintf("%s已经%s，", sh, p.one("获得推荐免试攻读研究生资格", "确定了毕业设计的方向", "报名参加研究生支教团", "与导师商定了下一阶段的研究计划")),
			"准备在新的起点上继续出发。",
		),
		func() string {
			return p.paragraph(
				fmt.Sprintf("大一进校时，%s对%s几乎一无所知。", stu.name, s.field),
				fmt.Sprintf("一次偶然的机会，%s旁听了%s的讲座，从此与科研结下不解之缘。", sh, x.short()),
				fmt.Sprintf("大二起，%s便进入实验室，跟着研究生师兄师姐做实验。", sh),
				"从清洗仪器、记录数据做起，一点点摸清了科研的门道。",
			)
		},
		func() string {
			return p.paragraph(
				fmt.Sprintf("在%s的指导下，%s以第一作者身份发表学术论文%s篇，", x.short(), sh, count(p.between(1, 4))),
				fmt.Sprintf("并在%s中获得%s。", p.pick(competitions), p.one("一等奖", "金奖", "特等奖")),
				fmt.Sprintf("比赛前的最后一个月，%s几乎每天都在实验室待到凌晨。", sh),
			)
		},
		func() string {
			return p.paragraph(
				fmt.Sprintf("学习之外，%s还担任%s，", sh, p.one("班长", "学院学生会主席", "志愿服务队队长", "党支部组织委员")),
				fmt.Sprintf("累计参加志愿服务%d余小时，", p.between(10, 60)*10),
				fmt.Sprintf("组织开展%s等活动%d场。", p.one("朋辈辅导", "科普进社区", "义务支教", "学业帮扶"), p.between(10, 40)),
				fmt.Sprintf("同学们都说，有什么困难找%s，准没错。", stu.name),
			)
		},
		func() string {
			return p.paragraph(
				fmt.Sprintf("%s这样评价%s：“%s”", x.short(), stu.name, p.pick(mentorQuotes)),
				fmt.Sprintf("在%s看来，%s身上最可贵的是%s。", x.name, stu.name, p.one("对科研的热爱", "不服输的劲头", "严谨踏实的作风", "乐于助人的品格")),
			)
		},
	)
	return d
}

// peopleLine is a headline phrase about a teacher of years' standing.
func (p *Writer) peopleLine(s *scene, years int) string {
	return p.one(
		fmt.Sprintf("深耕%s%s载", s.field, cn(years)),
		fmt.Sprintf("让%s研究走出实验室", s.field),
		"把课堂搬进工厂车间",
		"做学生成长路上的引路人",
		fmt.Sprintf("在%s前沿逐梦", s.field),
		"甘为人梯育桃李",
		"板凳甘坐十年冷",
		fmt.Sprintf("%s年磨一剑 攻关%s", cn(years), s.field),
		"三尺讲台上的坚守",
	)
}

// studentLine is a headline phrase about a student.
func (p *Writer) studentLine(s *scene) string {
	return p.one(
		"在科研中找到热爱",
		"从实验室走向大舞台",
		fmt.Sprintf("用青春叩问%s", s.field),
		"扎根基层践初心",
		"奔跑在追梦路上",
		"把志愿服务当作一种习惯",
		fmt.Sprintf("从“门外汉”到%s“小能手”", s.field),
	)
}

// ---- vocabulary ----

// unit is a school or office of the university.
type unit struct {
	name         string
	head, deputy string // titles of its two heads
	school       bool
	humanities   bool
	fields       []string // research fields of a school
}

func school(name string, fields ...string) unit {
	return unit{name: name, head: "院长", deputy: "党委书记", school: true, fields: fields}
}

func humanities(name string, fields ...string) unit {
	u := school(name, fields...)
	u.humanities = true
	return u
}

func office(name, head, deputy string) unit {
	return unit{name: name, head: head, deputy: deputy}
}

var units = []unit{
	school("机械与运载工程学院", "智能制造", "高端数控装备", "增材制造", "智能网联汽车", "工业机器人"),
	school("电气工程学院", "新型电力系统", "储能技术", "特高压输电", "电力电子", "无线电能传输"),
	school("材料科学与工程学院", "轻合金材料", "新能源材料", "二维材料", "先进陶瓷", "镁合金"),
	school("化学化工学院", "绿色催化", "高分子材料", "电化学储能", "精细化工"),
	school("土木工程学院", "智能建造", "桥梁结构健康监测", "韧性城市", "地下工程", "装配式建筑"),
	school("建筑城规学院", "城市更新", "乡村人居环境", "山地城镇规划", "历史街区保护"),
	school("计算机学院", "人工智能", "大模型", "网络空间安全", "分布式系统", "计算机视觉"),
	school("大数据与软件学院", "软件工程", "大数据分析", "智能软件", "数据治理"),
	school("微电子与通信工程学院", "集成电路设计", "第六代移动通信", "射频芯片", "卫星互联网"),
	school("光电工程学院", "光电传感", "精密测量", "光纤通信", "激光技术"),
	school("自动化学院", "无人系统", "智能控制", "机器人感知", "工业互联网"),
	school("能源与动力工程学院", "碳中和", "氢能利用", "清洁燃烧", "热能工程"),
	school("资源与安全学院", "矿山安全", "深地工程", "灾害防治", "油气开发"),
	school("环境与生态学院", "水污染治理", "生态修复", "流域生态保护", "固体废物资源化"),
	school("生命科学学院", "合成生物学", "生物信息学", "植物逆境生理", "神经生物学"),
	school("药学院", "创新药物研发", "中药现代化", "药物递送系统"),
	school("医学院", "精准医学", "肿瘤免疫治疗", "医学影像", "再生医学"),
	school("数学与统计学院", "应用数学", "统计学习", "计算数学", "金融数学"),
	school("物理学院", "量子信息", "凝聚态物理", "天体物理", "光学与光子学"),
	school("航空航天学院", "空天材料", "飞行器设计", "航天器动力学", "无人机技术"),
	school("农学与生物技术学院", "现代农业", "种业创新", "智慧农业", "农产品加工"),
	humanities("经济与工商管理学院", "数字经济", "供应链管理", "区域经济", "创新创业管理"),
	humanities("公共管理学院", "基层治理", "公共政策", "应急管理", "城市治理"),
	humanities("法学院", "数据法治", "知识产权保护", "环境法", "国际经济法"),
	humanities("新闻学院", "国际传播", "媒体融合", "网络舆论", "数字出版"),
	humanities("外国语学院", "区域国别研究", "翻译学", "语言智能", "跨文化交际"),
	humanities("马克思主义学院", "思想政治教育", "马克思主义中国化", "党史党建", "中国式现代化"),
	humanities("文学院", "古典文献", "中国现当代文学", "语言学", "地方文化"),
	humanities("艺术学院", "非遗保护", "公共艺术", "数字媒体艺术", "音乐表演"),
	humanities("体育学院", "全民健身", "运动训练", "体育产业", "运动康复"),
	office("党委办公室", "主任", "副主任"),
	office("校长办公室", "主任", "副主任"),
	office("党委组织部", "部长", "副部长"),
	office("党委宣传部", "部长", "副部长"),
	office("党委学生工作部", "部长", "副部长"),
	office("党委研究生工作部", "部长", "副部长"),
	office("教务处", "处长", "副处长"),
	office("研究生院", "常务副院长", "副院长"),
	office("科学技术发展研究院", "常务副院长", "副院长"),
	office("社会科学处", "处长", "副处长"),
	office("人事处", "处长", "副处长"),
	office("国际合作与交流处", "处长", "副处长"),
	office("招生就业处", "处长", "副处长"),
	office("实验室与设备管理处", "处长", "副处长"),
	office("发展规划处", "处长", "副处长"),
	office("保卫处", "处长", "副处长"),
	office("校团委", "书记", "副书记"),
	office("图书馆", "馆长", "副馆长"),
	office("档案馆", "馆长", "副馆长"),
	office("后勤服务集团", "总经理", "副总经理"),
	office("校友工作办公室", "主任", "副主任"),
	office("离退休工作处", "处长", "副处长"),
	office("校工会", "常务副主席", "副主席"),
	office("创新创业学院", "院长", "副院长"),
}

var leaderTitles = []string{"校党委书记", "校长", "校党委副书记", "校党委副书记", "副校长", "副校长", "副校长", "党委常委、副校长"}

var surnames = strings.Fields(`王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹
彭 曾 肖 田 董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 金 石 廖 贾 夏 韦 付 方 白 邹 孟
熊 秦 邱 江 尹 薛 闫 段 雷 侯 龙 史 陶 黎 贺 顾 毛 郝 龚 邵 万 钱 严 覃 武 戴 莫 孔 向 汤 欧阳 常 温 康 施 文 牛 樊 葛 邢 安 齐 易 乔 伍 庞 颜 倪 庄 聂 章 鲁 岳 翟 殷 詹 申 耿 关 兰 焦 俞 左 柳 甘 祝 包 宁 尚 符 舒 阮 柯 纪 梅 童 凌 毕 单 季 裴 霍 涂 成 苗 谷 盛 曲 翁 冉 骆 蓝 路 游 辛 靳 管 柴 蒙 鲍 华 喻 祁 蒲 房 滕 屈 饶 解 牟 艾 尤 阳 时 穆 农 司 卓 古 吉 缪 简 车 项 连 芦 麦 褚 娄 窦 戚 岑 景 党 宫 费 卜 冷 晏 席 卫 米 柏 宗 瞿 桂 全 佟 应 臧 闵 苟 邬 边 卞 姬 师 和 仇 栾 隋 商 刁 沙 荣 巫 寇 桑 郎 甄 丛 仲 虞 敖 巩 明 佘 池 查 麻 苑 迟 邝`)

var givenCommon = strings.Fields(`文 明 华 建 国 志 海 平 东 晓 宇 子 思 一 嘉 博 涵 然 晨 阳 清 宁 安 雨 欣 天 佳 君 正 和 睿 哲 远 航 泽
辰 逸 凡 亦 言 书 宏 之 新 立 春 秋 云 松 诗 家 景 瑞 承 启 成 永 昕 若 心 怡 琛 钰 铭 源 学 德 光 中 玉 星 舒 培 润 恒 卓 骏
奕 煜 昱 朗 彦 知 墨 谦 乐 祺 翊 霖 澄 钧 沛 维 智 青 岩`)

var givenMale = strings.Fields(`伟 强 军 磊 勇 刚 峰 斌 杰 涛 超 鑫 毅 浩 锋 振 彬 龙 坤 鸿 轩 昊 凯 健 辉 飞 鹏 俊 翔 豪 川 林 旭 亮 斐
骁 晖 栋 铮 岳 山 武 达 顺 庆 福 贵 胜 亮 宁 海 波 剑 松 柏 树 森 恺 翰 晟 铭 睿 皓 弘 毅 诚 勋 烨 晗 楷`)

var givenFemale = strings.Fields(`丽 娜 婷 静 敏 燕 芳 洁 琳 颖 玲 雪 霞 倩 慧 萌 瑶 璐 莉 菲 蕾 彤 琪 媛 薇 佩 月 蓉 岚 梅 茜 悦 妍
楠 晴 露 艳 婉 婕 娟 秀 英 华 红 兰 萍 玥 媛 嫣 珊 琦 晶 雯 韵 璇 筱 婧 凤 芸 蕊 黛 瑾 灵 芷 馨 语 欢`)

var universities = []string{"北辰大学", "南湖大学", "澜江大学", "西京理工大学", "海州大学", "青川科技大学", "江城理工大学",
	"华岳医科大学", "临川师范大学", "东海交通大学", "明湖大学", "天衡大学", "溪山大学", "北岭工业大学", "南州大学"}

var institutions = append([]string{"北方先进材料研究院", "国家智能制造创新中心", "岳山实验室", "东岳市科学院",
	"星河半导体研究院", "华夏能源研究院", "东岳市第一人民医院"}, universities...)

var campuses = []string{"主校区", "南校区", "东湖校区", "北校区"}

var places = []string{"图书馆报告厅", "行政楼第一会议室", "行政楼第三会议室", "学术交流中心多功能厅", "大学生活动中心",
	"主楼学术报告厅", "科学会堂", "综合实验楼报告厅", "国际会议中心", "逸夫楼报告厅", "明德楼报告厅", "知行楼会议室",
	"学术交流中心第二会议室", "校史馆会议室", "创新创业中心路演厅", "工程训练中心报告厅"}

var schoolRooms = []string{"学院一楼报告厅", "学院学术报告厅", "学院三楼会议室", "学院党员活动室", "学院第二会议室", "学院大楼多功能厅"}

var fields = []string{"人工智能", "新材料", "乡村振兴", "碳中和", "智能制造", "数字经济", "生物医药", "集成电路",
	"新能源汽车", "智慧城市", "生态环境保护", "量子科技", "大数据", "区域协调发展", "低空经济"}

var kickers = map[string][]string{
	"":            {"奋进新征程 建功新时代", "聚焦“双一流”建设", "东岳新闻眼", "一线传真", "高质量发展在东岳"},
	"news":        {"学习贯彻党的二十大精神", "改革攻坚进行时", "开局之年看东岳", "办好人民满意的教育"},
	"departments": {"院系风采", "学院新闻", "学科建设巡礼"},
	"research":    {"科技创新看东岳", "科研前沿", "有组织科研进行时"},
	"lectures":    {"名家讲坛", "学术前沿", "大师面对面"},
	"media":       {"媒体看东岳", "东岳在央媒", "媒体聚焦"},
	"culture":     {"校园文化巡礼", "书香东岳", "青春东岳"},
	"students":    {"青春榜样", "实践青春", "志愿者风采", "三下乡进行时"},
	"people":      {"人物风采", "东岳人物", "身边的榜样", "最美东岳人"},
}

// Remarks top up a short paragraph; each pool suits one kind of story.
var remarks = []string{
	"大家纷纷表示，将把所学所思转化为推动工作的实际行动。",
	"与会人员普遍认为，此次活动主题鲜明、内容充实、针对性强。",
	"这也是学校近年来持续推进相关工作的一个缩影。",
	"相关工作得到了师生的广泛关注和积极参与。",
	"这为下一步工作的开展打下了坚实基础。",
	"与会人员表示，将及时把会议精神传达到每一位师生。",
	"与会人员结合各自工作实际进行了深入交流。",
	"大家一致认为，要把思想和行动统一到学校的决策部署上来。",
	"会前，与会人员还进行了集中学习。",
}

// neutralRemarks fit any story; they are used when a story's own pool is spent.
var neutralRemarks = []string{
	"这也是学校近年来持续推进相关工作的一个缩影。",
	"相关工作得到了师生的广泛关注。",
	"这一做法得到了师生的普遍认可。",
	"学校相关部门负责人参加活动。",
}

var lectureRemarks = []string{
	"讲座吸引了不少外校师生慕名前来。",
	"现场座无虚席，不少同学站在过道里听完了整场报告。",
	"不少同学边听边记笔记，会后还围着专家继续请教。",
	"讲座同步进行了网络直播，吸引了众多校外观众在线收看。",
	"报告持续了近两个小时，现场互动热烈。",
}

var socRemarks = []string{
	"该成果为相关领域的理论研究和政策制定提供了新的视角。",
	"研究团队表示，将继续扎根中国大地开展研究，力争推出更多有分量的成果。",
	"相关研究已形成咨政报告，报送有关部门参考。",
	"这一成果进一步提升了学校在该领域的学术影响力。",
	"该研究在学界引起了较大反响。",
}

var readingQuotes = []string{
	"书中自有天地，阅读让我变得更加从容。",
	"每天睡前读上一个小时书，已经成了我的习惯。",
	"读书让我在专业之外看到了更广阔的世界。",
}

var nsfKinds = []string{"重点项目", "面上项目", "青年科学基金项目", "重大研究计划项目", "优秀青年科学基金项目"}

var nssfKinds = []string{"重大项目", "重点项目", "一般项目", "青年项目", "后期资助项目"}

var socChallenges = []string{"理论阐释不够充分", "实证研究相对薄弱", "数据来源分散", "跨学科视角不足", "本土经验总结不够"}

var socAwards = []string{"东岳市社会科学优秀成果奖", "高等学校科学研究优秀成果奖（人文社会科学）", "全国教育科学研究优秀成果奖"}

var researchRemarks = []string{
	"该成果为相关领域的基础研究和工程应用提供了新的思路。",
	"研究工作得到了学校分析测试中心的大力支持。",
	"团队成员表示，将继续瞄准国际前沿，力争取得更多原创性成果。",
	"相关技术已申请国家发明专利。",
	"这一进展标志着学校在该方向的研究水平迈上了新台阶。",
	"相关成果受到国内外同行的广泛关注。",
}

var mediaRemarks = []string{
	"报道在师生和校友中引发热烈反响。",
	"近年来，学校相关工作多次受到中央和地方主流媒体关注。",
	"不少校友在朋友圈转发报道，为母校点赞。",
	"报道用大量篇幅介绍了一线师生的故事。",
	"这是今年以来主流媒体又一次聚焦东岳大学。",
}

var cultureRemarks = []string{
	"现场掌声雷动，气氛热烈。",
	"活动吸引了众多师生驻足参与。",
	"不少同学用手机记录下了这难忘的时刻。",
	"活动丰富了师生的课余文化生活，营造了积极向上的校园文化氛围。",
	"校园里处处洋溢着青春的气息。",
}

var studentRemarks = []string{
	"同学们在实践中增长了才干、锤炼了品格。",
	"活动得到了学校各方面的大力支持。",
	"这段经历让同学们受益匪浅。",
	"青春的汗水，在奉献中闪光。",
	"同学们用实际行动展现了新时代东岳学子的精神风貌。",
	"指导老师全程参与，给予了悉心指导。",
	"不少同学表示，这是大学期间最难忘的一段经历。",
}

var peopleRemarks = []string{
	"平凡的坚守，成就了不平凡的事业。",
	"一路走来，初心未改。",
	"这份执着，感染着身边的每一个人。",
	"在东岳园里，这样的故事仍在继续。",
	"朴素的话语里，透着一份沉甸甸的责任。",
	"说起这些，脸上总是带着笑意。",
}

var tasks = []string{
	"牢牢把握立德树人根本任务", "聚焦国家重大战略需求", "持续深化教育教学改革", "加强有组织科研",
	"推进学科交叉融合", "完善人才引育机制", "全面提升人才培养质量", "强化基层党组织建设",
	"营造风清气正的学术生态", "主动服务地方经济社会发展", "守牢安全稳定底线", "以钉钉子精神抓好工作落实",
	"把各项任务落细落实", "不断提升治理能力和治理水平", "切实增强责任感和紧迫感", "坚持问题导向和目标导向",
	"加强统筹协调", "用好校内外优质资源", "深化产教融合和校企合作", "扩大高水平对外开放",
	"优化资源配置", "健全考核评价体系", "厚植爱国情怀", "弘扬科学家精神", "激发师生干事创业活力",
	"坚持以师生为中心", "强化数字赋能",
}

var purposes = []string{
	"学校贯彻落实立德树人根本任务的重要举措", "推进学校内涵式发展的重要抓手", "深化综合改革的重要内容",
	"提升办学治校能力的重要环节", "服务师生成长成才的具体行动", "推动学校高质量发展的关键一环",
}

var meanings = []string{
	"对于凝聚共识、明确方向具有重要意义", "对推动学校事业高质量发展意义重大", "事关学校长远发展",
	"必须摆在更加突出的位置", "需要全校上下齐心协力、久久为功",
}

var audiences = []string{"全体与会人员", "各单位", "广大师生", "青年教师", "同学们", "各位老师"}

var hopes = []string{
	"珍惜机会、学有所获", "勇于担当、主动作为", "坚定信心、真抓实干", "守正创新、踔厉奋发",
	"求真务实、久久为功", "心怀“国之大者”、勇攀科学高峰", "勤学善思、知行合一",
}

var goals = []string{"建设中国特色世界一流大学", "加快建设教育强国", "推动学校事业高质量发展", "学校“双一流”建设",
	"服务地方经济社会发展", "实现高水平科技自立自强"}

var plans = []string{"推进“双一流”建设", "落实年度重点工作", "深化综合改革", "加强内涵建设", "推进“十四五”规划实施"}

var effects = []string{"为相关工作的深入开展奠定了坚实基础", "营造了浓厚的氛围", "搭建了交流合作的平台",
	"取得了良好的效果", "受到了师生的广泛好评", "达到了预期目的"}

var nextSteps = []string{"持续深化交流合作", "进一步完善工作机制", "抓好各项任务落实", "及时总结经验做法", "加强统筹谋划",
	"持续加大投入力度", "健全长效机制"}

var nextSteps2 = []string{"推动工作取得更大成效", "不断提升服务师生的能力和水平", "为学校高质量发展提供有力支撑",
	"努力形成更多可复制可推广的经验", "让更多师生从中受益"}

var works = []string{"科研", "本科教学", "研究生教育", "学科建设", "人才", "宣传思想", "安全稳定", "国际合作与交流",
	"就业", "招生", "实验室安全", "统战", "离退休", "后勤保障", "审计", "财务", "校园信息化", "社会服务", "校友", "基层党建"}

var aspects = []string{"人才培养", "科学研究", "学科建设", "师资队伍建设", "社会服务", "国际交流", "平台建设",
	"制度建设", "条件保障", "成果转化", "文化传承创新"}

var achievements = []string{"稳中有进、亮点纷呈", "取得了新的突破", "多项指标创历史新高", "整体水平稳步提升", "呈现出良好发展态势"}

var achievements2 = []string{"为学校事业发展提供了有力支撑", "得到了上级部门和社会各界的充分肯定", "师生的获得感和满意度持续提升"}

var issues = []string{"青年教师发展", "科研评价改革", "学科交叉融合", "研究生培养质量", "实验室开放共享",
	"校园基础设施建设", "后勤服务保障", "毕业生就业", "国际化办学", "教学条件改善", "学生心理健康教育"}

var partners = []string{"东岳市人民政府", "青溪区人民政府", "云台县人民政府", "临江市人民政府", "长风汽车集团",
	"华远智能科技有限公司", "中材新能源股份有限公司", "星河半导体有限公司", "恒通建设集团", "东岳市第一人民医院",
	"岳山实验室", "北方先进材料研究院", "东岳电力公司", "南山重工集团", "东岳轨道交通集团", "宏图信息技术有限公司",
	"东岳市农业科学院", "蓝海生物医药有限公司"}

var agreements = []string{"战略合作", "产学研合作", "校地合作", "人才培养合作", "全面合作", "科技创新合作"}

var coopAreas = []string{"人才培养", "科研攻关", "平台共建", "成果转化", "干部挂职", "继续教育", "实习实践", "智库建设"}

var groups = []string{"青年教师代表", "外籍教师", "离退休老同志", "民主党派和无党派人士", "学生代表", "校友代表",
	"高层次人才", "新入职教师", "研究生导师代表", "辅导员代表", "企业家校友"}

var themes = []string{"学科建设", "有组织科研", "人才强校战略", "教育数字化", "本科教育教学审核评估", "新工科建设",
	"师德师风建设", "作风建设", "大学生心理健康教育", "实验室安全", "校园文化建设", "综合改革", "“十五五”规划编制"}

var seasons = []string{"开学前", "节前", "汛期", "寒假期间", "暑期", "国庆节前", "春节前", "新学期"}

var safetySpots = []string{"学生宿舍", "学生食堂", "化学实验室", "图书馆", "建设工地", "配电房", "危化品库房", "校医院", "体育馆"}

var staffHonors = []string{"教学名师", "师德标兵", "优秀教师", "优秀班主任", "青年教学能手", "优秀研究生导师",
	"“三育人”先进个人", "科研先进个人"}

var forumNames = []string{"启明", "明远", "致知", "格物", "笃行", "弘毅", "博观", "聚智", "创新", "东岳", "求索", "远航", "星火", "青衿"}

var lectureAngles = []string{"前沿进展与挑战", "若干关键问题", "发展趋势与思考", "理论与实践", "机遇与路径", "新范式",
	"研究新进展", "从基础研究到工程应用"}

var lectureFrames = []string{"大模型时代", "“双碳”目标下", "新发展格局下", "数字化转型背景下", "交叉学科视野下", "高质量发展背景下"}

var lectureNeeds = []string{"国家重大需求", "产业升级", "未来城市", "健康中国", "智能社会", "绿色发展"}

var lectureSeries = []string{"东岳讲坛", "明德论坛", "博雅大讲堂", "青年学者沙龙", "学术前沿讲座", "研究生学术讲堂",
	"院士大讲堂", "名家讲座", "东岳学术沙龙", "知行讲堂"}

var lecturePoints = []string{"基础理论", "关键技术", "工程应用", "数据与方法", "国际比较", "未来方向", "实验验证"}

var studentTakeaways = []string{
	"报告让我对自己的研究方向有了新的认识，也找到了下一步实验的突破口。",
	"听了报告之后，我对如何选题、如何坚持有了更深的体会。",
	"专家的讲解深入浅出，让我们对学科前沿有了更直观的了解。",
	"原来看似冷门的问题背后，有这么多值得深挖的东西。",
}

var guestHonors = []string{"国家科学技术进步奖二等奖", "国家自然科学奖二等奖", "国家杰出青年科学基金",
	"省部级科技奖一等奖", "全国创新争先奖", "中国青年科技奖", "教育部高等学校科学研究优秀成果奖"}

var courses = []string{"工程力学", "数据结构", "大学物理", "电路原理", "材料科学基础", "机械设计", "自动控制原理",
	"线性代数", "有机化学", "城市规划原理", "管理学原理", "新闻采访与写作", "高等数学", "程序设计基础", "传热学",
	"细胞生物学", "人工智能导论", "概率论与数理统计", "流体力学", "信号与系统"}

var teachingTopics = []string{"课程思政", "教学方法改革", "实践教学", "课程体系优化", "学业评价", "虚拟仿真实验",
	"产教融合", "拔尖创新人才培养", "教材建设"}

var slogans = []string{"青春心向党", "奋进新征程", "强国有我", "书香润校园", "翰墨颂华章", "光影记东岳", "筑梦新时代",
	"传承红色基因", "永远跟党走", "与祖国同行", "薪火相传", "逐梦青春", "科技点亮未来", "劳动创造美好", "绿色低碳行",
	"青春献礼新时代", "匠心筑梦"}

var redSites = []string{"东岳市革命历史纪念馆", "岳山烈士陵园", "东岳红色教育基地", "江北革命纪念馆", "东岳党史教育馆", "学校校史馆"}

var methods = []string{"深度学习", "多尺度模拟", "原位表征", "界面工程", "机器学习辅助设计", "多物理场耦合分析",
	"分子动力学模拟", "高通量计算", "自适应控制", "图神经网络", "微纳加工", "数字孪生", "实验与数值模拟相结合"}

var socMethods = []string{"大样本调查", "田野调查", "文本计量分析", "比较研究", "历史文献考证", "案例研究", "实验经济学方法", "多源数据分析"}

var socObjects = []string{"演化规律", "影响机制", "区域差异", "治理路径", "历史脉络", "制度逻辑"}

var socFindings = []string{"制度环境对相关主体的行为选择具有显著影响", "数字技术的普及明显缩小了区域之间的差距",
	"基层实践中的创新往往先于制度安排", "公众参与程度与治理成效之间存在显著正相关"}

var metrics = []string{"能量转换效率", "计算效率", "检测精度", "使用寿命", "循环稳定性", "识别准确率", "力学强度",
	"响应速度", "预测精度", "材料利用率"}

var things = []string{"新方法", "新型结构", "新策略", "设计框架", "理论模型", "关键工艺", "评估体系"}

var sciJournals = []string{"自然", "科学", "细胞", "自然·通讯", "科学进展", "美国化学会志", "德国应用化学", "先进材料",
	"物理评论快报", "自然·能源", "自然·材料", "美国国家科学院院刊", "中国科学"}

var socJournals = []string{"中国社会科学", "管理世界", "经济研究", "法学研究", "新闻与传播研究", "外语教学与研究",
	"马克思主义研究", "文学评论", "社会学研究"}

var fieldWhy = []string{"当前国际学术前沿和国家重点布局的方向之一", "支撑国家重大战略需求的关键领域",
	"推动产业转型升级的重要引擎", "关系国计民生的重要研究方向", "近年来发展最为迅速的交叉领域之一"}

var challenges = []string{"成本高、效率低", "稳定性不足", "关键核心技术受制于人", "数据获取困难", "理论模型不完善",
	"规模化应用难", "能耗偏高", "精度与速度难以兼顾", "服役环境复杂"}

var costs = []string{"能耗", "计算时间", "制备成本", "材料用量", "误报率"}

var awards = []string{"东岳市科学技术奖", "东岳市技术发明奖", "高等学校科学研究优秀成果奖（科学技术）", "东岳市科技进步奖"}

var outlets = []string{"《人民日报》", "《光明日报》", "新华社", "《中国教育报》", "《科技日报》", "《经济日报》",
	"《中国青年报》", "中央广播电视总台", "中国新闻网", "《东岳日报》", "东岳电视台", "“学习强国”平台", "《中国科学报》"}

var leaderQuotes = []string{
	"大学要把服务国家战略需求作为最大的使命担当。",
	"人才培养是大学的根本任务，我们要让每一位学生都能人尽其才。",
	"科研要面向国家重大需求，把论文写在祖国大地上。",
	"希望同学们做有理想、敢担当、能吃苦、肯奋斗的新时代好青年。",
	"一所大学的高度，取决于它为国家和社会解决了多少真问题。",
}

var mediaFacts = []string{
	"累计向国家重点行业和重大工程输送毕业生两万余名。",
	"新增国家级科研平台多个，承担国家重大科研任务的能力持续增强。",
	"与三十余个地方政府和百余家企业建立了长期合作关系。",
	"连续多年选派研究生支教团赴西部地区开展教育帮扶。",
}

var quotes = []string{
	"作为一名青年学子，我深感责任重大，一定不负时代、不负韶华。",
	"这次经历让我真正理解了理论联系实际的意义。",
	"只有把个人理想融入国家发展，青春才能绽放出最美的光彩。",
	"科研没有捷径，唯有坚持和热爱。",
	"我们这一代人赶上了好时代，更要肩负起时代赋予的使命。",
	"学校给了我们广阔的舞台，我们要用奋斗回报母校。",
	"走出课堂才发现，书本上的知识要在实践中才能真正学会。",
}

var teacherQuotes = []string{
	"教书育人是一辈子的事，容不得半点马虎。",
	"做科研要耐得住寂寞，也要经得起失败。",
	"看到学生一点点成长起来，是我最大的幸福。",
	"好的科研问题，往往来自工程现场。",
	"我希望学生走出校门时，不仅带走知识，更带走解决问题的能力。",
	"只要方向是对的，慢一点也没关系。",
}

var studentMemories = []string{
	"老师常常陪我们在实验室待到深夜，论文的每一张图都会逐一帮我们修改。",
	"第一次投稿被拒时，是老师鼓励我重新梳理思路，才有了后来的成果。",
	"老师总说，做实验要先想清楚为什么，这句话让我受益至今。",
	"每次组会老师都会认真听每个人的汇报，再忙也从不缺席。",
}

var mentorQuotes = []string{
	"这个学生肯吃苦、有想法，最难得的是遇到失败从不气馁。",
	"这个孩子有股子韧劲，认准了的事一定要做到最好。",
	"学生思维活跃、动手能力强，是一名很有潜力的科研新人。",
}

var cultureQuotes = []string{
	"站在舞台上的那一刻，所有的辛苦都值得了。",
	"这样的活动让我们在紧张的学习之余找到了属于自己的精彩。",
	"在这里我认识了很多志同道合的朋友。",
	"书中自有天地，阅读让我变得更加从容。",
	"每一件作品背后都有一个关于东岳的故事。",
}

var performances = []string{"舞蹈《逐光》", "合唱《东岳之歌》", "情景剧《求索》", "器乐合奏《山河》", "诗朗诵《写给母校的信》",
	"街舞《跃动》", "戏曲联唱《梨园春色》", "相声《校园趣事》", "民乐合奏《春江晓月》", "原创歌曲《那年夏天》",
	"小品《实验室的一天》", "舞蹈《茶山晨曲》"}

var exhibitParts = []string{"岁月如歌", "校园印象", "青春风采", "山水东岳", "科技之光", "薪火相传"}

var artworks = []string{"晨光里的图书馆", "江畔秋色", "那年的实验室", "东湖晓月", "远山的回响", "青春的模样", "灯火",
	"归途", "老校门", "四季东岳"}

var readingEvents = []string{"名家讲座", "经典诵读大赛", "好书推荐", "图书漂流", "读书征文比赛", "古籍修复体验",
	"真人图书馆", "书签设计大赛"}

var teamNames = []string{"青禾", "星火", "筑梦", "红烛", "远山", "萤光", "启航", "春晖", "微光", "知行"}

var competitions = []string{"中国国际大学生创新大赛", "“挑战杯”全国大学生课外学术科技作品竞赛", "全国大学生数学建模竞赛",
	"全国大学生电子设计竞赛", "中国大学生程序设计竞赛", "全国大学生结构设计竞赛", "全国大学生机器人大赛",
	"全国大学生节能减排社会实践与科技竞赛", "全国大学生智能汽车竞赛", "全国大学生化工设计竞赛"}

var villages = []string{"青溪县柳湾村", "云台县石桥镇", "临江市白鹭村", "青川县杏林村", "南岭镇茶园村", "岳北县凤鸣村",
	"东岳市桃源镇", "石门乡竹溪村"}

var volunteerEvents = []string{"东岳国际马拉松", "东岳国际博览会", "全国大学生运动会", "东岳人工智能大会",
	"东岳市科技创新成果展", "新生报到迎新", "社区义诊", "国际青年论坛"}

var volunteerPosts = []string{"引导咨询", "赛事保障", "翻译服务", "物资发放", "信息登记", "交通疏导", "应急救护", "嘉宾接待"}

var clubs = []string{"大学生天文协会", "机器人协会", "摄影协会", "话剧社", "书法协会", "围棋社", "航模协会", "吉他社",
	"汉服社", "绿色环保协会", "辩论队", "舞龙舞狮队", "科幻协会", "志愿者协会"}

var peopleHonors = []string{"全国优秀教师", "东岳市五一劳动奖章", "东岳市教学名师", "东岳市优秀共产党员",
	"学校“师德标兵”", "东岳市青年科技奖", "学校“最美教师”"}

var studentHonors = []string{"学校“十佳大学生”", "“中国大学生自强之星”", "东岳市优秀大学生", "学校“研究生年度人物”",
	"东岳市优秀共青团员", "“东岳青年五四奖章”"}
