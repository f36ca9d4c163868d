package web

import (
	"net/http"
	"strings"

	"newsdesk/internal/web/api"
	"newsdesk/internal/web/pagecache"
)

// mountAPI serves the JSON API; its public reads go through the page
// cache like the pages, so they get the same ETag/304 and purges.
func (s *Server) mountAPI(m *http.ServeMux) {
	a := api.New(api.Deps{Store: s.Store, Articles: s.Articles, Annotations: s.Annotations, Reviews: s.Reviews, Slots: s.Slots, Media: s.Media, Accounts: s.Accounts, Checks: s.Checks,
		Search: s.Search, Site: s.Site, Catalog: s.Catalog, Log: s.Log, Reader: s.Reader, ClientIP: s.clientIP,
		CORSOrigins: s.APICORSOrigins, Now: s.Now})
	s.apiFail = a.Fail
	a.Mount(m, func(render api.Render) http.Handler {
		return s.pages.Handler(func(r *http.Request, lang string) (pagecache.Page, error) {
			ans, err := render(r, lang)
			return pagecache.Page{Body: ans.Body, ContentType: api.ContentType, ArticleID: ans.ArticleID}, err
		}, a.Fail)
	})
}

// failFor is how a request's errors are answered: as JSON under /api/,
// with the site's error page elsewhere.
func (s *Server) failFor(r *http.Request) func(w http.ResponseWriter, r *http.Request, lang string, err error) {
	if s.apiFail != nil && strings.HasPrefix(r.URL.Path, "/api/") {
		return s.apiFail
	}
	return s.fail
}
