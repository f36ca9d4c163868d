package desk

import (
	"fmt"
	"net/http"
	"strconv"

	"newsdesk/internal/check"
	"newsdesk/internal/column"
	"newsdesk/internal/model"
	"newsdesk/internal/site"
	"newsdesk/internal/web/render"
)

// --- the site: settings, editor pages, columns ---

type deskSitePage struct {
	Settings site.Settings
	TimeZone string
	Pages    []model.Page
	Columns  []model.Column
}

func (s *siteDesk) deskSite(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	return s.sitePage(w, r, v, http.StatusOK)
}

func (s *siteDesk) sitePage(w http.ResponseWriter, r *http.Request, v *render.View, status int) error {
	ctx := r.Context()
	st, err := s.Site.Settings(ctx)
	if err != nil {
		return err
	}
	pages, err := s.Store.Pages(ctx)
	if err != nil {
		return err
	}
	cols, err := s.Store.Columns(ctx)
	if err != nil {
		return err
	}
	v.Title = v.T("desk.site")
	s.renderDesk(w, r, status, "desk_site", v, deskSitePage{Settings: st, TimeZone: st.TimeZone.String(), Pages: pages, Columns: cols})
	return nil
}

func (s *siteDesk) deskSaveSettings(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	if err := r.ParseForm(); err != nil {
		return fmt.Errorf("settings form: %w", model.ErrInvalid)
	}
	values := map[string]string{}
	for _, key := range []string{"site.name", "site.footer", "site.timezone", "review.names", "site.logo", "site.favicon",
		check.LinkSettingOn, check.LinkSettingDelay, check.LinkSettingTimeout} {
		// A field the form did not send is left as it is (a form from
		// before the field existed, a script setting a few).
		if _, sent := r.PostForm[key]; sent {
			values[key] = r.PostFormValue(key)
		}
	}
	if err := s.Site.Set(r.Context(), s.actor(r, u), values); err != nil {
		return s.siteError(w, r, v, err)
	}
	http.Redirect(w, r, "/desk/site?flash=desk.saved", http.StatusSeeOther)
	return nil
}

// siteError shows the site page again with what is wrong.
func (s *siteDesk) siteError(w http.ResponseWriter, r *http.Request, v *render.View, err error) error {
	if !userError(err) {
		return err
	}
	v.Data.(*deskData).Error = message(v, err)
	status, _ := deskStatus(err)
	return s.sitePage(w, r, v, status)
}

func (s *siteDesk) deskSavePage(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	p, err := s.Store.Page(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	p.Title, p.Body = r.PostFormValue("title"), r.PostFormValue("body")
	if err := s.Site.SavePage(r.Context(), s.actor(r, u), &p); err != nil {
		return s.siteError(w, r, v, err)
	}
	http.Redirect(w, r, "/desk/site?flash=desk.saved", http.StatusSeeOther)
	return nil
}

// deskSaveColumn adds a column (no id) or renames, moves and reorders one.
func (s *siteDesk) deskSaveColumn(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	c := model.Column{Name: r.PostFormValue("name"), Description: r.PostFormValue("description"), Slug: r.PostFormValue("slug")}
	c.ID, _ = strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	c.Position, _ = strconv.Atoi(r.PostFormValue("position"))
	c.ParentID, _ = strconv.ParseInt(r.PostFormValue("parent"), 10, 64)
	days, err := column.ParseUpdateDays(r.PostFormValue("update_days"))
	if err != nil {
		return s.siteError(w, r, v, err)
	}
	c.UpdateDays = days
	if _, err := s.Columns.Save(r.Context(), s.actor(r, u), c); err != nil {
		return s.siteError(w, r, v, err)
	}
	http.Redirect(w, r, "/desk/site?flash=desk.saved", http.StatusSeeOther)
	return nil
}
