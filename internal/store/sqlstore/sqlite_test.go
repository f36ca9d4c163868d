package sqlstore

import (
	"context"
	"path/filepath"
	"testing"

	"newsdesk/internal/store"
	"newsdesk/internal/store/storetest"
)

func TestSQLiteStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "newsdesk.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestMigrateTwiceIsNoOp(t *testing.T) {
	path := filepath.Join(t.TempDir(), "newsdesk.db")
	for i := 0; i < 2; i++ {
		s, err := OpenSQLite(context.Background(), path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		s.Close()
	}
}
