package desk

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"newsdesk/internal/model"
	"newsdesk/internal/web/render"
)

// Notifications (/desk/notifications): each user's list, marked read when
// they say so, and where they get them by mail. The outbox (/desk/outbox)
// shows administrators every message with its state and last error.

type deskNotificationsPage struct {
	Items   []model.Notification
	Unread  int
	Address model.MailAddress
	// MailOn: a mail server is configured.
	MailOn bool
}

func (s *accounts) deskNotifications(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	if s.Notify == nil {
		return fmt.Errorf("notifications: %w", model.ErrNotFound)
	}
	return s.notificationsPage(w, r, u, v, http.StatusOK)
}

func (s *accounts) notificationsPage(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View, status int) error {
	actor := s.actor(r, u)
	items, unread, err := s.Notify.List(r.Context(), actor, 100)
	if err != nil {
		return err
	}
	addr, err := s.Notify.Address(r.Context(), actor)
	if err != nil {
		return err
	}
	v.Title = v.T("desk.notifications")
	s.renderDesk(w, r, status, "desk_notifications", v, deskNotificationsPage{Items: items, Unread: unread, Address: addr, MailOn: s.Notify.Mail.Enabled()})
	return nil
}

func (s *accounts) deskReadNotifications(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	if s.Notify == nil {
		return fmt.Errorf("notifications: %w", model.ErrNotFound)
	}
	upTo, _ := strconv.ParseInt(r.PostFormValue("up_to"), 10, 64)
	if err := s.Notify.MarkRead(r.Context(), s.actor(r, u), upTo); err != nil {
		return err
	}
	http.Redirect(w, r, "/desk/notifications", http.StatusSeeOther)
	return nil
}

func (s *accounts) deskMailAddress(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	if s.Notify == nil {
		return fmt.Errorf("notifications: %w", model.ErrNotFound)
	}
	err := s.Notify.SetAddress(r.Context(), s.actor(r, u), r.PostFormValue("email"), r.PostFormValue("lang"))
	if errors.Is(err, model.ErrInvalid) {
		v.Data.(*deskData).Error = message(v, err)
		return s.notificationsPage(w, r, u, v, http.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/desk/notifications?flash=desk.mail_address_saved", http.StatusSeeOther)
	return nil
}

type deskOutboxPage struct {
	Mail   []model.Mail
	MailOn bool
	Pager  pager
}

func (s *accounts) deskOutbox(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	if s.Notify == nil {
		return fmt.Errorf("notifications: %w", model.ErrNotFound)
	}
	page, err := render.PageNumber(r)
	if err != nil {
		return err
	}
	list, total, err := s.Notify.Mail.List(r.Context(), s.actor(r, u), PerPage, (page-1)*PerPage)
	if err != nil {
		return err
	}
	p := deskOutboxPage{Mail: list, MailOn: s.Notify.Mail.Enabled()}
	if p.Pager, err = paginate(page, total, "/desk/outbox"); err != nil {
		return err
	}
	v.Title = v.T("desk.outbox")
	s.renderDesk(w, r, http.StatusOK, "desk_outbox", v, p)
	return nil
}
