// Package bulk applies one action to many stories chosen in the story
// list (稿件管理): withdraw them, move them to another column, or add them
// to a slot. Each story goes through its own domain service, which checks
// it and writes its audit entry; a story refused is reported with the
// reason and the others go on.
package bulk

import (
	"context"
	"fmt"
	"slices"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/model"
	"newsdesk/internal/slot"
)

// The actions.
const (
	Withdraw = "withdraw"
	Move     = "move"
	Slot     = "slot"
)

// Actions lists the bulk actions in the desk's order.
var Actions = []string{Withdraw, Move, Slot}

// MaxStories is the most stories one request may change.
const MaxStories = 100

// Item is one chosen story, at the version the actor saw.
type Item struct {
	ID      int64
	Version int
}

// Request is a bulk action on the chosen stories, with what it needs.
type Request struct {
	Action string
	Items  []Item
	// ColumnID is where Move puts the stories.
	ColumnID int64
	// Slot, Position and ExpiresAt place the stories for Slot.
	Slot      string
	Position  int
	ExpiresAt time.Time
	// Comment goes with each withdrawal into the story's history.
	Comment string
}

// Result is what became of one story: Err is nil when it was done.
type Result struct {
	Article model.Article
	Err     error
}

// Service runs bulk actions through the article and slot services.
type Service struct {
	Articles *article.Service
	Slots    *slot.Service
}

// Check refuses a choice that cannot run at all: from someone other
// than news-centre staff, of no stories or too many, or of an unknown
// action. The desk asks it before showing the confirmation.
func (s Service) Check(u model.User, r Request) error {
	if !u.CanPublish() {
		return fmt.Errorf("%w: bulk %s", model.ErrForbidden, r.Action)
	}
	switch {
	case len(r.Items) == 0:
		return model.Invalid("bulk_none")
	case len(r.Items) > MaxStories:
		return model.Invalid("bulk_many", MaxStories)
	case !slices.Contains(Actions, r.Action):
		return model.Invalid("bulk_action", r.Action)
	}
	return nil
}

// Apply runs r for every chosen story in order. The error is for a
// request that cannot run at all (Check, or what the action needs
// missing); each story's refusal is in its Result.
func (s Service) Apply(ctx context.Context, actor model.Actor, r Request) ([]Result, error) {
	if err := s.Check(actor.User, r); err != nil {
		return nil, err
	}
	switch {
	case r.Action == Move && r.ColumnID <= 0:
		return nil, model.Invalid("column_required")
	case r.Action == Slot && !slot.Valid(r.Slot):
		return nil, model.Invalid("slot", r.Slot)
	case r.Action == Slot && r.Position < 0:
		return nil, model.Invalid("position")
	}
	out := make([]Result, 0, len(r.Items))
	for _, it := range r.Items {
		out = append(out, s.one(ctx, actor, r, it))
	}
	return out, nil
}

func (s Service) one(ctx context.Context, actor model.Actor, r Request, it Item) Result {
	a, err := s.Articles.Store.Article(ctx, it.ID)
	if err != nil {
		return Result{Article: model.Article{ID: it.ID}, Err: err}
	}
	switch r.Action {
	case Withdraw:
		var done model.Article
		done, err = s.Articles.Transition(ctx, actor, it.ID, it.Version, article.ActionWithdraw, r.Comment, time.Time{})
		if err == nil {
			a = done
		}
	case Move:
		var done model.Article
		done, err = s.Articles.MoveToColumn(ctx, actor, it.ID, it.Version, r.ColumnID)
		if err == nil {
			a = done
		}
	case Slot:
		// A slot shows published stories: a draft placed there would wait
		// unseen, which is never what a bulk choice meant.
		if a.Status != model.StatusPublished && a.Status != model.StatusScheduled {
			err = model.Invalid("slot_unpublished")
			break
		}
		err = s.Slots.Place(ctx, actor, model.Placement{Slot: r.Slot, ArticleID: it.ID, Position: r.Position, ExpiresAt: r.ExpiresAt})
	}
	return Result{Article: a, Err: err}
}
