package web_test

import (
	"bufio"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
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
}

func rankText(rank int) string {
	if rank == 0 {
		return "none in top " + fmt.Sprint(judgedCutoff)
	}
	return fmt.Sprint(rank)
}
