package desk

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"newsdesk/internal/article"
	"newsdesk/internal/model"
	"newsdesk/internal/web/render"
)

// deskUpload uploads a photo and adds it to the end of the body as a
// figure with its caption, alt text and credit, or an attachment (PDF,
// Office) as a download link. Uploads are checked by content; a refused
// one changes nothing.
func (s *stories) deskUpload(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	stored, err := s.loadArticle(r, u)
	if err != nil {
		return err
	}
	if !article.CanEdit(u.User, stored) {
		return fmt.Errorf("%w: add media to article %d", model.ErrForbidden, stored.ID)
	}
	version, _ := strconv.Atoi(r.FormValue("version"))
	attachment := strings.HasSuffix(r.URL.Path, "/attachment")
	var m model.Media
	if attachment {
		name, data, ferr := formFile(r)
		if ferr == nil {
			m, ferr = s.Media.SaveAttachment(r.Context(), s.actor(r, u), name, data)
		}
		err = ferr
	} else {
		m, err = s.savePhoto(r, u)
	}
	if err == nil {
		_, err = s.Articles.AddMedia(r.Context(), s.actor(r, u), stored.ID, version, m, attachmentLabel(m, v))
	}
	if err != nil {
		return s.transitionError(w, r, u, v, stored, err)
	}
	flash := "desk.figure_added"
	if attachment {
		flash = "desk.attachment_added"
	}
	http.Redirect(w, r, fmt.Sprintf("/desk/articles/%d?flash=%s", stored.ID, flash), http.StatusSeeOther)
	return nil
}

// formFile reads the uploaded file of a form.
func formFile(r *http.Request) (string, []byte, error) {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return "", nil, model.Invalid("upload_missing")
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	return hdr.Filename, data, err
}

// savePhoto checks and stores the photo of a form with its caption, alt
// text (required) and credit.
func (s *base) savePhoto(r *http.Request, u *deskUser) (model.Media, error) {
	meta := model.Media{UploadedBy: u.ID, Caption: strings.TrimSpace(r.FormValue("caption")), Alt: strings.TrimSpace(r.FormValue("alt")), Credit: strings.TrimSpace(r.FormValue("credit"))}
	if meta.Alt == "" {
		return model.Media{}, model.Invalid("alt_required")
	}
	name, data, err := formFile(r)
	if err != nil {
		return model.Media{}, err
	}
	return s.Media.Save(r.Context(), s.actor(r, u), name, data, meta)
}

// deskMedia takes a photo from the editor and answers, as JSON, the figure
// to insert where the cursor is ({"html": …}) or what is wrong ({"error":
// …}, in the user's language). The story itself is saved with the form.
func (s *stories) deskMedia(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	m, err := s.savePhoto(r, u)
	if err != nil {
		status, _ := deskStatus(err)
		if status == http.StatusInternalServerError {
			s.Log.Error("desk media", "err", err)
		}
		w.WriteHeader(status)
		return json.NewEncoder(w).Encode(map[string]string{"error": message(v, err)})
	}
	return json.NewEncoder(w).Encode(map[string]any{"html": article.FigureHTML(m), "id": m.ID})
}

// deskAttachment takes an attachment (PDF, Office) from the editor and
// answers, as JSON, the download link to insert where the cursor is
// ({"html": …}) or what is wrong ({"error": …}).
func (s *stories) deskAttachment(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	name, data, err := formFile(r)
	var m model.Media
	if err == nil {
		m, err = s.Media.SaveAttachment(r.Context(), s.actor(r, u), name, data)
	}
	if err != nil {
		status, _ := deskStatus(err)
		if status == http.StatusInternalServerError {
			s.Log.Error("desk attachment", "err", err)
		}
		w.WriteHeader(status)
		return json.NewEncoder(w).Encode(map[string]string{"error": message(v, err)})
	}
	return json.NewEncoder(w).Encode(map[string]any{"html": article.AttachmentHTML(m, attachmentLabel(m, v)), "id": m.ID})
}

// deskVideo takes a video (MP4) and its poster from the editor and
// answers, as JSON, the figure to insert ({"html": …}) or what is wrong
// ({"error": …}). The video is handed on as the form parser left it (on
// disk past 8 MB), never read into memory here.
func (s *stories) deskVideo(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	var vid, poster model.Media
	f, hdr, err := r.FormFile("file")
	if err != nil {
		err = model.Invalid("upload_missing")
	} else {
		defer f.Close()
		var pname string
		var pdata []byte
		if pf, ph, perr := r.FormFile("poster"); perr == nil {
			pname = ph.Filename
			pdata, err = io.ReadAll(pf)
			pf.Close()
		}
		if err == nil {
			vid, poster, err = s.Media.SaveVideo(r.Context(), s.actor(r, u), hdr.Filename, f, hdr.Size, pname, pdata)
		}
	}
	if err != nil {
		status, _ := deskStatus(err)
		if status == http.StatusInternalServerError {
			s.Log.Error("desk video", "err", err)
		}
		w.WriteHeader(status)
		return json.NewEncoder(w).Encode(map[string]string{"error": message(v, err)})
	}
	return json.NewEncoder(w).Encode(map[string]any{"html": article.VideoHTML(vid, poster, r.FormValue("caption")), "id": vid.ID})
}

// attachmentLabel is the text of an attachment's download link: its name
// and size.
func attachmentLabel(m model.Media, v *render.View) string {
	return v.T("desk.attachment_link", m.Name, float64(m.Size)/(1<<20))
}
