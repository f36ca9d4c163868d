package check

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// benchRules makes n sensitive words of 2–4 characters of the whole CJK
// block, and a story of size characters of common ones with 50 of the
// words planted in it: a story with a few findings, as real ones have.
func benchRules(n, size int) (*Checker, Doc, []string) {
	const pool = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可而子学校新闻研究党委组织工作部主办重庆"
	chars := []rune(pool)
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	words := make([]string, 0, n)
	seen := map[string]bool{}
	for len(words) < n {
		w := make([]rune, 2+rng.IntN(3))
		for i := range w {
			w[i] = rune(0x4E00 + rng.IntN(0x9FA5-0x4E00))
		}
		if seen[string(w)] {
			continue
		}
		seen[string(w)] = true
		words = append(words, string(w))
		fmt.Fprintf(&b, "%s | 测试 | warn\n", string(w))
	}
	var r Rules
	r.Parse(KindWords, b.String())
	text := make([]rune, 0, size)
	for len(text) < size {
		if len(text)%400 == 0 {
			text = append(text, []rune(words[rng.IntN(len(words))])...)
		}
		text = append(text, chars[rng.IntN(len(chars))])
		if len(text)%40 == 39 {
			text = append(text, '，')
		}
	}
	return Compile(r), FromText(string(text[:size])), words
}

// BenchmarkCheck20kCharsAgainst10kRules is the figure: a
// 20,000-character story against 10,000 rules (target ≤ 5 ms).
func BenchmarkCheck20kCharsAgainst10kRules(b *testing.B) {
	c, d, _ := benchRules(10000, 20000)
	cpu := cpuTime()
	for b.Loop() {
		c.Check(d, Options{})
	}
	reportCPU(b, cpu)
}

// BenchmarkReferenceContainsPerRule is the reference the automaton
// replaces: strings.Contains of every rule over the folded text.
func BenchmarkReferenceContainsPerRule(b *testing.B) {
	_, d, words := benchRules(10000, 20000)
	text := string(fold(d.Text).runes)
	cpu := cpuTime()
	for b.Loop() {
		n := 0
		for _, w := range words {
			if strings.Contains(text, w) {
				n++
			}
		}
	}
	reportCPU(b, cpu)
}

// BenchmarkCompile10kRules is the cost of a rule-set change on each
// instance.
func BenchmarkCompile10kRules(b *testing.B) {
	var sb strings.Builder
	_, _, words := benchRules(10000, 10)
	for _, w := range words {
		sb.WriteString(w + "\n")
	}
	cpu := cpuTime()
	for b.Loop() {
		var r Rules
		r.Parse(KindWords, sb.String())
		Compile(r)
	}
	reportCPU(b, cpu)
}
