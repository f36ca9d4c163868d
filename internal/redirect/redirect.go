// Package redirect keeps a site's old addresses working: a path of the
// site it replaced (/info/1012/3456.htm) answers 301 to the story it
// became, or to another address. Importers add them as they bring stories
// in; editors add, change, delete and export them in the desk.
package redirect

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"newsdesk/internal/model"
)

// Service changes the redirects: only news-centre staff (and the system)
// may, and every change is audited.
type Service struct {
	Store Store
	// Changed is called after a change: a cached 404 may now redirect.
	Changed func()
}

// maxPath bounds an old address, query included.
const maxPath = 1000

// Path turns an old address into the path a redirect is kept under: a
// full URL (http://news.example.edu.cn/info/1/2.htm) or a path, with its
// query but no fragment. It must begin with one "/" and not be the home
// page.
func Path(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		raw = raw[:i]
	}
	if strings.HasPrefix(raw, "http://") || strings.HasPrefix(raw, "https://") {
		u, err := url.Parse(raw)
		if err != nil {
			return "", model.Invalid("redirect_path")
		}
		raw = u.EscapedPath()
		if u.RawQuery != "" {
			raw += "?" + u.RawQuery
		}
	}
	if !strings.HasPrefix(raw, "/") || strings.HasPrefix(raw, "//") || raw == "/" || len(raw) > maxPath ||
		!utf8.ValidString(raw) || strings.ContainsAny(raw, " \t\r\n") {
		return "", model.Invalid("redirect_path")
	}
	return raw, nil
}

// target checks where a redirect goes: a story that exists, or an address
// (http(s) or a path of this site), not both.
func target(ctx context.Context, st Store, r *model.Redirect) error {
	r.Target = strings.TrimSpace(r.Target)
	switch {
	case r.ArticleID != 0 && r.Target != "":
		return model.Invalid("redirect_target")
	case r.ArticleID != 0:
		if _, err := st.Article(ctx, r.ArticleID); errors.Is(err, model.ErrNotFound) {
			return model.Invalid("redirect_article", r.ArticleID)
		} else if err != nil {
			return err
		}
		return nil
	case r.Target == "" || len(r.Target) > maxPath || r.Target == r.Path:
		return model.Invalid("redirect_target")
	case strings.HasPrefix(r.Target, "/") && !strings.HasPrefix(r.Target, "//"):
		return nil
	}
	u, err := url.Parse(r.Target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return model.Invalid("redirect_target")
	}
	return nil
}

// Save adds r (no ID) or changes redirect r.ID; the old path may be given
// as a full URL. A path that has a redirect already is refused.
func (s *Service) Save(ctx context.Context, actor model.Actor, r model.Redirect) (model.Redirect, error) {
	if !actor.IsSystem() && !actor.User.CanPublish() {
		return r, fmt.Errorf("%w: save redirect", model.ErrForbidden)
	}
	p, err := Path(r.Path)
	if err != nil {
		return r, err
	}
	r.Path = p
	err = s.tx(ctx, func(tx Store) error {
		if err := target(ctx, tx, &r); err != nil {
			return err
		}
		action := "redirect_update"
		if r.ID == 0 {
			action = "redirect_create"
		} else if _, err := tx.RedirectByID(ctx, r.ID); err != nil {
			return err
		}
		if err := tx.SaveRedirect(ctx, &r); errors.Is(err, model.ErrConflict) {
			return model.Invalid("redirect_taken", r.Path)
		} else if err != nil {
			return err
		}
		return tx.AddAudit(ctx, actor.Audit(action, "redirect "+strconv.FormatInt(r.ID, 10), r.Path+" → "+describe(r)))
	})
	if err != nil {
		return r, err
	}
	s.changed()
	return r, nil
}

// Delete removes redirect id: its old path answers 404 again.
func (s *Service) Delete(ctx context.Context, actor model.Actor, id int64) error {
	if !actor.IsSystem() && !actor.User.CanPublish() {
		return fmt.Errorf("%w: delete redirect", model.ErrForbidden)
	}
	err := s.tx(ctx, func(tx Store) error {
		r, err := tx.RedirectByID(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteRedirect(ctx, id); err != nil {
			return err
		}
		return tx.AddAudit(ctx, actor.Audit("redirect_delete", "redirect "+strconv.FormatInt(id, 10), r.Path))
	})
	if err != nil {
		return err
	}
	s.changed()
	return nil
}

// ForImport points an imported story's old path at it, in the import's
// own transaction tx (whose audit entry names the path). A path that has
// a redirect already keeps it: an editor may have changed it since.
func ForImport(ctx context.Context, tx Store, oldPath string, articleID int64) error {
	p, err := Path(oldPath)
	if err != nil {
		return nil // an address no request can have (the home page, a bare id)
	}
	if _, err := tx.RedirectByPath(ctx, p); err == nil {
		return nil
	} else if !errors.Is(err, model.ErrNotFound) {
		return err
	}
	return tx.SaveRedirect(ctx, &model.Redirect{Path: p, ArticleID: articleID})
}

// Lookup finds the redirect of a request's path and query: the path with
// its query first, then the path alone (old links often carry tracking
// parameters).
func (s *Service) Lookup(ctx context.Context, escapedPath, rawQuery string) (model.Redirect, error) {
	if rawQuery != "" {
		r, err := s.Store.RedirectByPath(ctx, escapedPath+"?"+rawQuery)
		if err == nil || !errors.Is(err, model.ErrNotFound) {
			return r, err
		}
	}
	return s.Store.RedirectByPath(ctx, escapedPath)
}

// List returns a page of the redirects by path, after afterPath.
func (s *Service) List(ctx context.Context, afterPath string, limit int) ([]model.Redirect, error) {
	return s.Store.Redirects(ctx, afterPath, limit)
}

// Get returns one redirect.
func (s *Service) Get(ctx context.Context, id int64) (model.Redirect, error) {
	return s.Store.RedirectByID(ctx, id)
}

func (s *Service) changed() {
	if s.Changed != nil {
		s.Changed()
	}
}

func describe(r model.Redirect) string {
	if r.ArticleID != 0 {
		return "article " + strconv.FormatInt(r.ArticleID, 10)
	}
	return r.Target
}

// Export formats.
const (
	FormatCSV   = "csv"
	FormatNginx = "nginx"
)

// exportPage is how many redirects are read at a time.
const exportPage = 1000

// Export writes every redirect, page by page (never all in memory): CSV
// (path, target) or an nginx map (map $request_uri $newsdesk_redirect
// { … }, used with `if ($newsdesk_redirect) { return 301 …; }`).
// articleURL makes a story's address.
func (s *Service) Export(ctx context.Context, w io.Writer, format string, articleURL func(int64) string) error {
	cw := csv.NewWriter(w)
	switch format {
	case FormatCSV:
		if err := cw.Write([]string{"path", "target"}); err != nil {
			return err
		}
	case FormatNginx:
		fmt.Fprintln(w, "map $request_uri $newsdesk_redirect {")
	default:
		return model.Invalid("redirect_format")
	}
	after := ""
	for {
		rs, err := s.Store.Redirects(ctx, after, exportPage)
		if err != nil {
			return err
		}
		for _, r := range rs {
			to := r.Target
			if r.ArticleID != 0 {
				to = articleURL(r.ArticleID)
			}
			if format == FormatCSV {
				err = cw.Write([]string{r.Path, to})
			} else {
				_, err = fmt.Fprintf(w, "    %s %s;\n", nginxQuote(r.Path), nginxQuote(to))
			}
			if err != nil {
				return err
			}
		}
		if len(rs) < exportPage {
			break
		}
		after = rs[len(rs)-1].Path
	}
	if format == FormatNginx {
		_, err := fmt.Fprintln(w, "}")
		return err
	}
	cw.Flush()
	return cw.Error()
}

// nginxQuote quotes a string for an nginx configuration file.
func nginxQuote(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`).Replace(v) + `"`
}
