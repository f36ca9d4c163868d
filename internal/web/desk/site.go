package desk

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"newsdesk/internal/article"
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
	Pages    []deskPageRow
	Columns  []model.Column
	// Fields are what is wrong with the add-a-page form's fields; Typed
	// is what was typed there.
	Fields map[string]string
	Typed  url.Values
}

// deskPageRow is an editor page in the site page's list.
type deskPageRow struct {
	model.Page
	Required bool
}

func (s *siteDesk) deskSite(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	return s.sitePage(w, r, v, http.StatusOK)
}

func (s *siteDesk) sitePage(w http.ResponseWriter, r *http.Request, v *render.View, status int) error {
	return s.sitePageWith(w, r, v, status, nil, nil)
}

func (s *siteDesk) sitePageWith(w http.ResponseWriter, r *http.Request, v *render.View, status int, fields map[string]string, typed url.Values) error {
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
	rows := make([]deskPageRow, len(pages))
	for i, p := range pages {
		rows[i] = deskPageRow{Page: p, Required: site.Required(p.Slug)}
	}
	s.renderDesk(w, r, status, "desk_site", v, deskSitePage{Settings: st, TimeZone: st.TimeZone.String(), Pages: rows, Columns: cols, Fields: fields, Typed: typed})
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

// deskPagePage is an editor page in the story editor, with what is wrong
// with its fields next to them.
type deskPagePage struct {
	Page     model.Page
	Required bool // the site links to it: not removable
	Fields   map[string]string
}

// deskPage opens an editor page (使用帮助, 投稿须知 …) in the story editor.
func (s *siteDesk) deskPage(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	p, err := s.Store.Page(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	return s.pageEditor(w, r, v, http.StatusOK, p, nil)
}

func (s *siteDesk) pageEditor(w http.ResponseWriter, r *http.Request, v *render.View, status int, p model.Page, err error) error {
	page := deskPagePage{Page: p, Required: site.Required(p.Slug), Fields: map[string]string{}}
	if err != nil {
		if !userError(err) {
			return err
		}
		msg := message(v, err)
		if field := fieldOf(err); field != "" {
			page.Fields[field] = msg
		} else {
			v.Data.(*deskData).Error = msg
		}
		status, _ = deskStatus(err)
	}
	v.Title = p.Title
	s.renderDesk(w, r, status, "desk_page", v, page)
	return nil
}

func (s *siteDesk) deskSavePage(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	p, err := s.Store.Page(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	p.Title, p.Body = r.PostFormValue("title"), r.PostFormValue("body")
	if err := s.Site.SavePage(r.Context(), s.actor(r, u), &p); err != nil {
		p.Body = article.Sanitize(p.Body) // what was typed, made safe to show again
		return s.pageEditor(w, r, v, 0, p, err)
	}
	http.Redirect(w, r, "/desk/pages/"+url.PathEscape(p.Slug)+"?flash=desk.saved", http.StatusSeeOther)
	return nil
}

// deskAddPage adds an editor page and opens it in the editor.
func (s *siteDesk) deskAddPage(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	p, err := s.Site.AddPage(r.Context(), s.actor(r, u), r.PostFormValue("slug"), r.PostFormValue("title"))
	if err != nil {
		if !userError(err) {
			return err
		}
		msg := message(v, err)
		fields := map[string]string{}
		if f := fieldOf(err); f != "" {
			fields["page-"+f] = msg
		} else {
			v.Data.(*deskData).Error = msg
		}
		status, _ := deskStatus(err)
		return s.sitePageWith(w, r, v, status, fields, url.Values{"slug": {r.PostFormValue("slug")}, "title": {r.PostFormValue("title")}})
	}
	http.Redirect(w, r, "/desk/pages/"+url.PathEscape(p.Slug)+"?flash=desk.page_added", http.StatusSeeOther)
	return nil
}

// deskDeletePage removes an editor page, once the confirmation is ticked.
func (s *siteDesk) deskDeletePage(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	p, err := s.Store.Page(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	if r.PostFormValue("confirm") != "yes" {
		return s.pageEditor(w, r, v, 0, p, model.Invalid("page_confirm"))
	}
	if err := s.Site.DeletePage(r.Context(), s.actor(r, u), p.Slug); err != nil {
		return s.pageEditor(w, r, v, 0, p, err)
	}
	http.Redirect(w, r, "/desk/site?flash=desk.page_deleted#pages", http.StatusSeeOther)
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
