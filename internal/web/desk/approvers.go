package desk

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/approval"
	"newsdesk/internal/model"
	"newsdesk/internal/web/render"
)

// Outside approvers of a story (/desk/articles/{id}/approvers): the links
// sent, their state and decisions, revoking one, and sending the story's
// current step to a person without a desk account.

type deskApproversPage struct {
	Article model.Article
	Links   []model.ApproverLink
	CanSend bool
	MailOn  bool
	// Sent is the link just made, shown once (for sending it another way).
	Sent       string
	Name, Mail string // what was typed, shown again with an error
	Hours      int
	Now        time.Time
}

func (s *stories) approversPage(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View, status int, p deskApproversPage) error {
	if s.Approval == nil {
		return fmt.Errorf("outside approvers: %w", model.ErrNotFound)
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return fmt.Errorf("article %q: %w", r.PathValue("id"), model.ErrNotFound)
	}
	a, links, err := s.Approval.Links(r.Context(), s.actor(r, u), id)
	if err != nil {
		return err
	}
	p.Article, p.Links, p.CanSend, p.MailOn, p.Now = a, links, approval.CanSend(u.User, a), s.Approval.Mail.Enabled(), time.Now()
	if p.Hours == 0 {
		p.Hours = int(approval.DefaultTTL.Hours())
	}
	v.Title = v.T("desk.approvers") + " · " + a.Title
	s.renderDesk(w, r, status, "desk_approvers", v, p)
	return nil
}

func (s *stories) deskApprovers(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	return s.approversPage(w, r, u, v, http.StatusOK, deskApproversPage{})
}

func (s *stories) deskSendApprover(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	if s.Approval == nil {
		return fmt.Errorf("outside approvers: %w", model.ErrNotFound)
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return fmt.Errorf("article %q: %w", r.PathValue("id"), model.ErrNotFound)
	}
	p := deskApproversPage{Name: r.PostFormValue("name"), Mail: r.PostFormValue("email")}
	hours, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("hours")))
	if err != nil {
		hours = -1 // refused by Send with the allowed range
	}
	p.Hours = hours
	_, link, err := s.Approval.Send(r.Context(), s.actor(r, u), id, p.Name, p.Mail, time.Duration(hours)*time.Hour)
	if errors.Is(err, model.ErrInvalid) {
		v.Data.(*deskData).Error = message(v, err)
		return s.approversPage(w, r, u, v, http.StatusUnprocessableEntity, p)
	}
	if err != nil {
		return err
	}
	v.Data.(*deskData).Flash = v.T("desk.approver_sent", p.Name)
	return s.approversPage(w, r, u, v, http.StatusCreated, deskApproversPage{Sent: link})
}

func (s *stories) deskRevokeApprover(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	if s.Approval == nil {
		return fmt.Errorf("outside approvers: %w", model.ErrNotFound)
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return fmt.Errorf("approver link %q: %w", r.PathValue("id"), model.ErrNotFound)
	}
	l, err := s.Approval.Revoke(r.Context(), s.actor(r, u), id)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/desk/articles/"+strconv.FormatInt(l.ArticleID, 10)+"/approvers?flash=desk.approver_revoked", http.StatusSeeOther)
	return nil
}
