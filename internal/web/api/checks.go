package api

import (
	"net/http"
	"time"

	"newsdesk/internal/check"
	"newsdesk/internal/model"
)

// finding is a content-check finding as the API shows it: offsets are
// rune offsets in the story's plain text (or the text posted).
type finding struct {
	Rule       string `json:"rule"`
	Kind       string `json:"kind"`
	Category   string `json:"category"`
	Level      string `json:"level"`
	Start      int    `json:"start"`
	End        int    `json:"end"`
	Text       string `json:"text"`
	Suggestion string `json:"suggestion"`
	Fix        bool   `json:"fix"`
	Message    string `json:"message"`
}

type acknowledgement struct {
	UserID   int64  `json:"user_id"`
	Reason   string `json:"reason"`
	Findings string `json:"findings"`
	Version  int    `json:"version"`
	At       string `json:"at"`
}

type checkReport struct {
	ArticleID        int64             `json:"article_id"`
	Version          int               `json:"version"`
	Findings         []finding         `json:"findings"`
	Blocked          bool              `json:"blocked"`
	Unacknowledged   int               `json:"unacknowledged"`
	Acknowledgements []acknowledgement `json:"acknowledgements"`
}

func (a *API) findings(c *caller, fs []check.Finding) []finding {
	out := make([]finding, 0, len(fs))
	for _, f := range fs {
		out = append(out, finding{Rule: f.Rule, Kind: f.Kind, Category: f.Category, Level: f.Level, Start: f.Start, End: f.End,
			Text: f.Text, Suggestion: f.Suggestion, Fix: f.Fix, Message: a.Catalog.T(c.lang, "check.msg."+f.Message)})
	}
	return out
}

func (a *API) report(c *caller, ar model.Article, r check.Report) checkReport {
	out := checkReport{ArticleID: ar.ID, Version: ar.Version, Findings: a.findings(c, r.Findings), Blocked: len(r.Blocks()) > 0,
		Unacknowledged: len(r.Unacked()), Acknowledgements: []acknowledgement{}}
	for _, ack := range r.Acks {
		out.Acknowledgements = append(out.Acknowledgements, acknowledgement{UserID: ack.UserID, Reason: ack.Reason, Findings: ack.Findings,
			Version: ack.Version, At: ack.At.Format(time.RFC3339)})
	}
	return out
}

// deskChecks returns every finding of a story with the rules in force.
func (a *API) deskChecks(w http.ResponseWriter, r *http.Request, c *caller) error {
	ar, err := a.viewable(r, c)
	if err != nil {
		return err
	}
	ar, rep, err := a.Checks.Article(r.Context(), c.actor, ar.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.report(c, ar, rep))
	return nil
}

type ackRequest struct {
	Version *int   `json:"version"`
	Reason  string `json:"reason"`
}

// deskAcknowledge lets a story's warn findings through with a reason.
func (a *API) deskAcknowledge(w http.ResponseWriter, r *http.Request, c *caller) error {
	ar, err := a.viewable(r, c)
	if err != nil {
		return err
	}
	var in ackRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Version == nil {
		return errVersion
	}
	if _, err := a.Checks.Acknowledge(r.Context(), c.actor, ar.ID, *in.Version, in.Reason); err != nil {
		return a.conflict(r, c, ar.ID, err)
	}
	ar, rep, err := a.Checks.Article(r.Context(), c.actor, ar.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.report(c, ar, rep))
	return nil
}

type checkTextRequest struct {
	Text string `json:"text"`
}

type checkTextAnswer struct {
	Findings []finding `json:"findings"`
}

// deskCheckText checks text being written: the live editor's call.
func (a *API) deskCheckText(w http.ResponseWriter, r *http.Request, c *caller) error {
	var in checkTextRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	fs, err := a.Checks.Text(r.Context(), c.actor, in.Text)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, checkTextAnswer{Findings: a.findings(c, fs)})
	return nil
}
