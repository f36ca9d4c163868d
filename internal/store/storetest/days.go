package storetest

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// CheckDays fails unless PublishedDays gives, for the whole site, each of
// cols and all of cols together, what counting the published articles one
// by one gives: the per-day counts that the store keeps on every write
// (migration 0024) must never drift from the articles.
func CheckDays(t *testing.T, s store.Store, cols []int64, now time.Time, offset int) {
	t.Helper()
	all, _, err := s.Articles(ctx, store.ArticleQuery{Status: model.StatusPublished, PublishedBy: now})
	must(t, err)
	sets := [][]int64{nil, cols}
	for _, c := range cols {
		sets = append(sets, []int64{c})
	}
	for _, set := range sets {
		want := map[int64]int{}
		newest := map[int64]time.Time{}
		for _, a := range all {
			if set != nil && !slices.Contains(set, a.ColumnID) {
				continue
			}
			d := localDay(a.PublishedAt, offset)
			want[d]++
			newest[d] = later(newest[d], later(a.PublishedAt, a.UpdatedAt))
		}
		got, err := s.PublishedDays(ctx, set, now, offset)
		must(t, err)
		if len(got) != len(want) {
			t.Fatalf("columns %v at offset %d: %d days %+v, want %d %v", set, offset, len(got), got, len(want), want)
		}
		for i, d := range got {
			if i > 0 && d.Day >= got[i-1].Day {
				t.Fatalf("columns %v: days not newest first: %+v", set, got)
			}
			if want[d.Day] != d.Count {
				t.Fatalf("columns %v at offset %d: day %d counts %d, want %d (all: %+v, want %v)", set, offset, d.Day, d.Count, want[d.Day], got, want)
			}
			if d.Changed.Before(newest[d.Day]) {
				t.Fatalf("columns %v: day %d changed %v, before its newest story's %v", set, d.Day, d.Changed, newest[d.Day])
			}
		}
		wantMonths := map[int]int{}
		newestDay := map[int]int64{}
		for d, n := range want {
			m := monthOf(d)
			wantMonths[m] += n
			newestDay[m] = max(newestDay[m], d)
		}
		months, err := s.PublishedMonths(ctx, set, now, offset)
		must(t, err)
		if len(months) != len(wantMonths) {
			t.Fatalf("columns %v at offset %d: %d months %+v, want %v", set, offset, len(months), months, wantMonths)
		}
		for i, m := range months {
			if i > 0 && m.Day >= months[i-1].Day {
				t.Fatalf("columns %v: months not newest first: %+v", set, months)
			}
			if k := monthOf(m.Day); wantMonths[k] != m.Count || newestDay[k] != m.Day {
				t.Fatalf("columns %v at offset %d: month %d = %+v, want %d stories, newest day %d", set, offset, k, m, wantMonths[k], newestDay[k])
			}
		}
	}
}

func localDay(t time.Time, offset int) int64 {
	return (t.Unix() + int64(offset)) / 86400 // the tests' dates are after 1970
}

func monthOf(day int64) int {
	t := time.Unix(day*86400, 0).UTC()
	return t.Year()*100 + int(t.Month())
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// testPublishedDays keeps the per-day counts right across every write that
// changes what is published where and when: publish (new, from a draft,
// a scheduled story coming due), withdraw, a move to another column, a new
// publish date, an edit, a rolled-back transaction, and another zone.
func testPublishedDays(t *testing.T, s store.Store) {
	a := column(t, s, "a", 0)
	b := column(t, s, "b", a.ID)
	cols := []int64{a.ID, b.ID}
	now := day0.AddDate(0, 1, 0)
	check := func(step string) {
		t.Helper()
		t.Logf("after %s", step)
		CheckDays(t, s, cols, now, 8*3600)
	}
	check("nothing")
	// 17:00 UTC is the next day in China: the day is the zone's.
	x := article(t, s, a.ID, "一", day0)
	y := article(t, s, a.ID, "二", day0.Add(11*time.Hour))
	z := article(t, s, b.ID, "三", day0.Add(11*time.Hour))
	article(t, s, b.ID, "四", day0.AddDate(0, 0, 3))
	future := article(t, s, a.ID, "未来", now.AddDate(0, 0, 2))
	_ = future
	check("publishing")

	draft := model.Article{ColumnID: a.ID, Title: "草稿", Status: model.StatusDraft}
	must(t, s.CreateArticle(ctx, &draft))
	check("a draft")
	draft.Status, draft.PublishedAt = model.StatusPublished, day0.AddDate(0, 0, 5)
	must(t, s.TransitionArticle(ctx, &draft, model.Event{ArticleID: draft.ID, Action: "publish", From: model.StatusDraft, To: model.StatusPublished, At: now}))
	check("publishing the draft")

	y.Status = model.StatusWithdrawn
	must(t, s.UpdateArticle(ctx, &y))
	check("withdrawing")
	y.Status = model.StatusPublished
	must(t, s.UpdateArticle(ctx, &y))
	check("republishing")

	x.ColumnID = b.ID
	must(t, s.UpdateArticle(ctx, &x))
	check("moving to another column")
	z.PublishedAt = day0.AddDate(0, 0, 7)
	must(t, s.UpdateArticle(ctx, &z))
	check("a new publish date")
	z.Title = "三改"
	must(t, s.UpdateArticle(ctx, &z))
	check("an edit")

	due := model.Article{ColumnID: b.ID, Title: "定时", Status: model.StatusScheduled, PublishedAt: day0.AddDate(0, 0, 9)}
	must(t, s.CreateArticle(ctx, &due))
	check("scheduling")
	due.Status = model.StatusPublished
	must(t, s.TransitionArticle(ctx, &due, model.Event{ArticleID: due.ID, Action: "scheduled_publish", From: model.StatusScheduled, To: model.StatusPublished, At: now}))
	check("the scheduled story coming due")

	boom := errors.New("boom")
	err := s.Tx(ctx, func(tx store.Store) error {
		rolled := model.Article{ColumnID: a.ID, Title: "回滚", Status: model.StatusPublished, PublishedAt: day0}
		if err := tx.CreateArticle(ctx, &rolled); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Tx: %v", err)
	}
	check("a rolled-back publish")

	// Another zone counts again; writes after it count in the new zone,
	// and going back counts again under the first.
	CheckDays(t, s, cols, now, -5*3600)
	article(t, s, a.ID, "五", day0.Add(20*time.Hour))
	CheckDays(t, s, cols, now, -5*3600)
	check("back to the first zone")

	// The story published in the future counts from its day on.
	CheckDays(t, s, cols, future.PublishedAt, 8*3600)
	days, err := s.PublishedDays(ctx, nil, now, 8*3600)
	must(t, err)
	var n int
	for _, d := range days {
		n += d.Count
	}
	if n != 7 {
		t.Fatalf("site days count %d stories, want 7 published by now (%+v)", n, days)
	}

	// Stories written at once into one month, each in a transaction held
	// open beside the others: every month's sum must count all of them
	// (on PostgreSQL each recount reads only committed days, so the
	// writers must take turns; none may fail on the month's row either).
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Go(func() {
			errs <- s.Tx(ctx, func(tx store.Store) error {
				x := model.Article{ColumnID: cols[i%2], Title: "同时", Status: model.StatusPublished, PublishedAt: day0.AddDate(0, 0, 10+i%3)}
				if err := tx.CreateArticle(ctx, &x); err != nil {
					return err
				}
				time.Sleep(20 * time.Millisecond)
				return nil
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	check("publishing at once")
}
