package reader

import (
	"context"
	"fmt"
	"html/template"
	"strings"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/column"
	"newsdesk/internal/model"
	"newsdesk/internal/review"
	"newsdesk/internal/store"
)

// RelatedCount is how many related articles an article page lists.
const RelatedCount = 8

// Article is an article page.
type Article struct {
	Card
	// Body is the body as sanitised on save; its library pictures are
	// rendered from Figures as the library describes them now.
	Body template.HTML
	// Figures are the library pictures of the body, in reading order.
	Figures []Image
	Path    []model.Column // the column path, from the top level down
	Prev    *Card          // the previous (older) article of the same column
	Next    *Card          // the next (newer) one
	// Related are the latest earlier articles of the same top-level column.
	Related []Card
	// Lines are the credit lines at the end, in display order.
	Lines []Credit
}

// Credit is one credit line: Role names it ("photographers", "writers",
// "unit", "source", "editor"; the renderer labels it), Value is who.
type Credit struct {
	Role  string
	Value string
}

// Article builds an article page. An article that is not published, or
// published for later, is not found.
func (s *Service) Article(ctx context.Context, id int64) (Article, error) {
	pre := prefetched(ctx)
	var a model.Article
	var err error
	if pre != nil && pre.Article != nil && pre.Article.ID == id {
		a = *pre.Article
	} else if a, err = s.Store.Article(ctx, id); err != nil {
		return Article{}, err
	}
	now := s.now()
	if !article.Visible(a, now) {
		return Article{}, fmt.Errorf("article %d is not public: %w", id, model.ErrNotFound)
	}
	st, err := s.Site(ctx)
	if err != nil {
		return Article{}, err
	}
	cols := st.Columns
	d, err := s.page(ctx, cols, a)
	if err != nil {
		return Article{}, err
	}
	if s.Views != nil {
		d.Views += s.Views.Pending(a.ID)
	}
	if pre != nil && pre.Index != nil {
		pre.Index.neighbours(&d, a)
		return d, nil
	}
	inColumn := []int64{a.ColumnID}
	older, _, err := s.published(ctx, store.ArticleQuery{ColumnIDs: inColumn, To: a.PublishedAt, Limit: 1, NoTotal: true})
	if err != nil {
		return Article{}, err
	}
	newer, _, err := s.published(ctx, store.ArticleQuery{ColumnIDs: inColumn, From: a.PublishedAt.Add(time.Second), Limit: 1, OldestFirst: true, NoTotal: true})
	if err != nil {
		return Article{}, err
	}
	if len(older) > 0 {
		c := card(cols, older[0])
		d.Prev = &c
	}
	if len(newer) > 0 {
		c := card(cols, newer[0])
		d.Next = &c
	}
	related, _, err := s.published(ctx, store.ArticleQuery{ColumnIDs: cols.Subtree(top(cols, a.ColumnID)), To: a.PublishedAt.Add(time.Second), Limit: RelatedCount + 1, NoTotal: true})
	if err != nil {
		return Article{}, err
	}
	for _, r := range related {
		if r.ID != a.ID && len(d.Related) < RelatedCount {
			d.Related = append(d.Related, card(cols, r))
		}
	}
	return d, nil
}

// Preview is the page a story would have once published, whatever its
// state (the desk's 预览 of an unsaved story, what an outside approver is
// shown): its column path, credits and pictures as the public page shows
// them, without neighbours, related stories or views, dated now if it has
// no publication time yet.
func (s *Service) Preview(ctx context.Context, a model.Article) (Article, error) {
	if a.PublishedAt.IsZero() {
		a.PublishedAt = s.now()
	}
	st, err := s.Site(ctx)
	if err != nil {
		return Article{}, err
	}
	return s.page(ctx, st.Columns, a)
}

// page is what every article page has: its card, body, column path,
// credit lines, lead image and the body's library pictures.
func (s *Service) page(ctx context.Context, cols *column.Tree, a model.Article) (Article, error) {
	d := Article{Card: card(cols, a), Body: template.HTML(a.Body), Path: cols.Path(a.ColumnID)}
	cr := a.Credits
	var reviewers []string
	st, err := s.Site(ctx)
	if err != nil {
		return Article{}, err
	}
	if st.Settings.ReviewerNames {
		evs, err := s.Store.Events(ctx, a.ID)
		if err != nil {
			return Article{}, err
		}
		reviewers = review.Reviewers(evs)
	}
	for _, c := range []Credit{
		{"photographers", strings.Join(cr.Photographers, " ")},
		{"writers", strings.Join(cr.Writers, " ")},
		{"unit", cr.Unit},
		{"source", cr.Source},
		{"editor", cr.Editor},
		{"reviewers", strings.Join(reviewers, " ")},
	} {
		if c.Value != "" {
			d.Lines = append(d.Lines, c)
		}
	}
	// The lead image and the body's pictures, in one read.
	var ids []int64
	if a.LeadMediaID != 0 {
		ids = append(ids, a.LeadMediaID)
	}
	var inBody []int64
	for _, img := range article.Images(a.Body) {
		if img.MediaID != 0 {
			inBody = append(inBody, img.MediaID)
		}
	}
	if ids = append(ids, inBody...); len(ids) > 0 {
		imgs, err := s.images(ctx, ids)
		if err != nil {
			return Article{}, err
		}
		if img, ok := imgs[a.LeadMediaID]; ok {
			d.Lead = &img
		}
		for _, id := range inBody {
			if img, ok := imgs[id]; ok {
				d.Figures = append(d.Figures, img)
			}
		}
	}
	return d, nil
}

// ShownOn lists the public articles whose pages show article id: the ones
// before and after it in its column (their previous and next links) and
// the newer ones of its top-level column that list it among their related
// articles. A static copy writes them again when id changes, appears or
// goes; id itself need not be public any more.
func (s *Service) ShownOn(ctx context.Context, id int64) ([]int64, error) {
	a, err := s.Store.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.ShownAt(ctx, id, a.ColumnID, a.PublishedAt)
}

// ShownAt is ShownOn for article id as it was listed in column at
// publish time published: where a story moved or re-dated was shown
// before.
func (s *Service) ShownAt(ctx context.Context, id, column int64, published time.Time) ([]int64, error) {
	st, err := s.Site(ctx)
	if err != nil {
		return nil, err
	}
	cols, in := st.Columns, []int64{column}
	var out []int64
	for _, q := range []store.ArticleQuery{
		{ColumnIDs: in, To: published, Limit: 1, NoTotal: true},
		{ColumnIDs: in, From: published.Add(time.Second), Limit: 1, OldestFirst: true, NoTotal: true},
		{ColumnIDs: cols.Subtree(top(cols, column)), From: published, Limit: RelatedCount + 1, OldestFirst: true, NoTotal: true},
	} {
		as, _, err := s.published(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, b := range as {
			if b.ID != id {
				out = append(out, b.ID)
			}
		}
	}
	return out, nil
}
