package staticsite_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"

	"newsdesk/internal/app"
	"newsdesk/internal/config"
	"newsdesk/internal/demo"
)

// The demo site with its pictures' variants takes half a minute to make
// on this machine; the tests on SQLite each open a copy of one made once.
var template struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if template.dir != "" {
		os.RemoveAll(template.dir)
	}
	os.Exit(code)
}

// loadSite fills a new site with the demo and makes its variants.
func loadSite(t *testing.T, a *app.App) {
	t.Helper()
	if err := fill(a); err != nil {
		t.Fatal(err)
	}
}

func fill(a *app.App) error {
	ctx := context.Background()
	if err := a.LoadDemo(ctx, demo.Options{Until: demoUntil, Seed: 1, Articles: 45}); err != nil {
		return err
	}
	_, err := a.Jobs.RunDue(ctx)
	return err
}

// demoTemplate is the data folder of the package's demo site, closed.
func demoTemplate(t *testing.T) string {
	t.Helper()
	template.once.Do(func() {
		dir, err := os.MkdirTemp("", "newsdesk-staticsite-demo-*")
		if err != nil {
			template.err = err
			return
		}
		template.dir = dir
		cfg, err := config.Parse("test", []string{"--data", dir})
		if err != nil {
			template.err = err
			return
		}
		a, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			template.err = err
			return
		}
		template.err = fill(a)
		if err := a.Close(); template.err == nil {
			template.err = err
		}
	})
	if template.err != nil {
		t.Fatalf("the demo site: %v", template.err)
	}
	return template.dir
}
