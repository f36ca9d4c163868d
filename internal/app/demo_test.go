package app_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/app"
	"newsdesk/internal/config"
	"newsdesk/internal/demo"
	"newsdesk/internal/model"
)

// The demo says the accounts it made and, on a second start, that its
// content is there already (not "took=0s"); its stories keep their own
// update times, not the moment the demo was loaded.
func TestDemoLoadSaysWhatItDid(t *testing.T) {
	ctx := context.Background()
	cfg, err := config.Parse("test", []string{"--data", t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	until := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	if err := a.LoadDemo(ctx, demo.Options{Articles: 12, Until: until, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "demo content ready") || !strings.Contains(logs.String(), "demo accounts exist") {
		t.Errorf("first load logged:\n%s", logs.String())
	}
	// Every account the log names exists, and the log names every one.
	for _, name := range demo.Usernames {
		if _, err := a.Store.UserByName(ctx, name); err != nil || !strings.Contains(logs.String(), name) {
			t.Errorf("demo account %s: %v (logged: %v)", name, err, strings.Contains(logs.String(), name))
		}
	}
	if users, err := a.Store.Users(ctx); err != nil || len(users) != len(demo.Usernames) {
		t.Errorf("%d desk users after the demo, %d named: %v", len(users), len(demo.Usernames), err)
	}
	logs.Reset()
	if err := a.LoadDemo(ctx, demo.Options{Articles: 12, Until: until, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "demo content already present") || strings.Contains(logs.String(), "took=") {
		t.Errorf("second load logged:\n%s", logs.String())
	}
	as, _, err := a.Store.Placed(ctx, model.SlotFocus, time.Now(), 10, 0)
	if err != nil || len(as) < 2 {
		t.Fatalf("focus: %v %v", as, err)
	}
	if as[0].Title == demo.SeedTitle || as[len(as)-1].Title != demo.SeedTitle {
		t.Errorf("focus does not lead with the site's own stories: first %q, last %q", as[0].Title, as[len(as)-1].Title)
	}
	seed := as[len(as)-1]
	if seed.Credits.Source != demo.SeedSource {
		t.Errorf("the reposted seed's source is %q", seed.Credits.Source)
	}
	updated := map[time.Time]bool{}
	for _, a := range as {
		if a.UpdatedAt.After(until) || a.UpdatedAt.Before(a.PublishedAt) {
			t.Errorf("%q updated %v, published %v", a.Title, a.UpdatedAt, a.PublishedAt)
		}
		updated[a.UpdatedAt] = true
	}
	if len(updated) != len(as) {
		t.Errorf("%d stories share %d update times", len(as), len(updated))
	}
}
