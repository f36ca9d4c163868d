// Package article holds the rules for news articles: what a valid article is,
// how its body is sanitised, publishing and withdrawing, and view counting.
package article

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"newsdesk/internal/model"
	"newsdesk/internal/search"
	"newsdesk/internal/store"
)

// ErrInvalid matches validation failures (model.InvalidError).
var ErrInvalid = model.ErrInvalid

// Service changes articles: every write checks who may make it, and saves
// the article, its search tokens and the audit entry in one transaction.
type Service struct {
	Store Store
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// Changed is called after every change that can alter public pages.
	Changed func()
	// Checks, when set, is asked before a story moves on (the content
	// checks, 错敏检查).
	Checks Gate
	// Transitioned, when set, runs in the transaction of every change of
	// state, after it is saved: notifications are written with the change
	// or not at all.
	Transitioned func(ctx context.Context, tx store.Store, a model.Article, ev model.Event) error
}

// transitioned runs the Transitioned hook, if any.
func (s *Service) transitioned(ctx context.Context, tx store.Store, a model.Article, ev model.Event) error {
	if s.Transitioned == nil {
		return nil
	}
	return s.Transitioned(ctx, tx, a, ev)

}

// Gate checks a story before the workflow moves it on: an error (an
// InvalidError saying what to fix) refuses the action.
type Gate interface {
	Gate(ctx context.Context, a model.Article, action string) error
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) changed() {
	if s.Changed != nil {
		s.Changed()
	}
}

// Validate checks the fields every saved article needs.
func Validate(a *model.Article) error {
	a.Title = strings.TrimSpace(a.Title)
	switch {
	case a.Title == "":
		return model.Invalid("title_required")
	case utf8.RuneCountInString(a.Title) > 200:
		return model.Invalid("title_long", 200)
	case a.ColumnID == 0:
		return model.Invalid("column_required")
	case utf8.RuneCountInString(a.Summary) > 1000:
		return model.Invalid("summary_long", 1000)
	}
	return nil
}

// write runs change, then the search index update and the audit entry, in
// one transaction, and tells the site after it committed. A crash between
// a save and its index update can no longer leave the old text indexed.
// The whole store, not Store: the Transitioned hook (notifications)
// writes in the same transaction.
func (s *Service) write(ctx context.Context, a *model.Article, change func(tx store.Store) error, audit model.AuditEntry) error {
	err := s.Store.Tx(ctx, func(tx store.Store) error {
		if err := change(tx); err != nil {
			return err
		}
		if err := tx.IndexArticles(ctx, map[int64]store.SearchDoc{a.ID: search.Doc(*a)}); err != nil {
			return fmt.Errorf("index article %d: %w", a.ID, err)
		}
		if audit.Target == "" {
			audit.Target = target(a.ID)
		}
		audit.At = s.now()
		return tx.AddAudit(ctx, audit)
	})
	if err != nil {
		return err
	}
	s.changed()
	return nil
}

func target(id int64) string { return "article " + strconv.FormatInt(id, 10) }

// Create stores a new draft written by the actor, for the actor's unit.
// Stories only ever start as drafts: the workflow publishes them, and
// Import brings in what was published elsewhere.
func (s *Service) Create(ctx context.Context, actor model.Actor, a *model.Article) error {
	u := actor.User
	if !u.CanWrite() {
		return fmt.Errorf("%w: create article", ErrForbidden)
	}
	a.Status, a.PublishedAt, a.ID = model.StatusDraft, time.Time{}, 0
	a.AuthorID, a.UnitID, a.SavedBy = u.ID, u.UnitID, u.ID
	if !u.CanPublish() {
		a.Credits.Editor = "" // 责任编辑 is the news centre's to name
	}
	if err := Validate(a); err != nil {
		return err
	}
	a.Body = Sanitize(a.Body)
	return s.write(ctx, a, func(tx store.Store) error { return tx.CreateArticle(ctx, a) }, actor.Audit("create", "", a.Title))
}

// Import stores an article that was written and perhaps published
// elsewhere, keeping its state and times; source says where it came from
// (recorded in the audit log). Only news-centre staff and the system import.
func (s *Service) Import(ctx context.Context, actor model.Actor, a *model.Article, source string) error {
	if !actor.IsSystem() && !actor.User.CanPublish() {
		return fmt.Errorf("%w: import article", ErrForbidden)
	}
	if a.Status == "" {
		a.Status = model.StatusDraft
	}
	if a.Status == model.StatusPublished && a.PublishedAt.IsZero() {
		a.PublishedAt = s.now()
	}
	if err := Validate(a); err != nil {
		return err
	}
	a.Body = Sanitize(a.Body)
	return s.write(ctx, a, func(tx store.Store) error { return tx.CreateArticle(ctx, a) }, actor.Audit("import", "", source))
}

// Update saves the actor's changes to an article, which they read at
// a.Version; it fails with model.ErrConflict when someone saved it since.
// What the actor may not change (the state, the author, 责任编辑 for
// contributors and unit reviewers) is kept as stored.
func (s *Service) Update(ctx context.Context, actor model.Actor, a *model.Article) error {
	return s.update(ctx, actor, a, actor.Audit("save", "", fmt.Sprintf("version %d: %s", a.Version+1, a.Title)))
}

func (s *Service) update(ctx context.Context, actor model.Actor, a *model.Article, audit model.AuditEntry) error {
	stored, err := s.Store.Article(ctx, a.ID)
	if err != nil {
		return err
	}
	if ok, err := s.CanEdit(ctx, actor.User, stored); err != nil {
		return err
	} else if !ok {
		return fmt.Errorf("%w: edit article %d", ErrForbidden, a.ID)
	}
	a.Status, a.PublishedAt, a.AuthorID, a.UnitID, a.Views, a.RevisedAt = stored.Status, stored.PublishedAt, stored.AuthorID, stored.UnitID, stored.Views, stored.RevisedAt
	if !actor.User.CanPublish() {
		a.Credits.Editor = stored.Credits.Editor
	}
	a.SavedBy = actor.User.ID
	if err := Validate(a); err != nil {
		return err
	}
	a.Body = Sanitize(a.Body)
	// A published story stays on the site as it is: its saves go to a
	// working copy, reviewed before it replaces the published text.
	prev, copying, err := s.copies(ctx, stored)
	if err != nil {
		return err
	}
	if !copying {
		a.Correction = stored.Correction // a note belongs to a correction
		return s.write(ctx, a, func(tx store.Store) error { return tx.UpdateArticle(ctx, a) }, audit)
	}
	if err := checkCorrection(a); err != nil {
		return err
	}
	return s.saveCopy(ctx, actor, a, prev)
}

// Visible reports whether the public may read a at time now.
func Visible(a model.Article, now time.Time) bool {
	return a.Status == model.StatusPublished && !a.PublishedAt.After(now)
}
