package approval

import (
	"context"
	"strings"

	"newsdesk/internal/store"
)

// Move applies an outside approver's decision to story a in tx, as the
// review steps stand before configurable chains: approving the unit's
// step sends the story on to the news centre, approving the editor's step
// records the approval and leaves publishing to the editor, returning
// sends it back to its author. The history names the approver (they have
// no desk account) and keeps their address.
func Move(ctx context.Context, tx store.Store, a store.Article, l store.ApproverLink) (store.Article, store.Event, error) {
	from := a.Status
	switch {
	case l.Decision == Return:
		a.Status = store.StatusReturned
	case a.Status == store.StatusSubmitted:
		a.Status = store.StatusUnitApproved
	}
	comment := l.Name + "（" + l.Email + "）"
	if c := strings.TrimSpace(l.Comment); c != "" {
		comment += "：" + c
	}
	ev := store.Event{Action: l.Decision, From: from, To: a.Status, Comment: comment, IP: l.IP}
	return a, ev, tx.TransitionArticle(ctx, &a, ev)
}
