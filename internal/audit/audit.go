// Package audit keeps the audit log trustworthy: it verifies the hash
// chain the store writes (each entry carries the hash of the one before),
// purges only entries older than the retention period, and exports the log
// as CSV or XLSX. Entries themselves are written by the services that make
// each change, in the same transaction.
package audit

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
	"newsdesk/internal/table"
)

// DefaultRetention is how long entries are kept at least: six months, as
// article 21 of the Cybersecurity Law (网络安全法) asks.
const DefaultRetention = 180 * 24 * time.Hour

// page is how many entries one keyset query reads.
const page = 1000

// BrokenError names the first entry where the chain does not hold.
type BrokenError struct {
	ID     int64
	Reason string
}

func (e *BrokenError) Error() string { return fmt.Sprintf("audit entry %d: %s", e.ID, e.Reason) }

// each calls fn for every entry matching q, oldest first, reading a page
// at a time (never the whole log in memory).
func each(ctx context.Context, st Store, q store.AuditQuery, fn func(model.AuditEntry) error) error {
	q.Ascending, q.Limit = true, page
	for {
		es, _, err := st.AuditSearch(ctx, q)
		if err != nil {
			return err
		}
		for _, e := range es {
			if err := fn(e); err != nil {
				return err
			}
			q.AfterID = e.ID
		}
		if len(es) < page {
			return nil
		}
	}
}

// Verify checks the whole chain: every entry's hash, that each follows the
// one before, and that the newest is the chain's head. It returns how many
// entries it checked, and a *BrokenError naming the first broken entry.
func Verify(ctx context.Context, st Store) (int, error) {
	head, err := st.AuditChainHead(ctx)
	if err != nil {
		return 0, err
	}
	prev, lastID, n := head.PurgedHash, int64(0), 0
	err = each(ctx, st, store.AuditQuery{}, func(e model.AuditEntry) error {
		switch {
		case e.PrevHash != prev:
			return &BrokenError{ID: e.ID, Reason: fmt.Sprintf("does not follow entry %d: an entry was changed, removed or inserted", lastID)}
		case model.AuditHash(e) != e.Hash:
			return &BrokenError{ID: e.ID, Reason: "changed after it was written"}
		}
		prev, lastID = e.Hash, e.ID
		n++
		return nil
	})
	if err != nil {
		return n, err
	}
	if lastID != head.LastID || prev != head.LastHash {
		return n, &BrokenError{ID: head.LastID, Reason: fmt.Sprintf("missing: the newest entry left is %d", lastID)}
	}
	return n, nil
}

// Purge deletes the entries older than retention (never less than
// DefaultRetention), recording the purge; administrators and the command
// line only.
func Purge(ctx context.Context, st Store, actor model.Actor, now time.Time, retention time.Duration) (int, error) {
	if !actor.User.CanAdminister() && !(actor.IsSystem() && actor.Via == "cli") {
		return 0, fmt.Errorf("%w: purge the audit log", model.ErrForbidden)
	}
	if retention < DefaultRetention {
		return 0, model.Invalid("audit_retention", int(DefaultRetention/(24*time.Hour)))
	}
	before := now.Add(-retention)
	var n int
	err := st.Tx(ctx, func(tx store.Store) error {
		var err error
		if n, err = tx.PurgeAudit(ctx, before); err != nil {
			return err
		}
		e := actor.Audit("audit_purge", "audit", fmt.Sprintf("%d entries before %s", n, before.UTC().Format(time.RFC3339)))
		e.At = now
		return tx.AddAudit(ctx, e)
	})
	return n, err
}

// Export writes the entries matching q, oldest first, as CSV or XLSX:
// header names the columns (id, time, user, action, target, detail,
// address, hash) in the reader's language, names maps user ids to names,
// times are shown in loc.
//
// The export itself is recorded first, as actor's: reading the whole log
// out is worth knowing about.
func Export(ctx context.Context, st Store, actor model.Actor, q store.AuditQuery, format string, header []string, names map[int64]string, loc *time.Location, w io.Writer) error {
	if !actor.User.CanAdminister() && !actor.IsSystem() {
		return fmt.Errorf("%w: export the audit log", model.ErrForbidden)
	}
	if format != table.CSV && format != table.XLSX {
		return model.Invalid("export_format", format)
	}
	if err := st.AddAudit(ctx, actor.Audit("audit_export", "audit", format)); err != nil {
		return err
	}
	row := func(e model.AuditEntry) []string {
		return []string{strconv.FormatInt(e.ID, 10), e.At.In(loc).Format("2006-01-02 15:04:05"), names[e.UserID], e.Action, e.Target, e.Detail, e.IP, e.Hash}
	}
	tw, err := table.New(format, w)
	if err != nil {
		return err
	}
	if err := tw.Write(header); err != nil {
		return err
	}
	if err := each(ctx, st, q, func(e model.AuditEntry) error { return tw.Write(row(e)) }); err != nil {
		return err
	}
	return tw.Close()
}

// Store is what the audit functions read and write: the log itself.
type Store interface {
	AddAudit(ctx context.Context, e model.AuditEntry) error
	AuditChainHead(ctx context.Context) (model.AuditChain, error)
	AuditSearch(ctx context.Context, q store.AuditQuery) ([]model.AuditEntry, int, error)
	PurgeAudit(ctx context.Context, before time.Time) (int, error)
	Tx(ctx context.Context, fn func(store.Store) error) error
}
