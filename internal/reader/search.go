package reader

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"newsdesk/internal/model"
	"newsdesk/internal/search"
	"newsdesk/internal/store"
)

// SearchParams is a reader's search as asked: the words, the filters as
// typed (a column slug, dates as YYYY-MM-DD) and the page.
type SearchParams struct {
	Query  string
	Column string // a column slug: that column and its sub-columns
	From   string // first day, YYYY-MM-DD
	To     string // last day, included
	Sort   string // "date" for newest first; otherwise by relevance
	Page   int    // 1-based
}

// Search notices: why a search shows less than asked. The renderer words
// them (catalogue "search.<notice>").
const (
	NoticeTooLong           = "too_long"           // the query was cut to search.MaxQueryRunes
	NoticeBadColumn         = "bad_column"         // no such column; the filter was dropped
	NoticeBadDate           = "bad_date"           // a date was not understood; the filter was dropped
	NoticeNothingSearchable = "nothing_searchable" // nothing in the query can be searched
)

// SearchResults is a search page.
type SearchResults struct {
	// Params are the search as run: a bad filter is dropped, a long query cut.
	Params   SearchParams
	Searched bool // the query had something to search
	Hits     []SearchHit
	Total    int
	More     bool // matches were counted up to store.SearchMax; there are more
	Pager    Pager
	Columns  []model.Column // every column, for the filter
	// Notice says why there are fewer results than asked (Notice* above);
	// NoticeArgs say what it is about (the bad date, the length limit).
	Notice     string
	NoticeArgs []any
}

// SearchHit is one result: its card, and where the query's words occur
// in its title and in a snippet of its text (rune offsets).
type SearchHit struct {
	Card
	TitleMatches   []search.Span
	Snippet        string
	SnippetMatches []search.Span
}

// Search runs a reader's search over published articles. Bad filters are
// reported as a notice, never as an error; a page past the end is not found.
func (s *Service) Search(ctx context.Context, p SearchParams) (SearchResults, error) {
	st, err := s.Site(ctx)
	if err != nil {
		return SearchResults{}, err
	}
	if p.Page < 1 {
		return SearchResults{}, fmt.Errorf("page %d: %w", p.Page, model.ErrNotFound)
	}
	cols, tz := st.Columns, st.Settings.TimeZone
	d := SearchResults{Columns: cols.All()}
	if utf8.RuneCountInString(p.Query) > search.MaxQueryRunes {
		d.Notice, d.NoticeArgs = NoticeTooLong, []any{search.MaxQueryRunes}
		p.Query = string([]rune(p.Query)[:search.MaxQueryRunes])
	}
	q := search.Query{Text: p.Query, Public: true, Now: s.now(), ByDate: p.Sort == "date", Limit: PerPage, Offset: (p.Page - 1) * PerPage}
	if p.Column != "" {
		if c, err := cols.BySlug(p.Column); err != nil {
			d.Notice, d.NoticeArgs, p.Column = NoticeBadColumn, nil, ""
		} else {
			q.ColumnIDs = cols.Subtree(c.ID)
		}
	}
	for _, f := range []struct {
		in  *string
		out *time.Time
		add int
	}{{&p.From, &q.From, 0}, {&p.To, &q.To, 1}} {
		if *f.in == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", *f.in, tz)
		if err != nil {
			d.Notice, d.NoticeArgs, *f.in = NoticeBadDate, []any{*f.in}, ""
			continue
		}
		*f.out = t.AddDate(0, 0, f.add) // "to" includes that whole day
	}
	d.Params = p
	if len(search.Parse(p.Query)) == 0 {
		if p.Query != "" && d.Notice == "" {
			d.Notice = NoticeNothingSearchable
		}
		return d, nil
	}
	d.Searched = true
	hits, total, err := s.Index.Search(ctx, q)
	if err != nil {
		return SearchResults{}, fmt.Errorf("search %q: %w", p.Query, err)
	}
	d.Total, d.More = total, total >= store.SearchMax
	link := func(n int) string { pp := p; pp.Page = n; return SearchURL(pp) }
	if d.Pager, err = paginate(p.Page, total, link); err != nil {
		return SearchResults{}, err
	}
	for _, h := range hits {
		d.Hits = append(d.Hits, SearchHit{Card: card(cols, h.Article), TitleMatches: h.TitleMatches, Snippet: h.Snippet, SnippetMatches: h.SnippetMatches})
	}
	return d, nil
}

// Matches searches the published articles for the content API: the words
// of text, p's filters and page, by relevance or (byDate) newest first.
// The hits carry their lead images; total counts up to store.SearchMax.
func (s *Service) Matches(ctx context.Context, text string, byDate bool, p ListParams) ([]SearchHit, int, error) {
	if err := p.check(); err != nil {
		return nil, 0, err
	}
	st, err := s.Site(ctx)
	if err != nil {
		return nil, 0, err
	}
	q := search.Query{Text: text, Public: true, Now: s.now(), ByDate: byDate, ColumnIDs: p.ColumnIDs, From: p.From, To: p.To,
		Limit: p.PerPage, Offset: (p.Page - 1) * p.PerPage}
	found, total, err := s.Index.Search(ctx, q)
	if err != nil {
		return nil, 0, fmt.Errorf("search %q: %w", text, err)
	}
	hits, leads := make([]SearchHit, len(found)), map[*Card]int64{}
	for i, h := range found {
		hits[i] = SearchHit{Card: card(st.Columns, h.Article), TitleMatches: h.TitleMatches, Snippet: h.Snippet, SnippetMatches: h.SnippetMatches}
		if h.Article.LeadMediaID != 0 {
			leads[&hits[i].Card] = h.Article.LeadMediaID
		}
	}
	return hits, total, s.withLeads(ctx, leads)
}
