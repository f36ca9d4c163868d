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
	"slices"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/i18n"
	newsmail "newsdesk/internal/mail"
	"newsdesk/internal/model"
	"newsdesk/internal/review"
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
func (s *Service) Tell(ctx context.Context, tx Tx, users []model.User, n model.Notification) error {
	_, err := s.tell(ctx, tx, users, n)
	return err
}

// tell is Tell, also saying how many users were told (not before, for a
// notification with a OnceKey).
func (s *Service) tell(ctx context.Context, tx Tx, users []model.User, n model.Notification) (int, error) {
	told := 0
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
			return told, err
		}
		if added {
			told++
		}
		if !added || !s.Mail.Enabled() {
			continue
		}
		addr, err := tx.MailAddress(ctx, u.ID)
		if errors.Is(err, model.ErrNotFound) {
			continue
		} else if err != nil {
			return told, err
		}
		if err := s.Mail.Queue(ctx, tx, s.message(ctx, tx, u, addr, m)); err != nil {
			return told, err
		}
	}
	return told, nil
}

// message is the mail of notification n to u.
func (s *Service) message(ctx context.Context, tx Tx, u model.User, addr model.MailAddress, n model.Notification) newsmail.Message {
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
// every change of state: the holders of the step a story arrives at (as
// the inbox has them) hear of it, and so does the author of a story
// returned to them.
func (s *Service) Transitioned(ctx context.Context, tx store.Store, a model.Article, ev model.Event) error {
	n := model.Notification{ArticleID: a.ID, Title: a.Title}
	switch {
	case ev.Action == "return" && ev.ToStep == 0:
		if a.AuthorID == 0 {
			return nil
		}
		author, err := tx.User(ctx, a.AuthorID)
		if err != nil {
			return fmt.Errorf("notify the author of article %d: %w", a.ID, err)
		}
		n.Kind, n.Detail = KindReturned, ev.Comment
		if ev.Reason != "" {
			n.Detail = strings.TrimSpace(ev.Reason + " " + ev.Comment)
		}
		return s.Tell(ctx, tx, []model.User{author}, n)
	case ev.ToStep > 0 && ev.ToStep != ev.Step:
		// An arrival (a decision recorded at the last step, where the
		// story stays, is not one: its holders were told already).
		_, st, ok := review.Current(a)
		if !ok {
			return nil
		}
		users, err := s.holders(ctx, tx, st, a, ev.UserID)
		if err != nil {
			return err
		}
		n.Kind, n.Detail = KindStep, s.stepName(a, st)
		return s.Tell(ctx, tx, users, n)
	}
	return nil
}

// holders are the users whose inbox shows step st of story a, but the one
// who just moved it.
func (s *Service) holders(ctx context.Context, tx Tx, st model.ReviewStep, a model.Article, except int64) ([]model.User, error) {
	all, err := tx.Users(ctx)
	if err != nil {
		return nil, err
	}
	waiting := review.Waiting(st, a)
	var out []model.User
	for _, u := range all {
		if u.ID == except || u.Disabled {
			continue
		}
		for _, k := range review.Keys(u) {
			if slices.Contains(waiting, k) {
				out = append(out, u)
				break
			}
		}
	}
	return out, nil
}

// stepName is what a notification calls step st: its name, or for the
// default chain's unnamed steps the state the story is in.
func (s *Service) stepName(a model.Article, st model.ReviewStep) string {
	if st.Name != "" {
		return st.Name
	}
	return s.Catalog.T(i18n.ZH, "state."+a.Status)
}

// Overdue tells the holders of every step whose due time has passed, once
// per story and arrival at the step; it runs as a periodic job and
// returns how many steps it reported this time (those reported before
// are not counted again).
func (s *Service) Overdue(ctx context.Context) (int, error) {
	now := s.now()
	n := 0
	for _, status := range []string{model.StatusSubmitted, model.StatusUnitApproved} {
		var after store.ListKey
		for {
			// The story list's keyset pages over the state's index (migration
			// 0021): paging by id walked every article with its body, the
			// whole archive each minute (5.5 s of CPU at 1,000,000).
			page, err := s.Store.ListArticles(ctx, store.ListQuery{Status: status, ByUpdate: true, After: after, Limit: 200})
			if err != nil {
				return n, err
			}
			for _, a := range page {
				after = store.ListKey{At: a.UpdatedAt, ID: a.ID}
				i, st, ok := review.Current(a)
				due := review.Due(st, a.Review.Since)
				if !ok || due.IsZero() || now.Before(due) {
					continue
				}
				told := 0
				err := s.Store.Tx(ctx, func(tx store.Store) error {
					users, err := s.holders(ctx, tx, st, a, 0)
					if err != nil {
						return err
					}
					told, err = s.tell(ctx, tx, users, model.Notification{Kind: KindOverdue, ArticleID: a.ID, Title: a.Title, Detail: s.stepName(a, st),
						OnceKey: fmt.Sprintf("overdue article %d step %d since %d", a.ID, i+1, a.Review.Since.Unix())})
					return err
				})
				if err != nil {
					return n, err
				}
				if told > 0 {
					n++
				}
			}
			if len(page) < 200 {
				break
			}
		}
	}
	if n > 0 {
		s.Mail.Wake()
	}
	return n, nil
}

// List returns the actor's newest notifications and how many are unread.
func (s *Service) List(ctx context.Context, actor model.Actor, limit int) ([]model.Notification, int, error) {
	return s.Store.Notifications(ctx, actor.User.ID, limit)
}

// Unread counts the actor's unread notifications (the desk's badge).
func (s *Service) Unread(ctx context.Context, actor model.Actor) (int, error) {
	_, n, err := s.Store.Notifications(ctx, actor.User.ID, 0)
	return n, err
}

// MarkRead marks the actor's notifications up to id upTo read.
func (s *Service) MarkRead(ctx context.Context, actor model.Actor, upTo int64) error {
	return s.Store.ReadNotifications(ctx, actor.User.ID, upTo, s.now())
}

// Address returns where the actor gets mail ("" and the site's language
// when nowhere).
func (s *Service) Address(ctx context.Context, actor model.Actor) (model.MailAddress, error) {
	a, err := s.Store.MailAddress(ctx, actor.User.ID)
	if errors.Is(err, model.ErrNotFound) {
		return model.MailAddress{UserID: actor.User.ID}, nil
	}
	return a, err
}

// SetAddress sets where and in which language the actor gets mail; an
// empty address stops it. The address is checked; the change is audited.
func (s *Service) SetAddress(ctx context.Context, actor model.Actor, email, lang string) error {
	if actor.IsSystem() {
		return fmt.Errorf("%w: set a mail address", model.ErrForbidden)
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
		if err := tx.SetMailAddress(ctx, model.MailAddress{UserID: actor.User.ID, Email: email, Lang: lang}); err != nil {
			return err
		}
		e := actor.Audit("mail_address", "user "+actor.User.Username, email)
		e.At = s.now()
		return tx.AddAudit(ctx, e)
	})
}
