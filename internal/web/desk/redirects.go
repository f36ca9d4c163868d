package desk

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"newsdesk/internal/model"
	"newsdesk/internal/reader"
	"newsdesk/internal/redirect"
	"newsdesk/internal/table"
	"newsdesk/internal/web/render"
)

// --- redirects: old addresses of imported sites ---

// redirectsPerPage is how many redirects the desk lists at a time.
const redirectsPerPage = 100

type deskRedirectsPage struct {
	Redirects []model.Redirect
	// Next is the path the next page starts after ("" on the last page).
	Next string
	// Form is what was typed when a save was refused.
	Form model.Redirect
	// FormTarget is the target field as typed.
	FormTarget string
}

// TargetOf is what the desk shows as a redirect's target: a story's
// address, or the target address.
func (deskRedirectsPage) TargetOf(r model.Redirect) string {
	if r.ArticleID != 0 {
		return reader.ArticleURL(r.ArticleID)
	}
	return r.Target
}

func (s *siteDesk) deskRedirects(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	return s.redirectsPage(w, r, v, http.StatusOK, deskRedirectsPage{})
}

func (s *siteDesk) redirectsPage(w http.ResponseWriter, r *http.Request, v *render.View, status int, p deskRedirectsPage) error {
	rs, err := s.Redirects.List(r.Context(), r.FormValue("after"), redirectsPerPage+1)
	if err != nil {
		return err
	}
	if len(rs) > redirectsPerPage {
		rs = rs[:redirectsPerPage]
		p.Next = rs[len(rs)-1].Path
	}
	p.Redirects = rs
	v.Title = v.T("desk.redirects")
	s.renderDesk(w, r, status, "desk_redirects", v, p)
	return nil
}

// parseTarget reads the target field: a story's number or address
// (/articles/12), or any other address.
func parseTarget(v string) (int64, string) {
	v = strings.TrimSpace(v)
	if id, err := strconv.ParseInt(strings.TrimPrefix(v, "/articles/"), 10, 64); err == nil && id > 0 {
		return id, ""
	}
	return 0, v
}

// deskSaveRedirect adds a redirect (no id) or changes one.
func (s *siteDesk) deskSaveRedirect(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	rd := model.Redirect{Path: r.PostFormValue("path")}
	if id := r.PostFormValue("id"); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return fmt.Errorf("redirect %q: %w", id, model.ErrNotFound)
		}
		rd.ID = n
	}
	rd.ArticleID, rd.Target = parseTarget(r.PostFormValue("target"))
	if _, err := s.Redirects.Save(r.Context(), s.actor(r, u), rd); err != nil {
		if !userError(err) {
			return err
		}
		v.Data.(*deskData).Error = message(v, err)
		status, _ := deskStatus(err)
		return s.redirectsPage(w, r, v, status, deskRedirectsPage{Form: rd, FormTarget: r.PostFormValue("target")})
	}
	http.Redirect(w, r, "/desk/redirects?flash=desk.saved", http.StatusSeeOther)
	return nil
}

func (s *siteDesk) deskDeleteRedirect(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return fmt.Errorf("redirect %q: %w", r.PathValue("id"), model.ErrNotFound)
	}
	if err := s.Redirects.Delete(r.Context(), s.actor(r, u), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/desk/redirects?flash=desk.redirect_deleted", http.StatusSeeOther)
	return nil
}

// deskExportRedirects downloads every redirect as CSV or as an nginx map.
func (s *siteDesk) deskExportRedirects(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	format := r.FormValue("format")
	name := "redirects.csv"
	switch format {
	case redirect.FormatCSV:
		w.Header().Set("Content-Type", table.ContentType(table.CSV))
	case redirect.FormatNginx:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		name = "redirects.nginx.conf"
	default:
		return model.Invalid("export_format", format)
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	base := strings.TrimSuffix(v.Site.BaseURL, "/")
	return s.Redirects.Export(r.Context(), w, format, func(id int64) string { return base + reader.ArticleURL(id) })
}
