package review_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/review"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore"
)

// BenchmarkInbox100k answers the inbox of a unit reviewer, an editor and
// the chief on a site of 100,000 stories, 3,000 of them under way on a
// four-step chain across 20 units and 10 columns, and 300 published ones
// whose corrections (working copies) wait at a step of the same chain.
// The target is 50 ms:
//
//	go test -run '^$' -bench BenchmarkInbox100k -benchtime 50x ./internal/review/
func BenchmarkInbox100k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "newsdesk.db")
	st, err := sqlstore.OpenSQLite(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	var cols []model.Column
	for i := range 10 {
		c := model.Column{Slug: fmt.Sprintf("c%d", i), Name: fmt.Sprintf("栏目%d", i)}
		if err := st.CreateColumn(ctx, &c); err != nil {
			b.Fatal(err)
		}
		cols = append(cols, c)
	}
	var units []model.Unit
	for i := range 20 {
		u := model.Unit{Name: fmt.Sprintf("单位%d", i)}
		if err := st.CreateUnit(ctx, &u); err != nil {
			b.Fatal(err)
		}
		units = append(units, u)
	}
	mk := func(name string, unit int64, roles ...string) model.User {
		u := model.User{Username: name, Name: name, PasswordHash: "x", Roles: roles, UnitID: unit}
		if err := st.CreateUser(ctx, &u); err != nil {
			b.Fatal(err)
		}
		return u
	}
	reviewer := mk("reviewer", units[3].ID, model.RoleReviewer)
	editor := mk("editor", 0, model.RoleEditor)
	chief := mk("chief", 0, model.RoleChief)
	proof := mk("proof", 0, model.RoleContributor)
	steps := []model.ReviewStep{
		{Name: "单位初审", Kind: model.StepReview, Holders: []string{model.HoldUnit}, DueHours: 24},
		{Name: "编辑复审", Kind: model.StepReview, Holders: []string{model.HoldEditor}},
		{Name: "校对", Kind: model.StepProofread, UserIDs: []int64{proof.ID}},
		{Name: "总编终审", Kind: model.StepReview, Holders: []string{model.HoldChief}},
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const total, underWay, corrected = 100_000, 3_000, 300
	var published []int64
	for start := 0; start < total; start += 5000 {
		err := st.Tx(ctx, func(tx store.Store) error {
			for i := start; i < start+5000; i++ {
				a := model.Article{ColumnID: cols[i%10].ID, UnitID: units[(i/7)%20].ID, Title: fmt.Sprintf("稿件 %d", i), Body: "<p>正文</p>",
					Status: model.StatusPublished, PublishedAt: t0.Add(time.Duration(i) * time.Minute)}
				if i%(total/underWay) == 0 {
					step := (i / (total / underWay)) % 4
					a.Status, a.PublishedAt = review.StatusAt(step), time.Time{}
					a.Review = model.Review{Chain: steps, Step: step, Since: t0.Add(time.Duration(i) * time.Minute)}
					a.Review.Waiting = review.Waiting(steps[step], a)
				}
				if err := tx.CreateArticle(ctx, &a); err != nil {
					return err
				}
				if a.Status == model.StatusPublished && i%(total/corrected) == 1 {
					published = append(published, a.ID)
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	for i, id := range published {
		a, err := st.Article(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		wc := model.WorkingCopy{Article: a, CreatedBy: editor.ID}
		wc.Title += "（更正）"
		wc.Status = model.StatusReturned
		if err := st.SaveWorkingCopy(ctx, &wc); err != nil {
			b.Fatal(err)
		}
		step := i % 4
		wc.Status = review.StatusAt(step)
		wc.Review = model.Review{Chain: steps, Step: step, Since: t0.Add(time.Duration(i) * time.Hour), Correction: true}
		wc.Review.Waiting = review.Waiting(steps[step], wc.Article)
		if err := st.MoveWorkingCopy(ctx, &wc, model.Event{Action: "submit", ToStep: step + 1}); err != nil {
			b.Fatal(err)
		}
	}
	// Reopened, as a running site would be: closing checkpoints the
	// write-ahead log the generation left (hundreds of MB to read through).
	st.Close()
	if st, err = sqlstore.OpenSQLite(ctx, path); err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	svc := &review.Service{Store: st, Now: func() time.Time { return t0.Add(200 * 24 * time.Hour) }}
	// The reference, in the same run: the desk's old queue, 50 stories in
	// one state by the articles' state index.
	b.Run("reference-state-queue", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := st.Articles(ctx, store.ArticleQuery{Status: model.StatusUnitApproved, Limit: 50}); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, who := range []model.User{reviewer, editor, chief, proof} {
		b.Run(who.Username, func(b *testing.B) {
			var n int
			for b.Loop() {
				items, all, err := svc.Inbox(ctx, who, 50)
				if err != nil {
					b.Fatal(err)
				}
				n = all
				_ = items
			}
			b.ReportMetric(float64(n), "waiting")
		})
	}
}
