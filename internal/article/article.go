// Package article holds the rules for news articles: what a valid article is,
// how its body is sanitised, publishing and withdrawing, and view counting.
package article

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"newsdesk/internal/store"
)

// ErrInvalid matches validation failures (store.InvalidError).
var ErrInvalid = store.ErrInvalid

// Service changes articles and tells the site when published content changed.
type Service struct {
	Store store.Store
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// Changed is called after every change that can alter public pages.
	Changed func()
	// Index, when set, is called with every saved article (the search index).
	Index func(ctx context.Context, a store.Article) error
}

// saved runs the hooks after a successful save. A failed index update is
// reported but does not undo the save: the index is rebuilt at start-up
// when it falls out of step.
func (s *Service) saved(ctx context.Context, a store.Article) error {
	s.changed()
	if s.Index != nil {
		if err := s.Index(ctx, a); err != nil {
			return fmt.Errorf("article %d saved, but indexing failed: %w", a.ID, err)
		}
	}
	return nil
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
func Validate(a *store.Article) error {
	a.Title = strings.TrimSpace(a.Title)
	switch {
	case a.Title == "":
		return store.Invalid("title_required")
	case utf8.RuneCountInString(a.Title) > 200:
		return store.Invalid("title_long", 200)
	case a.ColumnID == 0:
		return store.Invalid("column_required")
	case utf8.RuneCountInString(a.Summary) > 1000:
		return store.Invalid("summary_long", 1000)
	}
	return nil
}

// Create validates, sanitises and stores a new article.
func (s *Service) Create(ctx context.Context, a *store.Article) error {
	if a.Status == "" {
		a.Status = store.StatusDraft
	}
	if err := Validate(a); err != nil {
		return err
	}
	a.Body = Sanitize(a.Body)
	if err := s.Store.CreateArticle(ctx, a); err != nil {
		return err
	}
	return s.saved(ctx, *a)
}

// Update validates, sanitises and saves a; it fails with store.ErrConflict
// when someone saved the article after a.Version was read.
func (s *Service) Update(ctx context.Context, a *store.Article) error {
	if err := Validate(a); err != nil {
		return err
	}
	a.Body = Sanitize(a.Body)
	if err := s.Store.UpdateArticle(ctx, a); err != nil {
		return err
	}
	return s.saved(ctx, *a)
}

// Publish makes the article public now (or at a, if PublishedAt is set and
// this is a first publication of back-dated content).
func (s *Service) Publish(ctx context.Context, id int64, version int) (store.Article, error) {
	a, err := s.Store.Article(ctx, id)
	if err != nil {
		return a, err
	}
	a.Version = version
	a.Status = store.StatusPublished
	if a.PublishedAt.IsZero() {
		a.PublishedAt = s.now()
	}
	if err := s.Store.UpdateArticle(ctx, &a); err != nil {
		return a, fmt.Errorf("publish: %w", err)
	}
	return a, s.saved(ctx, a)
}

// Withdraw takes a published article off the public site (撤稿).
func (s *Service) Withdraw(ctx context.Context, id int64, version int) (store.Article, error) {
	a, err := s.Store.Article(ctx, id)
	if err != nil {
		return a, err
	}
	a.Version = version
	a.Status = store.StatusWithdrawn
	if err := s.Store.UpdateArticle(ctx, &a); err != nil {
		return a, fmt.Errorf("withdraw: %w", err)
	}
	return a, s.saved(ctx, a)
}

// Visible reports whether the public may read a at time now.
func Visible(a store.Article, now time.Time) bool {
	return a.Status == store.StatusPublished && !a.PublishedAt.After(now)
}
