// Package notify tells desk users of what needs them — a step of a story's
// review that arrived for them, a story returned to its author, a step's
// due time passed — in the desk (a list and an unread count) and, when a
// mail server is configured and the user gave an address, by e-mail.
// Notifications are written in the transaction of the change that causes
// them, so a change is never recorded without them, nor they without it.
package notify

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/i18n"
	newsmail "newsdesk/internal/mail"
	"newsdesk/internal/site"
	"newsdesk/internal/store"
)

// Kinds of notification.
const (
	KindStep     = "step"     // a review step arrived for the user
	KindReturned = "returned" // the user's story came back
	KindOverdue  = "overdue"  // a step the user holds passed its due time
)

// Service makes notifications and their mail.
type Service struct {
	Store Store
	// Mail queues the e-mail; with no server configured only the desk's
	// notifications are made.
	Mail    *newsmail.Outbox
	Catalog *i18n.Catalog
	// DeskURL is the desk's public address, for the links in mail.
	DeskURL string
	// Now returns the current time; tests replace it.
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Tell notifies each user of n (its UserID set per user) through tx: in
// the desk, and by mail to those with an address. A notification whose
// OnceKey was used already (the user's part appended) is skipped.
func (s *Service) Tell(ctx context.Context, tx Tx, users []store.User, n store.Notification) error {
	n.CreatedAt = s.now()
	once := n.OnceKey
	for _, u := range users {
		if u.Disabled {
			continue
		}
		m := n
		m.UserID = u.ID
		if once != "" {
			m.OnceKey = once + " user " + strconv.FormatInt(u.ID, 10)
		}
		added, err := tx.AddNotification(ctx, &m)
		if err != nil {
			return err
		}
		if !added || !s.Mail.Enabled() {
			continue
		}
		addr, err := tx.MailAddress(ctx, u.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return err
		}
		if err := s.Mail.Queue(ctx, tx, s.message(ctx, tx, u, addr, m)); err != nil {
			return err
		}
	}
	return nil
}

// message is the mail of notification n to u.
func (s *Service) message(ctx context.Context, tx Tx, u store.User, addr store.MailAddress, n store.Notification) newsmail.Message {
	m := newsmail.Message{To: addr.Email, ToName: u.Name, Lang: addr.Lang,
		Link: strings.TrimSuffix(s.DeskURL, "/") + "/desk/articles/" + strconv.FormatInt(n.ArticleID, 10), LinkText: newsmail.T("mail.open_desk")}
	switch n.Kind {
	case KindStep:
		m.Subject, m.Paragraphs = newsmail.T("mail.step.subject", n.Title), []newsmail.Text{newsmail.T("mail.step.body", n.Title, n.Detail)}
	case KindReturned:
		m.Subject, m.Paragraphs = newsmail.T("mail.returned.subject", n.Title), []newsmail.Text{newsmail.T("mail.returned.body", n.Title, n.Detail)}
	case KindOverdue:
		m.Subject, m.Paragraphs = newsmail.T("mail.overdue.subject", n.Title), []newsmail.Text{newsmail.T("mail.overdue.body", n.Title, n.Detail)}
	}
	name := site.Defaults["site.name"]
	if settings, err := tx.Settings(ctx); err == nil && settings["site.name"] != "" {
		name = settings["site.name"]
	}
	m.Footer = newsmail.T("mail.footer", name)
	return m
}

// Transitioned is the article service's hook, run in the transaction of
// every change of state: the holders of the step a story arrives at hear
// of it, and so does the author of a story returned.
func (s *Service) Transitioned(ctx context.Context, tx store.Store, a store.Article, ev store.Event) error {
	var users []store.User
	n := store.Notification{ArticleID: a.ID, Title: a.Title}
	switch {
	case ev.Action == "return":
		if a.AuthorID == 0 {
			return nil
		}
		author, err := tx.User(ctx, a.AuthorID)
		if err != nil {
			return fmt.Errorf("notify the author of article %d: %w", a.ID, err)
		}
		users, n.Kind, n.Detail = []store.User{author}, KindReturned, ev.Comment
	case a.Status == store.StatusSubmitted || a.Status == store.StatusUnitApproved:
		all, err := tx.Users(ctx)
		if err != nil {
			return err
		}
		for _, u := range all {
			if holds(u, a) && u.ID != ev.UserID {
				users = append(users, u)
			}
		}
		n.Kind, n.Detail = KindStep, s.Catalog.T(i18n.ZH, "state."+a.Status)
	default:
		return nil
	}
	return s.Tell(ctx, tx, users, n)
}

// holds reports whether u takes the step a waits at: its unit's reviewers
// for unit review (the news centre when it has no unit), then editors.
func holds(u store.User, a store.Article) bool {
	if a.Status == store.StatusSubmitted && a.UnitID != 0 {
		return u.Has(store.RoleReviewer) && u.UnitID == a.UnitID
	}
	return u.Has(store.RoleEditor)
}

// List returns the actor's newest notifications and how many are unread.
func (s *Service) List(ctx context.Context, actor store.Actor, limit int) ([]store.Notification, int, error) {
	return s.Store.Notifications(ctx, actor.User.ID, limit)
}

// Unread counts the actor's unread notifications (the desk's badge).
func (s *Service) Unread(ctx context.Context, actor store.Actor) (int, error) {
	_, n, err := s.Store.Notifications(ctx, actor.User.ID, 0)
	return n, err
}

// MarkRead marks the actor's notifications up to id upTo read.
func (s *Service) MarkRead(ctx context.Context, actor store.Actor, upTo int64) error {
	return s.Store.ReadNotifications(ctx, actor.User.ID, upTo, s.now())
}

// Address returns where the actor gets mail ("" and the site's language
// when nowhere).
func (s *Service) Address(ctx context.Context, actor store.Actor) (store.MailAddress, error) {
	a, err := s.Store.MailAddress(ctx, actor.User.ID)
	if errors.Is(err, store.ErrNotFound) {
		return store.MailAddress{UserID: actor.User.ID}, nil
	}
	return a, err
}

// SetAddress sets where and in which language the actor gets mail; an
// empty address stops it. The address is checked; the change is audited.
func (s *Service) SetAddress(ctx context.Context, actor store.Actor, email, lang string) error {
	if actor.IsSystem() {
		return fmt.Errorf("%w: set a mail address", store.ErrForbidden)
	}
	email = strings.TrimSpace(email)
	if email != "" {
		var err error
		if email, err = newsmail.CheckAddress(email); err != nil {
			return err
		}
	}
	if lang != i18n.ZH && lang != i18n.EN {
		lang = ""
	}
	return s.Store.Tx(ctx, func(tx store.Store) error {
		if err := tx.SetMailAddress(ctx, store.MailAddress{UserID: actor.User.ID, Email: email, Lang: lang}); err != nil {
			return err
		}
		e := actor.Audit("mail_address", "user "+actor.User.Username, email)
		e.At = s.now()
		return tx.AddAudit(ctx, e)
	})
}
