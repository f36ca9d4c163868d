package reader

import (
	"context"
	"fmt"
	"html/template"
	"strings"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/review"
	"newsdesk/internal/store"
)

// RelatedCount is how many related articles an article page lists.
const RelatedCount = 5

// Article is an article page.
type Article struct {
	Card
	// Body is the body as sanitised on save; its library pictures are
	// rendered from Figures as the library describes them now.
	Body template.HTML
	// Figures are the library pictures of the body, in reading order.
	Figures []Image
	Path    []store.Column // the column path, from the top level down
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
	a, err := s.Store.Article(ctx, id)
	if err != nil {
		return Article{}, err
	}
	now := s.now()
	if !article.Visible(a, now) {
		return Article{}, fmt.Errorf("article %d is not public: %w", id, store.ErrNotFound)
	}
	st, err := s.Site(ctx)
	if err != nil {
		return Article{}, err
	}
	cols := st.Columns
	d := Article{Card: card(cols, a), Body: template.HTML(a.Body), Path: cols.Path(a.ColumnID)}
	if s.Views != nil {
		d.Views += s.Views.Pending(a.ID)
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
	cr := a.Credits
	var reviewers []string
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
