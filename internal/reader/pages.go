package reader

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"

	"newsdesk/internal/column"
	"newsdesk/internal/feed"
	"newsdesk/internal/model"
	"newsdesk/internal/site"
	"newsdesk/internal/store"
)

// Page is an editor page (使用帮助, 投稿须知 …).
type Page struct {
	Slug      string
	URL       string
	Title     string
	Body      template.HTML // sanitised on save
	UpdatedAt time.Time
}

func page(p model.Page) Page {
	return Page{Slug: p.Slug, URL: PageURL(p.Slug), Title: p.Title, Body: template.HTML(p.Body), UpdatedAt: p.UpdatedAt}
}

// Page builds the editor page with slug; an unknown slug is not found.
func (s *Service) Page(ctx context.Context, slug string) (Page, error) {
	p, err := s.Store.Page(ctx, slug)
	if err != nil {
		return Page{}, fmt.Errorf("page %q: %w", slug, err)
	}
	return page(p), nil
}

// Submit is the 我要投稿 page: the submission guide and the way to the desk.
type Submit struct {
	// Guide is the 投稿须知 page; its Body is empty when editors have not written it.
	Guide  Page
	SignIn string // where contributors sign in
	URL    string
}

// Submit builds the submission page.
func (s *Service) Submit(ctx context.Context) (Submit, error) {
	d := Submit{SignIn: DeskURL, URL: SubmitURL}
	p, err := s.Store.Page(ctx, site.PageGuide)
	switch {
	case err == nil:
		d.Guide = page(p)
	case errors.Is(err, model.ErrNotFound):
		d.Guide = Page{Slug: site.PageGuide, URL: PageURL(site.PageGuide)}
	default:
		return Submit{}, fmt.Errorf("submission guide: %w", err)
	}
	return d, nil
}

// SiteMap is the 网站地图 page for people: the column tree and the pages.
type SiteMap struct {
	Columns []ColumnNode
	Pages   []Page
}

// ColumnNode is a column with its sub-columns.
type ColumnNode struct {
	Column   model.Column
	URL      string
	Children []ColumnNode
}

func tree(cols *column.Tree, parent int64) []ColumnNode {
	var out []ColumnNode
	for _, c := range cols.Children(parent) {
		out = append(out, ColumnNode{Column: c, URL: columnOf(c), Children: tree(cols, c.ID)})
	}
	return out
}

// SiteMap builds the site map page.
func (s *Service) SiteMap(ctx context.Context) (SiteMap, error) {
	st, err := s.Site(ctx)
	if err != nil {
		return SiteMap{}, err
	}
	ps, err := s.Store.Pages(ctx)
	if err != nil {
		return SiteMap{}, fmt.Errorf("pages: %w", err)
	}
	m := SiteMap{Columns: tree(st.Columns, 0)}
	for _, p := range ps {
		m.Pages = append(m.Pages, page(p))
	}
	return m, nil
}

// The sitemap lists every published article oldest first, so that a new
// story changes only its last part, then the home page, the fixed pages,
// every column and every editor page. It is read in
// keyset pages of stubs (no bodies), so no request holds the archive.

// stubBatch is how many article stubs one query reads when streaming.
const stubBatch = 10000

// sitemapHead is the sitemap's first URLs: everything but the articles.
func (s *Service) sitemapHead(ctx context.Context) ([]feed.URL, error) {
	st, err := s.Site(ctx)
	if err != nil {
		return nil, err
	}
	base := st.Settings.BaseURL
	ps, err := s.Store.Pages(ctx)
	if err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	newest, err := s.Store.PublishedStubs(ctx, model.StubQuery{PublishedBy: s.now(), Limit: 1})
	if err != nil {
		return nil, err
	}
	home := feed.URL{Loc: base + HomeURL}
	if len(newest) > 0 {
		home.LastMod = newest[0].PublishedAt
	}
	urls := []feed.URL{home}
	for _, p := range []string{SlotURL(model.SlotFocus, 1), SlotURL(model.SlotRecommended, 1), SitemapURL, FeedsURL, SubmitURL} {
		urls = append(urls, feed.URL{Loc: base + p})
	}
	for _, c := range st.Columns.All() {
		urls = append(urls, feed.URL{Loc: base + columnOf(c)})
	}
	for _, p := range ps {
		urls = append(urls, feed.URL{Loc: base + PageURL(p.Slug), LastMod: p.UpdatedAt})
	}
	return urls, nil
}

// SitemapSize is how many URLs the sitemap lists.
func (s *Service) SitemapSize(ctx context.Context) (int, error) {
	head, err := s.sitemapHead(ctx)
	if err != nil {
		return 0, err
	}
	months, _, err := s.siteMonths(ctx)
	if err != nil {
		return 0, err
	}
	n := len(head)
	for _, d := range months {
		n += d.Count
	}
	return n, nil
}

// siteMonths are the whole site's published stories per local month,
// each dated by its newest day, newest first (the store keeps the counts
// per day and sums them: ~240 rows for 20 years), read once per content
// change, and the zone offset they were counted in.
func (s *Service) siteMonths(ctx context.Context) ([]model.DayCount, int, error) {
	type counted struct {
		days   []model.DayCount
		offset int
	}
	if d, ok := s.archives.Load(siteArchive); ok {
		c := d.(*counted)
		return c.days, c.offset, nil
	}
	st, err := s.Site(ctx)
	if err != nil {
		return nil, 0, err
	}
	gen, now := s.gen.Load(), s.now()
	_, offset := now.In(st.Settings.TimeZone).Zone()
	months, err := s.Store.PublishedMonths(ctx, nil, now, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("published months: %w", err)
	}
	if s.gen.Load() == gen { // not read across a change
		s.archives.Store(siteArchive, &counted{months, offset})
	}
	return months, offset, nil
}

// siteArchive is the key of the whole site's months among the columns'
// archives (no column has id 0).
const siteArchive = int64(0)

// sitemapPlan is the sitemap split into parts of per URLs, kept until the
// next change (Invalidate), as the pages built from it are: where each
// part's articles start and when each part last changed. It is made from
// the counts the store keeps: per month, and per day only in a month split
// between parts. A part starts on the day those counts put its first
// article on (published from that day's start, skipping only within it),
// so neither the index nor a part reads a row before its own. A month or
// day wholly inside a part gives the part its last change as counted; a
// day split between parts is read (its stubs only) to give each part its
// own.
type sitemapPlan struct {
	gen      uint64
	per      int
	head     int // URLs before the articles
	articles int
	start    []partStart // part i's first article
	lastMod  []time.Time
}

// partStart is where a sitemap part's articles begin: skip stories
// published from from on, oldest first.
type partStart struct {
	from time.Time
	skip int
}

// sitemapPlan returns the plan for parts of per URLs, made again when the
// one kept is for another size or out of date.
func (s *Service) sitemapPlan(ctx context.Context, per int) (*sitemapPlan, error) {
	gen := s.gen.Load()
	if p := s.plan.Load(); p != nil && p.gen == gen && p.per == per {
		return p, nil
	}
	head, err := s.sitemapHead(ctx)
	if err != nil {
		return nil, err
	}
	months, offset, err := s.siteMonths(ctx)
	if err != nil {
		return nil, err
	}
	p := &sitemapPlan{gen: gen, per: per, head: len(head)}
	grow := func(part int) {
		for len(p.lastMod) <= part {
			p.lastMod = append(p.lastMod, time.Time{})
			p.start = append(p.start, partStart{})
		}
	}
	now, pos := s.now(), 0
	// dayStart is the first second of a local day, as counted.
	dayStart := func(day int64) time.Time { return time.Unix(day*86400-int64(offset), 0) }
	for i := len(months) - 1; i >= 0; i-- { // the oldest first
		m := months[i]
		first, last := pos/per, (pos+m.Count-1)/per
		grow(last)
		t := time.Unix(m.Day*86400, 0).UTC()
		day1 := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).Unix() / 86400
		if first == last {
			// Wholly inside one part, which may start at the month's start.
			if part := first; part*per == pos && part > 0 {
				p.start[part] = partStart{from: dayStart(day1)}
			}
			p.lastMod[first] = later(p.lastMod[first], m.Changed)
			pos += m.Count
			continue
		}
		// Split between parts: the month's days, one by one.
		days, err := s.Store.PublishedDaysIn(ctx, nil, day1, m.Day, now, offset)
		if err != nil {
			return nil, fmt.Errorf("published days: %w", err)
		}
		for k := len(days) - 1; k >= 0; k-- {
			d := days[k]
			start := dayStart(d.Day)
			first, last := pos/per, (pos+d.Count-1)/per
			grow(last)
			for part := first; part <= last; part++ {
				if part*per >= pos && part > 0 {
					p.start[part] = partStart{from: start, skip: part*per - pos}
				}
			}
			if first == last {
				p.lastMod[first] = later(p.lastMod[first], d.Changed)
			} else {
				stubs, err := s.Store.PublishedStubs(ctx, model.StubQuery{PublishedBy: now, OldestFirst: true, From: start, Limit: d.Count})
				if err != nil {
					return nil, err
				}
				for i, a := range stubs {
					part := (pos + i) / per
					p.lastMod[part] = later(p.lastMod[part], later(a.UpdatedAt, a.PublishedAt))
				}
			}
			pos += d.Count
		}
	}
	p.articles = pos
	for i, u := range head {
		part := (pos + i) / per
		grow(part)
		p.lastMod[part] = later(p.lastMod[part], u.LastMod)
	}
	if s.gen.Load() == gen { // not read across a change
		s.plan.Store(p)
	}
	return p, nil
}

// SitemapURLs lists n of the sitemap's URLs, absolute, from the offset-th
// (0-based): one file of a sitemap split into parts.
func (s *Service) SitemapURLs(ctx context.Context, offset, n int) ([]feed.URL, error) {
	st, err := s.Site(ctx)
	if err != nil {
		return nil, err
	}
	head, err := s.sitemapHead(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.sitemapPlan(ctx, max(n, 1))
	if err != nil {
		return nil, err
	}
	base, want := st.Settings.BaseURL, min(n, max(0, p.articles-offset))
	urls := make([]feed.URL, 0, want)
	if pre := prefetched(ctx); pre != nil && pre.Stubs != nil {
		for _, a := range pre.Stubs[:min(len(pre.Stubs), want)] {
			urls = append(urls, feed.URL{Loc: base + ArticleURL(a.ID), LastMod: later(a.UpdatedAt, a.PublishedAt)})
		}
	} else if want > 0 {
		// A part of a split sitemap starts where the plan says it starts
		// rather than skipping every article before it.
		var from time.Time
		skip := offset
		if part := offset / max(n, 1); offset > 0 && offset%n == 0 && part < len(p.start) && p.head == len(head) {
			from, skip = p.start[part].from, p.start[part].skip
		}
		after := model.ArticleStub{}
		for len(urls) < want {
			as, err := s.Store.PublishedStubs(ctx, model.StubQuery{PublishedBy: s.now(), OldestFirst: true, From: from, After: after, Skip: skip, Limit: min(stubBatch, want-len(urls))})
			if err != nil {
				return nil, err
			}
			for _, a := range as {
				urls = append(urls, feed.URL{Loc: base + ArticleURL(a.ID), LastMod: later(a.UpdatedAt, a.PublishedAt)})
			}
			if len(as) == 0 {
				break
			}
			after, skip = as[len(as)-1], 0
		}
	}
	// Then the pages that are not articles, after the newest.
	if from := max(0, offset-p.articles); from < len(head) && want < n {
		urls = append(urls, head[from:min(len(head), from+n-want)]...)
	}
	return urls, nil
}

// SitemapParts returns the last change of each file of the sitemap split
// into files of per URLs.
func (s *Service) SitemapParts(ctx context.Context, per int) ([]time.Time, error) {
	p, err := s.sitemapPlan(ctx, per)
	if err != nil {
		return nil, err
	}
	return slices.Clone(p.lastMod), nil
}

// FeedDirectory is the page listing every feed.
type FeedDirectory struct {
	RSS     string // the site's feeds
	Atom    string
	Columns []FeedColumn
}

// FeedColumn is a column's feeds; Depth is 0 for a top-level column.
type FeedColumn struct {
	Column model.Column
	Depth  int
	RSS    string
	Atom   string
}

// FeedDirectory builds the feed directory, columns in tree order.
func (s *Service) FeedDirectory(ctx context.Context) (FeedDirectory, error) {
	st, err := s.Site(ctx)
	if err != nil {
		return FeedDirectory{}, err
	}
	d := FeedDirectory{RSS: FeedURL("", "rss"), Atom: FeedURL("", "atom")}
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		for _, c := range st.Columns.Children(parent) {
			d.Columns = append(d.Columns, FeedColumn{Column: c, Depth: depth, RSS: FeedURL(c.Slug, "rss"), Atom: FeedURL(c.Slug, "atom")})
			walk(c.ID, depth+1)
		}
	}
	walk(0, 0)
	return d, nil
}

// FeedLength is the number of articles in a feed.
const FeedLength = 20

// Feed is a feed's content: the latest articles of the site or of a
// column (with its sub-columns), with absolute links, times in the site's
// time zone. The renderer adds the words (title, description) and the format.
type Feed struct {
	Column *model.Column // nil for the site's feed
	Link   string        // the HTML page the feed belongs to
	Self   string        // the feed's own address
	// Updated is the newest change of an item; zero when there are none.
	Updated time.Time
	Items   []feed.Item
}

// Feed builds the feed of the column with slug ("" for the whole site) in
// format "rss" or "atom"; an unknown column is not found.
func (s *Service) Feed(ctx context.Context, slug, format string) (Feed, error) {
	st, err := s.Site(ctx)
	if err != nil {
		return Feed{}, err
	}
	base, tz, cols := st.Settings.BaseURL, st.Settings.TimeZone, st.Columns
	f := Feed{Link: base + HomeURL, Self: base + FeedURL(slug, format)}
	q := store.ArticleQuery{Limit: FeedLength, NoTotal: true}
	if slug != "" {
		col, err := cols.BySlug(slug)
		if err != nil {
			return Feed{}, err
		}
		f.Column, f.Link, q.ColumnIDs = &col, base+columnOf(col), cols.Subtree(col.ID)
	}
	as, _, err := s.published(ctx, q)
	if err != nil {
		return Feed{}, err
	}
	leads := map[*Card]int64{}
	cs := cards(cols, as, leads)
	if err := s.withLeads(ctx, leads); err != nil {
		return Feed{}, err
	}
	for _, c := range cs {
		link := base + c.URL
		it := feed.Item{Title: c.Title, Link: link, GUID: link, Published: c.PublishedAt.In(tz), Updated: c.UpdatedAt.In(tz),
			Summary: c.Summary, Author: strings.Join(c.Credits.Writers, " ")}
		if it.Author == "" {
			it.Author = c.Credits.Unit
		}
		if c.Lead != nil {
			it.Image = &feed.Image{URL: Abs(base, c.Lead.URL), Type: c.Lead.ContentType, Length: c.Lead.Size}
		}
		f.Items = append(f.Items, it)
		f.Updated = later(f.Updated, later(c.UpdatedAt, c.PublishedAt))
	}
	if !f.Updated.IsZero() {
		f.Updated = f.Updated.In(tz)
	}
	return f, nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// EachArticle calls fn with every published article's stub, newest first,
// reading them in keyset pages: the static export's list of articles.
func (s *Service) EachArticle(ctx context.Context, fn func(model.ArticleStub) error) error {
	return s.eachStub(ctx, false, fn)
}

// eachStub is EachArticle, with the titles when asked.
func (s *Service) eachStub(ctx context.Context, titles bool, fn func(model.ArticleStub) error) error {
	now := s.now()
	for after := (model.ArticleStub{}); ; {
		as, err := s.Store.PublishedStubs(ctx, model.StubQuery{PublishedBy: now, After: after, Limit: stubBatch, Titles: titles})
		if err != nil {
			return err
		}
		for _, a := range as {
			if err := fn(a); err != nil {
				return err
			}
		}
		if len(as) < stubBatch {
			return nil
		}
		after = as[len(as)-1]
	}
}

// ChangedSince calls fn with the stub of every article written since
// since, in any state (an edit, a move, a withdrawal), and of every
// published one whose publish time came since then, by keyset pages of
// ids, and says whether each is public now: what a static copy of the
// site has to write again, without reading the stubs of the rest.
func (s *Service) ChangedSince(ctx context.Context, since time.Time, fn func(a model.ArticleStub, public bool) error) error {
	now := s.now()
	for after := int64(0); ; {
		as, err := s.Store.UpdatedStubs(ctx, since, after, stubBatch)
		if err != nil {
			return err
		}
		for _, a := range as {
			if err := fn(a, a.Status == model.StatusPublished && !a.PublishedAt.After(now)); err != nil {
				return err
			}
		}
		if len(as) < stubBatch {
			return nil
		}
		after = as[len(as)-1].ID
	}
}

// PublicCount is how many articles are public, from the counts the store
// keeps per day.
func (s *Service) PublicCount(ctx context.Context) (int, error) {
	months, _, err := s.siteMonths(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range months {
		n += d.Count
	}
	return n, nil
}
