// Command testsum reads `go test -json` on standard input and prints what
// the run is doing: a line per package as it finishes (with its passed,
// failed and skipped tests), the output of every failed test, a line every
// half minute naming the packages still running, and at the end
// "N passed, N failed, N skipped". It exits 1 when any test, package or
// build failed, so scripts/test.sh fails with it.
//
//	go test -json ./... | go run ./tools/testsum -log test-output/go-test.log
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action     string
	Package    string
	Test       string
	Elapsed    float64
	Output     string
	ImportPath string
}

// counts are the tests of one package (or of the whole run) by outcome.
type counts struct{ passed, failed, skipped int }

func (c counts) String() string {
	return fmt.Sprintf("%d passed, %d failed, %d skipped", c.passed, c.failed, c.skipped)
}

// summary folds the events of one run.
type summary struct {
	mu       sync.Mutex
	out      io.Writer
	total    counts
	perPkg   map[string]*counts
	running  map[string]time.Time
	output   map[string][]string // package + "\x00" + test → its output lines
	build    map[string][]string // import path → build output
	failures int                 // failed packages and builds
}

func newSummary(out io.Writer) *summary {
	return &summary{out: out, perPkg: map[string]*counts{}, running: map[string]time.Time{},
		output: map[string][]string{}, build: map[string][]string{}}
}

func (s *summary) pkg(name string) *counts {
	c := s.perPkg[name]
	if c == nil {
		c = &counts{}
		s.perPkg[name] = c
	}
	return c
}

// add takes one event and prints what finished with it.
func (s *summary) add(e event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := e.Package + "\x00" + e.Test
	switch e.Action {
	case "build-output":
		s.build[e.ImportPath] = append(s.build[e.ImportPath], e.Output)
	case "build-fail":
		// The package's own "fail" event follows and is counted.
		fmt.Fprintf(s.out, "BUILD FAIL %s\n%s", e.ImportPath, strings.Join(s.build[e.ImportPath], ""))
	case "start":
		s.running[e.Package] = time.Now()
	case "output":
		// Kept only until the test passes: a failed test's output is printed.
		s.output[key] = append(s.output[key], e.Output)
	case "pass", "fail", "skip":
		if e.Test == "" {
			s.finishPackage(e)
			return
		}
		c := s.pkg(e.Package)
		switch e.Action {
		case "pass":
			c.passed++
			s.total.passed++
		case "fail":
			c.failed++
			s.total.failed++
			fmt.Fprintf(s.out, "--- FAIL %s %s (%.1fs)\n%s", e.Package, e.Test, e.Elapsed, strings.Join(s.output[key], ""))
		case "skip":
			c.skipped++
			s.total.skipped++
		}
		delete(s.output, key)
	}
}

// finishPackage prints the package's line: ok, FAIL or "no tests".
func (s *summary) finishPackage(e event) {
	delete(s.running, e.Package)
	key := e.Package + "\x00"
	c := s.pkg(e.Package)
	status := "ok  "
	switch {
	case e.Action == "fail":
		status = "FAIL"
		s.failures++
	case c.passed+c.failed+c.skipped == 0:
		delete(s.output, key)
		return // a package without tests: nothing to say
	}
	fmt.Fprintf(s.out, "%s %-45s %6.1fs  %s\n", status, e.Package, e.Elapsed, c)
	if e.Action == "fail" && c.failed == 0 {
		// Failed outside any test (a panic in TestMain, a build error).
		fmt.Fprint(s.out, strings.Join(s.output[key], ""))
	}
	delete(s.output, key)
}

// still prints the packages that have been running for a while.
func (s *summary) still(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.running) == 0 {
		return
	}
	var names []string
	for p, since := range s.running {
		names = append(names, fmt.Sprintf("%s (%ds)", p, int(now.Sub(since).Seconds())))
	}
	sort.Strings(names)
	fmt.Fprintf(s.out, "     running: %s; %d tests finished so far\n", strings.Join(names, ", "), s.total.passed+s.total.failed+s.total.skipped)
}

// read folds every event of r, copying each output line to log when set.
func (s *summary) read(r io.Reader, log io.Writer) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1024*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			// Not an event (go vet or the go command itself): pass it on.
			fmt.Fprintf(s.out, "%s\n", line)
			if log != nil {
				fmt.Fprintf(log, "%s\n", line)
			}
			continue
		}
		if log != nil && e.Output != "" {
			io.WriteString(log, e.Output)
		}
		s.add(e)
	}
	return sc.Err()
}

// ok reports whether nothing failed.
func (s *summary) ok() bool { return s.failures == 0 && s.total.failed == 0 }

func main() {
	logPath := flag.String("log", "", "also write every test's output to this file")
	every := flag.Duration("every", 30*time.Second, "how often to name the packages still running (0: never)")
	flag.Parse()
	var log io.Writer
	if *logPath != "" {
		f, err := os.Create(*logPath)
		if err != nil {
			fmt.Fprintln(os.Stderr, "testsum:", err)
			os.Exit(1)
		}
		defer f.Close()
		log = f
	}
	s := newSummary(os.Stdout)
	if *every > 0 {
		t := time.NewTicker(*every)
		defer t.Stop()
		go func() {
			for now := range t.C {
				s.still(now)
			}
		}()
	}
	err := s.read(os.Stdin, log)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsum: reading go test -json:", err)
		os.Exit(1)
	}
	fmt.Fprintf(s.out, "go test: %s", s.total)
	if s.failures > 0 {
		fmt.Fprintf(s.out, "; %d package(s) or build(s) failed", s.failures)
	}
	fmt.Fprintln(s.out)
	if !s.ok() {
		os.Exit(1)
	}
}
