package approval

import (
	"context"
	"strings"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/review"
	"newsdesk/internal/store"
)

// Move applies an outside approver's decision to story a in tx, on the
// step of its review chain the link was for: approving sends the story to
// the next step (at the last step it records the approval and leaves
// publishing to the step's holders), returning sends it back to its
// author. The history names the approver (who has no desk account) with
// their address, the door "approver", the step and the version decided on.
func Move(ctx context.Context, tx store.Store, a model.Article, l model.ApproverLink) (model.Article, model.Event, error) {
	i, cur, _ := review.Current(a)
	steps := review.Steps(a)
	ev := model.Event{Action: l.Decision, From: a.Status, Comment: strings.TrimSpace(l.Comment), IP: l.IP,
		Version: a.Version, Via: "approver", ActorName: l.Name + " <" + l.Email + ">",
		Step: i + 1, StepName: cur.Name, StepKey: cur.Key}
	switch {
	case l.Decision == Return:
		a.Status = model.StatusReturned
		a.Review.Waiting = nil
	case i+1 < len(steps):
		next := i + 1
		a.Review.Step, a.Review.Since = next, l.UsedAt
		if a.Review.Since.IsZero() {
			a.Review.Since = time.Now()
		}
		a.Status = review.StatusAt(next)
		a.Review.Waiting = review.Waiting(steps[next], a)
		ev.ToStep = next + 1
	default:
		// The last step publishes: that stays with its holders.
		a.Review.Waiting = review.Waiting(cur, a)
		ev.ToStep = i + 1
	}
	ev.To = a.Status
	return a, ev, tx.TransitionArticle(ctx, &a, ev)
}
