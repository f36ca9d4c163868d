package desk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/check"
	"newsdesk/internal/model"
	"newsdesk/internal/table"
	"newsdesk/internal/web/render"
)

// --- content checks (错敏检查): the rule lists, a story's findings ---

// checksDesk is the content checks' rule pages and the self-audit.
type checksDesk struct{ *base }

// checkPanel is a story's findings as the story page shows them.
type checkPanel struct {
	Groups   []checkGroup
	Acks     []checkAck
	Unacked  int
	Blocked  bool
	CanAck   bool
	LiveText bool // the live check may run (the user may write)
}

type checkGroup struct {
	Level    string
	Findings []checkItem
}

type checkItem struct {
	check.Finding
	// SiteCategory is a sensitive word's category, the site's own words;
	// the other categories are the catalogue's.
	SiteCategory bool
	Acked        bool
}

type checkAck struct {
	model.CheckAck
	User string
}

// checkPanel builds the findings panel of a story (nil without checks).
func (s *base) checkPanel(ctx context.Context, u *deskUser, a model.Article) (*checkPanel, error) {
	if s.Checks == nil {
		return nil, nil
	}
	_, rep, err := s.Checks.Article(ctx, model.Actor{User: u.User}, a.ID)
	if err != nil {
		return nil, err
	}
	p := &checkPanel{Unacked: len(rep.Unacked()), Blocked: len(rep.Blocks()) > 0, LiveText: u.CanWrite(),
		CanAck: article.CanEdit(u.User, a) || len(article.Actions(u.User, a)) > 0}
	for _, lv := range []string{check.Block, check.Warn, check.Info} {
		g := checkGroup{Level: lv}
		for _, f := range rep.Findings {
			if f.Level == lv {
				g.Findings = append(g.Findings, checkItem{Finding: f, SiteCategory: f.Kind == check.KindWords, Acked: rep.Acked[f.Key()]})
			}
		}
		if len(g.Findings) > 0 {
			p.Groups = append(p.Groups, g)
		}
	}
	for _, ack := range rep.Acks {
		name := ""
		if usr, err := s.Store.User(ctx, ack.UserID); err == nil {
			name = usr.Name
		}
		p.Acks = append(p.Acks, checkAck{CheckAck: ack, User: name})
	}
	return p, nil
}

// deskAcknowledge lets a story's warn findings through with a reason.
func (s *stories) deskAcknowledge(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	a, err := s.loadArticle(r, u)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if _, err := s.Checks.Acknowledge(r.Context(), s.actor(r, u), a.ID, version, r.PostFormValue("reason")); err != nil {
		return s.transitionError(w, r, u, v, a, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/desk/articles/%d?flash=desk.check_acked#checks", a.ID), http.StatusSeeOther)
	return nil
}

type deskChecksPage struct {
	Lists []model.CheckRuleList
	Kind  string
	List  model.CheckRuleList
	// Text is what the editor sees in the list's box: the stored list, or
	// what they sent when it was refused.
	Text     string
	Bad      []badLine
	Versions []model.CheckRuleList
	Names    map[int64]string
}

type badLine struct {
	Line   int
	Text   string
	Reason string
}

// deskChecks lists the rule lists.
func (s *checksDesk) deskChecks(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	lists, err := s.Checks.Lists(r.Context())
	if err != nil {
		return err
	}
	p := deskChecksPage{}
	for _, k := range check.Kinds {
		p.Lists = append(p.Lists, lists[k])
	}
	v.Title = v.T("desk.checks")
	s.renderDesk(w, r, http.StatusOK, "desk_checks", v, p)
	return nil
}

func (s *checksDesk) kind(r *http.Request) (string, error) {
	k := r.PathValue("kind")
	if !slices.Contains(check.Kinds, k) {
		return "", fmt.Errorf("rule list %q: %w", k, model.ErrNotFound)
	}
	return k, nil
}

// deskCheckList shows one list to edit, import and export.
func (s *checksDesk) deskCheckList(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	k, err := s.kind(r)
	if err != nil {
		return err
	}
	return s.listPage(w, r, u, v, k, nil, "", http.StatusOK)
}

func (s *checksDesk) listPage(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View, kind string, bad []check.LineError, typed string, status int) error {
	ctx := r.Context()
	lists, err := s.Checks.Lists(ctx)
	if err != nil {
		return err
	}
	versions, err := s.Checks.Versions(ctx, s.actor(r, u), kind)
	if err != nil {
		return err
	}
	p := deskChecksPage{Kind: kind, List: lists[kind], Text: lists[kind].Body, Versions: versions, Names: map[int64]string{}}
	if bad != nil {
		p.Text = typed
	}
	for _, b := range bad {
		p.Bad = append(p.Bad, badLine{Line: b.Line, Text: b.Text, Reason: v.T("check.bad."+b.Reason, b.Args...)})
	}
	for _, ver := range versions {
		if _, ok := p.Names[ver.SavedBy]; !ok && ver.SavedBy != 0 {
			if usr, err := s.Store.User(ctx, ver.SavedBy); err == nil {
				p.Names[ver.SavedBy] = usr.Name
			}
		}
	}
	v.Title = v.T("check.kind." + kind)
	s.renderDesk(w, r, status, "desk_checks", v, p)
	return nil
}

// maxRuleFile bounds an imported list.
const maxRuleFile = 4 << 20

// deskSaveCheckList saves a list typed in the box or imported from a file.
func (s *checksDesk) deskSaveCheckList(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	k, err := s.kind(r)
	if err != nil {
		return err
	}
	text := r.PostFormValue("body")
	if f, _, err := r.FormFile("file"); err == nil {
		b, err := io.ReadAll(io.LimitReader(f, maxRuleFile))
		f.Close()
		if err != nil {
			return fmt.Errorf("read imported rule list: %w", err)
		}
		text = check.DecodeList(b)
	}
	_, err = s.Checks.Save(r.Context(), s.actor(r, u), k, text, r.PostFormValue("confirm") != "")
	var bad *check.BadLines
	if errors.As(err, &bad) {
		v.Data.(*deskData).Error = message(v, err)
		return s.listPage(w, r, u, v, k, bad.Lines, text, http.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/desk/checks/"+k+"?flash=desk.saved", http.StatusSeeOther)
	return nil
}

// deskExportCheckList sends a list as the plain text file it is kept as.
func (s *checksDesk) deskExportCheckList(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	k, err := s.kind(r)
	if err != nil {
		return err
	}
	lists, err := s.Checks.Lists(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="newsdesk-%s-v%d.txt"`, k, lists[k].Version))
	_, err = io.WriteString(w, lists[k].Body)
	return err
}

// --- the self-audit (网站自查) and its rectification list (整改清单) ---

type deskSelfAuditPage struct {
	Run     *model.CheckAuditRun
	Links   check.LinkOptions
	Items   []auditRow
	Total   int
	Status  string
	Pager   pager
	Percent int
}

type auditRow struct {
	model.CheckAuditItem
	Unit, Column, Story string
}

const auditPerPage = 50

func (s *checksDesk) deskSelfAudit(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	ctx := r.Context()
	p := deskSelfAuditPage{Status: r.FormValue("status")}
	st, err := s.Site.Settings(ctx)
	if err != nil {
		return err
	}
	p.Links = st.Links
	if run, err := s.Store.CheckAuditRun(ctx); err == nil {
		p.Run = &run
		if run.Total > 0 {
			p.Percent = min(100, run.Scanned*100/run.Total)
		}
	} else if !errors.Is(err, model.ErrNotFound) {
		return err
	}
	page := max(1, atoiDefault(r.FormValue("page"), 1))
	items, total, err := s.Checks.AuditItems(ctx, s.actor(r, u), model.CheckAuditQuery{Status: p.Status, Limit: auditPerPage, Offset: (page - 1) * auditPerPage})
	if err != nil {
		return err
	}
	_, row, err := s.Checks.AuditTable(ctx, v.T)
	if err != nil {
		return err
	}
	for _, it := range items {
		cells := row(it)
		p.Items = append(p.Items, auditRow{CheckAuditItem: it, Unit: cells[0], Column: cells[1], Story: cells[2]})
	}
	p.Total = total
	base, sep := "/desk/selfaudit", "?"
	if p.Status != "" {
		base, sep = "/desk/selfaudit?status="+url.QueryEscape(p.Status), "&"
	}
	p.Pager = pager{Page: page, Pages: max(1, (total+auditPerPage-1)/auditPerPage), Base: base, Sep: sep}
	v.Title = v.T("desk.selfaudit")
	s.renderDesk(w, r, http.StatusOK, "desk_selfaudit", v, p)
	return nil
}

func atoiDefault(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

// deskStartSelfAudit queues a re-scan of every story.
func (s *checksDesk) deskStartSelfAudit(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	if _, err := s.Checks.StartAudit(r.Context(), s.actor(r, u)); err != nil {
		return err
	}
	http.Redirect(w, r, "/desk/selfaudit?flash=desk.selfaudit_started", http.StatusSeeOther)
	return nil
}

// deskSetAuditItem marks a rectification item fixed, accepted or open.
func (s *checksDesk) deskSetAuditItem(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return fmt.Errorf("self-audit item %q: %w", r.PathValue("id"), model.ErrNotFound)
	}
	if err := s.Checks.SetAuditStatus(r.Context(), s.actor(r, u), id, r.PostFormValue("status"), r.PostFormValue("reason")); err != nil {
		return err
	}
	http.Redirect(w, r, "/desk/selfaudit?flash=desk.saved", http.StatusSeeOther)
	return nil
}

// deskExportSelfAudit sends the rectification list as XLSX.
func (s *checksDesk) deskExportSelfAudit(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	header, row, err := s.Checks.AuditTable(r.Context(), v.T)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := s.Checks.ExportAudit(r.Context(), s.actor(r, u), header, row, &b); err != nil {
		return err
	}
	w.Header().Set("Content-Type", table.ContentType(table.XLSX))
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="selfaudit-%s.xlsx"`, time.Now().In(v.Site.TimeZone).Format("20060102")))
	_, err = w.Write(b.Bytes())
	return err
}
