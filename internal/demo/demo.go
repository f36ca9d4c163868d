// Package demo fills an empty site with demonstration content: the seed
// article from the page Newsdesk grew from, several hundred generated
// stories across nested columns, curated slots and the help pages.
package demo

import (
	"bufio"
	"context"
	_ "embed"
	"fmt"
	"html"
	"math/rand/v2"
	"strings"
	"time"

	"newsdesk/internal/account"
	"newsdesk/internal/model"

	"newsdesk/internal/article"
	"newsdesk/internal/check"
	"newsdesk/internal/column"
	"newsdesk/internal/demo/photo"
	"newsdesk/internal/demo/prose"
	"newsdesk/internal/media"
	"newsdesk/internal/review"
	"newsdesk/internal/site"
	"newsdesk/internal/slot"
	"newsdesk/internal/store"
)

//go:embed seed_article.txt
var seedText string

// Deps are the services the demo content is created through, so it follows
// the same rules as content made in the desk.
type Deps struct {
	Accounts *account.Service
	Store    store.Store
	Articles *article.Service
	Slots    *slot.Service
	Columns  *column.Service
	Site     *site.Service
	Media    *media.Service
	Reviews  *review.Service
	Checks   *check.Service
}

// Options size the generated content.
type Options struct {
	Articles int       // generated stories besides the seed article (default 320)
	Until    time.Time // newest publish date (default now)
	Years    int       // spread over this many years (default 3)
	Seed     uint64
}

// columnSpec describes a demo column: its slug, name, prose topic and parent.
type columnSpec struct {
	slug, name, topic, parent, description string
}

var columns = []columnSpec{
	{"news", "综合新闻", "news", "", "学校重要新闻与综合报道"},
	{"headlines", "学校要闻", "news", "news", "学校层面的重要会议、活动与决策"},
	{"departments", "院系动态", "departments", "news", "各学院、部门的工作动态"},
	{"academic", "学术动态", "research", "", "学术交流与科研进展"},
	{"lectures", "学术讲座", "lectures", "academic", "校内外专家学术报告与讲座"},
	{"research", "科研成果", "research", "academic", "师生科研成果与获奖"},
	{"media", "媒体重大", "media", "", "新闻媒体对学校的报道"},
	{"culture", "校园文化", "culture", "", "校园文化活动与艺术体育"},
	{"students", "学生活动", "students", "culture", "学生社团、志愿服务与实践活动"},
	{"people", "人物风采", "people", "", "优秀师生与校友故事"},
}

// updateDays are the demo columns' update periods (更新周期): the
// self-audit lists a column with nothing new in that many days.
var updateDays = map[string]int{"headlines": 14, "departments": 30, "lectures": 30}

// SeedTitle is the title of the seed article, for tests.
const SeedTitle = "重庆大学2020年度“启邦”研究生党支部书记培训开班仪式暨抗击疫情先进事迹报告会顺利召开"

// Load creates the demo content. It does nothing on a site that already has
// columns, so it never mixes with real content.
func Load(ctx context.Context, d Deps, o Options) error {
	system := model.SystemActor("cli")
	existing, err := d.Store.Columns(ctx)
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		return nil
	}
	if o.Articles == 0 {
		o.Articles = 320
	}
	if o.Until.IsZero() {
		o.Until = time.Now()
	}
	if o.Years == 0 {
		o.Years = 3
	}
	tz, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return err
	}
	ids := map[string]int64{}
	for i, c := range columns {
		col, err := d.Columns.Save(ctx, system, model.Column{Slug: c.slug, Name: c.name, Description: c.description, ParentID: ids[c.parent], Position: i,
			UpdateDays: updateDays[c.slug]})
		if err != nil {
			return err
		}
		ids[c.slug] = col.ID
	}
	// The seed is another university's story: a reposted one, in the
	// column of media reports, credited to its source.
	seedID, err := loadSeed(ctx, d, ids["media"], tz)
	if err != nil {
		return fmt.Errorf("seed article: %w", err)
	}
	pool, err := photoPool(ctx, d, 12)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(o.Seed, 2020))
	// Update times from a stream of their own, so the stories themselves
	// (and the judged search set's ids) stay as they were.
	edits := rand.New(rand.NewPCG(o.Seed, 2021))
	writer := prose.New(o.Seed + 1)
	start := o.Until.AddDate(-o.Years, 0, 0)
	span := o.Until.Sub(start)
	var made []model.Article
	for i := 0; i < o.Articles; i++ {
		c := columns[rng.IntN(len(columns))]
		// Spread evenly with jitter, so every month of every year has news.
		at := start.Add(time.Duration(float64(span) * (float64(i) + rng.Float64()) / float64(o.Articles)))
		day := at.In(tz)
		at = time.Date(day.Year(), day.Month(), day.Day(), 8+rng.IntN(11), rng.IntN(60), 0, 0, tz)
		if at.After(o.Until) {
			at = o.Until.Add(-time.Minute)
		}
		st := writer.Story(c.topic, at)
		// Last edited on the day of publishing, some a little later: feeds
		// and sitemaps show each story's own time, not the demo's loading.
		updated := at.Add(time.Duration(edits.IntN(90)) * time.Minute)
		if edits.IntN(8) == 0 {
			updated = at.Add(time.Duration(1+edits.IntN(72)) * time.Hour)
		}
		if updated.After(o.Until) {
			updated = o.Until
		}
		a := model.Article{ColumnID: ids[c.slug], Kicker: st.Kicker, Title: st.Title, Subtitle: st.Subtitle, Summary: st.Summary,
			Status: model.StatusPublished, PublishedAt: at, CreatedAt: at, UpdatedAt: updated,
			Credits: model.Credits{Writers: st.Writers, Photographers: st.Photographers, Editor: st.Editor, Unit: st.Unit}}
		var figure *model.Media
		if rng.IntN(10) < 4 {
			figure = &pool[rng.IntN(len(pool))]
			a.LeadMediaID = figure.ID
		}
		a.Body = body(st.Paragraphs, figure, 1)
		a.Views = int64(50 + rng.IntN(3000))
		if err := d.Articles.Import(ctx, system, &a, "demo"); err != nil {
			return fmt.Errorf("demo article %d: %w", i, err)
		}
		made = append(made, a)
	}
	// Focus: the five newest of the site's own stories that have a photo,
	// then the reposted seed. Recommended: ten recent stories.
	var focus, recommended []int64
	for i := len(made) - 1; i >= 0; i-- {
		a := made[i]
		if a.LeadMediaID != 0 && len(focus) < 5 {
			focus = append(focus, a.ID)
		} else if len(recommended) < 10 {
			recommended = append(recommended, a.ID)
		}
	}
	focus = append(focus, seedID)
	for i, id := range focus {
		if err := d.Slots.Place(ctx, system, model.Placement{Slot: model.SlotFocus, ArticleID: id, Position: i}); err != nil {
			return err
		}
	}
	for i, id := range recommended {
		if err := d.Slots.Place(ctx, system, model.Placement{Slot: model.SlotRecommended, ArticleID: id, Position: i}); err != nil {
			return err
		}
	}
	for _, p := range []model.Page{{Slug: site.PageHelp, Title: "使用帮助", Body: helpPage}, {Slug: site.PageGuide, Title: "投稿须知", Body: guidePage}} {
		if err := d.Site.SavePage(ctx, system, &p); err != nil {
			return err
		}
	}
	if d.Checks != nil {
		// Harmless placeholders, so the content checks can be seen at work;
		// Newsdesk ships no real list of sensitive words.
		for kind, list := range map[string]string{check.KindWords: demoWords, check.KindLeaders: demoLeaders} {
			if _, err := d.Checks.Save(ctx, system, kind, list, false); err != nil {
				return fmt.Errorf("demo %s: %w", kind, err)
			}
		}
	}
	if d.Accounts != nil {
		return demoUsers(ctx, d)
	}
	return nil
}

// demoWords and demoLeaders are the demo site's rule lists: placeholder
// words and fictional people, nothing real.
const (
	demoWords = `# 演示用的占位词，不是真实的敏感词表：站点应填写自己的词表。
示例敏感词 | 示例 | block
演示提醒词 | 示例 | warn
`
	demoLeaders = `# 演示用的虚构人物：姓名 | 现任职务 | 排序 | 任期
孙示例 | 校长、党委副书记 | 1 | 2021-01-01 ~
周演示 | 副校长 | 2 | 2021-01-01 ~
`
)

// DemoPassword is the password of every demo user; the README lists it and
// every desk page warns while demo users exist.
const DemoPassword = "newsdesk-demo"

// DemoUnit is the unit of the demo contributor and reviewer.
const DemoUnit = "研究生院"

// ChainColumn is the slug of the demo column with the four-step 三审三校
// chain.
const ChainColumn = "departments"

// Usernames are the demo's desk accounts, all with DemoPassword.
var Usernames = []string{"contributor", "reviewer", "editor", "admin", "proofreader", "chief"}

func demoUsers(ctx context.Context, d Deps) error {
	unit, err := d.Accounts.UnitID(ctx, model.SystemActor("cli"), DemoUnit)
	if err != nil {
		return err
	}
	centre, err := d.Accounts.UnitID(ctx, model.SystemActor("cli"), "党委宣传部（新闻中心）")
	if err != nil {
		return err
	}
	users := map[string]model.User{}
	for _, u := range []model.User{
		{Username: "contributor", Name: "陈通讯", Roles: []string{model.RoleContributor}, UnitID: unit},
		{Username: "reviewer", Name: "王审核", Roles: []string{model.RoleReviewer}, UnitID: unit},
		{Username: "editor", Name: "李编辑", Roles: []string{model.RoleEditor}},
		{Username: "admin", Name: "张总编", Roles: []string{model.RoleAdmin, model.RoleEditor}},
		{Username: "proofreader", Name: "周校对", Roles: []string{model.RoleContributor}, UnitID: centre},
		{Username: "chief", Name: "赵总编", Roles: []string{model.RoleChief}},
	} {
		if err := d.Accounts.AddUser(ctx, model.SystemActor("cli"), &u, DemoPassword); err != nil {
			return fmt.Errorf("demo user %s: %w", u.Username, err)
		}
		users[u.Username] = u
	}
	if err := d.Store.SetSetting(ctx, site.DemoUsersSetting, "1"); err != nil {
		return err
	}
	if d.Reviews != nil {
		return demoChain(ctx, d, users)
	}
	return nil
}

// demoChain gives 院系动态 the four-step 三审三校 chain.
func demoChain(ctx context.Context, d Deps, users map[string]model.User) error {
	system := model.SystemActor("cli")
	cols, err := d.Store.Columns(ctx)
	if err != nil {
		return err
	}
	col, err := column.NewTree(cols).BySlug(ChainColumn)
	if err != nil {
		return err
	}
	steps := []model.ReviewStep{
		{Name: "单位初审", Kind: model.StepReview, Holders: []string{model.HoldUnit}, DueHours: 24},
		{Name: "编辑复审", Kind: model.StepReview, Holders: []string{model.HoldEditor}, DueHours: 24},
		{Name: "校对", Kind: model.StepProofread, UserIDs: []int64{users["proofreader"].ID}, DueHours: 12},
		{Name: "总编终审", Kind: model.StepReview, Holders: []string{model.HoldChief}, DueHours: 24},
	}
	if _, err := d.Reviews.SaveChain(ctx, system, col.ID, steps); err != nil {
		return fmt.Errorf("demo review chain: %w", err)
	}
	return nil
}

// photoPool makes n generated photos shared by the generated stories.
func photoPool(ctx context.Context, d Deps, n int) ([]model.Media, error) {
	var out []model.Media
	// The generated pictures are campus skylines (photo.JPEG): captioned as
	// what they show, not as events they do not show.
	captions := []string{"校园一景", "晨光中的校园", "傍晚的教学楼", "湖畔楼群", "雨后校园", "远山与校舍", "夕照下的楼群", "校园天际线", "湖面倒影", "初夏的草坪", "秋日校园", "暮色中的校园"}
	for i := 0; i < n; i++ {
		jpg, err := photo.JPEG(uint64(100+i), 960, 640)
		if err != nil {
			return nil, err
		}
		c := captions[i%len(captions)]
		m, err := d.Media.Save(ctx, model.SystemActor("cli"), fmt.Sprintf("photo-%02d.jpg", i+1), jpg, model.Media{Caption: c, Alt: generatedAlt, Credit: generatedCredit})
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// body renders paragraphs as HTML, with figure after the first paragraph.
func body(paras []string, figure *model.Media, after int) string {
	var b strings.Builder
	for i, p := range paras {
		fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(p))
		if figure != nil && i+1 == after {
			b.WriteString(article.FigureHTML(*figure) + "\n")
		}
	}
	return b.String()
}

// What every generated picture shows and who made it: the demo's photos
// are drawn by photo.JPEG, not taken by anyone.
const (
	generatedAlt    = "生成的校园风景图：天空、远山、楼群与草坪或湖面"
	generatedCredit = "演示用生成图片"
)

// SeedSource is where the seed article was first published: the demo
// reposts it, credited in its 来源 line.
const SeedSource = "重庆大学新闻网"

// seedPhotos is how many photos the seed page had, each shown here by a
// generated stand-in captioned as one (the original captions name people
// and events the generated landscapes do not show, so they are not used,
// not even as alt text).
const seedPhotos = 8

// loadSeed turns the seed page's text into an article: title, date, summary,
// paragraphs with a figure wherever the page had a photo, and the closing
// photo credit as structured credits.
func loadSeed(ctx context.Context, d Deps, columnID int64, tz *time.Location) (int64, error) {
	var title, summary string
	var date time.Time
	var b strings.Builder
	var credits model.Credits
	var lead int64
	seen := 0
	inSummary := false
	sc := bufio.NewScanner(strings.NewReader(seedText))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 0; sc.Scan(); line++ {
		t := strings.TrimSpace(sc.Text())
		switch {
		case t == "" || line == 0: // blank, or the site header with its links
		case title == "":
			title = t
		case strings.HasPrefix(t, "日期"):
			_, v, _ := strings.Cut(t, ":")
			var err error
			if date, err = time.ParseInLocation("2006-01-02", strings.TrimSpace(v), tz); err != nil {
				return 0, err
			}
			date = date.Add(16 * time.Hour) // the afternoon event, published that day
		case t == "摘要":
			inSummary = true
		case inSummary:
			summary, inSummary = t, false
		case strings.HasSuffix(t, ".jpg"):
			if seen >= seedPhotos {
				return 0, fmt.Errorf("more photos than the seed page had")
			}
			jpg, err := photo.JPEG(uint64(seen+1), 1200, 800)
			if err != nil {
				return 0, err
			}
			m, err := d.Media.Save(ctx, model.SystemActor("cli"), t, jpg, model.Media{Caption: fmt.Sprintf("校园风景（演示用生成图片，代替原文第 %d 张照片）", seen+1), Alt: generatedAlt, Credit: generatedCredit})
			if err != nil {
				return 0, err
			}
			if lead == 0 {
				lead = m.ID
			}
			b.WriteString(article.FigureHTML(m) + "\n")
			seen++
		case strings.HasPrefix(t, "图片:") || strings.HasPrefix(t, "图片："): // either colon, as people type them
			_, names, _ := strings.Cut(strings.Replace(t, "：", ":", 1), ":")
			credits.Photographers = strings.Fields(names)
		default:
			fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(t))
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	credits.Unit = "共青团重庆大学研究生委员会"
	credits.Source = SeedSource
	a := model.Article{ColumnID: columnID, Title: title, Summary: summary, Body: b.String(), LeadMediaID: lead,
		Credits: credits, Status: model.StatusPublished, PublishedAt: date, CreatedAt: date, UpdatedAt: date, Views: 1289}
	if err := d.Articles.Import(ctx, model.SystemActor("cli"), &a, "demo: the seed article"); err != nil {
		return 0, err
	}
	return a.ID, nil
}
