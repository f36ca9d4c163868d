package article

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"newsdesk/internal/column"
	"newsdesk/internal/model"
	"newsdesk/internal/review"
	"newsdesk/internal/store"
)

// ErrForbidden is returned when the actor may not do what was asked.
var ErrForbidden = model.ErrForbidden

// Workflow actions.
const (
	ActionSubmit   = "submit"   // author → the first step of the column's review chain
	ActionApprove  = "approve"  // a step's holder → the next step
	ActionReturn   = "return"   // back to the author or an earlier step, with a reason or comment
	ActionReject   = "reject"   // end, comment required
	ActionPublish  = "publish"  // now (at the chain's last step, or an editor's own draft)
	ActionSchedule = "schedule" // at a time
	ActionWithdraw = "withdraw" // off the site
)

// rule says who may do an action from which states. Actions on review
// steps (approve, return, reject, and publish or schedule at the last
// step) are decided by the story's chain instead: see stepAction.
type rule struct {
	from []string
	may  func(u model.User, a model.Article) bool
}

func editor(u model.User, _ model.Article) bool { return u.CanPublish() }

func author(u model.User, a model.Article) bool {
	return editor(u, a) || (a.AuthorID != 0 && a.AuthorID == u.ID)
}

// rules are the actions outside the review chain: submitting, an
// editor publishing or scheduling a draft, republishing, withdrawing.
var rules = map[string]rule{
	ActionSubmit:   {from: []string{model.StatusDraft, model.StatusReturned}, may: author},
	ActionPublish:  {from: []string{model.StatusDraft, model.StatusScheduled, model.StatusWithdrawn}, may: editor},
	ActionSchedule: {from: []string{model.StatusDraft}, may: editor},
	ActionWithdraw: {from: []string{model.StatusPublished, model.StatusScheduled}, may: editor},
}

// stepAction reports whether action is a decision u may take on the
// step a waits at now: approve (not at the last step), publish or
// schedule (at the last step), return and reject.
func stepAction(u model.User, a model.Article, action string) bool {
	i, st, ok := review.Current(a)
	if !ok || !review.Holds(u, st, a) {
		return false
	}
	last := i == len(review.Steps(a))-1
	switch action {
	case ActionApprove:
		return !last
	case ActionPublish, ActionSchedule:
		return last
	case ActionReturn, ActionReject:
		return true
	}
	return false
}

// may reports whether u may do action with a now.
func may(u model.User, a model.Article, action string) bool {
	if stepAction(u, a, action) {
		return true
	}
	r, ok := rules[action]
	return ok && slices.Contains(r.from, a.Status) && r.may(u, a)
}

// gated reports whether the content checks stand before an action: every
// one that moves a story on (submit, each review step, publish, schedule),
// not those that send it back or take it down.
func gated(action string) bool {
	return action != ActionReturn && action != ActionReject && action != ActionWithdraw
}

// Actions lists what u may do with a now, in the desk's order.
func Actions(u model.User, a model.Article) []string {
	var out []string
	for _, name := range []string{ActionSubmit, ActionApprove, ActionReturn, ActionReject, ActionSchedule, ActionPublish, ActionWithdraw} {
		if may(u, a, name) {
			out = append(out, name)
		}
	}
	return out
}

// direct reports whether action would take draft a to the site without
// its review chain.
func direct(a model.Article, action string) bool {
	return a.Status == model.StatusDraft && (action == ActionPublish || action == ActionSchedule)
}

// Actions lists what u may do with a now, as the package's Actions does,
// knowing the column's review chain: in a column under a configured chain
// every story goes through every step, so nobody (an editor with their own
// draft included) publishes or schedules a draft directly. The author
// submits it and takes, as its owner, each step they may take.
func (s *Service) Actions(ctx context.Context, u model.User, a model.Article) ([]string, error) {
	out := Actions(u, a)
	if a.Status != model.StatusDraft {
		return out, nil
	}
	configured, err := s.configured(ctx, a.ColumnID)
	if err != nil || !configured {
		return out, err
	}
	return slices.DeleteFunc(out, func(action string) bool { return direct(a, action) }), nil
}

// CanView reports whether u may open a in the desk: editors see all; unit
// reviewers their unit's; contributors what they wrote; whoever may take
// the step it waits at.
func CanView(u model.User, a model.Article) bool {
	return editor(u, a) || (a.AuthorID != 0 && a.AuthorID == u.ID) ||
		(u.Has(model.RoleReviewer) && u.UnitID != 0 && u.UnitID == a.UnitID) || holdsCurrent(u, a)
}

// holdsCurrent reports whether u may take the step a waits at.
func holdsCurrent(u model.User, a model.Article) bool {
	_, st, ok := review.Current(a)
	return ok && review.Holds(u, st, a)
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
func ScopeOf(u model.User) Scope {
	switch {
	case u.CanPublish():
		return Scope{All: true}
	case u.Has(model.RoleReviewer) && u.UnitID != 0:
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
// author while it is theirs (draft or returned); whoever may take the step
// it waits at (a proofreader corrects the text, the diff shows it).
func CanEdit(u model.User, a model.Article) bool {
	switch {
	case editor(u, a):
		return true
	case a.AuthorID == u.ID && (a.Status == model.StatusDraft || a.Status == model.StatusReturned):
		return true
	}
	return holdsCurrent(u, a)
}

// Move is a change of state asked for: an action, on the version the
// actor last saw, with what the action needs.
type Move struct {
	Action  string
	Version int
	// Step is the number (from 1) of the step the decision is meant for;
	// 0 takes whichever step the story waits at. A decision meant for a
	// step the story has left is refused.
	Step    int
	Comment string
	// Reason is a preset return reason (review.Service.Reasons).
	Reason string
	// ReturnTo is where a return sends the story: 0 to its author, n to
	// step n, which must come before the current one.
	ReturnTo int
	// When is the publication time of ActionSchedule.
	When time.Time
}

// Transition applies action to article id, which the actor last saw at
// version. when is the publication time of ActionSchedule. A return goes
// to the author; Move says more.
func (s *Service) Transition(ctx context.Context, actor model.Actor, id int64, version int, action, comment string, when time.Time) (model.Article, error) {
	return s.Move(ctx, actor, id, Move{Action: action, Version: version, Comment: comment, When: when})
}

// Move applies m to article id: the one entrance for a story's changes
// of state. Submitting puts the story on its column's review chain (kept
// with the story: a later change to the chain does not affect it; a
// returned story resubmitted starts its chain again from the first step);
// each step's holders approve it to the next step, return it to the author
// or an earlier step, or reject it; the last step's holders publish or
// schedule it. Every decision is recorded with who, when, from where, the
// step and the version decided on, and audited in the same transaction.
func (s *Service) Move(ctx context.Context, actor model.Actor, id int64, m Move) (model.Article, error) {
	action := m.Action
	if _, ok := rules[action]; !ok && action != ActionApprove && action != ActionReturn && action != ActionReject {
		return model.Article{}, model.Invalid("action", action)
	}
	a, err := s.Store.Article(ctx, id)
	if err != nil {
		return a, err
	}
	u := actor.User
	// A published story's decisions on steps are its correction's.
	wc, copied, err := s.copyOf(ctx, a)
	if err != nil {
		return a, err
	}
	if copied && (action == ActionSubmit || action == ActionApprove || action == ActionReturn || action == ActionReject) {
		return s.moveCopy(ctx, actor, a, wc, m)
	}
	if !CanView(u, a) {
		return a, fmt.Errorf("%w: %s article %d", ErrForbidden, action, id)
	}
	step, cur, inReview := review.Current(a)
	if m.Step != 0 && (!inReview || m.Step != step+1) {
		return a, model.Invalid("not_current_step", m.Step)
	}
	// Who may is checked first, then the version, then the state: a
	// stale form is told so before it is told the story moved on.
	allowed := may(u, a, action)
	if !allowed {
		// Someone who could never take the decision is refused as such;
		// someone who could, at another state, is told the state.
		stepped := action == ActionApprove || action == ActionReturn || action == ActionReject ||
			(inReview && (action == ActionPublish || action == ActionSchedule))
		reviewer := u.CanPublish() || (u.Has(model.RoleReviewer) && u.UnitID != 0 && u.UnitID == a.UnitID)
		if r, ok := rules[action]; (stepped && inReview && !review.Holds(u, cur, a)) || (stepped && !inReview && !reviewer) || (ok && !stepped && !r.may(u, a)) {
			return a, fmt.Errorf("%w: %s article %d", ErrForbidden, action, id)
		}
	}
	if a.Version != m.Version {
		return a, fmt.Errorf("%s article %d from version %d: %w", action, id, m.Version, model.ErrConflict)
	}
	if !allowed {
		return a, model.Invalid("state", action, a.Status)
	}
	if direct(a, action) {
		configured, err := s.configured(ctx, a.ColumnID)
		if err != nil {
			return a, err
		}
		if configured {
			return a, model.Invalid("chain_required")
		}
	}
	comment, reason := strings.TrimSpace(m.Comment), strings.TrimSpace(m.Reason)
	switch {
	case action == ActionReturn && comment == "" && reason == "":
		return a, model.Invalid("comment_required")
	case action == ActionReject && comment == "":
		return a, model.Invalid("comment_required")
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
	now := s.now()
	from := a.Status
	ev := model.Event{UserID: u.ID, Action: action, From: from, Comment: comment, IP: actor.IP,
		Version: a.Version, Via: actor.Via, ActorName: u.Name}
	if inReview && stepAction(u, a, action) {
		ev.Step, ev.StepName, ev.StepKey = step+1, cur.Name, cur.Key
	}
	// leave takes the story off its chain's waiting lists (where its
	// correction, if one is under review, stays).
	leave := func() {
		a.Review.Waiting = nil
		if _, st, ok := review.Current(wc.Article); copied && ok {
			a.Review.Waiting = review.Waiting(st, wc.Article)
		}
	}
	arrive := func(i int) {
		a.Review.Step, a.Review.Since = i, now
		a.Status = review.StatusAt(i)
		a.Review.Waiting = review.Waiting(review.Steps(a)[i], a)
		ev.ToStep = i + 1
	}
	switch action {
	case ActionSubmit:
		if a.Review.Chain == nil || from == model.StatusDraft {
			chain, err := s.chainFor(ctx, a.ColumnID)
			if err != nil {
				return a, err
			}
			a.Review.Chain = chain
		}
		arrive(0)
	case ActionApprove:
		arrive(step + 1)
	case ActionReturn:
		ev.Reason = reason
		switch {
		case m.ReturnTo == 0:
			a.Status = model.StatusReturned
			leave()
		case m.ReturnTo >= 1 && m.ReturnTo <= step:
			arrive(m.ReturnTo - 1)
		default:
			return a, model.Invalid("return_target", m.ReturnTo)
		}
	case ActionReject:
		a.Status = model.StatusRejected
		leave()
	case ActionPublish:
		a.Status = model.StatusPublished
		if a.PublishedAt.IsZero() || from == model.StatusScheduled {
			a.PublishedAt = now
		}
		leave()
	case ActionSchedule:
		if !m.When.After(now) {
			return a, model.Invalid("time_past")
		}
		a.Status = model.StatusScheduled
		a.PublishedAt = m.When
		leave()
	case ActionWithdraw:
		a.Status = model.StatusWithdrawn
		leave()
	}
	ev.To = a.Status
	a.SavedBy = u.ID
	detail := from + " → " + a.Status
	if ev.Step != 0 {
		detail = fmt.Sprintf("step %d %s: %s", ev.Step, review.Label(cur), detail)
	}
	err = s.write(ctx, &a, func(tx store.Store) error {
		if err := tx.TransitionArticle(ctx, &a, ev); err != nil {
			return err
		}
		return s.transitioned(ctx, tx, a, ev)
	}, actor.Audit(action, "", detail))
	return a, err
}

// chains reads the column tree and the columns' chains.
func (s *Service) chains(ctx context.Context) (*column.Tree, []model.ReviewChain, error) {
	cols, err := s.Store.Columns(ctx)
	if err != nil {
		return nil, nil, err
	}
	chains, err := s.Store.ReviewChains(ctx)
	if err != nil {
		return nil, nil, err
	}
	return column.NewTree(cols), chains, nil
}

// chainFor is the review chain of a column now, to keep with a story
// submitted to it.
func (s *Service) chainFor(ctx context.Context, columnID int64) ([]model.ReviewStep, error) {
	tree, chains, err := s.chains(ctx)
	if err != nil {
		return nil, err
	}
	steps, _ := review.Effective(tree, chains, columnID)
	return steps, nil
}

// correctionChainFor is the chain a correction of a column's story is
// submitted on now.
func (s *Service) correctionChainFor(ctx context.Context, columnID int64) ([]model.ReviewStep, error) {
	tree, chains, err := s.chains(ctx)
	if err != nil {
		return nil, err
	}
	steps, _, _ := review.EffectiveCorrection(tree, chains, columnID)
	return steps, nil
}

// configured reports whether a column is under a configured review chain.
func (s *Service) configured(ctx context.Context, columnID int64) (bool, error) {
	tree, chains, err := s.chains(ctx)
	if err != nil {
		return false, err
	}
	return review.Configured(tree, chains, columnID), nil
}

// PublishDue publishes the scheduled articles whose time has come, as the
// system (audited so). It runs every few seconds; being in the store,
// schedules survive restarts.
func (s *Service) PublishDue(ctx context.Context) (int, error) {
	due, _, err := s.Store.Articles(ctx, store.ArticleQuery{Status: model.StatusScheduled, PublishedBy: s.now(), NoTotal: true, Limit: 100})
	if err != nil {
		return 0, err
	}
	system := model.SystemActor("job")
	n := 0
	for _, a := range due {
		from := a.Status
		a.Status = model.StatusPublished
		ev := model.Event{Action: ActionPublish, From: from, To: a.Status, Comment: "定时发布"}
		err := s.write(ctx, &a, func(tx store.Store) error { return tx.TransitionArticle(ctx, &a, ev) },
			system.Audit("scheduled_publish", "", from+" → "+a.Status))
		if errors.Is(err, model.ErrConflict) {
			continue // changed meanwhile (withdrawn, rescheduled): the next round sees it
		} else if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
