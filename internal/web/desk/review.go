package desk

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/model"
	"newsdesk/internal/reader"
	"newsdesk/internal/review"
	"newsdesk/internal/table"
	"newsdesk/internal/web/render"
)

// reviewDesk is the review chains (三审三校): each column's chain and the
// preset return reasons, the review record of a story and the ledger.
type reviewDesk struct {
	*base
	stories *stories
}

type deskChainsPage struct {
	Chains   []review.ColumnChain
	Names    map[int64]string // column names, for "inherited from"
	Users    map[int64]string // user names, for named holders
	Reasons  string           // one a line
	Columns  []model.Column
	Today    string
	MonthAgo string
}

// deskChains lists every column's chain, the return reasons and the
// ledger's export form.
func (s *reviewDesk) deskChains(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	ctx := r.Context()
	chains, err := s.Reviews.Chains(ctx)
	if err != nil {
		return err
	}
	reasons, err := s.Reviews.Reasons(ctx)
	if err != nil {
		return err
	}
	p := deskChainsPage{Chains: chains, Names: map[int64]string{}, Reasons: strings.Join(reasons, "\n")}
	for _, c := range chains {
		p.Names[c.Column.ID] = c.Column.Name
		p.Columns = append(p.Columns, c.Column)
	}
	if p.Users, err = s.userNames(r); err != nil {
		return err
	}
	now := time.Now().In(v.Site.TimeZone)
	p.Today, p.MonthAgo = now.Format("2006-01-02"), now.AddDate(0, -1, 0).Format("2006-01-02")
	v.Title = v.T("review.title")
	s.renderDesk(w, r, http.StatusOK, "desk_chains", v, p)
	return nil
}

func (s *reviewDesk) userNames(r *http.Request) (map[int64]string, error) {
	users, err := s.Store.Users(r.Context())
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for _, u := range users {
		out[u.ID] = u.Name
	}
	return out, nil
}

// chainRow is one row of the chain form: a step, or an empty row to add one.
type chainRow struct {
	N    int
	Step model.ReviewStep
}

type deskChainPage struct {
	Chain review.ColumnChain
	// Correction: the form is the column's correction chain's.
	Correction bool
	Action     string // where the form posts
	From       string // the column whose chain it takes, when not its own
	Rows       []chainRow
	Users      []model.User
	// Holders are the kinds of holder a step may name.
	Holders []string
}

// deskChain is the form for one column's chain: its steps and room for
// more, up to review.MaxSteps.
func (s *reviewDesk) deskChain(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return model.ErrNotFound
	}
	c, err := s.Reviews.Chain(r.Context(), id)
	if err != nil {
		return err
	}
	return s.chainForm(w, r, v, http.StatusOK, c, c.Steps, false)
}

// deskCorrectionChain is the form for a column's correction chain: the
// steps a correction of a published story takes.
func (s *reviewDesk) deskCorrectionChain(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return model.ErrNotFound
	}
	c, err := s.Reviews.Chain(r.Context(), id)
	if err != nil {
		return err
	}
	var steps []model.ReviewStep
	if c.CorrectionOwn {
		steps = c.Correction
	}
	return s.chainForm(w, r, v, http.StatusOK, c, steps, true)
}

func (s *reviewDesk) chainForm(w http.ResponseWriter, r *http.Request, v *render.View, status int, c review.ColumnChain, steps []model.ReviewStep, correction bool) error {
	p := deskChainPage{Chain: c, Correction: correction, Holders: []string{model.HoldUnit, model.HoldEditor, model.HoldChief},
		Action: fmt.Sprintf("/desk/review/columns/%d", c.Column.ID)}
	from := c.From
	if correction {
		p.Action += "/correction"
		from = c.CorrectionFrom
	}
	if from != 0 && from != c.Column.ID {
		if fc, err := s.Reviews.Chain(r.Context(), from); err == nil {
			p.From = fc.Column.Name
		}
	}
	for i := 0; i < review.MaxSteps && (i < len(steps) || i < len(steps)+2); i++ {
		row := chainRow{N: i + 1, Step: model.ReviewStep{Kind: model.StepReview}}
		if i < len(steps) {
			row.Step = steps[i]
			if row.Step.Name == "" && row.Step.Key != "" {
				row.Step.Name = v.T("review.step." + row.Step.Key)
			}
		}
		p.Rows = append(p.Rows, row)
	}
	users, err := s.Store.Users(r.Context())
	if err != nil {
		return err
	}
	for _, u := range users {
		if !u.Disabled {
			p.Users = append(p.Users, u)
		}
	}
	v.Title = v.T("review.chain_of", c.Column.Name)
	if correction {
		v.Title = v.T("review.correction_of", c.Column.Name)
	}
	s.renderDesk(w, r, status, "desk_chain", v, p)
	return nil
}

// formSteps reads the chain form: rows without a name are left out.
func formSteps(r *http.Request) ([]model.ReviewStep, error) {
	var steps []model.ReviewStep
	for i := 1; i <= review.MaxSteps; i++ {
		n := strconv.Itoa(i)
		name := strings.TrimSpace(r.PostFormValue("name" + n))
		if name == "" {
			continue
		}
		st := model.ReviewStep{Name: name, Kind: r.PostFormValue("kind" + n), Holders: r.PostForm["holders"+n]}
		for _, id := range r.PostForm["users"+n] {
			uid, err := strconv.ParseInt(id, 10, 64)
			if err != nil {
				return nil, model.Invalid("step_user", i)
			}
			st.UserIDs = append(st.UserIDs, uid)
		}
		if due := strings.TrimSpace(r.PostFormValue("due" + n)); due != "" {
			h, err := strconv.Atoi(due)
			if err != nil {
				return nil, model.Invalid("due")
			}
			st.DueHours = h
		}
		steps = append(steps, st)
	}
	return steps, nil
}

// deskSaveChain saves a column's chain, or (with "inherit") removes it.
func (s *reviewDesk) deskSaveChain(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	return s.saveChain(w, r, u, v, false)
}

// deskSaveCorrectionChain saves a column's correction chain, or (with
// "inherit") removes it, so corrections take the main chain.
func (s *reviewDesk) deskSaveCorrectionChain(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	return s.saveChain(w, r, u, v, true)
}

func (s *reviewDesk) saveChain(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View, correction bool) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return model.ErrNotFound
	}
	c, err := s.Reviews.Chain(r.Context(), id)
	if err != nil {
		return err
	}
	var steps []model.ReviewStep
	if r.PostFormValue("inherit") == "" {
		if steps, err = formSteps(r); err == nil && len(steps) == 0 {
			err = model.Invalid("chain_empty")
		}
	}
	if err == nil {
		if correction {
			_, err = s.Reviews.SaveCorrectionChain(r.Context(), s.actor(r, u), id, steps)
		} else {
			_, err = s.Reviews.SaveChain(r.Context(), s.actor(r, u), id, steps)
		}
	}
	if err != nil {
		if !userError(err) {
			return err
		}
		status, _ := deskStatus(err)
		v.Data.(*deskData).Error = message(v, err)
		return s.chainForm(w, r, v, status, c, steps, correction)
	}
	http.Redirect(w, r, "/desk/review?flash=desk.chain_saved", http.StatusSeeOther)
	return nil
}

// deskSaveReasons saves the preset return reasons, one a line.
func (s *reviewDesk) deskSaveReasons(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	if _, err := s.Reviews.SaveReasons(r.Context(), s.actor(r, u), strings.Split(r.PostFormValue("reasons"), "\n")); err != nil {
		return err
	}
	http.Redirect(w, r, "/desk/review?flash=desk.reasons_saved", http.StatusSeeOther)
	return nil
}

type deskRecordPage struct {
	Record review.Record
	URL    string // the published address, when published
}

// deskRecord is a story's printable review record (审核登记表).
func (s *reviewDesk) deskRecord(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	a, err := s.stories.loadArticle(r, u)
	if err != nil {
		return err
	}
	rec, err := s.Reviews.Record(r.Context(), a)
	if err != nil {
		return err
	}
	p := deskRecordPage{Record: rec}
	if article.Visible(a, time.Now()) || a.Status == model.StatusScheduled {
		p.URL = v.Site.BaseURL + reader.ArticleURL(a.ID)
	}
	v.Title = v.T("review.record") + " · " + a.Title
	s.renderDesk(w, r, http.StatusOK, "desk_record", v, p)
	return nil
}

// deskLedger exports the review ledger (三级审核台账) of a period and
// columns as CSV or XLSX.
func (s *reviewDesk) deskLedger(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	format := r.FormValue("format")
	q, err := review.ParseLedgerQuery(r.Form, v.Site.TimeZone)
	var pe *review.ParamError
	if errors.As(err, &pe) {
		if pe.Name == "column" {
			return model.Invalid("column_required")
		}
		return model.Invalid("date", pe.Value)
	}
	if err != nil {
		return err
	}
	var body bytes.Buffer
	if err := s.Reviews.ExportLedger(r.Context(), s.actor(r, u), q, format, v.T, v.Site.TimeZone, &body); err != nil {
		return err
	}
	w.Header().Set("Content-Type", table.ContentType(format))
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="review-ledger-%s.%s"`, time.Now().In(v.Site.TimeZone).Format("20060102"), format))
	_, err = w.Write(body.Bytes())
	return err
}
