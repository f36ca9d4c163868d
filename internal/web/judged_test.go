package web_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/app"
	"newsdesk/internal/config"
	"newsdesk/internal/demo"
	"newsdesk/internal/store/sqlstore/pgtest"
)

// Floors for the judged set. The set is small and judged on titles, so a
// ranking that puts title matches first should clear them with room to spare;
// falling below means real queries lost their obvious answers.
const (
	minJudgedQueries = 40
	minMeanRecall    = 0.95
	minMRR           = 0.8
	judgedCutoff     = 10
)

type judgedQuery struct {
	text     string
	relevant map[string]bool
}

func loadJudged(t *testing.T, path string) []judgedQuery {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []judgedQuery
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		q, rels, ok := strings.Cut(line, "\t")
		if !ok || strings.TrimSpace(q) == "" || strings.TrimSpace(rels) == "" {
			t.Fatalf("%s:%d: want query<TAB>paths, got %q", path, n, line)
		}
		jq := judgedQuery{text: q, relevant: map[string]bool{}}
		for _, p := range strings.Split(rels, "|") {
			jq.relevant[strings.TrimSpace(p)] = true
		}
		out = append(out, jq)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// resultPath reduces a result link to the form the judgements use, so an
// absolute or decorated link still counts.
func resultPath(href string) string {
	u, err := url.Parse(href)
	if err != nil {
		return href
	}
	return u.Path
}

func TestJudgedSearchQuality(t *testing.T) {
	judgeSearch(t, site.srv)
}

// The same judged set on PostgreSQL: the same demo, the same tokens, so the
// same floors.
func TestJudgedSearchQualityPostgres(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx := context.Background()
	cfg, err := config.Parse("test", []string{"--data", t.TempDir(), "--db", dsn})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if err := a.LoadDemo(ctx, demo.Options{Until: demoUntil, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Web)
	t.Cleanup(srv.Close)
	got := judgeSearch(t, srv)
	// Ranking is done in Go on what each store matched, so both stores
	// must give the very same results, in the same order.
	want := judgeSearch(t, site.srv)
	for q, paths := range want {
		if !slices.Equal(got[q], paths) {
			t.Errorf("%q: PostgreSQL %v, SQLite %v", q, got[q], paths)
		}
	}
}

// judgeSearch scores the judged set on srv's search and returns each
// query's top results.
func judgeSearch(t *testing.T, srv *httptest.Server) map[string][]string {
	get := func(t *testing.T, path string) *http.Response {
		t.Helper()
		req, err := http.NewRequest("GET", srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		// No redirects followed, as in the package's get.
		res, err := srv.Client().Transport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	doc := func(t *testing.T, path string) *goquery.Document {
		t.Helper()
		res := get(t, path)
		defer res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("GET %s = %d", path, res.StatusCode)
		}
		d, err := goquery.NewDocumentFromReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	set := loadJudged(t, "testdata/judged.tsv")
	if len(set) < minJudgedQueries {
		t.Fatalf("judged set has %d queries, want at least %d", len(set), minJudgedQueries)
	}

	// Judgements name articles by path; if the demo drifted they would point
	// at other stories (or none) and the figures would mean nothing.
	checked := map[string]bool{}
	for _, q := range set {
		for p := range q.relevant {
			if checked[p] {
				continue
			}
			checked[p] = true
			res := get(t, p)
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Fatalf("judged article %s (query %q) = %d: the demo changed, judge the set again", p, q.text, res.StatusCode)
			}
		}
	}

	results := map[string][]string{}
	var sumRecall, sumRR float64
	var weak []string
	for _, q := range set {
		d := doc(t, "/search?q="+url.QueryEscape(q.text))
		var got, titles []string
		d.Find(".results li a.title").EachWithBreak(func(i int, s *goquery.Selection) bool {
			href, _ := s.Attr("href")
			got = append(got, resultPath(href))
			titles = append(titles, strings.TrimSpace(s.Text()))
			return len(got) < judgedCutoff
		})
		results[q.text] = got

		found, rank := 0, 0
		for i, p := range got {
			if q.relevant[p] {
				found++
				if rank == 0 {
					rank = i + 1
				}
			}
		}
		recall := float64(found) / float64(min(judgedCutoff, len(q.relevant)))
		rr := 0.0
		if rank > 0 {
			rr = 1 / float64(rank)
		}
		sumRecall += recall
		sumRR += rr

		if recall < 1 || rank != 1 {
			var missed []string
			for p := range q.relevant {
				if !slices.Contains(got, p) {
					missed = append(missed, p)
				}
			}
			slices.Sort(missed)
			top := titles
			if len(top) > 3 {
				top = top[:3]
			}
			weak = append(weak, fmt.Sprintf("%q: recall@%d=%.2f first relevant at %s, missed %v, top %q",
				q.text, judgedCutoff, recall, rankText(rank), missed, top))
		}
	}

	n := float64(len(set))
	meanRecall, mrr := sumRecall/n, sumRR/n
	t.Logf("judged queries: %d, mean recall@%d: %.4f, MRR@%d: %.4f", len(set), judgedCutoff, meanRecall, judgedCutoff, mrr)
	for _, w := range weak {
		t.Logf("weak: %s", w)
	}
	if meanRecall < minMeanRecall {
		t.Errorf("mean recall@%d = %.4f, want >= %.2f", judgedCutoff, meanRecall, minMeanRecall)
	}
	if mrr < minMRR {
		t.Errorf("MRR@%d = %.4f, want >= %.2f", judgedCutoff, mrr, minMRR)
	}
	return results
}

func rankText(rank int) string {
	if rank == 0 {
		return "none in top " + fmt.Sprint(judgedCutoff)
	}
	return fmt.Sprint(rank)
}
