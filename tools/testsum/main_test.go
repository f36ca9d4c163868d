package main

import (
	"strings"
	"testing"
)

// A run as `go test -json` writes it: one package passes a test and skips
// one, one fails a test, one has no tests, one fails to build.
const run = `{"Action":"start","Package":"a"}
{"Action":"run","Package":"a","Test":"TestOK"}
{"Action":"output","Package":"a","Test":"TestOK","Output":"quiet\n"}
{"Action":"pass","Package":"a","Test":"TestOK","Elapsed":0.1}
{"Action":"skip","Package":"a","Test":"TestBrowser","Elapsed":0}
{"Action":"pass","Package":"a","Elapsed":0.2}
{"Action":"start","Package":"b"}
{"Action":"output","Package":"b","Test":"TestBad","Output":"    b_test.go:9: want 2, got 3\n"}
{"Action":"fail","Package":"b","Test":"TestBad","Elapsed":0.3}
{"Action":"fail","Package":"b","Elapsed":0.4}
{"Action":"skip","Package":"c","Elapsed":0}
{"ImportPath":"d [d.test]","Action":"build-output","Output":"d/x.go:1: syntax error\n"}
{"ImportPath":"d [d.test]","Action":"build-fail"}
{"Action":"fail","Package":"d","Elapsed":0,"FailedBuild":"d [d.test]"}
vet: a line that is not an event
`

func TestSummaryCountsAndShowsFailures(t *testing.T) {
	var out strings.Builder
	s := newSummary(&out)
	if err := s.read(strings.NewReader(run), nil); err != nil {
		t.Fatal(err)
	}
	if got := s.total.String(); got != "1 passed, 1 failed, 1 skipped" {
		t.Errorf("total: %s", got)
	}
	if s.ok() {
		t.Error("a run with a failed test and a failed build is not ok")
	}
	text := out.String()
	for _, want := range []string{
		"ok   a", "1 passed, 0 failed, 1 skipped", // a line per package
		"--- FAIL b TestBad", "want 2, got 3", // the failed test's output
		"FAIL b", "BUILD FAIL d [d.test]", "syntax error",
		"vet: a line that is not an event",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "quiet") {
		t.Errorf("a passing test's output is printed:\n%s", text)
	}
	if strings.Contains(text, " c ") {
		t.Errorf("a package without tests gets a line:\n%s", text)
	}
}

func TestSummaryOfAGreenRunIsOK(t *testing.T) {
	s := newSummary(&strings.Builder{})
	green := `{"Action":"pass","Package":"a","Test":"TestOK"}` + "\n" + `{"Action":"pass","Package":"a"}` + "\n"
	if err := s.read(strings.NewReader(green), nil); err != nil {
		t.Fatal(err)
	}
	if !s.ok() || s.total.passed != 1 {
		t.Errorf("green run: ok=%v %s", s.ok(), s.total)
	}
}
