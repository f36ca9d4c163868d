package check

// automaton is an Aho-Corasick matcher over runes: every occurrence of
// every pattern in one pass over the text, whatever the number of
// patterns (a regular expression or strings.Contains per rule would cost
// rules × text). Edges live in one hash map keyed by (state, rune): a
// node holds no map of its own, which keeps 10,000 patterns small.
type automaton struct {
	edges map[uint64]int32
	fail  []int32
	// out is the pattern ending at a state (-1: none); dict is the next
	// state on the fail chain that has one, so reporting skips the rest.
	out  []int32
	dict []int32
	lens []int32 // pattern length by pattern id
	// root holds the root's edges for CJK runes: most runes of a story
	// start no pattern, and an array answers that without hashing.
	root []int32
}

func key(state int32, r rune) uint64 { return uint64(state)<<32 | uint64(uint32(r)) }

// build makes the automaton of patterns; pattern i is reported as i. An
// empty pattern is never added (rules refuse them on save).
func build(patterns [][]rune) *automaton {
	a := &automaton{edges: make(map[uint64]int32), fail: []int32{0}, out: []int32{-1}, dict: []int32{-1}, lens: make([]int32, len(patterns))}
	// Patterns that repeat another keep the first id: same is filled so
	// the caller can report each of them.
	for id, p := range patterns {
		a.lens[id] = int32(len(p))
		if len(p) == 0 {
			continue
		}
		s := int32(0)
		for _, r := range p {
			n, ok := a.edges[key(s, r)]
			if !ok {
				n = int32(len(a.fail))
				a.edges[key(s, r)] = n
				a.fail = append(a.fail, 0)
				a.out = append(a.out, -1)
				a.dict = append(a.dict, -1)
			}
			s = n
		}
		if a.out[s] < 0 {
			a.out[s] = int32(id)
		}
	}
	// Breadth-first: a state's fail link is set after its parent's.
	children := make([][]struct {
		r rune
		n int32
	}, len(a.fail))
	for k, n := range a.edges {
		p := int32(k >> 32)
		children[p] = append(children[p], struct {
			r rune
			n int32
		}{rune(uint32(k)), n})
	}
	a.root = make([]int32, cjkLast-cjkFirst+1)
	for _, c := range children[0] {
		if c.r >= cjkFirst && c.r <= cjkLast {
			a.root[c.r-cjkFirst] = c.n
		}
	}
	queue := []int32{0}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, c := range children[s] {
			queue = append(queue, c.n)
			if s == 0 {
				a.fail[c.n] = 0
			} else {
				f := a.fail[s]
				for {
					if n, ok := a.edges[key(f, c.r)]; ok {
						a.fail[c.n] = n
						break
					}
					if f == 0 {
						a.fail[c.n] = 0
						break
					}
					f = a.fail[f]
				}
			}
			f := a.fail[c.n]
			if a.out[f] >= 0 {
				a.dict[c.n] = f
			} else {
				a.dict[c.n] = a.dict[f]
			}
		}
	}
	return a
}

// match is one occurrence: pattern id and its runes [start, end) in the
// text searched.
type match struct {
	id         int32
	start, end int32
}

// find reports every occurrence of every pattern in text.
func (a *automaton) find(text []rune, emit func(match)) {
	if a == nil || len(a.fail) == 1 {
		return
	}
	s := int32(0)
	for i, r := range text {
		for {
			if s == 0 && r >= cjkFirst && r <= cjkLast {
				s = a.root[r-cjkFirst] // 0 when no pattern starts with r
				break
			}
			if n, ok := a.edges[key(s, r)]; ok {
				s = n
				break
			}
			if s == 0 {
				break
			}
			s = a.fail[s]
		}
		for o := s; o > 0; o = a.dict[o] {
			if id := a.out[o]; id >= 0 {
				emit(match{id: id, start: int32(i+1) - a.lens[id], end: int32(i + 1)})
			}
			if a.dict[o] < 0 {
				break
			}
		}
	}
}
