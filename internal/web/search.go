package web

import (
	"fmt"
	"net/http"
	"net/url"
	"time"
	"unicode/utf8"

	"newsdesk/internal/search"
	"newsdesk/internal/store"
)

type searchData struct {
	Query    string
	Hits     []searchHit
	Total    int
	More     bool // matches were counted up to Max; there are more
	Pager    pager
	Columns  []store.Column
	Column   string
	From, To string
	Sort     string
	Notice   string // why there are no results, in words
	Searched bool
}

type searchHit struct {
	search.Hit
	URL    string
	Column store.Column
}

// searchPage answers /search?q=…&column=slug&from=YYYY-MM-DD&to=YYYY-MM-DD&sort=date&page=N.
// Bad filters are reported on the page, never as an error status.
func (s *Server) searchPage(r *http.Request, lang string) (rendered, error) {
	ctx := r.Context()
	v, cols, err := s.common(r, lang)
	if err != nil {
		return rendered{}, err
	}
	page, err := pageNumber(r)
	if err != nil {
		return rendered{}, err
	}
	p := r.URL.Query()
	d := searchData{Query: p.Get("q"), Column: p.Get("column"), From: p.Get("from"), To: p.Get("to"), Sort: p.Get("sort"), Columns: cols.All()}
	if utf8.RuneCountInString(d.Query) > search.MaxQueryRunes {
		d.Notice = v.T("search.too_long", search.MaxQueryRunes)
		d.Query = string([]rune(d.Query)[:search.MaxQueryRunes])
	}
	q := search.Query{Text: d.Query, Public: true, Now: s.Now(), ByDate: d.Sort == "date", Limit: PerPage, Offset: (page - 1) * PerPage}
	if d.Column != "" {
		c, err := cols.BySlug(d.Column)
		if err != nil {
			d.Notice = v.T("search.bad_column")
			d.Column = ""
		} else {
			q.ColumnIDs = cols.Subtree(c.ID)
		}
	}
	tz := v.Site.TimeZone
	for _, f := range []struct {
		in  *string
		out *time.Time
		add int
	}{{&d.From, &q.From, 0}, {&d.To, &q.To, 1}} {
		if *f.in == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", *f.in, tz)
		if err != nil {
			d.Notice = v.T("search.bad_date", *f.in)
			*f.in = ""
			continue
		}
		*f.out = t.AddDate(0, 0, f.add) // "to" includes that whole day
	}
	v.Query, v.Title = d.Query, v.T("search.title")
	if len(search.Parse(d.Query)) > 0 {
		d.Searched = true
		hits, total, err := s.Search.Search(ctx, q)
		if err != nil {
			return rendered{}, err
		}
		d.Total, d.More = total, total >= store.SearchMax
		base := "/search?" + searchParams(d)
		if d.Pager, err = paginate(page, total, base); err != nil {
			return rendered{}, err
		}
		d.Pager.Base, d.Pager.Sep = base, "&"
		for _, h := range hits {
			c, _ := cols.Get(h.ColumnID)
			d.Hits = append(d.Hits, searchHit{Hit: h, URL: articleURL(h.Article), Column: c})
		}
		v.Title = v.T("search.results_title", d.Query)
	} else if d.Query != "" && d.Notice == "" {
		d.Notice = v.T("search.nothing_searchable")
	}
	v.Data = d
	return s.execute("search", v)
}

func searchParams(d searchData) string {
	p := url.Values{}
	p.Set("q", d.Query)
	for k, val := range map[string]string{"column": d.Column, "from": d.From, "to": d.To, "sort": d.Sort} {
		if val != "" {
			p.Set(k, val)
		}
	}
	return p.Encode()
}

// openSearch describes the site search so browsers can offer it.
func (s *Server) openSearch(r *http.Request, lang string) (rendered, error) {
	snap, err := s.snapshot(r.Context())
	if err != nil {
		return rendered{}, err
	}
	st := snap.settings
	body := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
  <ShortName>%s</ShortName>
  <Description>%s</Description>
  <InputEncoding>UTF-8</InputEncoding>
  <Language>zh-CN</Language>
  <Url type="text/html" method="get" template="%s/search?q={searchTerms}"/>
  <Url type="application/opensearchdescription+xml" rel="self" template="%s/opensearch.xml"/>
</OpenSearchDescription>
`, xmlEscape(st.Name), xmlEscape(s.Catalog.T(lang, "search.opensearch", st.Name)), xmlEscape(st.BaseURL), xmlEscape(st.BaseURL))
	return rendered{body: []byte(body), contentType: "application/opensearchdescription+xml; charset=utf-8"}, nil
}
