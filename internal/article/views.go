package article

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// ViewStore is where Views writes its counts; store.Store is one.
type ViewStore interface {
	AddViews(ctx context.Context, counts map[int64]int64) error
}

// Views counts article views (浏览次数) in memory and writes them to the store
// in batches, so that counting costs a map increment on the page's hot path
// and never forces a page to be rendered again.
type Views struct {
	Store ViewStore
	Log   *slog.Logger

	mu      sync.Mutex
	pending map[int64]int64
}

// Add counts one view of article id.
func (v *Views) Add(id int64) {
	v.mu.Lock()
	if v.pending == nil {
		v.pending = make(map[int64]int64)
	}
	v.pending[id]++
	v.mu.Unlock()
}

// Pending returns the views of id counted but not yet written.
func (v *Views) Pending(id int64) int64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.pending[id]
}

// Flush writes the pending counts. On failure they are put back, so no view
// is lost.
func (v *Views) Flush(ctx context.Context) error {
	v.mu.Lock()
	batch := v.pending
	v.pending = nil
	v.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	if err := v.Store.AddViews(ctx, batch); err != nil {
		v.mu.Lock()
		if v.pending == nil {
			v.pending = make(map[int64]int64)
		}
		for id, n := range batch {
			v.pending[id] += n
		}
		v.mu.Unlock()
		return err
	}
	return nil
}

// Run flushes every interval until ctx ends, then flushes once more.
func (v *Views) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := v.Flush(context.WithoutCancel(ctx)); err != nil && v.Log != nil {
				v.Log.Error("flush views", "err", err)
			}
			return
		case <-t.C:
			if err := v.Flush(ctx); err != nil && v.Log != nil {
				v.Log.Error("flush views", "err", err)
			}
		}
	}
}
