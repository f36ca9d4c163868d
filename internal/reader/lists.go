package reader

import (
	"context"
	"fmt"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// How many articles the home page shows of each list.
const (
	HomeFocus       = 6
	HomeRecommended = 10
	HomePerColumn   = 6
)

// Home is the home page: the focus carousel, the recommended list and the
// latest articles of each top-level column.
type Home struct {
	Focus       []Card
	Recommended []Card
	Sections    []Section
}

// Section is a top-level column's latest articles on the home page.
type Section struct {
	Column   model.Column
	URL      string
	Articles []Card
}

// Home builds the home page.
func (s *Service) Home(ctx context.Context) (Home, error) {
	st, err := s.Site(ctx)
	if err != nil {
		return Home{}, err
	}
	cols, now, leads := st.Columns, s.now(), map[*Card]int64{}
	var h Home
	focus, _, err := s.Store.Placed(ctx, model.SlotFocus, now, HomeFocus, 0)
	if err != nil {
		return Home{}, fmt.Errorf("focus slot: %w", err)
	}
	h.Focus = cards(cols, focus, leads)
	rec, _, err := s.Store.Placed(ctx, model.SlotRecommended, now, HomeRecommended, 0)
	if err != nil {
		return Home{}, fmt.Errorf("recommended slot: %w", err)
	}
	h.Recommended = cards(cols, rec, leads)
	for _, c := range cols.Children(0) {
		as, _, err := s.published(ctx, store.ArticleQuery{ColumnIDs: cols.Subtree(c.ID), Limit: HomePerColumn, NoTotal: true})
		if err != nil {
			return Home{}, err
		}
		h.Sections = append(h.Sections, Section{Column: c, URL: columnOf(c), Articles: cards(cols, as, leads)})
	}
	return h, s.withLeads(ctx, leads)
}

// SlotList is the full, paginated list of a slot.
type SlotList struct {
	Slot     string
	URL      string // this page's address
	Count    int    // articles in the slot now
	Articles []Card
	Pager    Pager
}

// Slot builds page (1-based) of a slot's list: its published, unexpired
// articles in slot order. An unknown slot is empty; a page past the end
// is not found.
func (s *Service) Slot(ctx context.Context, slot string, page int) (SlotList, error) {
	st, err := s.Site(ctx)
	if err != nil {
		return SlotList{}, err
	}
	if page < 1 {
		return SlotList{}, fmt.Errorf("page %d: %w", page, model.ErrNotFound)
	}
	as, total, err := s.Store.Placed(ctx, slot, s.now(), PerPage, (page-1)*PerPage)
	if err != nil {
		return SlotList{}, fmt.Errorf("slot %s: %w", slot, err)
	}
	l := SlotList{Slot: slot, URL: SlotURL(slot, page), Count: total}
	if l.Pager, err = paginate(page, total, func(n int) string { return SlotURL(slot, n) }); err != nil {
		return SlotList{}, err
	}
	leads := map[*Card]int64{}
	l.Articles = cards(st.Columns, as, leads)
	return l, s.withLeads(ctx, leads)
}

// ColumnParams names a column page: the column, an optional archive year
// (and month), and the page.
type ColumnParams struct {
	Slug  string
	Year  int // 0: every year
	Month int // 1–12 with Year; 0: the whole year
	Page  int // 0 the first (the newest stories), then from the oldest (DeepPages)
}

// ColumnList is a column's page: its articles (with its sub-columns'),
// newest first, optionally of one year or month, with the archive.
type ColumnList struct {
	Column   model.Column
	Path     []model.Column // from the top level down to Column
	Children []model.Column
	Year     int
	Month    int
	URL      string // this page's address
	Count    int    // articles in the column (or the archive shown)
	Articles []Card
	Pager    Pager
	Archive  []ArchiveYear
	RSS      string
	Atom     string
}

// ArchiveYear counts a column's articles of one year, and of each of its
// months (none: not shown; Count 0: not shown, see compact).
type ArchiveYear struct {
	Year   int
	Count  int
	URL    string
	Months []ArchiveMonth
}

// ArchiveMonth counts a column's articles of one month.
type ArchiveMonth struct {
	Month int
	Count int
	URL   string
}

// Column builds a column page. An unknown column, a bad year or month, an
// empty archive and a page past the end are not found.
func (s *Service) Column(ctx context.Context, p ColumnParams) (ColumnList, error) {
	st, err := s.Site(ctx)
	if err != nil {
		return ColumnList{}, err
	}
	if p.Page < 0 {
		return ColumnList{}, fmt.Errorf("page %d: %w", p.Page, model.ErrNotFound)
	}
	if p.Year != 0 && (p.Year < 1900 || p.Year > 9999) || p.Month < 0 || p.Month > 12 || p.Month != 0 && p.Year == 0 {
		return ColumnList{}, fmt.Errorf("archive %d-%d: %w", p.Year, p.Month, model.ErrNotFound)
	}
	cols, tz := st.Columns, st.Settings.TimeZone
	col, err := cols.BySlug(p.Slug)
	if err != nil {
		return ColumnList{}, err
	}
	ids := cols.Subtree(col.ID)
	l := ColumnList{Column: col, Path: cols.Path(col.ID), Children: cols.Children(col.ID), Year: p.Year, Month: p.Month,
		URL: ColumnURL(col.Slug, p.Year, p.Month, p.Page), RSS: FeedURL(col.Slug, "rss"), Atom: FeedURL(col.Slug, "atom")}
	cd, err := s.archive(ctx, col, ids, tz)
	if err != nil {
		return ColumnList{}, err
	}
	l.Archive = cd.years
	if p.Year != 0 || p.Page != 0 {
		l.Archive = compact(cd.years, p.Year, p.Page)
	}
	// The archive (kept until the next change) has counted the list, so
	// no page counts its rows again.
	total, newer := cd.count(p.Year, p.Month)
	var as []model.Article
	pre := prefetched(ctx)
	cut := pre != nil && pre.Index == nil && pre.Article == nil // a static export cut the column's rows into pages
	if cut {
		total = pre.Total
	}
	if p.Year != 0 && total == 0 {
		return ColumnList{}, fmt.Errorf("archive %s %d-%d is empty: %w", col.Slug, p.Year, p.Month, model.ErrNotFound)
	}
	offset, n, ok := StablePage(p.Page, total)
	if !ok {
		return ColumnList{}, fmt.Errorf("page %d of %d stories: %w", p.Page, total, model.ErrNotFound)
	}
	switch {
	case cut:
		as = pre.Rows
	case n > 0:
		q := store.ArticleQuery{ColumnIDs: ids, Limit: n, Offset: offset, NoTotal: true}
		switch {
		case p.Month != 0:
			q.From = time.Date(p.Year, time.Month(p.Month), 1, 0, 0, 0, 0, tz)
			q.To = q.From.AddDate(0, 1, 0)
		case p.Year != 0:
			q.From = time.Date(p.Year, 1, 1, 0, 0, 0, 0, tz)
			q.To = q.From.AddDate(1, 0, 0)
		}
		if before, skip, ok := cd.seek(newer + offset); ok && newer+offset > 0 {
			q.To, q.Offset = before, skip
		}
		if as, _, err = s.published(ctx, q); err != nil {
			return ColumnList{}, err
		}
	}
	l.Count = total
	l.Pager = stablePager(p.Page, total, func(n int) string { return ColumnURL(col.Slug, p.Year, p.Month, n) })
	if len(as) > 0 {
		l.Pager.From, l.Pager.To = as[len(as)-1].PublishedAt, as[0].PublishedAt
	}
	leads := map[*Card]int64{}
	l.Articles = cards(cols, as, leads)
	return l, s.withLeads(ctx, leads)
}

// columnDays is what a column's archive is made of: the published stories
// per local day, newest first, counted by the database in the zone offset
// seconds east of UTC.
type columnDays struct {
	years  []ArchiveYear
	days   []model.DayCount
	offset int
}

// archive groups a column's publish dates by year and month, newest
// first. The database counts them per day; the result is kept until the
// next change (Invalidate), as the pages showing it are.
func (s *Service) archive(ctx context.Context, col model.Column, ids []int64, tz *time.Location) (*columnDays, error) {
	if a, ok := s.archives.Load(col.ID); ok {
		return a.(*columnDays), nil
	}
	gen, now := s.gen.Load(), s.now()
	// The zone's offset now: exact for zones without daylight saving time
	// (China's); elsewhere a story within an hour of midnight on a day of
	// the other offset may count on its neighbouring day.
	_, offset := now.In(tz).Zone()
	// Per month, each dated by its newest day: a page deep in the archive
	// starts at the end of that day and skips within the month.
	days, err := s.Store.PublishedMonths(ctx, ids, now, offset)
	if err != nil {
		return nil, fmt.Errorf("archive of %s: %w", col.Slug, err)
	}
	var out []ArchiveYear
	for _, d := range days {
		t := time.Unix(d.Day*86400, 0).UTC() // the local date, as counted
		y, m := t.Year(), int(t.Month())
		if len(out) == 0 || out[len(out)-1].Year != y {
			out = append(out, ArchiveYear{Year: y, URL: ColumnURL(col.Slug, y, 0, 0)})
		}
		ay := &out[len(out)-1]
		ay.Count += d.Count
		if len(ay.Months) == 0 || ay.Months[len(ay.Months)-1].Month != m {
			ay.Months = append(ay.Months, ArchiveMonth{Month: m, URL: ColumnURL(col.Slug, y, m, 0)})
		}
		ay.Months[len(ay.Months)-1].Count += d.Count
	}
	cd := &columnDays{years: out, days: days, offset: offset}
	if s.gen.Load() == gen { // not read across a change
		s.archives.Store(col.ID, cd)
	}
	return cd, nil
}

// compact is the archive a column's page shows past the column's first
// page: the years without their counts, and on the first page of a year
// or a month of year the months of that year without theirs. Counts
// change with every story, and a page showing them would be rewritten
// with each (a static copy's hundreds of archive pages per column); these
// change only when a year or a month gets its first story or loses its
// last.
func compact(years []ArchiveYear, year, page int) []ArchiveYear {
	out := make([]ArchiveYear, len(years))
	for i, y := range years {
		out[i] = ArchiveYear{Year: y.Year, URL: y.URL}
		if y.Year == year && page == 0 {
			out[i].Months = make([]ArchiveMonth, len(y.Months))
			for k, m := range y.Months {
				out[i].Months[k] = ArchiveMonth{Month: m.Month, URL: m.URL}
			}
		}
	}
	return out
}

// count is how many stories the list of year and month has (0: the
// whole column, or the whole year), and how many of the column's are
// newer than the list's.
func (cd *columnDays) count(year, month int) (total, newer int) {
	for _, y := range cd.years {
		switch {
		case year == 0:
			total += y.Count
		case y.Year > year:
			newer += y.Count
		case y.Year == year && month == 0:
			total = y.Count
		case y.Year == year:
			for _, m := range y.Months {
				if m.Month > month {
					newer += m.Count
				} else if m.Month == month {
					total = m.Count
				}
			}
		}
	}
	return total, newer
}

// seek turns the offset-th story of the whole column (newest first) into
// the end of the day it was published on and its place among the stories
// up to then: a page deep in the archive reads from there instead of
// skipping every newer story. ok is false past the end.
func (cd *columnDays) seek(offset int) (before time.Time, skip int, ok bool) {
	seen := 0
	for _, d := range cd.days {
		if seen+d.Count > offset {
			// The day's end, as PublishedDays counted it.
			return time.Unix((d.Day+1)*86400-int64(cd.offset), 0), offset - seen, true
		}
		seen += d.Count
	}
	return time.Time{}, 0, false
}

// MaxPerPage bounds a Listing's page size.
const MaxPerPage = 100

// ListParams asks for a page of published articles: the columns (nil: all),
// a publish-time range [From, To) (zero: open), and the page of PerPage.
type ListParams struct {
	ColumnIDs []int64
	From, To  time.Time
	Page      int // 1-based
	PerPage   int // 1–MaxPerPage
}

// Listing is a page of articles for the content API: any page size up to
// MaxPerPage, and a page past the end is empty rather than not found (an
// app pages until it gets fewer than it asked for).
type Listing struct {
	Articles []Card
	Page     int
	PerPage  int
	Total    int
}

func (p ListParams) check() error {
	if p.Page < 1 || p.PerPage < 1 || p.PerPage > MaxPerPage {
		return fmt.Errorf("page %d of %d: %w", p.Page, p.PerPage, model.ErrInvalid)
	}
	return nil
}

// Articles lists published articles, newest first.
func (s *Service) Articles(ctx context.Context, p ListParams) (Listing, error) {
	if err := p.check(); err != nil {
		return Listing{}, err
	}
	as, total, err := s.published(ctx, store.ArticleQuery{ColumnIDs: p.ColumnIDs, From: p.From, To: p.To,
		Limit: p.PerPage, Offset: (p.Page - 1) * p.PerPage})
	if err != nil {
		return Listing{}, err
	}
	return s.listing(ctx, p, as, total)
}

// SlotListing lists a slot's published, unexpired articles in slot order
// (p's columns and times are not used).
func (s *Service) SlotListing(ctx context.Context, slot string, p ListParams) (Listing, error) {
	if err := p.check(); err != nil {
		return Listing{}, err
	}
	as, total, err := s.Store.Placed(ctx, slot, s.now(), p.PerPage, (p.Page-1)*p.PerPage)
	if err != nil {
		return Listing{}, fmt.Errorf("slot %s: %w", slot, err)
	}
	return s.listing(ctx, p, as, total)
}

func (s *Service) listing(ctx context.Context, p ListParams, as []model.Article, total int) (Listing, error) {
	st, err := s.Site(ctx)
	if err != nil {
		return Listing{}, err
	}
	leads := map[*Card]int64{}
	l := Listing{Articles: cards(st.Columns, as, leads), Page: p.Page, PerPage: p.PerPage, Total: total}
	return l, s.withLeads(ctx, leads)
}
