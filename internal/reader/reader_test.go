package reader_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/feed"
	"newsdesk/internal/media"
	"newsdesk/internal/model"
	"newsdesk/internal/reader"
	"newsdesk/internal/search"
	"newsdesk/internal/site"
	"newsdesk/internal/store/sqlstore"
)

// now is the fixed present of every test here.
var now = time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)

// fixture is a small site in a real temporary SQLite store:
//
//	news (top)      2 articles around the end of January 2024 in Shanghai
//	                time, 39 in March 2025, plus a draft, a withdrawn one,
//	                one published for tomorrow and one scheduled
//	  campus (sub)  2 articles in April 2025
//	lectures (top)  3 articles in May 2025, the last with pictures
type fixture struct {
	r     *reader.Service
	db    *sqlstore.DB
	cols  map[string]model.Column
	news  []model.Article // the visible ones in column news, oldest first
	all   []model.Article // every visible article
	gone  []model.Article // never public: draft, withdrawn, future, scheduled
	photo model.Article   // the lectures article with a lead image and figures
	media []model.Media   // the photo article's lead, then its body pictures
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "newsdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{db: db, cols: map[string]model.Column{}}
	for i, c := range []model.Column{{Slug: "news", Name: "学校要闻"}, {Slug: "campus", Name: "校园"}, {Slug: "lectures", Name: "学术讲座"}} {
		c.Position = i
		if c.Slug == "campus" {
			c.ParentID = f.cols["news"].ID
		}
		if err := db.CreateColumn(ctx, &c); err != nil {
			t.Fatal(err)
		}
		f.cols[c.Slug] = c
	}
	add := func(col, title, status string, at time.Time, edit func(*model.Article)) model.Article {
		t.Helper()
		a := model.Article{ColumnID: f.cols[col].ID, Title: title, Summary: title + "的摘要", Body: "<p>" + title + "</p>", Status: status, PublishedAt: at}
		if edit != nil {
			edit(&a)
		}
		if err := db.CreateArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
		if status == model.StatusPublished && !at.After(now) {
			f.all = append(f.all, a)
			if col == "news" {
				f.news = append(f.news, a)
			}
		} else {
			f.gone = append(f.gone, a)
		}
		return a
	}
	pub := model.StatusPublished
	add("news", "一月最后一晚", pub, time.Date(2024, 1, 31, 15, 0, 0, 0, time.UTC), nil) // 23:00 in Shanghai
	add("news", "二月第一刻", pub, time.Date(2024, 1, 31, 16, 30, 0, 0, time.UTC), nil) // 00:30 on 1 February
	for i := range 39 {
		add("news", fmt.Sprintf("三月新闻%02d", i+1), pub, time.Date(2025, 3, 1+i/2, 4+i%2, 0, 0, 0, time.UTC), nil)
	}
	add("campus", "校园四月一", pub, time.Date(2025, 4, 3, 4, 0, 0, 0, time.UTC), nil)
	add("campus", "校园四月二", pub, time.Date(2025, 4, 9, 4, 0, 0, 0, time.UTC), nil)
	add("news", "未发布草稿", model.StatusDraft, time.Time{}, nil)
	add("news", "已撤稿件", model.StatusWithdrawn, time.Date(2025, 3, 30, 4, 0, 0, 0, time.UTC), nil)
	add("news", "明天才发布", pub, now.Add(24*time.Hour), nil)
	add("news", "定时发布稿", model.StatusScheduled, now.Add(48*time.Hour), nil)
	add("lectures", "讲座一", pub, time.Date(2025, 5, 1, 4, 0, 0, 0, time.UTC), nil)
	add("lectures", "讲座二", pub, time.Date(2025, 5, 2, 4, 0, 0, 0, time.UTC), nil)

	for i, name := range []string{"lead.jpg", "one.jpg", "two.webp"} {
		m := model.Media{Key: fmt.Sprintf("k/%d/%s", i, name), Name: name, ContentType: "image/jpeg", Width: 2000, Height: 1000, Size: int64(1000 + i),
			Checksum: strings.Repeat(fmt.Sprint(i), 64), Alt: "图" + name, Caption: "说明" + name, Credit: "摄影" + name}
		if strings.HasSuffix(name, ".webp") {
			m.ContentType = "image/webp"
		}
		if err := db.CreateMedia(ctx, &m); err != nil {
			t.Fatal(err)
		}
		if err := db.SetVariants(ctx, m.ID, []model.Variant{
			{Width: 480, Height: 240, ContentType: "image/webp", Key: fmt.Sprintf("v/%d/480.webp", i), Size: 10},
			{Width: 960, Height: 480, ContentType: "image/webp", Key: fmt.Sprintf("v/%d/960.webp", i), Size: 20},
		}); err != nil {
			t.Fatal(err)
		}
		f.media = append(f.media, m)
	}
	f.photo = add("lectures", "讲座三有图", pub, time.Date(2025, 5, 3, 4, 0, 0, 0, time.UTC), func(a *model.Article) {
		a.LeadMediaID = f.media[0].ID
		// The body shows the second picture before the first, and an outside one.
		a.Body = fmt.Sprintf(`<p>开头</p><figure><img src="%s" alt=""></figure><p>中间</p><img src="https://example.org/x.png" alt="外"><figure><img src="%s" alt=""></figure>`,
			media.URL(f.media[2]), media.URL(f.media[1]))
		a.Credits = model.Credits{Writers: []string{"王文", "李字"}, Photographers: []string{"刘孟秋"}, Editor: "张编", Unit: "新闻中心"}
	})

	idx := &search.Service{Store: db}
	if _, err := idx.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	f.r = &reader.Service{Store: db, Settings: &site.Service{Store: db}, Index: idx, Now: func() time.Time { return now },
		FileURL: media.URL, VariantURL: func(v model.Variant) string { return "/media/" + v.Key }}
	return f
}

func titles(cs []reader.Card) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Title)
	}
	return out
}

func (f *fixture) goneTitles() []string {
	var out []string
	for _, a := range f.gone {
		out = append(out, a.Title)
	}
	return out
}

// noneGone fails when a list shows an article that is not public.
func (f *fixture) noneGone(t *testing.T, where string, shown []string) {
	t.Helper()
	for _, g := range f.goneTitles() {
		if slices.Contains(shown, g) {
			t.Errorf("%s shows %q, which is not public", where, g)
		}
	}
}

func notFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, model.ErrNotFound) {
		t.Errorf("%s: err = %v, want not found", what, err)
	}
}

func TestColumnPagesAndTheirBoundaries(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// news and its sub-column: 2 + 39 + 2 visible articles, 20 a page,
	// counted from the oldest: the first page shows the newest 23.
	want := []struct {
		page, n    int
		prev, next string
	}{
		{0, 23, "", "/columns/news?page=1"},
		{1, 20, "/columns/news", ""},
	}
	var shown []string
	for _, w := range want {
		l, err := f.r.Column(ctx, reader.ColumnParams{Slug: "news", Page: w.page})
		if err != nil {
			t.Fatalf("page %d: %v", w.page, err)
		}
		if l.Count != 43 || l.Pager.Pages != 2 || len(l.Articles) != w.n || l.Pager.Prev != w.prev || l.Pager.Next != w.next {
			t.Errorf("page %d: count %d, pages %d, %d articles, prev %q, next %q; want 43, 2, %d, %q, %q",
				w.page, l.Count, l.Pager.Pages, len(l.Articles), l.Pager.Prev, l.Pager.Next, w.n, w.prev, w.next)
		}
		if from, to := l.Articles[len(l.Articles)-1].PublishedAt, l.Articles[0].PublishedAt; !l.Pager.From.Equal(from) || !l.Pager.To.Equal(to) {
			t.Errorf("page %d spans %v to %v, want %v to %v", w.page, l.Pager.From, l.Pager.To, from, to)
		}
		shown = append(shown, titles(l.Articles)...)
	}
	if shown[0] != "校园四月二" || shown[len(shown)-1] != "一月最后一晚" {
		t.Errorf("not newest first, sub-column included: first %q, last %q", shown[0], shown[len(shown)-1])
	}
	if len(shown) != 43 || len(slices.Compact(slices.Clone(shown))) != 43 {
		t.Errorf("the pages show %d articles, some twice or missing", len(shown))
	}
	f.noneGone(t, "column news", shown)
	// Pages past the first start from the archive's day counts: they list
	// exactly what the whole column lists there, newest first.
	var all []model.Article
	for _, a := range f.all {
		if a.ColumnID == f.cols["news"].ID || a.ColumnID == f.cols["campus"].ID {
			all = append(all, a)
		}
	}
	slices.SortFunc(all, func(a, b model.Article) int {
		if c := b.PublishedAt.Compare(a.PublishedAt); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	})
	var wantTitles []string
	for _, a := range all {
		wantTitles = append(wantTitles, a.Title)
	}
	if !slices.Equal(shown, wantTitles) {
		t.Errorf("the pages show\n%v\nwant\n%v", shown, wantTitles)
	}
	for _, p := range []reader.ColumnParams{
		{Slug: "news", Page: 2}, {Slug: "news", Page: -1}, {Slug: "nope"}, {Slug: "campus", Page: 1},
		{Slug: "news", Year: 2023}, {Slug: "news", Year: 2024, Month: 3}, // empty archives
		{Slug: "news", Year: 2024, Month: 13}, {Slug: "news", Year: 10000}, {Slug: "news", Month: 2},
	} {
		_, err := f.r.Column(ctx, p)
		notFound(t, fmt.Sprintf("%+v", p), err)
	}
	l, err := f.r.Column(ctx, reader.ColumnParams{Slug: "campus"})
	if err != nil || l.Count != 2 || len(l.Path) != 2 || l.Path[0].Slug != "news" || l.RSS != "/columns/campus/rss.xml" {
		t.Errorf("sub-column: count %d, path %v, rss %q, err %v", l.Count, l.Path, l.RSS, err)
	}
}

// A column's page past its first keeps its stories while newer ones
// come: only the first page and, every PerPage-th story, a new page past
// it change. That is what lets a static copy rewrite a few files per
// publish rather than every page of the column.
func TestColumnPagesKeepTheirStoriesAsNewOnesCome(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	page := func(n int) reader.ColumnList {
		t.Helper()
		f.r.Invalidate()
		l, err := f.r.Column(ctx, reader.ColumnParams{Slug: "news", Page: n})
		if err != nil {
			t.Fatalf("page %d: %v", n, err)
		}
		return l
	}
	oldest := titles(page(1).Articles)
	for i := range 18 { // 43 → 61 stories: a second page past the first
		a := model.Article{ColumnID: f.cols["news"].ID, Title: fmt.Sprintf("四月新闻%02d", i+1), Status: model.StatusPublished,
			PublishedAt: time.Date(2025, 4, 10+i, 4, 0, 0, 0, time.UTC)}
		if err := f.db.CreateArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
		if got := titles(page(1).Articles); !slices.Equal(got, oldest) {
			t.Fatalf("after %d new stories page 1 shows %v, want %v", i+1, got, oldest)
		}
	}
	first, second := page(0), page(2)
	if len(first.Articles) != 21 || first.Articles[0].Title != "四月新闻18" || first.Pager.Next != "/columns/news?page=2" {
		t.Errorf("first page: %d stories from %q, next %q; want 21 from 四月新闻18, /columns/news?page=2",
			len(first.Articles), first.Articles[0].Title, first.Pager.Next)
	}
	if len(second.Articles) != 20 || second.Pager.Prev != "/columns/news" || second.Pager.Next != "/columns/news?page=1" ||
		page(1).Pager.Prev != "/columns/news?page=2" {
		t.Errorf("page 2: %d stories, prev %q, next %q; page 1's prev %q", len(second.Articles), second.Pager.Prev, second.Pager.Next, page(1).Pager.Prev)
	}
	// Past the first page, the archive shows no counts: they change with every story.
	for _, y := range page(1).Archive {
		if y.Count != 0 || len(y.Months) != 0 {
			t.Errorf("page 1's archive shows %d in %d and %d months", y.Count, y.Year, len(y.Months))
		}
	}
}

func TestColumnArchivesCountInTheSiteTimeZone(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	l, err := f.r.Column(ctx, reader.ColumnParams{Slug: "news"})
	if err != nil {
		t.Fatal(err)
	}
	type month struct{ y, m, n int }
	var got []month
	years := map[int]int{}
	for _, y := range l.Archive {
		years[y.Year] = y.Count
		for _, m := range y.Months {
			got = append(got, month{y.Year, m.Month, m.Count})
			if want := fmt.Sprintf("/columns/news/%d/%02d", y.Year, m.Month); m.URL != want {
				t.Errorf("month URL %q, want %q", m.URL, want)
			}
		}
	}
	// 16:30 UTC on 31 January is February in Shanghai; the article of
	// tomorrow, the withdrawn one and the scheduled one are not counted.
	want := []month{{2025, 4, 2}, {2025, 3, 39}, {2024, 2, 1}, {2024, 1, 1}}
	if !slices.Equal(got, want) || years[2025] != 41 || years[2024] != 2 {
		t.Errorf("archive = %v, years %v; want %v, 2025: 41, 2024: 2", got, years, want)
	}
	for _, tc := range []struct {
		year, month int
		want        []string
	}{
		{2024, 0, []string{"二月第一刻", "一月最后一晚"}},
		{2024, 1, []string{"一月最后一晚"}},
		{2024, 2, []string{"二月第一刻"}},
		{2025, 4, []string{"校园四月二", "校园四月一"}},
	} {
		l, err := f.r.Column(ctx, reader.ColumnParams{Slug: "news", Year: tc.year, Month: tc.month})
		if err != nil {
			t.Fatalf("%d-%d: %v", tc.year, tc.month, err)
		}
		if got := titles(l.Articles); !slices.Equal(got, tc.want) || l.Count != len(tc.want) {
			t.Errorf("archive %d-%d = %v (count %d), want %v", tc.year, tc.month, got, l.Count, tc.want)
		}
		if want := reader.ColumnURL("news", tc.year, tc.month, 0); l.URL != want {
			t.Errorf("archive URL %q, want %q", l.URL, want)
		}
		// An archive's first page shows its year's months, without counts.
		for _, y := range l.Archive {
			if y.Count != 0 || (y.Year == tc.year) != (len(y.Months) > 0) {
				t.Errorf("archive %d-%d: year %d shown with count %d and %d months", tc.year, tc.month, y.Year, y.Count, len(y.Months))
			}
		}
	}
	// March 2025's 39 stories are one page (PerPage to 2·PerPage−1).
	l, err = f.r.Column(ctx, reader.ColumnParams{Slug: "news", Year: 2025, Month: 3})
	if err != nil || l.Pager.Prev != "" || l.Pager.Next != "" || len(l.Articles) != 39 {
		t.Errorf("March 2025: prev %q next %q, %d articles, err %v", l.Pager.Prev, l.Pager.Next, len(l.Articles), err)
	}
	_, err = f.r.Column(ctx, reader.ColumnParams{Slug: "news", Year: 2025, Month: 3, Page: 1})
	notFound(t, "March 2025 page 1", err)
}

func TestArticlePrevNextRelatedAndCredits(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// Prev and next stay in the article's own column (not its sub-column)
	// and skip what is not public: the newest visible news article has no
	// next, though one is published for tomorrow.
	n := len(f.news)
	var latest []string // the related articles of the newest: the ones before it
	for k := 2; k <= reader.RelatedCount+1; k++ {
		latest = append(latest, f.news[n-k].Title)
	}
	for _, tc := range []struct {
		a          model.Article
		prev, next string
		related    []string
	}{
		{f.news[0], "", f.news[1].Title, nil},
		{f.news[5], f.news[4].Title, f.news[6].Title, []string{f.news[4].Title, f.news[3].Title, f.news[2].Title, f.news[1].Title, f.news[0].Title}},
		{f.news[n-1], f.news[n-2].Title, "", latest},
	} {
		a, err := f.r.Article(ctx, tc.a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var prev, next string
		if a.Prev != nil {
			prev = a.Prev.Title
			if a.Prev.URL != reader.ArticleURL(a.Prev.ID) {
				t.Errorf("prev URL %q", a.Prev.URL)
			}
		}
		if a.Next != nil {
			next = a.Next.Title
		}
		if prev != tc.prev || next != tc.next {
			t.Errorf("%s: prev %q next %q, want %q %q", tc.a.Title, prev, next, tc.prev, tc.next)
		}
		if got := titles(a.Related); !slices.Equal(got, tc.related) {
			t.Errorf("%s: related %v, want %v", tc.a.Title, got, tc.related)
		}
	}

	p, err := f.r.Article(ctx, f.photo.ID)
	if err != nil {
		t.Fatal(err)
	}
	testPrefetchedArticles(t, f.r)
	wantLines := []reader.Credit{{"photographers", "刘孟秋"}, {"writers", "王文 李字"}, {"unit", "新闻中心"}, {"editor", "张编"}}
	if !slices.Equal(p.Lines, wantLines) {
		t.Errorf("credit lines %v, want %v", p.Lines, wantLines)
	}
	if got := titles(p.Related); !slices.Equal(got, []string{"讲座二", "讲座一"}) {
		t.Errorf("related = %v, want the earlier lectures", got)
	}
	if p.URL != fmt.Sprintf("/articles/%d", f.photo.ID) || p.Column.Slug != "lectures" || len(p.Path) != 1 || !strings.Contains(string(p.Body), "开头") {
		t.Errorf("article: URL %q, column %q, path %v, body %q", p.URL, p.Column.Slug, p.Path, p.Body)
	}

	for _, g := range f.gone {
		_, err := f.r.Article(ctx, g.ID)
		notFound(t, "article "+g.Title, err)
	}
	_, err = f.r.Article(ctx, 99999)
	notFound(t, "missing article", err)
}

func TestArticleLeadImageAndFiguresWithVariants(t *testing.T) {
	f := newFixture(t)
	p, err := f.r.Article(context.Background(), f.photo.ID)
	if err != nil {
		t.Fatal(err)
	}
	lead := f.media[0]
	if p.Lead == nil || p.Lead.ID != lead.ID || p.Lead.URL != media.URL(lead) || p.Lead.Alt != lead.Alt || p.Lead.Size != lead.Size {
		t.Fatalf("lead = %+v", p.Lead)
	}
	// The body's library pictures in reading order; the outside one is no figure.
	if len(p.Figures) != 2 || p.Figures[0].ID != f.media[2].ID || p.Figures[1].ID != f.media[1].ID {
		t.Fatalf("figures = %+v", p.Figures)
	}
	fig := p.Figures[0]
	if fig.ContentType != "image/webp" || fig.Caption != "说明two.webp" || fig.Credit != "摄影two.webp" || fig.Width != 2000 || fig.Height != 1000 {
		t.Errorf("figure = %+v", fig)
	}
	wantVars := []reader.Variant{{URL: "/media/v/2/480.webp", Width: 480, Height: 240, ContentType: "image/webp"}, {URL: "/media/v/2/960.webp", Width: 960, Height: 480, ContentType: "image/webp"}}
	if !slices.Equal(fig.Variants, wantVars) {
		t.Errorf("variants = %+v, want %+v", fig.Variants, wantVars)
	}
}

func TestSlotsShowOnlyPublishedUnexpiredPlacements(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	place := func(slot string, a model.Article, pos int, expires time.Time) {
		t.Helper()
		if err := f.db.SetPlacement(ctx, model.Placement{Slot: slot, ArticleID: a.ID, Position: pos, ExpiresAt: expires}); err != nil {
			t.Fatal(err)
		}
	}
	place(model.SlotFocus, f.photo, 1, time.Time{})
	place(model.SlotFocus, f.news[3], 2, now.Add(-time.Minute)) // expired
	place(model.SlotFocus, f.news[4], 3, now.Add(time.Hour))    // still placed
	for i, g := range f.gone {
		place(model.SlotFocus, g, 10+i, time.Time{})
	}
	for i := range 25 {
		place(model.SlotRecommended, f.news[i], i, time.Time{})
	}
	h, err := f.r.Home(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := titles(h.Focus); !slices.Equal(got, []string{f.photo.Title, f.news[4].Title}) {
		t.Errorf("home focus = %v", got)
	}
	if h.Focus[0].Lead == nil || h.Focus[0].Lead.ID != f.media[0].ID {
		t.Errorf("focus card without its lead image: %+v", h.Focus[0].Lead)
	}
	if len(h.Recommended) != reader.HomeRecommended || h.Recommended[0].Title != f.news[0].Title {
		t.Errorf("home recommended = %v", titles(h.Recommended))
	}
	var sections []string
	for _, s := range h.Sections {
		sections = append(sections, s.Column.Slug+" "+s.URL)
		if len(s.Articles) > reader.HomePerColumn {
			t.Errorf("section %s has %d articles", s.Column.Slug, len(s.Articles))
		}
		f.noneGone(t, "home section "+s.Column.Slug, titles(s.Articles))
	}
	if !slices.Equal(sections, []string{"news /columns/news", "lectures /columns/lectures"}) {
		t.Errorf("home sections = %v", sections)
	}
	if h.Sections[0].Articles[0].Title != "校园四月二" {
		t.Errorf("news section starts with %q, want the sub-column's newest", h.Sections[0].Articles[0].Title)
	}

	l, err := f.r.Slot(ctx, model.SlotFocus, 1)
	if err != nil || l.Count != 2 || !slices.Equal(titles(l.Articles), titles(h.Focus)) || l.URL != "/focus" {
		t.Errorf("focus list: count %d, %v, URL %q, err %v", l.Count, titles(l.Articles), l.URL, err)
	}
	f.noneGone(t, "focus list", titles(l.Articles))
	r2, err := f.r.Slot(ctx, model.SlotRecommended, 2)
	if err != nil || r2.Count != 25 || len(r2.Articles) != 5 || r2.Pager.Prev != "/recommended" || r2.Pager.Next != "" || r2.Articles[0].Title != f.news[20].Title {
		t.Errorf("recommended page 2: count %d, %d articles, prev %q, next %q, err %v", r2.Count, len(r2.Articles), r2.Pager.Prev, r2.Pager.Next, err)
	}
	_, err = f.r.Slot(ctx, model.SlotRecommended, 3)
	notFound(t, "recommended page 3", err)
}

// TestListingsForTheAPI: any page size up to MaxPerPage, a page past the
// end empty rather than not found, never a story that is not public.
func TestListingsForTheAPI(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	l, err := f.r.Articles(ctx, reader.ListParams{ColumnIDs: []int64{f.cols["news"].ID}, Page: 1, PerPage: 7})
	if err != nil || l.Total != len(f.news) || len(l.Articles) != 7 || l.Articles[0].Title != f.news[len(f.news)-1].Title {
		t.Fatalf("news, 7 a page: total %d of %d, %d articles, first %q, err %v", l.Total, len(f.news), len(l.Articles), l.Articles[0].Title, err)
	}
	f.noneGone(t, "api listing", titles(l.Articles))
	past, err := f.r.Articles(ctx, reader.ListParams{Page: 1000, PerPage: 100})
	if err != nil || len(past.Articles) != 0 || past.Total != len(f.all) {
		t.Errorf("page past the end: %d articles, total %d, err %v", len(past.Articles), past.Total, err)
	}
	for _, p := range []reader.ListParams{{Page: 0, PerPage: 10}, {Page: 1, PerPage: 0}, {Page: 1, PerPage: reader.MaxPerPage + 1}} {
		if _, err := f.r.Articles(ctx, p); !errors.Is(err, model.ErrInvalid) {
			t.Errorf("%+v: err %v, want ErrInvalid", p, err)
		}
	}
	for i := range 25 {
		if err := f.db.SetPlacement(ctx, model.Placement{Slot: model.SlotRecommended, ArticleID: f.news[i].ID, Position: i}); err != nil {
			t.Fatal(err)
		}
	}
	rec, err := f.r.SlotListing(ctx, model.SlotRecommended, reader.ListParams{Page: 3, PerPage: 10})
	if err != nil || rec.Total != 25 || len(rec.Articles) != 5 || rec.Articles[0].Title != f.news[20].Title {
		t.Errorf("recommended page 3 of 10: total %d, %d articles, err %v", rec.Total, len(rec.Articles), err)
	}
}

func TestEditorPagesAndSubmit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s, err := f.r.Submit(ctx)
	if err != nil || s.Guide.Body != "" || s.SignIn != "/desk/" {
		t.Errorf("submit without a guide: %+v, %v", s, err)
	}
	for _, p := range []model.Page{{Slug: site.PageHelp, Title: "使用帮助", Body: "<p>帮助</p>"}, {Slug: site.PageGuide, Title: "投稿须知", Body: "<p>须知</p>"}} {
		if err := f.db.SavePage(ctx, &p); err != nil {
			t.Fatal(err)
		}
	}
	h, err := f.r.Page(ctx, site.PageHelp)
	if err != nil || h.URL != "/help" || h.Title != "使用帮助" || h.Body != "<p>帮助</p>" {
		t.Errorf("help = %+v, %v", h, err)
	}
	if s, err = f.r.Submit(ctx); err != nil || s.Guide.Body != "<p>须知</p>" {
		t.Errorf("submit guide = %+v, %v", s.Guide, err)
	}
	_, err = f.r.Page(ctx, "nope")
	notFound(t, "page nope", err)
	m, err := f.r.SiteMap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var pages []string
	for _, p := range m.Pages {
		pages = append(pages, p.URL)
	}
	if !slices.Equal(pages, []string{"/pages/guide", "/help"}) && !slices.Equal(pages, []string{"/help", "/pages/guide"}) {
		t.Errorf("site map pages = %v", pages)
	}
	if len(m.Columns) != 2 || m.Columns[0].URL != "/columns/news" || len(m.Columns[0].Children) != 1 || m.Columns[0].Children[0].URL != "/columns/campus" {
		t.Errorf("site map columns = %+v", m.Columns)
	}
}

func TestSitemapURLsListEveryPublicAddressOnly(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	urls, err := f.r.SitemapURLs(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	base := site.Defaults["site.base_url"]
	locs := map[string]bool{}
	for _, u := range urls {
		if !strings.HasPrefix(u.Loc, base+"/") {
			t.Errorf("%q is not absolute on %s", u.Loc, base)
		}
		locs[strings.TrimPrefix(u.Loc, base)] = true
	}
	for _, p := range []string{"/", "/focus", "/recommended", "/sitemap", "/feeds", "/submit", "/columns/news", "/columns/campus", "/columns/lectures"} {
		if !locs[p] {
			t.Errorf("sitemap lacks %s", p)
		}
	}
	for _, a := range f.all {
		if !locs[reader.ArticleURL(a.ID)] {
			t.Errorf("sitemap lacks %q", a.Title)
		}
	}
	for _, g := range f.gone {
		if locs[reader.ArticleURL(g.ID)] {
			t.Errorf("sitemap lists %q, which is not public", g.Title)
		}
	}
	if want := 1 + 5 + 3 + len(f.all); len(urls) != want {
		t.Errorf("%d URLs, want %d", len(urls), want)
	}
	// The articles come first, oldest first (a new story changes the last
	// part only), then the other pages from the home page on.
	oldest := slices.MinFunc(f.all, func(a, b model.Article) int { return a.PublishedAt.Compare(b.PublishedAt) })
	newest := slices.MaxFunc(f.all, func(a, b model.Article) int { return a.PublishedAt.Compare(b.PublishedAt) })
	if n := len(f.all); urls[0].Loc != base+reader.ArticleURL(oldest.ID) || urls[n-1].Loc != base+reader.ArticleURL(newest.ID) || urls[n].Loc != base+"/" {
		t.Errorf("the sitemap starts with %s, its articles end with %s and are followed by %s; want %s, %s and the home page",
			urls[0].Loc, urls[n-1].Loc, urls[n].Loc, reader.ArticleURL(oldest.ID), reader.ArticleURL(newest.ID))
	}
}

// A sitemap read in parts lists the same URLs as read whole, each part
// dated by its newest change, whatever the size of a part.
func TestSitemapPartsAddUpToTheWholeSitemap(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	whole, err := f.r.SitemapURLs(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	size, err := f.r.SitemapSize(ctx)
	if err != nil || size != len(whole) {
		t.Fatalf("size %d, %v; the whole sitemap has %d", size, err, len(whole))
	}
	for _, per := range []int{1, 3, 7, 9, 10, len(whole) - 1} {
		parts, err := f.r.SitemapParts(ctx, per)
		if err != nil {
			t.Fatal(err)
		}
		if want := (len(whole) + per - 1) / per; len(parts) != want {
			t.Fatalf("per %d: %d parts, want %d", per, len(parts), want)
		}
		var joined []feed.URL
		for i := range parts {
			part, err := f.r.SitemapURLs(ctx, i*per, per)
			if err != nil {
				t.Fatal(err)
			}
			var newest time.Time
			for _, u := range part {
				if u.LastMod.After(newest) {
					newest = u.LastMod
				}
			}
			if !newest.Equal(parts[i]) {
				t.Errorf("per %d part %d: last change %v, its URLs' newest %v", per, i+1, parts[i], newest)
			}
			joined = append(joined, part...)
		}
		if !slices.Equal(joined, whole) {
			t.Errorf("per %d: the parts list %d URLs, not the %d of the whole sitemap in order", per, len(joined), len(whole))
		}
	}
}

// A part read on its own (before the index) lists what it lists in the
// whole sitemap, and after a change (Invalidate) the parts follow it:
// where each part starts is kept only until the next change.
func TestSitemapPartsFollowAChange(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const per = 7
	check := func(when string) {
		t.Helper()
		whole, err := f.r.SitemapURLs(ctx, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		size, err := f.r.SitemapSize(ctx)
		if err != nil || size != len(whole) {
			t.Fatalf("%s: size %d, %v; the whole sitemap has %d", when, size, err, len(whole))
		}
		for i := (len(whole) - 1) / per; i >= 0; i-- { // the last part first
			part, err := f.r.SitemapURLs(ctx, i*per, per)
			if err != nil {
				t.Fatal(err)
			}
			if want := whole[i*per : min(len(whole), (i+1)*per)]; !slices.Equal(part, want) {
				t.Errorf("%s: part %d lists %v, want %v", when, i+1, part, want)
			}
		}
		parts, err := f.r.SitemapParts(ctx, per)
		if err != nil || len(parts) != (len(whole)+per-1)/per {
			t.Errorf("%s: %d parts, %v, for %d URLs", when, len(parts), err, len(whole))
		}
	}
	check("before")
	a := model.Article{ColumnID: f.cols["news"].ID, Title: "新的一篇", Body: "<p>新</p>", Status: model.StatusPublished, PublishedAt: now.Add(-time.Hour)}
	if err := f.db.CreateArticle(ctx, &a); err != nil {
		t.Fatal(err)
	}
	f.r.Invalidate()
	check("after a new article")
	whole, err := f.r.SitemapURLs(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(whole, func(u feed.URL) bool { return strings.HasSuffix(u.Loc, reader.ArticleURL(a.ID)) }) {
		t.Errorf("the new article %d is not in the sitemap", a.ID)
	}
}

func TestFeedsHoldTheLatestPublicArticles(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	base := site.Defaults["site.base_url"]
	sf, err := f.r.Feed(ctx, "", "rss")
	if err != nil {
		t.Fatal(err)
	}
	if len(sf.Items) != reader.FeedLength || sf.Self != base+"/rss.xml" || sf.Link != base+"/" || sf.Column != nil {
		t.Errorf("site feed: %d items, self %q, link %q", len(sf.Items), sf.Self, sf.Link)
	}
	var got []string
	for _, it := range sf.Items {
		got = append(got, it.Title)
	}
	if got[0] != f.photo.Title {
		t.Errorf("site feed starts with %q, want the newest", got[0])
	}
	f.noneGone(t, "site feed", got)
	cf, err := f.r.Feed(ctx, "lectures", "atom")
	if err != nil {
		t.Fatal(err)
	}
	if len(cf.Items) != 3 || cf.Self != base+"/columns/lectures/atom.xml" || cf.Link != base+"/columns/lectures" || cf.Column == nil || cf.Column.Slug != "lectures" {
		t.Errorf("column feed: %d items, self %q, link %q", len(cf.Items), cf.Self, cf.Link)
	}
	it := cf.Items[0]
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	if it.Link != base+reader.ArticleURL(f.photo.ID) || it.Author != "王文 李字" || it.Image == nil || it.Image.URL != base+media.URL(f.media[0]) ||
		it.Image.Length != f.media[0].Size || it.Published.Location().String() != shanghai.String() {
		t.Errorf("feed item = %+v, image %+v", it, it.Image)
	}
	if cf.Updated.IsZero() {
		t.Error("column feed has no update time")
	}
	_, err = f.r.Feed(ctx, "nope", "rss")
	notFound(t, "feed of an unknown column", err)
	d, err := f.r.FeedDirectory(ctx)
	if err != nil || len(d.Columns) != 3 || d.Columns[1].Column.Slug != "campus" || d.Columns[1].Depth != 1 || d.Columns[1].Atom != "/columns/campus/atom.xml" || d.RSS != "/rss.xml" {
		t.Errorf("feed directory = %+v, %v", d, err)
	}
}

func TestSearchReturnsMatchPositionsAndOnlyPublicArticles(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	res, err := f.r.Search(ctx, reader.SearchParams{Query: "讲座", Page: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Searched || res.Total != 3 || len(res.Hits) != 3 {
		t.Fatalf("search 讲座: searched %v, total %d, hits %d", res.Searched, res.Total, len(res.Hits))
	}
	for _, h := range res.Hits {
		if len(h.TitleMatches) != 1 || string([]rune(h.Title)[h.TitleMatches[0].Start:h.TitleMatches[0].End]) != "讲座" {
			t.Errorf("%q: title matches %v", h.Title, h.TitleMatches)
		}
		if len(h.SnippetMatches) == 0 || h.URL != reader.ArticleURL(h.ID) || h.Column.Slug != "lectures" {
			t.Errorf("%q: snippet %q matches %v, URL %q", h.Title, h.Snippet, h.SnippetMatches, h.URL)
		}
	}
	for _, g := range []string{"未发布草稿", "已撤稿件", "明天才发布", "定时发布稿"} {
		res, err := f.r.Search(ctx, reader.SearchParams{Query: g, Page: 1})
		if err != nil || res.Total != 0 {
			t.Errorf("search %q finds %d (err %v), want none: it is not public", g, res.Total, err)
		}
	}
	for _, tc := range []struct {
		p      reader.SearchParams
		notice string
		total  int
	}{
		{reader.SearchParams{Query: "校园", Column: "campus"}, "", 2},
		{reader.SearchParams{Query: "校园", Column: "lectures"}, "", 0},
		{reader.SearchParams{Query: "校园", Column: "nope"}, reader.NoticeBadColumn, 2},
		{reader.SearchParams{Query: "三月新闻", From: "2025-03-19", To: "2025-03-19"}, "", 2},
		{reader.SearchParams{Query: "三月新闻", From: "2025-13-01"}, reader.NoticeBadDate, 39},
		{reader.SearchParams{Query: "!!!"}, reader.NoticeNothingSearchable, 0},
		{reader.SearchParams{Query: strings.Repeat("讲", 300)}, reader.NoticeTooLong, 0},
	} {
		tc.p.Page = 1
		res, err := f.r.Search(ctx, tc.p)
		if err != nil || res.Notice != tc.notice || res.Total != tc.total {
			t.Errorf("%+v: notice %q total %d err %v; want %q %d", tc.p, res.Notice, res.Total, err, tc.notice, tc.total)
		}
	}
	res, err = f.r.Search(ctx, reader.SearchParams{Query: "三月新闻", Sort: "date", Page: 2})
	if err != nil || res.Pager.Prev != "/search?q=%E4%B8%89%E6%9C%88%E6%96%B0%E9%97%BB&sort=date" || res.Pager.Next != "" || len(res.Hits) != 19 {
		t.Errorf("page 2: prev %q next %q, %d hits, err %v", res.Pager.Prev, res.Pager.Next, len(res.Hits), err)
	}
	_, err = f.r.Search(ctx, reader.SearchParams{Query: "三月新闻", Page: 3})
	notFound(t, "search page 3", err)
}

func TestURLs(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{reader.ArticleURL(12), "/articles/12"},
		{reader.ColumnURL("news", 0, 0, 0), "/columns/news"},
		{reader.ColumnURL("news", 0, 0, 1), "/columns/news?page=1"},
		{reader.ColumnURL("news", 0, 0, 3), "/columns/news?page=3"},
		{reader.ColumnURL("news", 2020, 0, 0), "/columns/news/2020"},
		{reader.ColumnURL("news", 2020, 3, 2), "/columns/news/2020/03?page=2"},
		{reader.ColumnURL("a b", 0, 0, 0), "/columns/a%20b"},
		{reader.SlotURL(model.SlotFocus, 1), "/focus"},
		{reader.SlotURL(model.SlotRecommended, 2), "/recommended?page=2"},
		{reader.FeedURL("", "rss"), "/rss.xml"},
		{reader.FeedURL("news", "atom"), "/columns/news/atom.xml"},
		{reader.PageURL(site.PageHelp), "/help"},
		{reader.PageURL(site.PageGuide), "/pages/guide"},
		{reader.SitemapPartURL(2), "/sitemaps/2.xml"},
		{reader.SearchURL(reader.SearchParams{Query: "疫情 防控", Column: "news", Page: 1}), "/search?column=news&q=%E7%96%AB%E6%83%85+%E9%98%B2%E6%8E%A7"},
		{reader.SearchURL(reader.SearchParams{Query: "a&b", To: "2020-01-02", Page: 4}), "/search?q=a%26b&to=2020-01-02&page=4"},
		{reader.Abs("https://news.example.edu", "/articles/1"), "https://news.example.edu/articles/1"},
		{reader.Abs("https://news.example.edu", "https://cdn.example.com/x.jpg"), "https://cdn.example.com/x.jpg"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// The JSON API and a static export build on these models: they marshal
// as they are, URLs as strings and times in RFC 3339.
func TestModelsMarshalToJSON(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a, err := f.r.Article(ctx, f.photo.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"URL":"/articles/`, `"PublishedAt":"2025-05-03T04:00:00Z"`, `"Body":"\u003cp\u003e开头`, `"Variants":[{"URL":"/media/v/2/480.webp"`, `"Role":"photographers"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("article JSON lacks %s: %s", want, b)
		}
	}
	res, err := f.r.Search(ctx, reader.SearchParams{Query: "讲座", Page: 1})
	if err != nil {
		t.Fatal(err)
	}
	if b, err = json.Marshal(res); err != nil || !strings.Contains(string(b), `"TitleMatches":[{"start":0,"end":2}]`) {
		t.Errorf("search JSON: %s, %v", b, err)
	}
}

// testPrefetchedArticles checks that every public article's page built
// from the bulk read of a static export (its row and the index) has the
// neighbours and related articles the queries give.
func testPrefetchedArticles(t *testing.T, r *reader.Service) {
	t.Helper()
	ctx := context.Background()
	idx, err := r.ArticleIndex(ctx)
	if err != nil {
		t.Fatal(err)
	}
	links := func(cs ...*reader.Card) string {
		var b strings.Builder
		for _, c := range cs {
			if c != nil {
				fmt.Fprintf(&b, "%s %s %s %s|", c.URL, c.Title, c.PublishedAt.Format(time.RFC3339), c.PublishedAt.Location())
			} else {
				b.WriteString("-|")
			}
		}
		return b.String()
	}
	n := 0
	err = r.EachPublished(ctx, 7, func(as []model.Article) error {
		for i := range as {
			n++
			want, err := r.Article(ctx, as[i].ID)
			if err != nil {
				return err
			}
			got, err := r.Article(reader.WithPrefetch(ctx, &reader.Prefetch{Index: idx, Article: &as[i]}), as[i].ID)
			if err != nil {
				return err
			}
			if g, w := links(got.Prev, got.Next), links(want.Prev, want.Next); g != w {
				t.Errorf("%s: prefetched prev/next %s, queried %s", as[i].Title, g, w)
			}
			var gr, wr []*reader.Card
			for k := range got.Related {
				gr = append(gr, &got.Related[k])
			}
			for k := range want.Related {
				wr = append(wr, &want.Related[k])
			}
			if g, w := links(gr...), links(wr...); g != w {
				t.Errorf("%s: prefetched related %s, queried %s", as[i].Title, g, w)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != idx.Len() || n < 10 {
		t.Errorf("%d articles read, %d in the index", n, idx.Len())
	}
}

// A sitemap part handed its articles' stubs (a static copy's update, which
// holds them) lists what it lists reading them from the store.
func TestSitemapPartFromPrefetchedStubs(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	whole, err := f.r.SitemapURLs(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var stubs []model.ArticleStub // oldest first, as the sitemap lists them
	for after := (model.ArticleStub{}); ; {
		page, err := f.db.PublishedStubs(ctx, model.StubQuery{PublishedBy: f.r.Now(), After: after, Limit: 1000, OldestFirst: true})
		if err != nil {
			t.Fatal(err)
		}
		stubs = append(stubs, page...)
		if len(page) < 1000 {
			break
		}
		after = page[len(page)-1]
	}
	const per = 4
	for i := 0; i*per < len(whole); i++ {
		pre := stubs[min(i*per, len(stubs)):min(i*per+per, len(stubs))]
		got, err := f.r.SitemapURLs(reader.WithPrefetch(ctx, &reader.Prefetch{Stubs: pre}), i*per, per)
		if err != nil {
			t.Fatal(err)
		}
		want, err := f.r.SitemapURLs(ctx, i*per, per)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("part %d: %v, want %v", i+1, got, want)
		}
	}
	// The stubs handed are the ones listed: the store is not asked.
	if got, err := f.r.SitemapURLs(reader.WithPrefetch(ctx, &reader.Prefetch{Stubs: []model.ArticleStub{}}), 0, per); err != nil || len(got) != 0 {
		t.Errorf("a part handed no stubs: %v, %v", got, err)
	}
}
