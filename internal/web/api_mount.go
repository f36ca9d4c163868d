package web

import (
	"net/http"

	"newsdesk/internal/web/api"
)

// mountAPI serves the JSON API; its public reads go through the page
// cache like the pages, so they get the same ETag/304 and purges.
func (s *Server) mountAPI(m *http.ServeMux) {
	a := api.New(api.Deps{Store: s.Store, Articles: s.Articles, Slots: s.Slots, Media: s.Media, Accounts: s.Accounts,
		Search: s.Search, Site: s.Site, Catalog: s.Catalog, Log: s.Log, Reader: s.Reader, ClientIP: s.clientIP,
		CORSOrigins: s.APICORSOrigins, Now: s.Now})
	a.Mount(m, func(render api.Render) http.Handler {
		return s.cachedWith(func(r *http.Request, lang string) (rendered, error) {
			ans, err := render(r, lang)
			return rendered{body: ans.Body, contentType: api.ContentType, articleID: ans.ArticleID}, err
		}, a.Fail)
	})
}
