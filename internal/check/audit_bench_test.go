package check_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/check"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore"
)

// BenchmarkSelfAudit100k re-scans a site of NEWSDESK_BENCH_STORIES
// stories (100,000 unless set) of about 800 characters on SQLite, beside
// the reference: reading every story once by keyset, the floor of any
// re-scan. go test -run '^$' -bench SelfAudit -benchtime 1x ./internal/check
func BenchmarkSelfAudit100k(b *testing.B) {
	ctx := context.Background()
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("NEWSDESK_BENCH_STORIES")); err == nil && v > 0 {
		n = v
	}
	st, err := sqlstore.OpenSQLite(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	col := model.Column{Slug: "news", Name: "学校要闻"}
	if err := st.CreateColumn(ctx, &col); err != nil {
		b.Fatal(err)
	}
	para := "2020年11月5日下午，由研究生院主办的导师培训会在A区行政楼举行。会议介绍了研究生培养的新要求，来自各个学院的导师参加了培训。"
	start := time.Now()
	for i := 0; i < n; i += 1000 {
		err := st.Tx(ctx, func(tx store.Store) error {
			for j := i; j < min(n, i+1000); j++ {
				body := "<p>" + strings.Repeat(para, 12) + "</p>"
				if j%50 == 0 {
					body += "<p>既使如此，第" + strconv.Itoa(j) + "号稿件仍然照常。</p>"
				}
				a := model.Article{ColumnID: col.ID, Title: fmt.Sprintf("第%d篇稿件", j), Body: body, Status: model.StatusPublished, PublishedAt: time.Now()}
				if err := tx.CreateArticle(ctx, &a); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%d stories written in %s", n, time.Since(start).Round(time.Second))
	b.Run("ReferenceReadAll", func(b *testing.B) {
		for b.Loop() {
			after, seen := int64(0), 0
			for {
				page, _, err := st.Articles(ctx, store.ArticleQuery{ByID: true, AfterID: after, Limit: 500, NoTotal: true})
				if err != nil {
					b.Fatal(err)
				}
				if len(page) == 0 {
					break
				}
				seen += len(page)
				after = page[len(page)-1].ID
			}
			if seen != n {
				b.Fatalf("read %d of %d", seen, n)
			}
		}
	})
	b.Run("SelfAudit", func(b *testing.B) {
		svc := &check.Service{Store: st}
		for b.Loop() {
			run, err := svc.RunAudit(ctx, model.SystemActor("job"))
			if err != nil || run.Scanned != n {
				b.Fatalf("scanned %d of %d: %v", run.Scanned, n, err)
			}
		}
	})
}
