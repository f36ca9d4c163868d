package desk

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"newsdesk/internal/article"
	"newsdesk/internal/media"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
	"newsdesk/internal/web/render"
)

// The media library (图库): every photo and attachment uploaded to the
// desk, searchable, described once for every story that uses it.

type deskMediaItem struct {
	model.Media
	Pic   render.Picture
	Thumb string // the narrowest variant, or the file itself
}

type deskMediaPage struct {
	Query string
	Total int
	Items []deskMediaItem
	Pager pager
}

type deskMediaDetail struct {
	deskMediaItem
	Variants []deskVariant
	// Uses are the stories using it that the viewer may open; Hidden
	// counts the others, which are not named.
	Uses      []model.Article
	Hidden    int
	InUse     int  // all the stories that use it
	CanChange bool // edit its description, delete it
	CanMark   bool // mark it public
	Waiting   bool // variants not made yet
}

// deskVariant is a variant and where it is fetched.
type deskVariant struct {
	model.Variant
	URL string
}

// mediaItems adds the pictures to library records.
func (s *library) mediaItems(r *http.Request, ms []model.Media) ([]deskMediaItem, error) {
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	vars, err := s.Store.Variants(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	out := make([]deskMediaItem, len(ms))
	for i, m := range ms {
		out[i] = deskMediaItem{Media: m, Pic: s.render.Picture(m, vars[m.ID]), Thumb: thumbURL(s.render, m, vars[m.ID])}
	}
	return out, nil
}

// deskLibrary lists the library, newest first, or what matches the search.
func (s *library) deskLibrary(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	s.libraryPage(w, r, v, http.StatusOK)
	return nil
}

func (s *library) libraryPage(w http.ResponseWriter, r *http.Request, v *render.View, status int) {
	page, err := render.PageNumber(r)
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	p := deskMediaPage{Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	ms, total, err := s.Store.MediaList(r.Context(), store.MediaQuery{Text: p.Query, Limit: PerPage, Offset: (page - 1) * PerPage})
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	if p.Items, err = s.mediaItems(r, ms); err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	p.Total = total
	if p.Pager, err = paginate(page, total, "/desk/library?"+url.Values{"q": {p.Query}}.Encode()); err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	p.Pager.Sep = "&"
	v.Title = v.T("desk.library")
	s.renderDesk(w, r, status, "desk_library", v, p)
}

// deskLibraryPick answers the editor's library search as JSON: for each
// photo its thumbnail, caption and the figure to insert.
func (s *library) deskLibraryPick(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	ms, _, err := s.Store.MediaList(r.Context(), store.MediaQuery{Text: strings.TrimSpace(r.URL.Query().Get("q")), Images: true, Limit: 12})
	if err == nil {
		var items []deskMediaItem
		if items, err = s.mediaItems(r, ms); err == nil {
			type pick struct {
				ID                  int64
				Thumb, Caption, Alt string
				HTML                string `json:"html"`
			}
			out := []pick{}
			for _, it := range items {
				out = append(out, pick{it.ID, it.Thumb, it.Caption, it.Alt, article.FigureHTML(it.Media)})
			}
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			json.NewEncoder(w).Encode(out)
			return nil
		}
	}
	s.fail(w, r, v.Lang, err)
	return nil
}

func (s *library) libraryFile(w http.ResponseWriter, r *http.Request, v *render.View) (model.Media, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, v.Lang, model.ErrNotFound)
		return model.Media{}, false
	}
	m, err := s.Store.Media(r.Context(), id)
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return m, false
	}
	return m, true
}

func (s *library) deskLibraryItem(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	m, ok := s.libraryFile(w, r, v)
	if ok {
		s.libraryItemPage(w, r, u, v, m, http.StatusOK)
	}
	return nil
}

func (s *library) libraryItemPage(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View, m model.Media, status int) {
	items, err := s.mediaItems(r, []model.Media{m})
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	p := deskMediaDetail{deskMediaItem: items[0], CanChange: media.CanChange(u.User, m), CanMark: media.CanMark(u.User)}
	vars, err := s.Store.Variants(r.Context(), []int64{m.ID})
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	for _, x := range vars[m.ID] {
		p.Variants = append(p.Variants, deskVariant{x, s.render.VariantURL(x)})
	}
	p.Waiting = len(p.Variants) == 0 && m.ContentType != "image/gif" && strings.HasPrefix(m.ContentType, "image/") && m.Width > 480
	uses, err := s.Store.MediaUses(r.Context(), m.ID)
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	p.InUse = len(uses)
	for _, a := range uses {
		if article.CanView(u.User, a) {
			p.Uses = append(p.Uses, a)
		} else {
			p.Hidden++
		}
	}
	v.Title = m.Name
	s.renderDesk(w, r, status, "desk_library_item", v, p)
}

// deskDescribe saves a file's caption, alt text and credit.
func (s *library) deskDescribe(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	m, ok := s.libraryFile(w, r, v)
	if !ok {
		return nil
	}
	_, err := s.Media.Describe(r.Context(), s.actor(r, u), m.ID, r.PostFormValue("caption"), r.PostFormValue("alt"), r.PostFormValue("credit"))
	if userError(err) {
		v.Data.(*deskData).Error = message(v, err)
		m.Caption, m.Alt, m.Credit = r.PostFormValue("caption"), r.PostFormValue("alt"), r.PostFormValue("credit")
		status, _ := deskStatus(err)
		s.libraryItemPage(w, r, u, v, m, status)
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/desk/library/%d?flash=desk.saved", m.ID), http.StatusSeeOther)
	return nil
}

// deskMarkPublic marks a file public, or takes the mark back.
func (s *library) deskMarkPublic(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	m, ok := s.libraryFile(w, r, v)
	if !ok {
		return nil
	}
	if _, err := s.Media.SetPublic(r.Context(), s.actor(r, u), m.ID, r.PostFormValue("public") == "1"); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/desk/library/%d?flash=desk.saved", m.ID), http.StatusSeeOther)
	return nil
}

// deskDeleteMedia deletes a file no story uses.
func (s *library) deskDeleteMedia(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	m, ok := s.libraryFile(w, r, v)
	if !ok {
		return nil
	}
	err := s.Media.Delete(r.Context(), s.actor(r, u), m.ID)
	if errors.Is(err, model.ErrInvalid) {
		v.Data.(*deskData).Error = message(v, err)
		s.libraryItemPage(w, r, u, v, m, http.StatusConflict)
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/desk/library?flash=desk.media_deleted", http.StatusSeeOther)
	return nil
}

// deskUseMedia puts a library photo at the end of a story the user may
// edit, as a figure; the story's next save from an older version is a
// conflict, shown as such, so nothing is lost.
func (s *library) deskUseMedia(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	m, ok := s.libraryFile(w, r, v)
	if !ok {
		return nil
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(r.PostFormValue("article")), "#"), 10, 64)
	if err != nil || !strings.HasPrefix(m.ContentType, "image/") {
		v.Data.(*deskData).Error = invalidMessage(v, model.Invalid("article_number"))
		s.libraryItemPage(w, r, u, v, m, http.StatusUnprocessableEntity)
		return nil
	}
	a, err := s.Store.Article(r.Context(), id)
	if errors.Is(err, model.ErrNotFound) || (err == nil && !article.CanEdit(u.User, a)) {
		v.Data.(*deskData).Error = invalidMessage(v, model.Invalid("article_number"))
		s.libraryItemPage(w, r, u, v, m, http.StatusUnprocessableEntity)
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := s.Articles.AddMedia(r.Context(), s.actor(r, u), a.ID, a.Version, m, ""); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/desk/articles/%d?flash=desk.figure_added", a.ID), http.StatusSeeOther)
	return nil
}

// deskLibraryUpload adds a photo to the library without a story.
func (s *library) deskLibraryUpload(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	m, err := s.savePhoto(r, u)
	if userError(err) {
		v.Data.(*deskData).Error = message(v, err)
		status, _ := deskStatus(err)
		s.libraryPage(w, r, v, status)
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/desk/library/%d?flash=desk.media_uploaded", m.ID), http.StatusSeeOther)
	return nil
}

// IsImage: a photo, not an attachment.
func (m deskMediaItem) IsImage() bool { return strings.HasPrefix(m.ContentType, "image/") }
