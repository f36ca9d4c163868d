package article

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"newsdesk/internal/store"
)

// ErrForbidden is returned when the actor may not do what was asked.
var ErrForbidden = store.ErrForbidden

// Workflow actions.
const (
	ActionSubmit   = "submit"   // contributor → unit review
	ActionApprove  = "approve"  // unit reviewer → news centre
	ActionReturn   = "return"   // back to the contributor, comment required
	ActionReject   = "reject"   // end, comment required
	ActionPublish  = "publish"  // now
	ActionSchedule = "schedule" // at a time
	ActionWithdraw = "withdraw" // off the site
)

// transition is one allowed step.
type transition struct {
	from    []string
	to      string
	may     func(u store.User, a store.Article) bool
	comment bool // a comment is required
}

func editor(u store.User, _ store.Article) bool { return u.CanPublish() }

func unitReviewer(u store.User, a store.Article) bool {
	return editor(u, a) || (u.Has(store.RoleReviewer) && u.UnitID != 0 && u.UnitID == a.UnitID)
}

func author(u store.User, a store.Article) bool {
	return editor(u, a) || (a.AuthorID != 0 && a.AuthorID == u.ID)
}

var transitions = map[string]transition{
	ActionSubmit:  {from: []string{store.StatusDraft, store.StatusReturned}, to: store.StatusSubmitted, may: author},
	ActionApprove: {from: []string{store.StatusSubmitted}, to: store.StatusUnitApproved, may: unitReviewer},
	ActionReturn: {from: []string{store.StatusSubmitted, store.StatusUnitApproved}, to: store.StatusReturned, comment: true,
		may: func(u store.User, a store.Article) bool {
			if a.Status == store.StatusSubmitted {
				return unitReviewer(u, a)
			}
			return editor(u, a)
		}},
	ActionReject: {from: []string{store.StatusSubmitted, store.StatusUnitApproved}, to: store.StatusRejected, comment: true,
		may: func(u store.User, a store.Article) bool {
			if a.Status == store.StatusSubmitted {
				return unitReviewer(u, a)
			}
			return editor(u, a)
		}},
	ActionPublish:  {from: []string{store.StatusDraft, store.StatusUnitApproved, store.StatusScheduled, store.StatusWithdrawn}, to: store.StatusPublished, may: editor},
	ActionSchedule: {from: []string{store.StatusDraft, store.StatusUnitApproved}, to: store.StatusScheduled, may: editor},
	ActionWithdraw: {from: []string{store.StatusPublished, store.StatusScheduled}, to: store.StatusWithdrawn, may: editor},
}

// gated reports whether the content checks stand before an action: every
// one that moves a story on (submit, each review step, publish, schedule),
// not those that send it back or take it down.
func gated(action string) bool {
	return action != ActionReturn && action != ActionReject && action != ActionWithdraw
}

// Actions lists what u may do with a now, in the desk's order.
func Actions(u store.User, a store.Article) []string {
	var out []string
	for _, name := range []string{ActionSubmit, ActionApprove, ActionReturn, ActionReject, ActionSchedule, ActionPublish, ActionWithdraw} {
		t := transitions[name]
		if slices.Contains(t.from, a.Status) && t.may(u, a) {
			out = append(out, name)
		}
	}
	return out
}

// CanView reports whether u may open a in the desk: editors see all; unit
// reviewers their unit's; contributors what they wrote.
func CanView(u store.User, a store.Article) bool {
	return editor(u, a) || (a.AuthorID != 0 && a.AuthorID == u.ID) ||
		(u.Has(store.RoleReviewer) && u.UnitID != 0 && u.UnitID == a.UnitID)
}

// Scope is the part of the desk's stories a user may see, as filters for a
// list or a search: UnitID and AuthorID are 0 when unrestricted.
type Scope struct {
	All      bool // news-centre staff: every story
	UnitID   int64
	AuthorID int64
}

// ScopeOf says which stories u may see, as CanView does for one: editors
// all, unit reviewers their unit's, contributors their own.
func ScopeOf(u store.User) Scope {
	switch {
	case u.CanPublish():
		return Scope{All: true}
	case u.Has(store.RoleReviewer) && u.UnitID != 0:
		return Scope{UnitID: u.UnitID}
	}
	return Scope{AuthorID: u.ID}
}

// Narrow applies the scope to the filters a user asked for: within their
// scope they may filter further, never wider.
func (sc Scope) Narrow(unitID, authorID int64) (int64, int64) {
	switch {
	case sc.All:
		return unitID, authorID
	case sc.UnitID != 0:
		return sc.UnitID, authorID
	}
	return 0, sc.AuthorID
}

// CanEdit reports whether u may change a's text: editors at any stage; the
// author while it is theirs (draft or returned); the unit reviewer while it
// waits for their review.
func CanEdit(u store.User, a store.Article) bool {
	switch {
	case editor(u, a):
		return true
	case a.AuthorID == u.ID && (a.Status == store.StatusDraft || a.Status == store.StatusReturned):
		return true
	case a.Status == store.StatusSubmitted:
		return unitReviewer(u, a)
	}
	return false
}

// Transition applies action to article id, which the actor last saw at
// version. when is the publication time of ActionSchedule.
func (s *Service) Transition(ctx context.Context, actor store.Actor, id int64, version int, action, comment string, when time.Time) (store.Article, error) {
	t, ok := transitions[action]
	if !ok {
		return store.Article{}, store.Invalid("action", action)
	}
	a, err := s.Store.Article(ctx, id)
	if err != nil {
		return a, err
	}
	u := actor.User
	if !CanView(u, a) || !t.may(u, a) {
		return a, fmt.Errorf("%w: %s article %d", ErrForbidden, action, id)
	}
	if a.Version != version {
		return a, fmt.Errorf("%s article %d from version %d: %w", action, id, version, store.ErrConflict)
	}
	if !slices.Contains(t.from, a.Status) {
		return a, store.Invalid("state", action, a.Status)
	}
	comment = strings.TrimSpace(comment)
	if t.comment && comment == "" {
		return a, store.Invalid("comment_required")
	}
	if action == ActionPublish || action == ActionSchedule {
		if err := s.checkAlt(ctx, a); err != nil {
			return a, err
		}
	}
	if s.Checks != nil && gated(action) {
		if err := s.Checks.Gate(ctx, a, action); err != nil {
			return a, err
		}
	}
	from := a.Status
	a.Status = t.to
	switch action {
	case ActionPublish:
		if a.PublishedAt.IsZero() || from == store.StatusScheduled {
			a.PublishedAt = s.now()
		}
	case ActionSchedule:
		if !when.After(s.now()) {
			return a, store.Invalid("time_past")
		}
		a.PublishedAt = when
	}
	a.SavedBy = u.ID
	ev := store.Event{UserID: u.ID, Action: action, From: from, To: a.Status, Comment: comment, IP: actor.IP}
	err = s.write(ctx, &a, func(tx store.Store) error { return tx.TransitionArticle(ctx, &a, ev) },
		actor.Audit(action, "", from+" → "+a.Status))
	return a, err
}

// PublishDue publishes the scheduled articles whose time has come, as the
// system (audited so). It runs every few seconds; being in the store,
// schedules survive restarts.
func (s *Service) PublishDue(ctx context.Context) (int, error) {
	due, _, err := s.Store.Articles(ctx, store.ArticleQuery{Status: store.StatusScheduled, PublishedBy: s.now(), NoTotal: true, Limit: 100})
	if err != nil {
		return 0, err
	}
	system := store.SystemActor("job")
	n := 0
	for _, a := range due {
		from := a.Status
		a.Status = store.StatusPublished
		ev := store.Event{Action: ActionPublish, From: from, To: a.Status, Comment: "定时发布"}
		err := s.write(ctx, &a, func(tx store.Store) error { return tx.TransitionArticle(ctx, &a, ev) },
			system.Audit("scheduled_publish", "", from+" → "+a.Status))
		if errors.Is(err, store.ErrConflict) {
			continue // changed meanwhile (withdrawn, rescheduled): the next round sees it
		} else if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
