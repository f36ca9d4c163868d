package sqlstore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"newsdesk/internal/model"
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

// The WAL must be checkpointed as writes go: a statement form that blocked
// it once let the WAL grow to 2.5 GB while the database file stayed empty.
func TestWALIsCheckpointed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "newsdesk.db")
	s, err := OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := model.Column{Slug: "news", Name: "新闻"}
	if err := s.CreateColumn(ctx, &c); err != nil {
		t.Fatal(err)
	}
	body := strings.Repeat("东岳大学新闻", 1000) // 18 KB
	for i := 0; i < 1500; i++ {
		a := model.Article{ColumnID: c.ID, Title: "标题", Body: body, Status: model.StatusDraft}
		if err := s.CreateArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
	}
	wal, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	db, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	// 1,500 × 18 KB = 27 MB written; the default checkpoint keeps the WAL
	// near 1,000 pages (4 MB).
	if wal.Size() > 12<<20 || db.Size() < 20<<20 {
		t.Errorf("after 27 MB of inserts: WAL %d MB, database %d MB", wal.Size()>>20, db.Size()>>20)
	}
}

// A full database is model.ErrFull, which the desk turns into "no room
// left, your text is kept", and the failed write leaves nothing behind.
func TestFullDatabaseIsErrFull(t *testing.T) {
	ctx := context.Background()
	s, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "newsdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	col := model.Column{Slug: "news", Name: "新闻"}
	if err := s.CreateColumn(ctx, &col); err != nil {
		t.Fatal(err)
	}
	// One connection, so the page limit below holds for the write.
	s.db.SetMaxOpenConns(1)
	var pages int
	if err := s.db.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `PRAGMA max_page_count = `+strconv.Itoa(pages)); err != nil {
		t.Fatal(err)
	}
	big := model.Article{ColumnID: col.ID, Title: "大稿件", Body: strings.Repeat("<p>正文正文正文正文</p>", 20000), Status: model.StatusDraft}
	err = s.Tx(ctx, func(tx store.Store) error {
		if err := tx.CreateArticle(ctx, &big); err != nil {
			return err
		}
		return tx.AddAudit(ctx, model.AuditEntry{Action: "create"})
	})
	if !errors.Is(err, model.ErrFull) {
		t.Fatalf("write to a full database: %v, want ErrFull", err)
	}
	if _, n, _ := s.Articles(ctx, store.ArticleQuery{Limit: 1}); n != 0 {
		t.Errorf("the failed write left %d articles", n)
	}
}
