package public

import (
	"fmt"
	"net/http"

	"newsdesk/internal/reader"
	"newsdesk/internal/web/pagecache"
	"newsdesk/internal/web/render"
)

// searchPage answers /search?q=…&column=slug&from=YYYY-MM-DD&to=YYYY-MM-DD&sort=date&page=N.
// Bad filters are reported on the page, never as an error status.
func (h *Handler) searchPage(r *http.Request, lang string) (pagecache.Page, error) {
	page, err := render.PageNumber(r)
	if err != nil {
		return pagecache.Page{}, err
	}
	p := r.URL.Query()
	d, err := h.Reader.Search(r.Context(), reader.SearchParams{Query: p.Get("q"), Column: p.Get("column"), From: p.Get("from"), To: p.Get("to"), Sort: p.Get("sort"), Page: page})
	if err != nil {
		return pagecache.Page{}, err
	}
	v, _, err := h.Render.Common(r, lang)
	if err != nil {
		return pagecache.Page{}, err
	}
	v.Query, v.Title = d.Params.Query, v.T("search.title")
	// Result pages are for readers, not for search engines' indexes.
	v.NoIndex, v.Description = true, v.T("search.description", v.Site.Name)
	if d.Searched {
		v.Title = v.T("search.results_title", d.Params.Query)
	}
	data := searchData{SearchResults: d}
	if d.Notice != "" {
		data.NoticeText = v.T("search."+d.Notice, d.NoticeArgs...)
	}
	v.Data = data
	return h.Render.Execute("search", v)
}

// searchData is the search page: the results and the notice in words.
type searchData struct {
	reader.SearchResults
	NoticeText string
}

// openSearch describes the site search so browsers can offer it.
func (h *Handler) openSearch(r *http.Request, lang string) (pagecache.Page, error) {
	snap, err := h.Reader.Site(r.Context())
	if err != nil {
		return pagecache.Page{}, err
	}
	st := snap.Settings
	body := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
  <ShortName>%s</ShortName>
  <Description>%s</Description>
  <InputEncoding>UTF-8</InputEncoding>
  <Language>zh-CN</Language>
  <Url type="text/html" method="get" template="%s?q={searchTerms}"/>
  <Url type="application/opensearchdescription+xml" rel="self" template="%s%s"/>
</OpenSearchDescription>
`, render.XMLEscape(st.Name), render.XMLEscape(h.Catalog.T(lang, "search.opensearch", st.Name)), render.XMLEscape(reader.Abs(st.BaseURL, h.Render.SearchURL())), render.XMLEscape(st.BaseURL), reader.OpenSearchURL)
	return pagecache.Page{Body: []byte(body), ContentType: "application/opensearchdescription+xml; charset=utf-8"}, nil
}
