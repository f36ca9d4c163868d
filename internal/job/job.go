// Package job runs the background work kept in the store's jobs table
// (image variants). A job is claimed with a lease, so among several
// processes on one database each job runs once at a time; a process that
// dies mid-job loses only its lease, and the job runs again when it ends.
package job

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"newsdesk/internal/model"
)

// Handler does the work of one job kind on its ref.
type Handler func(ctx context.Context, ref int64) error

// Store is what the runner reads and writes: the job queue.
type Store interface {
	ClaimJob(ctx context.Context, now time.Time, lease time.Duration) (model.Job, error)
	FinishJob(ctx context.Context, id int64) error
	RetryJob(ctx context.Context, id int64, runAt time.Time, errText string) error
}

// Runner claims due jobs and runs their handlers, one at a time: variant
// generation holds a decoded photo in memory, and a cheap server has two
// cores that also serve pages.
type Runner struct {
	Store    Store
	Log      *slog.Logger
	Handlers map[string]Handler
	// Lease is how long a claimed job is kept from other workers; a job
	// must finish well within it.
	Lease time.Duration
	// MaxAttempts bounds the tries of a failing job; then it is given up
	// and stays in the table with its last error.
	MaxAttempts int
	// Poll is how often the table is read when nobody said work was queued.
	Poll time.Duration
	// Now returns the current time (nil: the clock); tests move it past a
	// back-off.
	Now  func() time.Time
	wake chan struct{}
}

// New returns a runner with the usual lease, attempts and poll.
func New(s Store, log *slog.Logger, handlers map[string]Handler) *Runner {
	return &Runner{Store: s, Log: log, Handlers: handlers, Lease: 10 * time.Minute, MaxAttempts: 5, Poll: 5 * time.Second, wake: make(chan struct{}, 1)}
}

// Wake tells the runner work was queued, so it need not wait for its poll.
func (r *Runner) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run runs due jobs until ctx ends. A job under way when ctx ends is
// finished first (graceful shutdown drains it), within its lease.
func (r *Runner) Run(ctx context.Context) {
	t := time.NewTicker(r.Poll)
	defer t.Stop()
	for {
		if _, err := r.RunDue(ctx); err != nil && ctx.Err() == nil {
			r.Log.Error("jobs", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-r.wake:
		case <-t.C:
		}
	}
}

// RunDue runs jobs until none is due, and returns how many ran.
func (r *Runner) RunDue(ctx context.Context) (int, error) {
	n := 0
	for ctx.Err() == nil {
		ran, err := r.runOne(ctx)
		if !ran || err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// runOne claims and runs one job; false when none was due.
func (r *Runner) runOne(ctx context.Context) (bool, error) {
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	j, err := r.Store.ClaimJob(ctx, now(), r.Lease)
	if errors.Is(err, model.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("claim job: %w", err)
	}
	// Shutting down must not abandon a job half done: it runs to its end
	// (bounded by the lease) even when ctx is cancelled.
	jctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.Lease)
	defer cancel()
	start := time.Now()
	h, ok := r.Handlers[j.Kind]
	if !ok {
		err = fmt.Errorf("no handler for job kind %q", j.Kind)
	} else {
		err = h(jctx, j.Ref)
	}
	log := r.Log.With("job", j.ID, "kind", j.Kind, "ref", j.Ref, "attempt", j.Attempts, "took", time.Since(start).Round(time.Millisecond))
	if err == nil {
		log.Info("job done")
		return true, r.Store.FinishJob(jctx, j.ID)
	}
	if errors.Is(err, model.ErrNotFound) || errors.Is(err, model.ErrPermanent) || j.Attempts >= r.MaxAttempts {
		log.Error("job given up", "err", err)
		return true, r.Store.RetryJob(jctx, j.ID, time.Time{}, err.Error())
	}
	// Back off: 30 s, 2 min, 4.5 min … so a failing job does not spin.
	next := now().Add(time.Duration(j.Attempts*j.Attempts) * 30 * time.Second)
	log.Warn("job failed, will retry", "err", err, "at", next.Format(time.RFC3339))
	return true, r.Store.RetryJob(jctx, j.ID, next, err.Error())
}
