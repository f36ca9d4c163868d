package web

import (
	"fmt"
	"net/http"

	"newsdesk/internal/reader"
	"newsdesk/internal/web/render"
)

// searchPage answers /search?q=…&column=slug&from=YYYY-MM-DD&to=YYYY-MM-DD&sort=date&page=N.
// Bad filters are reported on the page, never as an error status.
func (s *Server) searchPage(r *http.Request, lang string) (rendered, error) {
	page, err := pageNumber(r)
	if err != nil {
		return rendered{}, err
	}
	p := r.URL.Query()
	d, err := s.Reader.Search(r.Context(), reader.SearchParams{Query: p.Get("q"), Column: p.Get("column"), From: p.Get("from"), To: p.Get("to"), Sort: p.Get("sort"), Page: page})
	if err != nil {
		return rendered{}, err
	}
	v, _, err := s.common(r, lang)
	if err != nil {
		return rendered{}, err
	}
	v.Query, v.Title = d.Params.Query, v.T("search.title")
	if d.Searched {
		v.Title = v.T("search.results_title", d.Params.Query)
	}
	data := searchData{SearchResults: d}
	if d.Notice != "" {
		data.NoticeText = v.T("search."+d.Notice, d.NoticeArgs...)
	}
	v.Data = data
	return s.render.Execute("search", v)
}

// searchData is the search page: the results and the notice in words.
type searchData struct {
	reader.SearchResults
	NoticeText string
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
  <Url type="text/html" method="get" template="%s%s?q={searchTerms}"/>
  <Url type="application/opensearchdescription+xml" rel="self" template="%s%s"/>
</OpenSearchDescription>
`, render.XMLEscape(st.Name), render.XMLEscape(s.Catalog.T(lang, "search.opensearch", st.Name)), render.XMLEscape(st.BaseURL), reader.SearchPath, render.XMLEscape(st.BaseURL), reader.OpenSearchURL)
	return rendered{Body: []byte(body), ContentType: "application/opensearchdescription+xml; charset=utf-8"}, nil
}
