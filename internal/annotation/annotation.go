// Package annotation holds annotations (批注): a reviewer's comment on a
// passage of a story, the answers to it, and its resolution. A passage is
// anchored in the story's plain text by its quote and the text around it,
// so it is found again after edits elsewhere, and is reported gone when
// its own text was changed or deleted. Anyone who may see a story may
// annotate it and answer; nothing is deleted.
package annotation

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"newsdesk/internal/article"
	"newsdesk/internal/model"
	"newsdesk/internal/search"
)

// Limits, in characters.
const (
	MaxQuote = 500
	MaxBody  = 2000
	// contextLen is how much text on each side of the quote is kept to
	// tell apart passages that read the same.
	contextLen = 32
)

// Service records annotations, each with its audit entry.
type Service struct {
	Store Store
	// Text returns the text a story's annotations are anchored in: what
	// the desk shows and edits (the working copy of a published story
	// under correction). nil: the stored story.
	Text func(ctx context.Context, id int64) (model.Article, error)
	// Now returns the current time; tests replace it.
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) text(ctx context.Context, id int64) (model.Article, error) {
	if s.Text != nil {
		return s.Text(ctx, id)
	}
	return s.Store.Article(ctx, id)
}

// Thread is an annotation with its replies and where its passage is in the
// story's text now: rune offsets [Start, End) of Plain(body), Found false
// when the passage is gone (原文已删改).
type Thread struct {
	Note
	Replies    []Note
	Found      bool
	Start, End int
}

// Note is an annotation or reply with the names of who wrote it and who
// resolved it.
type Note struct {
	model.Annotation
	Author, Resolver string
}

// Plain is the text annotations are anchored in: the body's readable text
// with every space and line break left out, so that the desk's view of
// the text (its DOM) and the stored HTML give the same characters
// whatever their layout.
func Plain(body string) []rune { return squeeze(search.Text(body)) }

func squeeze(s string) []rune {
	out := make([]rune, 0, utf8.RuneCountInString(s))
	for _, r := range s {
		if !unicode.IsSpace(r) {
			out = append(out, r)
		}
	}
	return out
}

// Locate finds an annotation's passage in text (Plain): among the places
// the quote occurs, the one whose surrounding text best matches the text
// kept around it, then the nearest to where it was. A place where neither
// neighbour matches at all is another passage with the same words (the
// annotated one was rewritten), unless the annotation kept no context.
func Locate(text []rune, a model.Annotation) (start, end int, ok bool) {
	q := squeeze(a.Quote)
	if len(q) == 0 || len(q) > len(text) {
		return 0, 0, false
	}
	prefix, suffix := squeeze(a.Prefix), squeeze(a.Suffix)
	best, bestScore, bestDist := -1, -1, 0
	for i := 0; i+len(q) <= len(text); i++ {
		if !equal(text[i:i+len(q)], q) {
			continue
		}
		score := commonSuffix(text[:i], prefix) + commonPrefix(text[i+len(q):], suffix)
		if score == 0 && len(prefix)+len(suffix) > 0 {
			continue
		}
		dist := i - a.Position
		if dist < 0 {
			dist = -dist
		}
		if score > bestScore || (score == bestScore && dist < bestDist) {
			best, bestScore, bestDist = i, score, dist
		}
	}
	if best < 0 {
		return 0, 0, false
	}
	return best, best + len(q), true
}

func equal(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func commonSuffix(a, b []rune) int {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] {
		n++
	}
	return n
}

func commonPrefix(a, b []rune) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// viewable loads the story's anchoring text and checks u may see it.
func (s *Service) viewable(ctx context.Context, u model.User, id int64) (model.Article, error) {
	a, err := s.text(ctx, id)
	if err != nil {
		return a, err
	}
	if !article.CanView(u, a) {
		return a, fmt.Errorf("%w: annotations of article %d", model.ErrForbidden, id)
	}
	return a, nil
}

// List returns a story's annotations, oldest first, each with its replies
// and where its passage is now.
func (s *Service) List(ctx context.Context, u model.User, id int64) ([]Thread, error) {
	a, err := s.viewable(ctx, u, id)
	if err != nil {
		return nil, err
	}
	all, err := s.Store.Annotations(ctx, id)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	name := func(id int64) (string, error) {
		if v, ok := names[id]; ok || id == 0 {
			return v, nil
		}
		u, err := s.Store.User(ctx, id)
		if err != nil {
			return "", fmt.Errorf("annotation writer: %w", err)
		}
		names[id] = u.Name
		return u.Name, nil
	}
	text := Plain(a.Body)
	var out []Thread
	at := map[int64]int{}
	for _, n := range all {
		note := Note{Annotation: n}
		if note.Author, err = name(n.UserID); err != nil {
			return nil, err
		}
		if note.Resolver, err = name(n.ResolvedBy); err != nil {
			return nil, err
		}
		if n.ParentID == 0 {
			th := Thread{Note: note}
			th.Start, th.End, th.Found = Locate(text, n)
			at[n.ID] = len(out)
			out = append(out, th)
		} else if i, ok := at[n.ParentID]; ok {
			out[i].Replies = append(out[i].Replies, note)
		}
	}
	return out, nil
}

func body(text string) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" || utf8.RuneCountInString(text) > MaxBody {
		return "", model.Invalid("annotation_body", MaxBody)
	}
	return text, nil
}

// Create annotates a passage of story id: in.Quote as the actor selected
// it, in.Prefix, in.Suffix and in.Position as hints to which of its
// occurrences; in.Body the comment. The passage must be in the story's
// text now; the anchor kept is the one found there.
func (s *Service) Create(ctx context.Context, actor model.Actor, id int64, in model.Annotation) (model.Annotation, error) {
	a, err := s.viewable(ctx, actor.User, id)
	if err != nil {
		return in, err
	}
	quote := strings.Join(strings.Fields(in.Quote), " ")
	if quote == "" || utf8.RuneCountInString(quote) > MaxQuote {
		return in, model.Invalid("annotation_quote", MaxQuote)
	}
	text := Plain(a.Body)
	in.Quote = quote
	start, end, ok := Locate(text, in)
	if !ok {
		return in, model.Invalid("annotation_passage")
	}
	if in.Body, err = body(in.Body); err != nil {
		return in, err
	}
	n := model.Annotation{ArticleID: id, UserID: actor.User.ID, Quote: quote, Position: start, Version: a.Version, Body: in.Body,
		Prefix: string(text[max(0, start-contextLen):start]), Suffix: string(text[end:min(len(text), end+contextLen)]), CreatedAt: s.now()}
	err = s.tx(ctx, func(tx Store) error {
		if err := tx.CreateAnnotation(ctx, &n); err != nil {
			return err
		}
		return tx.AddAudit(ctx, s.audit(actor, "annotate", id, fmt.Sprintf("annotation %d: %s", n.ID, quote)))
	})
	return n, err
}

func (s *Service) audit(actor model.Actor, action string, id int64, detail string) model.AuditEntry {
	e := actor.Audit(action, fmt.Sprintf("article %d", id), detail)
	e.At = s.now()
	return e
}

// thread loads annotation aid of story id, which must be an annotation,
// not a reply.
func (s *Service) thread(ctx context.Context, id, aid int64) (model.Annotation, error) {
	n, err := s.Store.Annotation(ctx, aid)
	if err != nil {
		return n, err
	}
	if n.ArticleID != id {
		return n, fmt.Errorf("annotation %d of article %d: %w", aid, id, model.ErrNotFound)
	}
	if n.ParentID != 0 {
		return n, model.Invalid("annotation_reply")
	}
	return n, nil
}

// Reply answers annotation aid of story id.
func (s *Service) Reply(ctx context.Context, actor model.Actor, id, aid int64, text string) (model.Annotation, error) {
	a, err := s.viewable(ctx, actor.User, id)
	if err != nil {
		return model.Annotation{}, err
	}
	if _, err := s.thread(ctx, id, aid); err != nil {
		return model.Annotation{}, err
	}
	text, err = body(text)
	if err != nil {
		return model.Annotation{}, err
	}
	n := model.Annotation{ArticleID: id, ParentID: aid, UserID: actor.User.ID, Version: a.Version, Body: text, CreatedAt: s.now()}
	err = s.tx(ctx, func(tx Store) error {
		if err := tx.CreateAnnotation(ctx, &n); err != nil {
			return err
		}
		return tx.AddAudit(ctx, s.audit(actor, "annotation_reply", id, fmt.Sprintf("annotation %d", aid)))
	})
	return n, err
}

// Resolve settles annotation aid of story id. Its writer, the story's
// author, and whoever may edit the story may settle it.
func (s *Service) Resolve(ctx context.Context, actor model.Actor, id, aid int64) error {
	a, err := s.viewable(ctx, actor.User, id)
	if err != nil {
		return err
	}
	n, err := s.thread(ctx, id, aid)
	if err != nil {
		return err
	}
	u := actor.User
	if n.UserID != u.ID && a.AuthorID != u.ID && !article.CanEdit(u, a) {
		return fmt.Errorf("%w: resolve annotation %d", model.ErrForbidden, aid)
	}
	if !n.ResolvedAt.IsZero() {
		return nil // settled already: nothing to record
	}
	return s.tx(ctx, func(tx Store) error {
		if err := tx.ResolveAnnotation(ctx, aid, u.ID, s.now()); err != nil {
			return err
		}
		return tx.AddAudit(ctx, s.audit(actor, "annotation_resolve", id, fmt.Sprintf("annotation %d", aid)))
	})
}
