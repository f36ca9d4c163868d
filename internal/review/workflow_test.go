package review_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/model"
	"newsdesk/internal/review"
	"newsdesk/internal/store"
)

// TestWhoMayTakeEachStep is the matrix step × role × unit: who may
// approve a story of the unit waiting at each step of the four-step chain.
func TestWhoMayTakeEachStep(t *testing.T) {
	unit := int64(5)
	users := map[string]model.User{
		"contributor":      {ID: 1, UnitID: unit, Roles: []string{model.RoleContributor}},
		"unit reviewer":    {ID: 2, UnitID: unit, Roles: []string{model.RoleReviewer}},
		"other reviewer":   {ID: 3, UnitID: 6, Roles: []string{model.RoleReviewer}},
		"editor":           {ID: 4, Roles: []string{model.RoleEditor}},
		"chief":            {ID: 5, Roles: []string{model.RoleChief}},
		"proofreader":      {ID: 6, Roles: []string{model.RoleContributor}},
		"admin":            {ID: 7, Roles: []string{model.RoleAdmin}},
		"disabled chief":   {ID: 8, Roles: []string{model.RoleChief}, Disabled: true},
		"reviewer no unit": {ID: 9, Roles: []string{model.RoleReviewer}},
	}
	steps := []model.ReviewStep{
		{Name: "单位初审", Kind: model.StepReview, Holders: []string{model.HoldUnit}},
		{Name: "编辑复审", Kind: model.StepReview, Holders: []string{model.HoldEditor}},
		{Name: "校对", Kind: model.StepProofread, UserIDs: []int64{6}},
		{Name: "总编终审", Kind: model.StepReview, Holders: []string{model.HoldChief}},
	}
	// may[step] lists who may take it; everyone else may not.
	may := [][]string{
		{"unit reviewer", "editor", "chief", "admin"}, // editors stand in for the unit, as they always could
		{"editor", "chief", "admin"},
		{"proofreader"},
		{"chief"},
	}
	for i, st := range steps {
		a := model.Article{ID: 1, AuthorID: 1, UnitID: unit, Status: review.StatusAt(i), Review: model.Review{Chain: steps, Step: i}}
		for name, u := range users {
			want := slices.Contains(may[i], name)
			if got := review.Holds(u, st, a); got != want {
				t.Errorf("%s takes %s: %v, want %v", name, st.Name, got, want)
			}
			if got := article.CanView(u, a) && (slices.Contains(article.Actions(u, a), article.ActionApprove) || slices.Contains(article.Actions(u, a), article.ActionPublish)); got != want {
				t.Errorf("%s has the approve (or publish) action at %s: %v, want %v (actions %v)", name, st.Name, got, want, article.Actions(u, a))
			}
			// Whoever takes a step may also correct the text there.
			if want && !article.CanEdit(u, a) {
				t.Errorf("%s may not edit at %s", name, st.Name)
			}
		}
	}
	// The last step publishes: its holder gets publish and schedule, never approve.
	last := model.Article{ID: 1, UnitID: unit, Status: model.StatusUnitApproved, Review: model.Review{Chain: steps, Step: 3}}
	if got := article.Actions(users["chief"], last); !slices.Equal(got, []string{article.ActionReturn, article.ActionReject, article.ActionSchedule, article.ActionPublish}) {
		t.Errorf("chief's actions at the last step: %v", got)
	}
	// Inbox keys: unit reviewers see their unit's steps, editors not the unit's.
	a := model.Article{UnitID: unit}
	for i, st := range steps {
		for name, u := range users {
			if u.Disabled {
				continue // signs in no more
			}
			shown := false
			for _, k := range review.Waiting(st, a) {
				shown = shown || slices.Contains(review.Keys(u), k)
			}
			want := slices.Contains(may[i], name) && (i != 0 || name == "unit reviewer")
			if shown != want {
				t.Errorf("%s's inbox shows %s: %v, want %v", name, st.Name, shown, want)
			}
		}
	}
}

// TestFourStepChainWithReturns takes a story through 单位初审 → 编辑复审 →
// 校对 → 总编终审: the proofreader corrects the text (a new version) and
// returns it to the author once, the author resubmits, the chief returns
// it to 编辑复审, and at last schedules it; the scheduled time publishes
// it. Decisions out of turn, by the wrong person or on a stale version
// are refused and change nothing. Every decision is recorded.
func TestFourStepChainWithReturns(t *testing.T) {
	onBothStores(t, func(t *testing.T, st store.Store) {
		s := newSite(t, st)
		if _, err := s.chains.SaveChain(ctx, as(s.editor), s.news.ID, s.fourSteps()); err != nil {
			t.Fatal(err)
		}
		a := s.draft(t, s.sub) // the sub-column inherits the chain
		mv := func(action string) article.Move { return article.Move{Action: action} }
		a = s.move(t, a.ID, s.author, mv(article.ActionSubmit), nil)
		if a.Status != model.StatusSubmitted || a.Review.Step != 0 || len(a.Review.Chain) != 4 {
			t.Fatalf("submitted: %s at %d of %d", a.Status, a.Review.Step, len(a.Review.Chain))
		}
		s.move(t, a.ID, s.otherReviewer, mv(article.ActionApprove), model.ErrForbidden)
		s.move(t, a.ID, s.chief, article.Move{Action: article.ActionApprove, Step: 2}, model.ErrInvalid) // not the current step
		s.move(t, a.ID, s.reviewer, article.Move{Action: article.ActionApprove, Version: a.Version - 1}, model.ErrConflict)
		s.now = s.now.Add(time.Hour)
		a = s.move(t, a.ID, s.reviewer, article.Move{Action: article.ActionApprove, Step: 1, Comment: "同意"}, nil)
		s.move(t, a.ID, s.reviewer, mv(article.ActionApprove), model.ErrForbidden) // 编辑复审 is not theirs
		a = s.move(t, a.ID, s.editor, mv(article.ActionApprove), nil)
		if a.Status != model.StatusUnitApproved || a.Review.Step != 2 {
			t.Fatalf("after 编辑复审: %s at %d", a.Status, a.Review.Step)
		}
		s.move(t, a.ID, s.editor, mv(article.ActionApprove), model.ErrForbidden) // 校对 is the proofreader's alone
		// The proofreader may open and correct it; the diff shows it.
		if !article.CanView(s.proofreader, a) || !article.CanEdit(s.proofreader, a) {
			t.Fatal("the proofreader may not open or correct the story at 校对")
		}
		before := a.Version
		a.Body = "<p>原文有个错别字。</p>"
		if err := s.arts.Update(ctx, as(s.proofreader), &a); err != nil {
			t.Fatal(err)
		}
		vs, _ := st.Versions(ctx, a.ID)
		last := vs[len(vs)-1]
		if last.Version != before+1 || last.SavedBy != s.proofreader.ID || !changed(article.DiffBody(vs[len(vs)-2].Body, last.Body)) {
			t.Errorf("the proofreader's correction is not a version of its own with a diff: %+v", last)
		}
		s.move(t, a.ID, s.proofreader, article.Move{Action: article.ActionReturn}, model.ErrInvalid) // a reason or comment is needed
		a = s.move(t, a.ID, s.proofreader, article.Move{Action: article.ActionReturn, Reason: "图片缺少署名", Comment: "第二张图"}, nil)
		if a.Status != model.StatusReturned || article.CanView(s.proofreader, a) {
			t.Fatalf("returned to the author: %s; proofreader still sees it: %v", a.Status, article.CanView(s.proofreader, a))
		}
		// Resubmitted: the chain starts again from its first step.
		a = s.move(t, a.ID, s.author, mv(article.ActionSubmit), nil)
		if a.Status != model.StatusSubmitted || a.Review.Step != 0 {
			t.Fatalf("resubmitted: %s at %d", a.Status, a.Review.Step)
		}
		for _, u := range []model.User{s.reviewer, s.editor, s.proofreader} {
			a = s.move(t, a.ID, u, mv(article.ActionApprove), nil)
		}
		// The chief sends it back to 编辑复审, not to the author.
		s.move(t, a.ID, s.chief, article.Move{Action: article.ActionReturn, Comment: "标题再改", ReturnTo: 4}, model.ErrInvalid)
		a = s.move(t, a.ID, s.chief, article.Move{Action: article.ActionReturn, Reason: "标题不规范", Comment: "标题再改", ReturnTo: 2}, nil)
		if a.Status != model.StatusUnitApproved || a.Review.Step != 1 {
			t.Fatalf("returned to 编辑复审: %s at %d", a.Status, a.Review.Step)
		}
		a = s.move(t, a.ID, s.editor, mv(article.ActionApprove), nil)
		a = s.move(t, a.ID, s.proofreader, mv(article.ActionApprove), nil)
		s.move(t, a.ID, s.editor, article.Move{Action: article.ActionPublish}, model.ErrForbidden) // the last step is the chief's
		at := s.now.Add(2 * time.Hour)
		a = s.move(t, a.ID, s.chief, article.Move{Action: article.ActionSchedule, When: at, Comment: "同意发布"}, nil)
		if a.Status != model.StatusScheduled || !a.PublishedAt.Equal(at) {
			t.Fatalf("scheduled: %s at %v", a.Status, a.PublishedAt)
		}
		s.now = at.Add(time.Second)
		if n, err := s.arts.PublishDue(ctx); err != nil || n != 1 {
			t.Fatalf("publish due: %d, %v", n, err)
		}
		if got, _ := st.Article(ctx, a.ID); got.Status != model.StatusPublished {
			t.Fatalf("after its time: %s", got.Status)
		}
		evs, _ := st.Events(ctx, a.ID)
		var steps []string
		for _, e := range evs {
			if e.Step != 0 {
				steps = append(steps, e.StepName+":"+e.Action)
			}
		}
		want := "单位初审:approve 编辑复审:approve 校对:return 单位初审:approve 编辑复审:approve 校对:approve 总编终审:return 编辑复审:approve 校对:approve 总编终审:schedule"
		if strings.Join(steps, " ") != want {
			t.Errorf("decisions:\n got %s\nwant %s", strings.Join(steps, " "), want)
		}
		var ret model.Event
		for _, e := range evs {
			if e.Action == article.ActionReturn && e.StepName == "校对" {
				ret = e
			}
		}
		if ret.UserID != s.proofreader.ID || ret.ActorName != "proofreader" || ret.Reason != "图片缺少署名" || ret.Comment != "第二张图" ||
			ret.IP != "127.0.0.1" || ret.Via != "desk" || ret.Version == 0 || ret.ToStep != 0 || ret.To != model.StatusReturned {
			t.Errorf("the return's record: %+v", ret)
		}
		first := evs[1]
		if first.Step != 1 || first.ToStep != 2 || first.Comment != "同意" || first.At.IsZero() {
			t.Errorf("the first approval's record: %+v", first)
		}
	})
}

func changed(cs []article.Change) bool {
	for _, c := range cs {
		if c.Deleted || c.Inserted {
			return true
		}
	}
	return false
}

// TestChainChangedWhileStoriesAreUnderWay: stories finish on the chain
// they were submitted on, even after a return and resubmission; a story
// submitted after the change takes the new chain.
func TestChainChangedWhileStoriesAreUnderWay(t *testing.T) {
	onBothStores(t, func(t *testing.T, st store.Store) {
		s := newSite(t, st)
		if _, err := s.chains.SaveChain(ctx, as(s.editor), s.news.ID, s.fourSteps()); err != nil {
			t.Fatal(err)
		}
		old := s.draft(t, s.news)
		old = s.move(t, old.ID, s.author, article.Move{Action: article.ActionSubmit}, nil)
		old = s.move(t, old.ID, s.reviewer, article.Move{Action: article.ActionApprove}, nil)
		back := s.draft(t, s.news)
		back = s.move(t, back.ID, s.author, article.Move{Action: article.ActionSubmit}, nil)
		back = s.move(t, back.ID, s.reviewer, article.Move{Action: article.ActionReturn, Comment: "补充"}, nil)

		short := []model.ReviewStep{{Name: "编辑终审", Kind: model.StepReview, Holders: []string{model.HoldEditor}}}
		if _, err := s.chains.SaveChain(ctx, as(s.editor), s.news.ID, short); err != nil {
			t.Fatal(err)
		}
		// The one under way is still at 编辑复审 of four, which the editor approves to 校对.
		old = s.move(t, old.ID, s.editor, article.Move{Action: article.ActionApprove}, nil)
		if old.Review.Step != 2 || len(old.Review.Chain) != 4 {
			t.Errorf("a story under way moved to %d of %d", old.Review.Step, len(old.Review.Chain))
		}
		s.move(t, old.ID, s.editor, article.Move{Action: article.ActionPublish}, model.ErrForbidden)
		// The returned one, resubmitted, keeps its four steps.
		back = s.move(t, back.ID, s.author, article.Move{Action: article.ActionSubmit}, nil)
		if len(back.Review.Chain) != 4 || back.Review.Chain[0].Name != "单位初审" {
			t.Errorf("resubmitted after the change: %+v", back.Review.Chain)
		}
		// A new one takes the new chain: its one step publishes.
		fresh := s.draft(t, s.news)
		fresh = s.move(t, fresh.ID, s.author, article.Move{Action: article.ActionSubmit}, nil)
		if len(fresh.Review.Chain) != 1 || !slices.Equal(article.Actions(s.editor, fresh), []string{article.ActionReturn, article.ActionReject, article.ActionSchedule, article.ActionPublish}) {
			t.Errorf("new story: chain %+v, editor's actions %v", fresh.Review.Chain, article.Actions(s.editor, fresh))
		}
		s.move(t, fresh.ID, s.editor, article.Move{Action: article.ActionPublish}, nil)
	})
}

// TestDefaultChainIsTodaysWorkflow: without configuration a story goes
// unit review → editor, who publishes; returning from the editor's step
// goes to the author.
func TestDefaultChainIsTodaysWorkflow(t *testing.T) {
	onBothStores(t, func(t *testing.T, st store.Store) {
		s := newSite(t, st)
		a := s.draft(t, s.campus)
		a = s.move(t, a.ID, s.author, article.Move{Action: article.ActionSubmit}, nil)
		s.move(t, a.ID, s.editor, article.Move{Action: article.ActionPublish}, model.ErrInvalid) // not yet at the editor
		a = s.move(t, a.ID, s.reviewer, article.Move{Action: article.ActionApprove}, nil)
		if a.Status != model.StatusUnitApproved {
			t.Fatalf("after unit review: %s", a.Status)
		}
		s.move(t, a.ID, s.reviewer, article.Move{Action: article.ActionPublish}, model.ErrForbidden)
		a = s.move(t, a.ID, s.editor, article.Move{Action: article.ActionReturn, Comment: "请补充"}, nil)
		a = s.move(t, a.ID, s.author, article.Move{Action: article.ActionSubmit}, nil)
		if a.Status != model.StatusSubmitted {
			t.Fatalf("resubmitted: %s", a.Status)
		}
		a = s.move(t, a.ID, s.reviewer, article.Move{Action: article.ActionApprove}, nil)
		s.move(t, a.ID, s.editor, article.Move{Action: article.ActionPublish}, nil)
	})
}

// TestInboxShowsStepsWaitingForMe: each user's inbox lists the steps they
// may take across columns — unit reviewers only their unit's, named users
// theirs — the longest waiting first, overdue ones marked.
func TestInboxShowsStepsWaitingForMe(t *testing.T) {
	onBothStores(t, func(t *testing.T, st store.Store) {
		s := newSite(t, st)
		if _, err := s.chains.SaveChain(ctx, as(s.editor), s.news.ID, s.fourSteps()); err != nil {
			t.Fatal(err)
		}
		first := s.draft(t, s.news)
		s.move(t, first.ID, s.author, article.Move{Action: article.ActionSubmit}, nil)
		s.now = s.now.Add(time.Hour)
		second := s.draft(t, s.campus) // the default chain
		s.move(t, second.ID, s.author, article.Move{Action: article.ActionSubmit}, nil)
		titles := func(u model.User) (out []string) {
			items, total, err := s.chains.Inbox(ctx, u, 10)
			if err != nil {
				t.Fatal(err)
			}
			if total != len(items) {
				t.Errorf("%s: total %d, %d items", u.Username, total, len(items))
			}
			for _, it := range items {
				out = append(out, it.Article.Title+"@"+review.Label(it.Step))
			}
			return out
		}
		if got := titles(s.reviewer); !slices.Equal(got, []string{"稿件@单位初审", "稿件@unit"}) {
			t.Errorf("unit reviewer's inbox: %v", got)
		}
		for _, u := range []model.User{s.otherReviewer, s.editor, s.chief, s.proofreader, s.author} {
			if got := titles(u); len(got) != 0 {
				t.Errorf("%s's inbox: %v, want empty", u.Username, got)
			}
		}
		s.move(t, first.ID, s.reviewer, article.Move{Action: article.ActionApprove}, nil)
		s.move(t, first.ID, s.editor, article.Move{Action: article.ActionApprove}, nil)
		if got := titles(s.proofreader); !slices.Equal(got, []string{"稿件@校对"}) {
			t.Errorf("proofreader's inbox: %v", got)
		}
		// 单位初审 is due 24 h after it arrives.
		s.now = s.now.Add(25 * time.Hour)
		items, _, _ := s.chains.Inbox(ctx, s.reviewer, 10)
		if len(items) != 1 || items[0].Overdue || !items[0].Due.IsZero() {
			t.Errorf("the default chain's unit step has no due time: %+v", items)
		}
		third := s.draft(t, s.news)
		s.move(t, third.ID, s.author, article.Move{Action: article.ActionSubmit}, nil)
		s.now = s.now.Add(23 * time.Hour)
		items, _, _ = s.chains.Inbox(ctx, s.reviewer, 10)
		if len(items) != 2 || items[1].Overdue {
			t.Fatalf("not yet overdue: %+v", items)
		}
		s.now = s.now.Add(2 * time.Hour)
		items, _, _ = s.chains.Inbox(ctx, s.reviewer, 10)
		if !items[1].Overdue || items[1].Number != 1 || items[1].Of != 4 {
			t.Errorf("overdue after 24 h: %+v", items[1])
		}
	})
}
