// Package reader is the read side of the public site: it builds the home,
// column, article, slot, page, sitemap, feed and search models as plain
// data from a context and parameters — no HTTP request, no HTML beyond the
// body sanitised on save — so the HTML pages, the JSON API and a static
// export all render the same content. It also owns every public URL
// (urls.go). Models hold no words of the interface: the renderer
// translates.
package reader

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"newsdesk/internal/column"
	"newsdesk/internal/model"
	"newsdesk/internal/search"
	"newsdesk/internal/site"
	"newsdesk/internal/store"
)

// PerPage is the number of articles on a list page.
const PerPage = 20

// ArticleStore is what the reader reads about columns and articles.
type ArticleStore interface {
	Columns(ctx context.Context) ([]model.Column, error)
	Article(ctx context.Context, id int64) (model.Article, error)
	Articles(ctx context.Context, q store.ArticleQuery) ([]model.Article, int, error)
	PublishedStubs(ctx context.Context, q model.StubQuery) ([]model.ArticleStub, error)
	UpdatedStubs(ctx context.Context, since time.Time, after int64, limit int) ([]model.ArticleStub, error)
	PublishedDays(ctx context.Context, columnIDs []int64, by time.Time, offset int) ([]model.DayCount, error)
	PublishedDaysIn(ctx context.Context, columnIDs []int64, first, last int64, by time.Time, offset int) ([]model.DayCount, error)
	PublishedMonths(ctx context.Context, columnIDs []int64, by time.Time, offset int) ([]model.DayCount, error)
	Placed(ctx context.Context, slot string, now time.Time, limit, offset int) ([]model.Article, int, error)
	// Events gives the review decisions, for the reviewers' names.
	Events(ctx context.Context, articleID int64) ([]model.Event, error)
}

// MediaStore is what the reader reads about library files.
type MediaStore interface {
	MediaByIDs(ctx context.Context, ids []int64) (map[int64]model.Media, error)
	Variants(ctx context.Context, mediaIDs []int64) (map[int64][]model.Variant, error)
}

// PageStore is what the reader reads about editor pages.
type PageStore interface {
	Page(ctx context.Context, slug string) (model.Page, error)
	Pages(ctx context.Context) ([]model.Page, error)
}

// Store is every read the reader makes; store.Store satisfies it.
type Store interface {
	ArticleStore
	MediaStore
	PageStore
}

// SettingsSource gives the site settings (site.Service does).
type SettingsSource interface {
	Settings(ctx context.Context) (site.Settings, error)
}

// Searcher answers searches (search.Service does).
type Searcher interface {
	Search(ctx context.Context, q search.Query) ([]search.Hit, int, error)
}

// PendingViews gives the views counted but not yet written (article.Views does).
type PendingViews interface {
	Pending(id int64) int64
}

// Service builds the page models.
type Service struct {
	Store    Store
	Settings SettingsSource
	Index    Searcher // the search index
	// Views, when set, adds the views not yet written to an article's count.
	Views PendingViews
	// FileURL and VariantURL say where readers fetch a stored file and a
	// variant (the media storage's scheme); a CDN may serve them.
	FileURL    func(model.Media) string
	VariantURL func(model.Variant) string
	// Now returns the current time; tests replace it. Default time.Now.
	Now func() time.Time

	site atomic.Pointer[Site]
	// archives holds each column's archive ([]ArchiveYear) until the next change.
	archives sync.Map
	// plan is the sitemap's split into parts, until the next change.
	plan atomic.Pointer[sitemapPlan]
	gen  atomic.Uint64 // counts Invalidate calls
}

// Site is what every page shows: the settings and the column tree.
type Site struct {
	Settings site.Settings
	Columns  *column.Tree `json:"-"`
}

// Site returns the settings and the column tree, read once per content
// change rather than once per page (Invalidate drops them).
func (s *Service) Site(ctx context.Context) (*Site, error) {
	if st := s.site.Load(); st != nil {
		return st, nil
	}
	settings, err := s.Settings.Settings(ctx)
	if err != nil {
		return nil, fmt.Errorf("site settings: %w", err)
	}
	cols, err := s.Store.Columns(ctx)
	if err != nil {
		return nil, fmt.Errorf("columns: %w", err)
	}
	st := &Site{Settings: settings, Columns: column.NewTree(cols)}
	s.site.CompareAndSwap(nil, st)
	return st, nil
}

// Invalidate drops the settings and columns read, after a change.
func (s *Service) Invalidate() {
	s.gen.Add(1)
	s.site.Store(nil)
	s.archives.Clear()
	s.plan.Store(nil)
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// Card is an article as lists show it.
type Card struct {
	ID          int64
	URL         string
	Kicker      string // 引题
	Title       string
	Subtitle    string // 副题
	Summary     string
	PublishedAt time.Time
	UpdatedAt   time.Time
	Column      model.Column
	Credits     model.Credits
	Views       int64 // as last written (an article page adds those pending)
	// Lead is the lead image, if the article has one.
	Lead *Image
	// RevisedAt is when a reviewed correction last replaced the text
	// (更新于; zero: never), and Correction the public note about it.
	RevisedAt  time.Time
	Correction string
}

// Image is a library picture as readers get it.
type Image struct {
	ID          int64
	URL         string
	ContentType string
	Width       int
	Height      int
	Size        int64 // bytes of the file at URL
	Alt         string
	Caption     string
	Credit      string // 图片/摄影
	// Variants are the resized copies, narrowest first; empty until made.
	Variants []Variant
}

// Variant is a resized copy of an image.
type Variant struct {
	URL         string
	Width       int
	Height      int
	ContentType string
}

// Pager says where a paginated list is.
type Pager struct {
	Page  int
	Pages int
	// Prev and Next are the neighbouring pages' addresses, empty at the ends:
	// Prev the newer stories, Next the older.
	Prev string
	Next string
	// From and To, on a column's pages, are the publish times of the
	// page's oldest and newest stories: they are what the page shows in
	// place of its number, which counts from the oldest (StablePage).
	From, To time.Time
}

// paginate checks a page number against a total; link builds a page's address.
func paginate(page, total int, link func(page int) string) (Pager, error) {
	pages := max(1, (total+PerPage-1)/PerPage)
	if page < 1 || page > pages {
		return Pager{}, fmt.Errorf("page %d of %d: %w", page, pages, model.ErrNotFound)
	}
	p := Pager{Page: page, Pages: pages}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < pages {
		p.Next = link(page + 1)
	}
	return p, nil
}

// DeepPages is how many pages a column's list of total stories has past
// its first.
//
// A column's pages are numbered from its oldest story, so that a story
// keeps its page while newer ones come: page k (1, 2 …) holds the
// stories k·PerPage−PerPage+1 to k·PerPage counted from the oldest, and
// the first page (0, no number in its address) the newest rest, PerPage
// to 2·PerPage−1 of them. A publish then changes the first page, and
// only every PerPage-th one a page past it, instead of every page of the
// column (4,706 files of a static copy at 100,000 stories).
func DeepPages(total int) int { return max(0, total/PerPage-1) }

// StablePage is where page (0 the first) of a column's list of total
// stories starts, counted from the newest, and how many stories it shows;
// ok is false for a page past the end.
func StablePage(page, total int) (offset, n int, ok bool) {
	deep := DeepPages(total)
	switch {
	case page == 0:
		return 0, total - deep*PerPage, true
	case page >= 1 && page <= deep:
		return total - page*PerPage, PerPage, true
	}
	return 0, 0, false
}

// stablePager is the pager of page of a column's list of total stories.
func stablePager(page, total int, link func(page int) string) Pager {
	deep := DeepPages(total)
	p := Pager{Page: page, Pages: deep + 1}
	if page > 0 {
		p.Prev = link(0)
		if page < deep {
			p.Prev = link(page + 1)
		}
	}
	older := page - 1
	if page == 0 {
		older = deep
	}
	if older >= 1 {
		p.Next = link(older)
	}
	return p
}

// card is a without its lead image (see withLeads).
func card(cols *column.Tree, a model.Article) Card {
	c := Card{ID: a.ID, URL: ArticleURL(a.ID), Kicker: a.Kicker, Title: a.Title, Subtitle: a.Subtitle, Summary: a.Summary,
		PublishedAt: a.PublishedAt, UpdatedAt: a.UpdatedAt, Credits: a.Credits, Views: a.Views, RevisedAt: a.RevisedAt, Correction: a.Correction}
	c.Column, _ = cols.Get(a.ColumnID)
	return c
}

// cards makes cards of articles; their lead images are filled by withLeads.
func cards(cols *column.Tree, as []model.Article, leads map[*Card]int64) []Card {
	out := make([]Card, len(as))
	for i, a := range as {
		out[i] = card(cols, a)
		if a.LeadMediaID != 0 {
			leads[&out[i]] = a.LeadMediaID
		}
	}
	return out
}

// withLeads loads the lead images of every card of a page at once.
func (s *Service) withLeads(ctx context.Context, leads map[*Card]int64) error {
	if len(leads) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(leads))
	for _, id := range leads {
		ids = append(ids, id)
	}
	imgs, err := s.images(ctx, ids)
	if err != nil {
		return err
	}
	for c, id := range leads {
		if img, ok := imgs[id]; ok {
			c.Lead = &img
		}
	}
	return nil
}

// images loads library pictures with their variants, by id; missing ids
// are left out, and so are pictures the variants job found it cannot
// decode (media.unreadable): a reader would see a broken image, so a
// story whose lead photo is one is shown without a picture until an
// editor replaces it (the desk's story page says so).
func (s *Service) images(ctx context.Context, ids []int64) (map[int64]Image, error) {
	files, err := s.Store.MediaByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("media %v: %w", ids, err)
	}
	for id, m := range files {
		if m.Unreadable != "" {
			delete(files, id)
		}
	}
	vars, err := s.Store.Variants(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("variants of %v: %w", ids, err)
	}
	out := make(map[int64]Image, len(files))
	for id, m := range files {
		img := Image{ID: m.ID, URL: s.FileURL(m), ContentType: m.ContentType, Width: m.Width, Height: m.Height, Size: m.Size,
			Alt: m.Alt, Caption: m.Caption, Credit: m.Credit}
		for _, v := range vars[id] {
			img.Variants = append(img.Variants, Variant{URL: s.VariantURL(v), Width: v.Width, Height: v.Height, ContentType: v.ContentType})
		}
		out[id] = img
	}
	return out, nil
}

// published lists published articles matching q (status and time set
// here) for cards and stubs: without their bodies.
func (s *Service) published(ctx context.Context, q store.ArticleQuery) ([]model.Article, int, error) {
	q.NoBody = true
	return s.publishedWhole(ctx, q)
}

// publishedWhole is published with the bodies.
func (s *Service) publishedWhole(ctx context.Context, q store.ArticleQuery) ([]model.Article, int, error) {
	q.Status, q.PublishedBy = model.StatusPublished, s.now()
	as, total, err := s.Store.Articles(ctx, q)
	if err != nil {
		return nil, 0, fmt.Errorf("published articles: %w", err)
	}
	return as, total, nil
}

// top is the top-level column above id (itself when top-level), or 0.
func top(cols *column.Tree, id int64) int64 {
	if p := cols.Path(id); len(p) > 0 {
		return p[0].ID
	}
	return 0
}
