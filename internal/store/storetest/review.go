package storetest

import (
	"slices"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// testReviewChains: a column's chain is saved, replaced and removed; a
// story's place in its chain and the holders it waits for are saved with
// its transition; the inbox finds it by holder key, the longest waiting
// first; a decision's step, version and door are kept with the event and
// the ledger's query selects them by period and column.
func testReviewChains(t *testing.T, s store.Store) {
	news, other := model.Column{Slug: "news", Name: "新闻"}, model.Column{Slug: "other", Name: "其他"}
	must(t, s.CreateColumn(ctx, &news))
	must(t, s.CreateColumn(ctx, &other))
	unit := model.Unit{Name: "研究生院"}
	must(t, s.CreateUnit(ctx, &unit))
	chief := model.User{Username: "chief", Name: "总编", PasswordHash: "x", Roles: []string{model.RoleChief}}
	must(t, s.CreateUser(ctx, &chief))

	steps := []model.ReviewStep{
		{Name: "单位初审", Kind: model.StepReview, Holders: []string{model.HoldUnit}, DueHours: 24},
		{Name: "校对", Kind: model.StepProofread, UserIDs: []int64{chief.ID}},
		{Name: "总编终审", Kind: model.StepReview, Holders: []string{model.HoldChief}},
	}
	must(t, s.SetReviewChain(ctx, model.ReviewChain{ColumnID: news.ID, Steps: steps, UpdatedBy: chief.ID}))
	must(t, s.SetReviewChain(ctx, model.ReviewChain{ColumnID: other.ID, Steps: steps[2:]}))
	must(t, s.SetReviewChain(ctx, model.ReviewChain{ColumnID: other.ID, Steps: steps[1:]}))
	got, err := s.ReviewChains(ctx)
	must(t, err)
	if len(got) != 2 || got[0].ColumnID != news.ID || len(got[0].Steps) != 3 || got[0].Steps[0].DueHours != 24 ||
		got[0].Steps[1].UserIDs[0] != chief.ID || got[0].UpdatedBy != chief.ID || len(got[1].Steps) != 2 {
		t.Fatalf("chains: %+v", got)
	}
	must(t, s.SetReviewChain(ctx, model.ReviewChain{ColumnID: other.ID}))
	if got, _ := s.ReviewChains(ctx); len(got) != 1 {
		t.Fatalf("removed chain still listed: %+v", got)
	}

	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	mk := func(title string, col int64, since time.Time, waiting ...string) model.Article {
		a := model.Article{ColumnID: col, Title: title, Status: model.StatusDraft, UnitID: unit.ID}
		must(t, s.CreateArticle(ctx, &a))
		a.Status = model.StatusSubmitted
		a.Review = model.Review{Chain: steps, Step: 0, Since: since, Waiting: waiting}
		ev := model.Event{UserID: chief.ID, Action: "submit", From: model.StatusDraft, To: a.Status, ToStep: 1, Version: a.Version, Via: "api", ActorName: "总编"}
		must(t, s.TransitionArticle(ctx, &a, ev))
		return a
	}
	late := mk("后到", news.ID, t0.Add(time.Hour), "unit:1", "user:9")
	early := mk("先到", other.ID, t0, "user:9", "editor")
	mk("别人的", news.ID, t0, "chief")

	back, err := s.Article(ctx, late.ID)
	must(t, err)
	if len(back.Review.Chain) != 3 || back.Review.Chain[1].Kind != model.StepProofread || !back.Review.Since.Equal(t0.Add(time.Hour)) || back.Review.Step != 0 {
		t.Errorf("review read back: %+v", back.Review)
	}
	inbox, total, err := s.ReviewInbox(ctx, []string{"user:9", "unit:1"}, 10)
	must(t, err)
	if total != 2 || len(inbox) != 2 || inbox[0].ID != early.ID || inbox[1].ID != late.ID {
		t.Fatalf("inbox: %d %v", total, titles(inbox))
	}
	if inbox, total, _ := s.ReviewInbox(ctx, []string{"user:9"}, 1); total != 2 || len(inbox) != 1 || inbox[0].ID != early.ID {
		t.Errorf("inbox limited to 1: %d %v", total, titles(inbox))
	}
	if inbox, total, _ := s.ReviewInbox(ctx, nil, 10); total != 0 || len(inbox) != 0 {
		t.Errorf("inbox of no keys: %d %v", total, titles(inbox))
	}

	// The next step: the old holders no longer see it; a plain save
	// leaves the review state alone.
	late.Status, late.Review.Step, late.Review.Since, late.Review.Waiting = model.StatusUnitApproved, 1, t0.Add(2*time.Hour), []string{"chief"}
	must(t, s.TransitionArticle(ctx, &late, model.Event{UserID: chief.ID, Action: "approve", From: model.StatusSubmitted, To: model.StatusUnitApproved,
		Step: 1, StepName: "单位初审", ToStep: 2, Version: late.Version, Via: "desk", Reason: "", Comment: "同意", IP: "127.0.0.1", ActorName: "总编"}))
	late.Title = "后到（改）"
	late.Review = model.Review{}
	must(t, s.UpdateArticle(ctx, &late))
	if back, _ := s.Article(ctx, late.ID); back.Review.Step != 1 || len(back.Review.Chain) != 3 {
		t.Errorf("a save changed the review state: %+v", back.Review)
	}
	if inbox, total, _ := s.ReviewInbox(ctx, []string{"user:9", "unit:1"}, 10); total != 1 || inbox[0].ID != early.ID {
		t.Errorf("inbox after the step: %d %v", total, titles(inbox))
	}
	if _, total, _ := s.ReviewInbox(ctx, []string{"chief"}, 10); total != 2 {
		t.Errorf("chief's inbox: %d, want 2", total)
	}

	evs, err := s.Events(ctx, late.ID)
	must(t, err)
	if len(evs) != 2 {
		t.Fatalf("events: %+v", evs)
	}
	if e := evs[1]; e.Step != 1 || e.StepName != "单位初审" || e.ToStep != 2 || e.Version != 2 || e.Via != "desk" || e.ActorName != "总编" || e.Comment != "同意" {
		t.Errorf("decision read back: %+v", e)
	}
	ledger, err := s.ReviewEvents(ctx, model.ReviewEventQuery{ColumnIDs: []int64{news.ID}})
	must(t, err)
	if len(ledger) != 1 || ledger[0].ArticleID != late.ID {
		t.Errorf("ledger of the news column: %+v", ledger)
	}
	if l, _ := s.ReviewEvents(ctx, model.ReviewEventQuery{From: time.Now().Add(time.Hour)}); len(l) != 0 {
		t.Errorf("ledger of the future: %+v", l)
	}
	if l, _ := s.ReviewEvents(ctx, model.ReviewEventQuery{AfterID: ledger[0].ID}); len(l) != 0 {
		t.Errorf("ledger after the last: %+v", l)
	}
	if !slices.Equal(titles(inbox), []string{"先到", "后到"}) {
		t.Errorf("titles %v", titles(inbox))
	}
}

func titles(as []model.Article) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Title
	}
	return out
}
