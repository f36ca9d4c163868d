package job

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store/sqlstore"
)

func open(t *testing.T, path string) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.OpenSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestQueuedJobSurvivesARestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db")
	db := open(t, path)
	if err := db.EnqueueJob(ctx, model.JobVariants, 7, time.Now()); err != nil {
		t.Fatal(err)
	}
	db.Close() // the server stopped before the job ran
	db = open(t, path)
	defer db.Close()
	var ran []int64
	r := New(db, quiet, map[string]Handler{model.JobVariants: func(ctx context.Context, ref int64) error { ran = append(ran, ref); return nil }})
	n, err := r.RunDue(ctx)
	if err != nil || n != 1 || len(ran) != 1 || ran[0] != 7 {
		t.Fatalf("after restart ran %v (%d, %v)", ran, n, err)
	}
	if counts, _ := db.Jobs(ctx); counts[model.JobVariants] != 0 {
		t.Fatalf("a finished job stays: %v", counts)
	}
}

func TestFailingJobIsRetriedThenGivenUp(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "db"))
	defer db.Close()
	calls := 0
	r := New(db, quiet, map[string]Handler{model.JobVariants: func(ctx context.Context, ref int64) error { calls++; return errors.New("decode: unexpected EOF") }})
	r.MaxAttempts = 2
	db.EnqueueJob(ctx, model.JobVariants, 1, time.Now())
	if n, err := r.RunDue(ctx); err != nil || n != 1 || calls != 1 {
		t.Fatalf("first round: ran %d, calls %d, %v", n, calls, err)
	}
	// Not due again at once: it backs off.
	if n, _ := r.RunDue(ctx); n != 0 {
		t.Fatalf("a failed job ran again at once")
	}
	j, err := db.ClaimJob(ctx, time.Now().Add(time.Hour), time.Minute)
	if err != nil || j.LastError != "decode: unexpected EOF" || j.Attempts != 2 {
		t.Fatalf("retry: %+v %v", j, err)
	}
	// The second attempt (claimed above) fails too: given up, kept, never claimed again.
	if err := db.RetryJob(ctx, j.ID, time.Time{}, "again"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ClaimJob(ctx, time.Now().AddDate(1, 0, 0), time.Minute); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("given-up job claimed: %v", err)
	}
	if counts, _ := db.Jobs(ctx); counts[model.JobVariants] != 1 {
		t.Fatalf("the given-up job is not kept for the operator: %v", counts)
	}
}

func TestShutdownFinishesTheJobUnderWay(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	db := open(t, filepath.Join(t.TempDir(), "db"))
	defer db.Close()
	started, finished := make(chan struct{}), make(chan error, 1)
	r := New(db, quiet, map[string]Handler{model.JobVariants: func(jctx context.Context, ref int64) error {
		close(started)
		<-ctx.Done() // shutdown begins while the job runs
		finished <- jctx.Err()
		return nil
	}})
	db.EnqueueJob(context.Background(), model.JobVariants, 1, time.Now())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	<-started
	cancel()
	<-done
	if err := <-finished; err != nil {
		t.Fatalf("the job's context was cancelled by the shutdown: %v", err)
	}
	if counts, _ := db.Jobs(context.Background()); counts[model.JobVariants] != 0 {
		t.Fatalf("the drained job was not recorded as done: %v", counts)
	}
}

func TestWakeRunsQueuedWorkWithoutWaitingForThePoll(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := open(t, filepath.Join(t.TempDir(), "db"))
	defer db.Close()
	ran := make(chan int64, 1)
	r := New(db, quiet, map[string]Handler{model.JobVariants: func(ctx context.Context, ref int64) error { ran <- ref; return nil }})
	r.Poll = time.Hour
	go r.Run(ctx)
	db.EnqueueJob(ctx, model.JobVariants, 42, time.Now())
	r.Wake()
	if ref := <-ran; ref != 42 {
		t.Fatalf("ran %d", ref)
	}
}

// TestPermanentFailureIsGivenUpAtOnce: a job whose error says no retry
// can mend it (a photo that does not decode) is given up after its first
// attempt, kept with its error for the operator.
func TestPermanentFailureIsGivenUpAtOnce(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "db"))
	defer db.Close()
	calls := 0
	r := New(db, quiet, map[string]Handler{model.JobVariants: func(ctx context.Context, ref int64) error {
		calls++
		return fmt.Errorf("media 1 (坏图.png) cannot be decoded: %w", model.ErrPermanent)
	}})
	db.EnqueueJob(ctx, model.JobVariants, 1, time.Now())
	if n, err := r.RunDue(ctx); err != nil || n != 1 || calls != 1 {
		t.Fatalf("ran %d, calls %d, %v", n, calls, err)
	}
	if _, err := db.ClaimJob(ctx, time.Now().AddDate(1, 0, 0), time.Minute); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("a permanently failed job is claimed again: %v", err)
	}
	if counts, _ := db.Jobs(ctx); counts[model.JobVariants] != 1 {
		t.Fatalf("the given-up job is not kept for the operator: %v", counts)
	}
}
